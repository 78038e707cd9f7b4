package dev.numbat.runtime.policy;

import dev.numbat.ir.Intrinsic;
import dev.numbat.runtime.Diagnostics;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keeps the fastest setting of a compiled method's switch for the code specialised to its profile (docs/profiler.md).
 * The switch has a bit per part: the entry's copy for the arguments seen ({@link Intrinsic#SWITCH_ENTRY_COPY}) and the
 * loops versioned by their trip counts ({@link Intrinsic#SWITCH_LOOP_VERSIONS}). Each part is usually faster, but not
 * always: constants can, for instance, unroll a rare heavy branch into straight-line code that LLVM's vectoriser then
 * if-converts, computing it for every element, and a loop of a known count can be vectorised across the loop around
 * it with slow gathers. So the first calls go through every setting in turn (all parts, each part alone, none), each
 * timed as the measured policy times calls ({@link CallTimer}); after {@link #WARM_CALLS} calls of each, the next
 * {@link MeasuredPolicy#SAMPLES} of each decide by their medians (on a tie, the setting with more parts on), and the
 * call site drops the timing. Every setting gives the same results, so the choice only affects speed; the switch is
 * shared by all threads, so a call racing with another thread's setting may be timed as another, which only adds noise.
 */
public final class VersionChoice {
    static final int WARM_CALLS = 100;
    private static final MethodHandle CHOOSE;
    static {
        try {
            CHOOSE = MethodHandles.lookup().findVirtual(VersionChoice.class, "choose", MethodType.methodType(int.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MemorySegment versionSwitch;
    private final String method;
    private final MethodHandle nativeCode;
    private final MutableCallSite site;
    /** The settings measured, most parts first, and their measurements. */
    private final int[] settings;
    private final MeasuredPolicy.Version[] versions;
    private int next; // unsynchronised: a lost update only changes which setting a call runs
    private boolean decided;

    private VersionChoice(MethodHandle nativeCode, MemorySegment versionSwitch, int parts, String method) {
        this.versionSwitch = versionSwitch;
        this.method = method;
        this.nativeCode = nativeCode;
        this.settings = settings(parts);
        this.versions = new MeasuredPolicy.Version[settings.length];
        MethodHandle[] timed = new MethodHandle[settings.length];
        for (int k = 0; k < settings.length; k++) {
            versions[k] = new MeasuredPolicy.Version();
            int index = k;
            timed[k] = MethodHandles.dropArguments(CallTimer.timed(nativeCode, (t, t0, a) -> measured(index, t, t0)), 0, int.class);
        }
        MethodHandle choose = MethodHandles.dropArguments(CHOOSE.bindTo(this), 0, nativeCode.type().parameterList());
        this.site = new MutableCallSite(MethodHandles.foldArguments(MethodHandles.tableSwitch(timed[0], timed), choose));
    }

    /**
     * {@code nativeCode}, whose entry has the switch {@code versionSwitch} with the bits {@code parts} ({@link
     * MemorySegment#NULL}: it has none, and {@code nativeCode} is returned as it is), behind a call site that measures
     * every setting first.
     */
    public static MethodHandle of(MethodHandle nativeCode, MemorySegment versionSwitch, int parts, String method) {
        if (versionSwitch == null || versionSwitch.equals(MemorySegment.NULL) || parts == 0) return nativeCode;
        return new VersionChoice(nativeCode, versionSwitch, parts, method).site.dynamicInvoker();
    }

    /** Every subset of {@code parts}, by how many parts it has on, most first: {3, 1, 2, 0} for two parts. */
    static int[] settings(int parts) {
        List<Integer> subsets = new ArrayList<>();
        for (int s = parts; ; s = (s - 1) & parts) {
            subsets.add(s);
            if (s == 0) break;
        }
        subsets.sort((a, b) -> Integer.bitCount(b) != Integer.bitCount(a) ? Integer.bitCount(b) - Integer.bitCount(a) : a - b);
        return subsets.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Sets the switch for the next call, every setting in turn, and returns the setting's index. */
    private int choose() {
        int k = Math.floorMod(next++, settings.length);
        versionSwitch.set(ValueLayout.JAVA_INT, 0, settings[k]);
        return k;
    }

    private synchronized void measured(int index, Throwable thrown, long startNanos) {
        long nanos = System.nanoTime() - startNanos;
        MeasuredPolicy.Version v = versions[index];
        if (decided || thrown != null || ++v.calls <= WARM_CALLS || v.n == v.samples.length) return;
        v.samples[v.n++] = nanos;
        for (MeasuredPolicy.Version w : versions) if (w.n < MeasuredPolicy.SAMPLES) return;
        decide();
    }

    private void decide() {
        int best = 0;
        long[] medians = new long[settings.length];
        for (int k = 0; k < settings.length; k++) {
            medians[k] = (long) versions[k].median();
            if (medians[k] < medians[best]) best = k;
        }
        decided = true;
        versionSwitch.set(ValueLayout.JAVA_INT, 0, settings[best]);
        site.setTarget(nativeCode);
        MutableCallSite.syncAll(new MutableCallSite[] {site});
        StringBuilder figures = new StringBuilder();
        for (int k = 0; k < settings.length; k++) {
            figures.append(k == 0 ? "" : ", ").append(describe(settings[k])).append(String.format(Locale.ROOT, " %,d ns", medians[k]));
        }
        Diagnostics.profiler(String.format(Locale.ROOT, "specialised %s: kept %s (median of %d timed calls each: %s)",
                method, describe(settings[best]), MeasuredPolicy.SAMPLES, figures));
    }

    /** {@code the copy for the arguments seen and the loop versions}, {@code the general code}, ... */
    static String describe(int setting) {
        List<String> parts = new ArrayList<>();
        if ((setting & Intrinsic.SWITCH_ENTRY_COPY) != 0) parts.add("the copy for the arguments seen");
        if ((setting & Intrinsic.SWITCH_LOOP_VERSIONS) != 0) parts.add("the loop versions for the trip counts seen");
        return parts.isEmpty() ? "the general code" : String.join(" and ", parts);
    }
}
