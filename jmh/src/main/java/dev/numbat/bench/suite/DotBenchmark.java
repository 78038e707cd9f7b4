package dev.numbat.bench.suite;

import dev.numbat.kernels.ArrayKernels;
import java.lang.invoke.MethodHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/** {@link ArrayKernels#dot}: a strict reduction, which no compiler may vectorise without fastMath. */
public class DotBenchmark extends SuiteBenchmark {
    private static final MethodHandle NUMBAT = KernelHandles.numbat(ArrayKernels.class, "dot", double[].class, double[].class);
    private static final MethodHandle FAST_MATH = KernelHandles.numbat(ArrayKernels.class, "dotFastMath", double[].class, double[].class);

    /** Bound when first used, so that only the forks measuring the twin load clang. */
    private static final class Twin {
        static final MethodHandle DOT = KernelHandles.clang("dot", double.class, double[].class, double[].class);
    }

    /** Elements of each of the two arrays: 16 KiB (L1), 1 MiB (L2), 64 MiB (DRAM) of data. */
    @Param({"1024", "65536", "4194304"})
    public int size;

    private double[] a, b;

    @Override
    public void prepare() {
        a = TestData.doubles(size, 1, -1, 1);
        b = TestData.doubles(size, 2, -1, 1);
    }

    @Override
    public Object run(Variant v) throws Throwable {
        return switch (v) {
            case HOTSPOT -> dotHotSpot();
            case NUMBAT -> dotNumbat();
            case FAST_MATH -> dotNumbatFastMath();
            case CLANG -> dotClang();
            case PARALLEL -> throw noSuchVariant(v);
        };
    }

    @Override
    protected double fastMathTolerance() {
        return 1e-13 * size;
    }

    @Benchmark
    public double dotHotSpot() {
        return ArrayKernels.dot(a, b);
    }

    @Benchmark
    public double dotNumbat() throws Throwable {
        return (double) NUMBAT.invokeExact(a, b);
    }

    @Benchmark
    public double dotNumbatFastMath() throws Throwable {
        return (double) FAST_MATH.invokeExact(a, b);
    }

    @Benchmark
    public double dotClang() throws Throwable {
        return (double) Twin.DOT.invokeExact(a, b);
    }
}
