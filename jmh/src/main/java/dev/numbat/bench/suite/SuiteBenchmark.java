package dev.numbat.bench.suite;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The benchmark suite of issue 4: one subclass per kernel, each with its benchmark methods
 * {@code <kernel><Variant>} (see {@link Variant}) and a {@code size} parameter of three values, chosen so that the
 * kernel's data fits in L1, in L2/L3, and only in DRAM (the subclasses say how much data each size is).
 *
 * <p>Before a fork measures anything, {@link #verify} runs the fork's variant once on the same inputs and compares
 * its results with HotSpot's: bit for bit for Numbat strict, parallel and the C twin; within
 * {@link #fastMathTolerance()} for fastMath. Kernels calling {@code Math.exp/log} ({@link #libmTolerance()} above
 * 0) are compared with HotSpot within that bound (HotSpot's intrinsics, Numbat's fdlibm code and the twin's C library
 * may each differ in the last bit), and Numbat parallel bit for bit with Numbat strict, the same compiler. A
 * difference fails the fork (JMH reports the message and goes on with the next benchmark).
 *
 * <p>The settings below are the defaults; {@code jmh/run-benchmarks.sh} passes its own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class SuiteBenchmark {

    /** Builds the inputs for the current {@code size}, the same every time (fixed seeds). */
    public abstract void prepare();

    /**
     * Calls the benchmark method of variant {@code v} once and returns what it computed (the return value and/or
     * copies of the arrays it wrote); arrays the kernel updates in place are put back as they were, so every
     * variant starts from the same inputs.
     */
    public abstract Object run(Variant v) throws Throwable;

    /** How far fastMath may stray from HotSpot (see {@link ResultCheck}). */
    protected double fastMathTolerance() {
        return 1e-12;
    }

    /** Above 0 for kernels calling {@code Math.exp/log}: how far any variant may stray from HotSpot (and the twin). */
    protected double libmTolerance() {
        return 0;
    }

    @Setup(Level.Trial)
    public void setUpTrial(BenchmarkParams params) throws Throwable {
        prepare();
        verify(Variant.of(params));
    }

    /** Checks variant {@code v} against HotSpot (see the class comment); HotSpot itself is the reference. */
    public void verify(Variant v) throws Throwable {
        if (v == Variant.HOTSPOT) return;
        String what = getClass().getSimpleName() + " " + v.suffix + " against HotSpot";
        Object reference = run(Variant.HOTSPOT);
        Object result = run(v);
        if (v == Variant.FAST_MATH) {
            ResultCheck.check(what + " (fastMath tolerance " + fastMathTolerance() + ")", reference, result, fastMathTolerance());
            return;
        }
        ResultCheck.check(what + (libmTolerance() > 0 ? " (libm tolerance " + libmTolerance() + ")" : ""),
                reference, result, libmTolerance());
        if (libmTolerance() > 0 && v == Variant.PARALLEL) {
            Object strict;
            try {
                strict = run(Variant.NUMBAT);
            } catch (IllegalStateException refused) {
                System.err.println("SUITE-NOTE " + getClass().getSimpleName() + " " + v.suffix
                        + " not compared with Numbat strict: " + refused.getMessage());
                return;
            }
            ResultCheck.check(getClass().getSimpleName() + " " + v.suffix + " against Numbat strict", strict, result, 0);
        }
    }

    /** For {@link #run}: a variant this kernel does not have. */
    protected final UnsupportedOperationException noSuchVariant(Variant v) {
        return new UnsupportedOperationException(getClass().getSimpleName() + " has no " + v.suffix + " variant");
    }
}
