package dev.numbat.bench;

import dev.numbat.Jit;
import dev.numbat.MethodStatistics;
import dev.numbat.Numbat;
import dev.numbat.agent.NumbatAgent;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The measured never-slower policy through the agent ({@code @Jit(profile = true)}): each method is profiled,
 * compiled, measured against its bytecode and left to the faster version during warm-up, and the measured
 * iterations then show what the decision costs against a plain copy run by HotSpot.
 * <ul>
 *   <li>{@code tiny*}: a tiny method in a hot loop; HotSpot inlines it, so the policy should keep the bytecode and
 *       lose at most 5% against {@code tinyHotSpot};</li>
 *   <li>{@code dot*}: a {@code fastMath} dot product of 1M doubles, which native code vectorises and HotSpot may not
 *       (strict Java order): native code should win and stay.</li>
 * </ul>
 * Each fork prints the policy's lines ({@code -Dnumbat.verbose=true}) and, at the end, its statistics. Run from the
 * repository root (the agent's path is relative), as {@link DispatchBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-javaagent:agent/target/numbat-agent.jar", "-Dnumbat.verbose=true"})
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
public class PolicyBenchmark {
    static final int CALLS = 1000;
    static final int N = 1 << 20;

    /** The methods under test, and plain copies for HotSpot. */
    public static final class Kernels {
        private Kernels() {}

        @Jit(profile = true)
        public static long tiny(long x, int y) { return (x * 31 + y) ^ (x >>> 7); }

        public static long tinyPlain(long x, int y) { return (x * 31 + y) ^ (x >>> 7); }

        @Jit(profile = true, fastMath = true)
        public static double dot(double[] a, double[] b) {
            double s = 0;
            for (int i = 0; i < a.length; i++) s += a[i] * b[i];
            return s;
        }

        public static double dotPlain(double[] a, double[] b) {
            double s = 0;
            for (int i = 0; i < a.length; i++) s += a[i] * b[i];
            return s;
        }
    }

    private final double[] a = new double[N], b = new double[N];
    private long seed = 1;

    @Setup
    public void setUp() {
        if (!NumbatAgent.isInstalled()) throw new IllegalStateException("the Numbat agent is not installed: run from the repository root");
        for (int i = 0; i < N; i++) {
            a[i] = (i % 7) * 0.25;
            b[i] = (i % 5) * 0.5;
        }
    }

    @TearDown
    public void tearDown() {
        for (MethodStatistics s : Numbat.statistics()) System.out.println("# numbat statistics: " + s);
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long tinyHotSpot() {
        long x = seed;
        for (int i = 0; i < CALLS; i++) x = Kernels.tinyPlain(x, i);
        return seed = x;
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long tinyPolicy() {
        long x = seed;
        for (int i = 0; i < CALLS; i++) x = Kernels.tiny(x, i);
        return seed = x;
    }

    @Benchmark public double dotHotSpot() { return Kernels.dotPlain(a, b); }

    @Benchmark public double dotPolicy() { return Kernels.dot(a, b); }
}
