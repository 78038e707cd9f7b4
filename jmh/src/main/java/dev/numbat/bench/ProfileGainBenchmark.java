package dev.numbat.bench;

import dev.numbat.Numbat;
import dev.numbat.profiler.ProfiledTwin;
import dev.numbat.runtime.CompilerDriver;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
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
 * What the profile itself buys: one kernel whose rare branch is heavy (4 elements in 1,000 run an inner loop),
 * compiled by Numbat with the profile of its twin (branch weights, docs/profiler.md) and, as an identical copy,
 * without one; HotSpot for reference. No agent needed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ProfileGainBenchmark {

    /** The kernel twice: one copy compiled with a profile, one without (a method compiles once). */
    public static final class Kernels {
        private Kernels() {}

        static MethodHandles.Lookup lookup() { return MethodHandles.lookup(); }

        public static double rareHeavy(double[] a, int steps) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
                if (a[i] > 1000) {
                    double t = a[i];
                    for (int k = 0; k < steps; k++) t = Math.sqrt(t * t + k);
                    s += t;
                } else {
                    s += a[i] * 0.5;
                }
            }
            return s;
        }

        public static double rareHeavyUnprofiled(double[] a, int steps) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
                if (a[i] > 1000) {
                    double t = a[i];
                    for (int k = 0; k < steps; k++) t = Math.sqrt(t * t + k);
                    s += t;
                } else {
                    s += a[i] * 0.5;
                }
            }
            return s;
        }
    }

    private static final int N = 100_000;
    private static final double[] DATA = new double[N];
    private static final MethodHandle PROFILED, UNPROFILED;
    static {
        for (int i = 0; i < N; i++) DATA[i] = i % 250 == 7 ? 5000 + i : (i % 100) * 0.5;
        try {
            ProfiledTwin twin = ProfiledTwin.define(Kernels.lookup(), "rareHeavy", "([DI)D", null, Long.MAX_VALUE);
            for (int k = 0; k < 20; k++) {
                double r = (double) twin.profiled().invokeExact(DATA, 20);
            }
            PROFILED = CompilerDriver.shared().compile(Kernels.class.getMethod("rareHeavy", double[].class, int.class), twin.profile()).handle();
            UNPROFILED = Numbat.compile(Kernels.class.getMethod("rareHeavyUnprofiled", double[].class, int.class));
        } catch (Throwable e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Setup
    public void check() throws Throwable {
        double h = Kernels.rareHeavy(DATA, 20), p = (double) PROFILED.invokeExact(DATA, 20), u = (double) UNPROFILED.invokeExact(DATA, 20);
        if (h != p || h != u) throw new AssertionError(h + " " + p + " " + u);
    }

    @Benchmark public double hotSpot() { return Kernels.rareHeavy(DATA, 20); }

    @Benchmark public double numbatWithProfile() throws Throwable { return (double) PROFILED.invokeExact(DATA, 20); }

    @Benchmark public double numbatWithoutProfile() throws Throwable { return (double) UNPROFILED.invokeExact(DATA, 20); }
}
