package dev.numbat.bench;

import dev.numbat.Numbat;
import dev.numbat.profiler.ProfiledTwin;
import dev.numbat.runtime.CompilerDriver;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the profile's argument facts and trip counts buy (docs/profiler.md, "The profile in the compiled code"): a
 * 1-D convolution of 4,096 outputs, compiled by Numbat with the profile of its twin and, as an identical copy,
 * without one; HotSpot for reference. No agent needed.
 * <ul>
 *   <li>{@code fixed}: the filter always had 5 taps while profiled: a version with {@code taps.length == 5} (the
 *       inner loop unrolled) and the arrays {@code noalias}, behind a guard.</li>
 *   <li>{@code varied}: filters of 4, 5 and 6 taps in turn (one operation is one call of each): no length fact for
 *       the filter, but the inner loop's branch weights say it runs about 5 times.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SpecialisationGainBenchmark {

    /** The kernel twice: one copy compiled with a profile, one without (a method compiles once). */
    public static final class Kernels {
        private Kernels() {}

        static MethodHandles.Lookup lookup() { return MethodHandles.lookup(); }

        /** {@code y[i] = taps[0] * x[i] + ... + taps[t - 1] * x[i + t - 1]}, in that order. */
        public static void convolve(double[] x, double[] taps, double[] y) {
            for (int i = 0; i < y.length; i++) {
                double s = 0;
                for (int k = 0; k < taps.length; k++) s += taps[k] * x[i + k];
                y[i] = s;
            }
        }

        public static void convolveVaried(double[] x, double[] taps, double[] y) {
            for (int i = 0; i < y.length; i++) {
                double s = 0;
                for (int k = 0; k < taps.length; k++) s += taps[k] * x[i + k];
                y[i] = s;
            }
        }

        public static void convolveUnprofiled(double[] x, double[] taps, double[] y) {
            for (int i = 0; i < y.length; i++) {
                double s = 0;
                for (int k = 0; k < taps.length; k++) s += taps[k] * x[i + k];
                y[i] = s;
            }
        }
    }

    private static final int N = 4096;
    private static final double[] X = new SplittableRandom(1).doubles(N + 5, -1, 1).toArray();
    private static final double[] FILTER = {0.1, 0.2, 0.4, 0.2, 0.1};
    private static final double[][] FILTERS = {{0.25, 0.25, 0.25, 0.25}, FILTER, {0.1, 0.1, 0.3, 0.3, 0.1, 0.1}};
    private final double[] y = new double[N];
    private static final MethodHandle FIXED, VARIED, UNPROFILED;
    static {
        try {
            Class<?>[] params = {double[].class, double[].class, double[].class};
            ProfiledTwin fixed = ProfiledTwin.define(Kernels.lookup(), "convolve", "([D[D[D)V", null, Long.MAX_VALUE);
            ProfiledTwin varied = ProfiledTwin.define(Kernels.lookup(), "convolveVaried", "([D[D[D)V", null, Long.MAX_VALUE);
            double[] out = new double[N];
            for (int k = 0; k < 30; k++) {
                fixed.profiled().invokeExact(X, FILTER, out);
                varied.profiled().invokeExact(X, FILTERS[k % 3], out);
            }
            FIXED = CompilerDriver.shared().compile(Kernels.class.getMethod("convolve", params), fixed.profile()).handle();
            VARIED = CompilerDriver.shared().compile(Kernels.class.getMethod("convolveVaried", params), varied.profile()).handle();
            UNPROFILED = Numbat.compile(Kernels.class.getMethod("convolveUnprofiled", params));
        } catch (Throwable e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Setup
    public void check() throws Throwable {
        for (double[] f : FILTERS) {
            double[] h = new double[N], p = new double[N], v = new double[N], u = new double[N];
            Kernels.convolve(X, f, h);
            FIXED.invokeExact(X, f, p);
            VARIED.invokeExact(X, f, v);
            UNPROFILED.invokeExact(X, f, u);
            if (!Arrays.equals(h, p) || !Arrays.equals(h, v) || !Arrays.equals(h, u)) throw new AssertionError("results differ from HotSpot's");
        }
    }

    @Benchmark public double[] hotSpot() {
        Kernels.convolve(X, FILTER, y);
        return y;
    }

    @Benchmark public double[] numbatWithProfile() throws Throwable {
        FIXED.invokeExact(X, FILTER, y);
        return y;
    }

    @Benchmark public double[] numbatWithoutProfile() throws Throwable {
        UNPROFILED.invokeExact(X, FILTER, y);
        return y;
    }

    @Benchmark public double[] variedHotSpot() {
        for (double[] f : FILTERS) Kernels.convolve(X, f, y);
        return y;
    }

    @Benchmark public double[] variedNumbatWithProfile() throws Throwable {
        for (double[] f : FILTERS) VARIED.invokeExact(X, f, y);
        return y;
    }

    @Benchmark public double[] variedNumbatWithoutProfile() throws Throwable {
        for (double[] f : FILTERS) UNPROFILED.invokeExact(X, f, y);
        return y;
    }
}
