package dev.numbat.bench;

import dev.numbat.bench.suite.KernelHandles;
import dev.numbat.bench.suite.TestData;
import dev.numbat.kernels.ArrayKernels;
import java.lang.invoke.MethodHandle;
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
 * {@code Math.sin} and {@code Math.cos} ({@link ArrayKernels#polar}, angles in [-10, 10]), {@code Math.tan}
 * ({@link ArrayKernels#slopes}, the same angles) and {@code Math.pow}
 * ({@link ArrayKernels#gamma}, values in [0, 1] to the power 2.2) in loops: HotSpot (its own intrinsics), Numbat
 * (fdlibm's code in vectors, docs/performance.md) and the C twins (glibc's functions, lane by lane, which is what
 * Numbat called before). The set-up checks that Numbat's results are {@code StrictMath}'s bit for bit and fails the
 * fork otherwise.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MathLoopsBenchmark {
    private static final MethodHandle POLAR = KernelHandles.numbat(ArrayKernels.class, "polar",
            double[].class, double[].class, double[].class, double[].class);
    private static final MethodHandle GAMMA = KernelHandles.numbat(ArrayKernels.class, "gamma",
            double[].class, double.class, double[].class);
    private static final MethodHandle SLOPES = KernelHandles.numbat(ArrayKernels.class, "slopes", double[].class, double[].class);

    private static final class Twin {
        static final MethodHandle POLAR = KernelHandles.clang("polar", void.class,
                double[].class, double[].class, double[].class, double[].class);
        static final MethodHandle GAMMA = KernelHandles.clang("gamma", void.class, double[].class, double.class, double[].class);
        static final MethodHandle SLOPES = KernelHandles.clang("slopes", void.class, double[].class, double[].class);
    }

    /** Elements: 32 KiB (L1) and 2 MiB (L2/L3) of input and output. */
    @Param({"1024", "65536"})
    public int size;

    private double[] r, theta, x, y, v, corrected, slope;
    private final double g = 2.2;

    @Setup
    public void prepare() throws Throwable {
        r = TestData.doubles(size, 21, 0, 2);
        theta = TestData.doubles(size, 22, -10, 10);
        x = new double[size];
        y = new double[size];
        POLAR.invokeExact(r, theta, x, y);
        for (int i = 0; i < size; i++) {
            if (x[i] != r[i] * StrictMath.cos(theta[i]) || y[i] != r[i] * StrictMath.sin(theta[i])) {
                throw new IllegalStateException("Numbat's polar differs from StrictMath's at " + theta[i]);
            }
        }
        slope = new double[size];
        SLOPES.invokeExact(theta, slope);
        for (int i = 0; i < size; i++) {
            if (slope[i] != StrictMath.tan(theta[i])) {
                throw new IllegalStateException("Numbat's slopes differ from StrictMath's at " + theta[i]);
            }
        }
        v = TestData.doubles(size, 23, 0, 1);
        corrected = new double[size];
        GAMMA.invokeExact(v, g, corrected);
        for (int i = 0; i < size; i++) {
            if (corrected[i] != StrictMath.pow(v[i], g)) {
                throw new IllegalStateException("Numbat's gamma differs from StrictMath's at " + v[i]);
            }
        }
    }

    @Benchmark
    public void polarHotSpot() {
        ArrayKernels.polar(r, theta, x, y);
    }

    @Benchmark
    public void polarNumbat() throws Throwable {
        POLAR.invokeExact(r, theta, x, y);
    }

    @Benchmark
    public void slopesHotSpot() {
        ArrayKernels.slopes(theta, slope);
    }

    @Benchmark
    public void slopesNumbat() throws Throwable {
        SLOPES.invokeExact(theta, slope);
    }

    @Benchmark
    public void slopesClang() throws Throwable {
        Twin.SLOPES.invokeExact(theta, slope);
    }

    @Benchmark
    public void gammaHotSpot() {
        ArrayKernels.gamma(v, g, corrected);
    }

    @Benchmark
    public void gammaNumbat() throws Throwable {
        GAMMA.invokeExact(v, g, corrected);
    }

    @Benchmark
    public void gammaClang() throws Throwable {
        Twin.GAMMA.invokeExact(v, g, corrected);
    }

    @Benchmark
    public void polarClang() throws Throwable {
        Twin.POLAR.invokeExact(r, theta, x, y);
    }
}
