package dev.numbat.runtime.policy;

import dev.numbat.runtime.Diagnostics;
import dev.numbat.runtime.jfr.PolicyDecisionEvent;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.Locale;

/**
 * The measured half of "never slower than HotSpot": with both versions of a method at hand (its native code
 * and its bytecode, as the plain copy of its twin), calls alternate between them and are timed
 * ({@code System.nanoTime} around the call) until each version has run warm ({@link #WARM_CALLS} calls or
 * {@link #WARM_NANOS} of timed work, so that HotSpot has compiled the bytecode) and then {@link #SAMPLES} more
 * times; the version with the lower median keeps the calls, native code only if strictly faster.
 *
 * <p>Afterwards one call in {@link CallTimer#SAMPLE_EVERY} is timed, for the statistics and to notice a change of
 * shape: when the calls' total array length, averaged over {@link #SHAPE_WINDOW} sampled calls, moves more than
 * {@link #SHAPE_FACTOR} times away from what the decision was measured on, the policy measures again (at most {@link #MAX_DECISIONS} decisions). A method
 * without array parameters left to its bytecode cannot change shape: it gets its plain bytecode back, with
 * nothing in between. Exceptions pass through unchanged; calls that throw are not timed.
 */
public final class MeasuredPolicy {
    static final int SAMPLES = 31;
    static final long WARM_CALLS = Long.getLong("numbat.policy.warmCalls", 20_000);
    static final long WARM_NANOS = 50_000_000L;
    static final int SHAPE_FACTOR = 4;
    static final int MAX_DECISIONS = 8;
    static final int SHAPE_WINDOW = 16;
    private static final MethodHandle ALTERNATE;
    static {
        try {
            ALTERNATE = MethodHandles.lookup().findVirtual(MeasuredPolicy.class, "alternate", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MethodRecord record;
    private final Dispatch dispatch;
    private final boolean hasArrays;
    private final MethodHandle measuring;
    private final MethodHandle watchNative;
    private final MethodHandle watchBytecode;
    private final Version nativeVersion = new Version(), bytecodeVersion = new Version();
    private int alternation; // unsynchronised: a lost update only changes which version a call runs
    private volatile boolean measuringNow;
    private int decisions;
    private long shapeSum, shapeCount, decidedShape;
    private long windowSum, windowCount;

    /** Samples of one version during one measurement (also {@link VersionChoice}'s). */
    static final class Version {
        long calls, timedNanos;
        final long[] samples = new long[SAMPLES];
        int n;

        void reset() { calls = timedNanos = n = 0; }

        double median() {
            long[] s = Arrays.copyOf(samples, n);
            Arrays.sort(s);
            return s[n / 2];
        }
    }

    private MeasuredPolicy(MethodRecord record, Dispatch dispatch, MethodHandle nativeCode, MethodHandle bytecode) {
        this.record = record;
        this.dispatch = dispatch;
        this.hasArrays = nativeCode.type().parameterList().stream().anyMatch(Class::isArray);
        MethodHandle alternate = MethodHandles.dropArguments(ALTERNATE.bindTo(this), 0, nativeCode.type().parameterList());
        this.measuring = MethodHandles.guardWithTest(alternate,
                CallTimer.timed(nativeCode, (t, t0, a) -> measured(true, t, t0, a)),
                CallTimer.timed(bytecode, (t, t0, a) -> measured(false, t, t0, a)));
        this.watchNative = CallTimer.sometimes(CallTimer.timed(nativeCode, (t, t0, a) -> watched(true, t, t0, a)), nativeCode);
        this.watchBytecode = CallTimer.sometimes(CallTimer.timed(bytecode, (t, t0, a) -> watched(false, t, t0, a)), bytecode);
    }

    /** Starts measuring {@code nativeCode} against {@code bytecode} (both of the method's own type) for {@code record}'s method. */
    public static MeasuredPolicy start(MethodRecord record, Dispatch dispatch, MethodHandle nativeCode, MethodHandle bytecode) {
        MeasuredPolicy p = new MeasuredPolicy(record, dispatch, nativeCode, bytecode);
        synchronized (p) {
            p.measure();
        }
        return p;
    }

    private void measure() {
        windowSum = windowCount = 0;
        nativeVersion.reset();
        bytecodeVersion.reset();
        shapeSum = shapeCount = 0;
        measuringNow = true;
        record.state("measuring");
        dispatch.route(measuring);
    }

    private boolean alternate() { return (alternation++ & 1) == 0; }

    private void measured(boolean nativeCode, Throwable thrown, long startNanos, Object[] arguments) {
        long nanos = System.nanoTime() - startNanos;
        record.count(nativeCode, nanos, 1);
        if (thrown == null && measuringNow) sample(nativeCode ? nativeVersion : bytecodeVersion, nanos, CallTimer.arrayElements(arguments));
    }

    private synchronized void sample(Version v, long nanos, long shape) {
        if (!measuringNow) return;
        v.calls++;
        v.timedNanos += nanos;
        if (v.calls <= WARM_CALLS && v.timedNanos < WARM_NANOS) return;
        if (v.n < SAMPLES) {
            v.samples[v.n++] = nanos;
            shapeSum += shape;
            shapeCount++;
        }
        if (nativeVersion.n == SAMPLES && bytecodeVersion.n == SAMPLES) decide();
    }

    private void decide() {
        measuringNow = false;
        decisions++;
        double nativeMedian = nativeVersion.median(), bytecodeMedian = bytecodeVersion.median();
        boolean keepNative = nativeMedian < bytecodeMedian;
        decidedShape = shapeSum / Math.max(1, shapeCount);
        String decision = keepNative ? "native" : "bytecode";
        record.decided(decision, nativeMedian, bytecodeMedian, hasArrays ? decidedShape : -1);
        Diagnostics.policy(record.method(), String.format(Locale.ROOT,
                "%s (median of %d timed calls each: native %,.0f ns, bytecode %,.0f ns%s)", decision, SAMPLES, nativeMedian,
                bytecodeMedian, hasArrays ? String.format(Locale.ROOT, "; arrays %,d elements", decidedShape) : ""));
        PolicyDecisionEvent.commit(record.method(), decision, nativeMedian, bytecodeMedian, hasArrays ? decidedShape : -1, SAMPLES);
        if (keepNative) dispatch.route(watchNative);
        else if (hasArrays) dispatch.route(watchBytecode);
        else dispatch.bytecode();
    }

    private void watched(boolean nativeCode, Throwable thrown, long startNanos, Object[] arguments) {
        long nanos = System.nanoTime() - startNanos;
        record.count(nativeCode, nanos, CallTimer.SAMPLE_EVERY);
        if (thrown == null && hasArrays) watchShape(CallTimer.arrayElements(arguments));
    }

    /**
     * Compares the mean total array length of the last {@link #SHAPE_WINDOW} sampled calls with the decision's: one
     * call's length says little when lengths vary from call to call, their mean does.
     */
    private synchronized void watchShape(long elements) {
        if (measuringNow) return;
        windowSum += elements;
        if (++windowCount < SHAPE_WINDOW) return;
        long mean = windowSum / windowCount;
        windowSum = windowCount = 0;
        if (mean > SHAPE_FACTOR * Math.max(1, decidedShape) || mean * SHAPE_FACTOR < decidedShape) reconsider(mean);
    }

    private synchronized void reconsider(long shape) {
        if (measuringNow || decisions >= MAX_DECISIONS) return;
        Diagnostics.policy(record.method(), String.format(Locale.ROOT, "measuring again (arrays of %,d elements on average over %d"
                + " sampled calls, the last decision was measured on %,d)", shape, SHAPE_WINDOW, decidedShape));
        measure();
    }
}
