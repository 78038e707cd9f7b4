package dev.numbat.runtime.policy;

import dev.numbat.runtime.Diagnostics;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.util.Locale;

/**
 * Keeps the faster of a compiled method's two native versions: the one specialised to its profile and the general
 * code (docs/profiler.md). The specialised copy is usually faster, but not always: its constants can, for instance,
 * unroll a rare heavy branch into straight-line code that LLVM's vectoriser then if-converts, computing it for every
 * element. So the first calls alternate between the two through the entry's switch ({@code <symbol>_versions}), each
 * timed as the measured policy times calls ({@link CallTimer}); after {@link #WARM_CALLS} calls of each, the next
 * {@link MeasuredPolicy#SAMPLES} of each decide, by their medians (the specialised copy unless the general code is
 * strictly faster), and the call site drops the timing. Both versions give the same results, so the choice only
 * affects speed; the switch is shared by all threads, so a call racing with another thread's switch may be timed
 * as the other version, which only adds noise.
 */
public final class VersionChoice {
    static final int WARM_CALLS = 100;
    private static final MethodHandle CHOOSE;
    static {
        try {
            CHOOSE = MethodHandles.lookup().findVirtual(VersionChoice.class, "choose", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MemorySegment versionSwitch;
    private final String method;
    private final MethodHandle nativeCode;
    private final MutableCallSite site;
    /** The general code (0) and the specialised copy (1). */
    private final MeasuredPolicy.Version[] versions = {new MeasuredPolicy.Version(), new MeasuredPolicy.Version()};
    private int next; // unsynchronised: a lost update only changes which version a call runs
    private boolean decided;

    private VersionChoice(MethodHandle nativeCode, MemorySegment versionSwitch, String method) {
        this.versionSwitch = versionSwitch;
        this.method = method;
        this.nativeCode = nativeCode;
        MethodHandle choose = MethodHandles.dropArguments(CHOOSE.bindTo(this), 0, nativeCode.type().parameterList());
        MethodHandle measuring = MethodHandles.guardWithTest(choose,
                CallTimer.timed(nativeCode, (t, t0, a) -> measured(1, t, t0)),
                CallTimer.timed(nativeCode, (t, t0, a) -> measured(0, t, t0)));
        this.site = new MutableCallSite(measuring);
    }

    /**
     * {@code nativeCode}, whose entry has the switch {@code versionSwitch} ({@link MemorySegment#NULL}: it has one
     * version, and {@code nativeCode} is returned as it is), behind a call site that measures both versions first.
     */
    public static MethodHandle of(MethodHandle nativeCode, MemorySegment versionSwitch, String method) {
        if (versionSwitch == null || versionSwitch.equals(MemorySegment.NULL)) return nativeCode;
        return new VersionChoice(nativeCode, versionSwitch, method).site.dynamicInvoker();
    }

    /** Sets the switch for the next call: the specialised copy and the general code in turn. */
    private boolean choose() {
        boolean copy = (next++ & 1) == 0;
        versionSwitch.set(ValueLayout.JAVA_INT, 0, copy ? 1 : 0);
        return copy;
    }

    private synchronized void measured(int version, Throwable thrown, long startNanos) {
        long nanos = System.nanoTime() - startNanos;
        MeasuredPolicy.Version v = versions[version];
        if (decided || thrown != null || ++v.calls <= WARM_CALLS || v.n == v.samples.length) return;
        v.samples[v.n++] = nanos;
        if (versions[0].n == MeasuredPolicy.SAMPLES && versions[1].n == MeasuredPolicy.SAMPLES) decide();
    }

    private void decide() {
        long copy = (long) versions[1].median(), general = (long) versions[0].median();
        boolean keepCopy = copy <= general;
        decided = true;
        versionSwitch.set(ValueLayout.JAVA_INT, 0, keepCopy ? 1 : 0);
        site.setTarget(nativeCode);
        MutableCallSite.syncAll(new MutableCallSite[] {site});
        Diagnostics.profiler(String.format(Locale.ROOT, "specialised %s: %s (median of %d timed calls each: specialised %,d ns, general %,d ns)",
                method, keepCopy ? "kept the specialised version" : "turned the specialised version off, the general code is faster",
                MeasuredPolicy.SAMPLES, copy, general));
    }
}
