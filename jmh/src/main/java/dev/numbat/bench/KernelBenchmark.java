package dev.numbat.bench;

import dev.numbat.Numbat;
import dev.numbat.kernels.Kernels;
import java.lang.invoke.MethodHandle;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HotSpot against Numbat on the same kernels ({@link Kernels}) and the same arrays: each
 * {@code xxxHotSpot} method calls the Java method (run by C2), each {@code xxxNumbat} calls the native
 * code Numbat compiled from it, through the {@link MethodHandle} {@link Numbat#compile} returned.
 *
 * <p>The handles live in {@code static final} fields, which is how an application would keep them:
 * C2 treats them as constants and inlines the downcall's adapter chain. They are compiled when JMH
 * first instantiates this state, in the forked JVM, before any warm-up. {@link #dotNumbatInstanceField}
 * shows what a handle in an ordinary (even {@code final}) instance field costs instead: C2 does not
 * trust instance fields as constants, so every call goes through the handle's generic invoker.
 * {@link #dotNumbatFastMath} runs {@link Kernels#dotFastMath}, the same loop compiled with
 * {@code fastMath}, to show what Java's strict left-to-right sum costs.
 *
 * <p>Kernels: {@code dot} and {@code sum} over {@code double[]}, {@code saxpy} over {@code float[]}
 * ({@code y = a * x + y}, in place). All strict (no {@code fastMath}): results are bit-for-bit the JVM's,
 * which {@link #setUp} checks before measuring.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class KernelBenchmark {
    private static final MethodHandle DOT;
    private static final MethodHandle DOT_FAST_MATH;
    private static final MethodHandle SAXPY;
    private static final MethodHandle SUM;

    static {
        try {
            DOT = Numbat.compile(Kernels.class.getMethod("dot", double[].class, double[].class));
            DOT_FAST_MATH = Numbat.compile(Kernels.class.getMethod("dotFastMath", double[].class, double[].class));
            SAXPY = Numbat.compile(Kernels.class.getMethod("saxpy", float.class, float[].class, float[].class));
            SUM = Numbat.compile(Kernels.class.getMethod("sum", double[].class));
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The same handle as {@link #DOT}, in a final instance field: not a constant to C2. */
    private final MethodHandle dotInstance = DOT;

    @Param({"1024", "65536", "4194304"})
    public int size;

    private double[] a;
    private double[] b;
    private float[] x;
    private float[] y;
    private float alpha;

    @Setup(Level.Trial)
    public void setUp() throws Throwable {
        SplittableRandom r = new SplittableRandom(42);
        alpha = 0.5f;
        a = new double[size];
        b = new double[size];
        x = new float[size];
        y = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = r.nextDouble(-1.0, 1.0);
            b[i] = r.nextDouble(-1.0, 1.0);
            x[i] = (float) r.nextDouble(-1.0, 1.0);
            y[i] = (float) r.nextDouble(-1.0, 1.0);
        }
        // Measure nothing that is wrong.
        check("dot", Kernels.dot(a, b), (double) DOT.invokeExact(a, b));
        check("sum", Kernels.sum(a), (double) SUM.invokeExact(a));
        double fast = (double) DOT_FAST_MATH.invokeExact(a, b), strict = Kernels.dot(a, b);
        if (!(Math.abs(fast - strict) <= 1e-12 * size)) {
            throw new AssertionError("dotFastMath: Numbat gives " + fast + ", far from the JVM's " + strict);
        }
        float[] y1 = y.clone(), y2 = y.clone();
        Kernels.saxpy(alpha, x, y1);
        SAXPY.invokeExact(alpha, x, y2);
        if (!java.util.Arrays.equals(y1, y2)) throw new AssertionError("saxpy: Numbat differs from the JVM");
    }

    private static void check(String kernel, double jvm, double numbat) {
        if (Double.doubleToRawLongBits(jvm) != Double.doubleToRawLongBits(numbat)) {
            throw new AssertionError(kernel + ": Numbat gives " + numbat + ", the JVM " + jvm);
        }
    }

    @Benchmark
    public double dotHotSpot() {
        return Kernels.dot(a, b);
    }

    @Benchmark
    public double dotNumbat() throws Throwable {
        return (double) DOT.invokeExact(a, b);
    }

    @Benchmark
    public double dotNumbatInstanceField() throws Throwable {
        return (double) dotInstance.invokeExact(a, b);
    }

    /** Not the same semantics: reassociated sum, may differ in the last bits (see {@link Kernels#dotFastMath}). */
    @Benchmark
    public double dotNumbatFastMath() throws Throwable {
        return (double) DOT_FAST_MATH.invokeExact(a, b);
    }

    @Benchmark
    public void saxpyHotSpot() {
        Kernels.saxpy(alpha, x, y);
    }

    @Benchmark
    public void saxpyNumbat() throws Throwable {
        SAXPY.invokeExact(alpha, x, y);
    }

    @Benchmark
    public double sumHotSpot() {
        return Kernels.sum(a);
    }

    @Benchmark
    public double sumNumbat() throws Throwable {
        return (double) SUM.invokeExact(a);
    }
}
