package dev.numbat.bench.suite;

import dev.numbat.kernels.GridKernels;
import java.lang.invoke.MethodHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * {@link GridKernels#matmul}, the naive i-j-k product of two {@code n * n} matrices (a strict dot product per
 * element, down a column of {@code b}).
 */
public class MatmulBenchmark extends SuiteBenchmark {
    private static final MethodHandle NUMBAT = KernelHandles.numbat(GridKernels.class, "matmul", double[].class, double[].class, double[].class, int.class);
    private static final MethodHandle FAST_MATH = KernelHandles.numbat(GridKernels.class, "matmulFastMath", double[].class, double[].class, double[].class, int.class);
    private static final MethodHandle PARALLEL = KernelHandles.numbat(GridKernels.class, "matmulParallel", double[].class, double[].class, double[].class, int.class);

    private static final class Twin {
        static final MethodHandle MATMUL = KernelHandles.clang("matmul", void.class, double[].class, double[].class, double[].class, int.class);
    }

    /**
     * {@code n}: three matrices of 24 KiB (L1), 1.5 MiB (L2) and 24 MiB. The largest is beyond L2 but not beyond
     * the 32 MiB L3: it already takes about 4 s per call (a column of {@code b} at a power-of-two stride), and
     * {@code n = 2048} (96 MiB) would take over 30 s, n³ work being what it is.
     */
    @Param({"32", "256", "1024"})
    public int size;

    private double[] a, b, c;

    @Override
    public void prepare() {
        a = TestData.doubles(size * size, 10, -1, 1);
        b = TestData.doubles(size * size, 11, -1, 1);
        c = new double[size * size];
    }

    @Override
    public Object run(Variant v) throws Throwable {
        java.util.Arrays.fill(c, 0.0);
        switch (v) {
            case HOTSPOT -> matmulHotSpot();
            case NUMBAT -> matmulNumbat();
            case FAST_MATH -> matmulNumbatFastMath();
            case PARALLEL -> matmulNumbatParallel();
            case CLANG -> matmulClang();
        }
        return c.clone();
    }

    @Override
    protected double fastMathTolerance() {
        return 1e-13 * size;
    }

    @Benchmark
    public void matmulHotSpot() {
        GridKernels.matmul(a, b, c, size);
    }

    @Benchmark
    public void matmulNumbat() throws Throwable {
        NUMBAT.invokeExact(a, b, c, size);
    }

    @Benchmark
    public void matmulNumbatFastMath() throws Throwable {
        FAST_MATH.invokeExact(a, b, c, size);
    }

    @Benchmark
    public void matmulNumbatParallel() throws Throwable {
        PARALLEL.invokeExact(a, b, c, size);
    }

    @Benchmark
    public void matmulClang() throws Throwable {
        Twin.MATMUL.invokeExact(a, b, c, size);
    }
}
