package dev.numbat.llvm;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The host assembly of compiled code, made when first asked for. A listing is a second code generation of the
 * module, a fifth of a method's compile time (dot 43 -> 36 ms, Horner 81 -> 67 ms of CPU), and only inspection and
 * {@code -Dnumbat.dump} read it; so {@link LlvmBackend} generates it from the optimised LLVM IR, which it keeps
 * as text anyway, on the first {@link #text()}. Thread-safe.
 */
public final class AssemblyListing {
    /** No listing: code loaded without its IR. */
    public static final AssemblyListing NONE = of("");

    private final Supplier<String> generator;
    private volatile String text;

    private AssemblyListing(String text, Supplier<String> generator) {
        this.text = text;
        this.generator = generator;
    }

    /** A listing already written. */
    public static AssemblyListing of(String text) {
        return new AssemblyListing(Objects.requireNonNull(text, "text"), null);
    }

    /** A listing {@code generator} writes when it is first asked for, once. */
    static AssemblyListing generatedBy(Supplier<String> generator) {
        return new AssemblyListing(null, Objects.requireNonNull(generator, "generator"));
    }

    /** The assembly, generated now if it was not yet. */
    public String text() {
        String t = text;
        if (t != null) return t;
        synchronized (this) {
            if (text == null) text = generator.get();
            return text;
        }
    }

    /** The assembly if it was written or generated already, else empty: what a cache can keep without paying for it. */
    public String textIfMade() {
        String t = text;
        return t == null ? "" : t;
    }
}
