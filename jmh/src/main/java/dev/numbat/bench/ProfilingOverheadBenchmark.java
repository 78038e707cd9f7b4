package dev.numbat.bench;

import dev.numbat.profiler.ProfiledTwin;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What profiling costs while a method runs as its instrumented twin (issue target: at most 30% over plain
 * bytecode): the same kernels called plainly (HotSpot), as the twin's plain copy, and as its profiled copy,
 * whose profile never gets hot here (threshold {@code Long.MAX_VALUE}), so it keeps counting. No agent needed.
 * A loop with a branch per element ({@code branchy}), a loop of 5 iterations entered once per element
 * ({@code shortLoops}, where recording each entry's trip count weighs most), and a tiny method with no loop
 * ({@code tiny}), where the per-call work of the profile (an invocation count, a flush) weighs most.
 *
 * <p>{@code branchy}'s divisor is a constant of the kernel, not an argument: with {@code branchy(a, 16)} the HotSpot
 * and plain-twin calls were inlined into the benchmark method, where C2 turned {@code i % 16} into a mask, while the
 * profiled twin, whose compiled code (entry and flush inlined, about 3.9 KB) exceeds C2's {@code InlineSmallCode}
 * (2,500 bytes), was not ("already compiled into a big method") and ran an {@code idiv} per element: 3.2x at
 * n = 1,000, and +5% at n = 10,000 only because there the twin happened to be compiled before its entry and flush
 * were hot enough to be inlined into it, so stayed small and was inlined. That measured the call site's constant,
 * not profiling; with the divisor in the kernel each variant runs the same loop whether inlined or not.
 * {@code branchyArgument} keeps the old form, divisor passed as a constant 16, to show that effect: it is a real
 * cost of profiled mode (until the method is hot) wherever callers pass constants.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ProfilingOverheadBenchmark {

    /** The kernels; one class, so both twins are its nestmates. */
    public static final class Kernels {
        private Kernels() {}

        static MethodHandles.Lookup lookup() { return MethodHandles.lookup(); }

        public static double branchy(double[] a) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
                if (i % 16 == 0) s += Math.sqrt(Math.abs(a[i]));
                else s += a[i] * 0.5;
            }
            return s;
        }

        /** branchy with its divisor as an argument. */
        public static double branchyArgument(double[] a, int every) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
                if (i % every == 0) s += Math.sqrt(Math.abs(a[i]));
                else s += a[i] * 0.5;
            }
            return s;
        }

        /** A loop of 5 iterations entered once per element: what recording each entry's trip count costs. */
        public static double shortLoops(double[] a) {
            double s = 0;
            for (int i = 0; i + 5 <= a.length; i++) {
                for (int k = 0; k < 5; k++) s += a[i + k] * (k + 1);
            }
            return s;
        }

        public static long tiny(long x, int y) {
            return (x * 31 + y) ^ (x >>> 7);
        }
    }

    private static final MethodHandle BRANCHY_PROFILED, BRANCHY_PLAIN, ARGUMENT_PROFILED, ARGUMENT_PLAIN, TINY_PROFILED,
            SHORT_PROFILED, SHORT_PLAIN;
    static {
        try {
            ProfiledTwin b = ProfiledTwin.define(Kernels.lookup(), "branchy", "([D)D", null, Long.MAX_VALUE);
            BRANCHY_PROFILED = b.profiled();
            BRANCHY_PLAIN = b.plain();
            ProfiledTwin g = ProfiledTwin.define(Kernels.lookup(), "branchyArgument", "([DI)D", null, Long.MAX_VALUE);
            ARGUMENT_PROFILED = g.profiled();
            ARGUMENT_PLAIN = g.plain();
            ProfiledTwin s = ProfiledTwin.define(Kernels.lookup(), "shortLoops", "([D)D", null, Long.MAX_VALUE);
            SHORT_PROFILED = s.profiled();
            SHORT_PLAIN = s.plain();
            TINY_PROFILED = ProfiledTwin.define(Kernels.lookup(), "tiny", "(JI)J", null, Long.MAX_VALUE).profiled();
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Param({"1000"})
    public int n;
    private double[] a;
    private long x = 12345;

    @Setup
    public void setUp() {
        a = new java.util.Random(1).doubles(n, -1, 1).toArray();
    }

    @Benchmark public double branchyHotSpot() { return Kernels.branchy(a); }

    @Benchmark public double branchyTwinPlain() throws Throwable { return (double) BRANCHY_PLAIN.invokeExact(a); }

    @Benchmark public double branchyProfiled() throws Throwable { return (double) BRANCHY_PROFILED.invokeExact(a); }

    @Benchmark public double branchyArgumentHotSpot() { return Kernels.branchyArgument(a, 16); }

    @Benchmark public double branchyArgumentTwinPlain() throws Throwable { return (double) ARGUMENT_PLAIN.invokeExact(a, 16); }

    @Benchmark public double branchyArgumentProfiled() throws Throwable { return (double) ARGUMENT_PROFILED.invokeExact(a, 16); }

    @Benchmark public double shortLoopsHotSpot() { return Kernels.shortLoops(a); }

    @Benchmark public double shortLoopsTwinPlain() throws Throwable { return (double) SHORT_PLAIN.invokeExact(a); }

    @Benchmark public double shortLoopsProfiled() throws Throwable { return (double) SHORT_PROFILED.invokeExact(a); }

    @Benchmark public long tinyHotSpot() { return x = Kernels.tiny(x, 7); }

    @Benchmark public long tinyProfiled() throws Throwable { return x = (long) TINY_PROFILED.invokeExact(x, 7); }
}
