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
 * What the profile's argument facts buy (docs/profiler.md, "Specialised to the arguments seen"): a 1-D convolution
 * whose filter always had 5 taps and whose arrays were never the same array, compiled by Numbat with the profile of
 * its twin (a version with {@code taps.length == 5} and the arrays {@code noalias}, behind a guard) and, as an
 * identical copy, without one; HotSpot for reference. No agent needed.
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

        public static void convolveUnprofiled(double[] x, double[] taps, double[] y) {
            for (int i = 0; i < y.length; i++) {
                double s = 0;
                for (int k = 0; k < taps.length; k++) s += taps[k] * x[i + k];
                y[i] = s;
            }
        }
    }

    private static final int N = 4096, TAPS = 5;
    private static final double[] X = new SplittableRandom(1).doubles(N + TAPS - 1, -1, 1).toArray();
    private static final double[] FILTER = {0.1, 0.2, 0.4, 0.2, 0.1};
    private final double[] y = new double[N];
    private static final MethodHandle PROFILED, UNPROFILED;
    static {
        try {
            ProfiledTwin twin = ProfiledTwin.define(Kernels.lookup(), "convolve", "([D[D[D)V", null, Long.MAX_VALUE);
            double[] out = new double[N];
            for (int k = 0; k < 20; k++) twin.profiled().invokeExact(X, FILTER, out);
            PROFILED = CompilerDriver.shared().compile(
                    Kernels.class.getMethod("convolve", double[].class, double[].class, double[].class), twin.profile()).handle();
            UNPROFILED = Numbat.compile(Kernels.class.getMethod("convolveUnprofiled", double[].class, double[].class, double[].class));
        } catch (Throwable e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Setup
    public void check() throws Throwable {
        double[] h = new double[N], p = new double[N], u = new double[N];
        Kernels.convolve(X, FILTER, h);
        PROFILED.invokeExact(X, FILTER, p);
        UNPROFILED.invokeExact(X, FILTER, u);
        if (!Arrays.equals(h, p) || !Arrays.equals(h, u)) throw new AssertionError("results differ from HotSpot's");
    }

    @Benchmark public double[] hotSpot() {
        Kernels.convolve(X, FILTER, y);
        return y;
    }

    @Benchmark public double[] numbatWithProfile() throws Throwable {
        PROFILED.invokeExact(X, FILTER, y);
        return y;
    }

    @Benchmark public double[] numbatWithoutProfile() throws Throwable {
        UNPROFILED.invokeExact(X, FILTER, y);
        return y;
    }
}
