package dev.numbat.runtime;

import dev.numbat.Inspection;
import dev.numbat.NotCompiledException;
import dev.numbat.ir.parallel.ParallelLoops;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What Numbat tells about each method, once, when its compilation is decided: with
 * {@code -Dnumbat.verbose=true} one line on standard error, in a form scripts can grep,
 * <pre>
 * numbat: compiled com.example.Kernels.dot([D[D)D in 41.3 ms (x86_64 znver4)
 * numbat: not compiled com.example.Kernels.norm(Ljava/util/List;)D: parameter of type java.util.List ... (Kernels.java:12)
 * </pre>
 * and with {@code -Dnumbat.dump=DIR} the method's typed IR ({@code .ir}), optimised LLVM IR ({@code .ll}),
 * assembly ({@code .s}) and control-flow graph ({@code .dot}) written to files named after it.
 */
public final class Diagnostics {
    private Diagnostics() {}

    static void compiled(CompiledMethod c) {
        if (Boolean.getBoolean("numbat.verbose")) {
            System.err.println("numbat: compiled " + c.name() + " in "
                    + String.format(Locale.ROOT, "%.1f", c.compileMillis()) + " ms (" + shortTarget(c.target()) + ")");
        }
        // Only a dump asks for the inspection here: its assembly listing is a second code generation.
        String dump = System.getProperty("numbat.dump");
        if (dump != null && !dump.isBlank()) write(Path.of(dump), c.inspection());
    }

    /** {@code numbat: kept bytecode <method>: <reason>}: the agent leaves it to HotSpot ({@link CallPolicy}). */
    public static void keptBytecode(String method, String reason) {
        if (Boolean.getBoolean("numbat.verbose")) System.err.println("numbat: kept bytecode " + method + ": " + reason);
    }

    /**
     * {@code numbat: policy <method>: native (median of 31 timed calls each: native 812 ns, bytecode 2,410 ns; arrays
     * 4,096 elements)}: the measured policy's decision and its figures (docs/profiler.md).
     */
    public static void policy(String method, String decision) {
        if (Boolean.getBoolean("numbat.verbose")) System.err.println("numbat: policy " + method + ": " + decision);
    }

    /** {@code numbat: profiling <method>}, {@code numbat: hot <method>: ...} or {@code numbat: not profiled <method>: <why>}. */
    public static void profiler(String line) {
        if (Boolean.getBoolean("numbat.verbose")) System.err.println("numbat: " + line);
    }

    /** With {@code -Dnumbat.dump=DIR}, the profile a method was compiled with, as {@code DIR/<method>.profile}. */
    public static void dumpProfile(String method, String profileText) {
        String dump = System.getProperty("numbat.dump");
        if (dump == null || dump.isBlank()) return;
        Path dir = Path.of(dump);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(method.replaceAll("[^A-Za-z0-9_.$-]", "_") + ".profile"), profileText);
        } catch (IOException e) {
            System.err.println("numbat: could not dump the profile of " + method + " to " + dir + ": " + e.getMessage());
        }
    }

    static void notCompiled(NotCompiledException e) {
        if (Boolean.getBoolean("numbat.verbose")) System.err.println(e.diagnosticLine());
    }

    /**
     * For a {@code parallel} method, one line per top-level loop: {@code numbat: parallel <method>: the loop
     * at line 12} or {@code numbat: serial <method>: the loop at line 20 stays serial: <why>}.
     */
    static void loops(String method, ParallelLoops.Outcome outcome) {
        if (!Boolean.getBoolean("numbat.verbose")) return;
        for (String l : outcome.parallelised()) System.err.println("numbat: parallel " + method + ": " + l);
        for (String l : outcome.serial()) System.err.println("numbat: serial " + method + ": " + l);
    }

    /** {@code x86_64 znver4}: the architecture and CPU, without the feature list. */
    static String shortTarget(String target) {
        String[] words = target == null ? new String[0] : target.split(" ");
        return words.length >= 2 ? words[0] + " " + words[1] : String.valueOf(target);
    }

    private static void write(Path dir, Inspection i) {
        String base = i.method().replaceAll("[^A-Za-z0-9_.$-]", "_");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(base + ".ir"), i.typedIr());
            Files.writeString(dir.resolve(base + ".ll"), i.optimizedLlvmIr());
            Files.writeString(dir.resolve(base + ".s"), i.assembly());
            Files.writeString(dir.resolve(base + ".dot"), i.controlFlowGraphDot());
        } catch (IOException e) {
            System.err.println("numbat: could not dump " + i.method() + " to " + dir + ": " + e.getMessage());
        }
    }
}
