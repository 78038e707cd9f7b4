package dev.numbat.bench.suite;

import dev.numbat.kernels.SparseKernels;
import java.lang.invoke.MethodHandle;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * {@link SparseKernels#spmv} of a square matrix with {@value #PER_ROW} entries per row in random columns: an
 * indirect load of {@code x} per entry.
 */
public class SpmvBenchmark extends SuiteBenchmark {
    static final int PER_ROW = 16;

    private static final Class<?> I = int[].class, D = double[].class;
    private static final MethodHandle NUMBAT = KernelHandles.numbat(SparseKernels.class, "spmv", I, I, D, D, D);
    private static final MethodHandle FAST_MATH = KernelHandles.numbat(SparseKernels.class, "spmvFastMath", I, I, D, D, D);
    private static final MethodHandle PARALLEL = KernelHandles.numbat(SparseKernels.class, "spmvParallel", I, I, D, D, D);

    private static final class Twin {
        static final MethodHandle SPMV = KernelHandles.clang("spmv", void.class, I, I, D, D, D);
    }

    /** Rows: matrix, x and y of 27 KiB (L1), 1.7 MiB (L2), 108 MiB (DRAM) together. */
    @Param({"128", "8192", "524288"})
    public int size;

    private int[] rowPtr, cols;
    private double[] vals, x, y;

    @Override
    public void prepare() {
        SplittableRandom r = new SplittableRandom(22);
        rowPtr = new int[size + 1];
        cols = new int[size * PER_ROW];
        for (int row = 0; row < size; row++) {
            rowPtr[row + 1] = rowPtr[row] + PER_ROW;
            for (int p = rowPtr[row]; p < rowPtr[row + 1]; p++) cols[p] = r.nextInt(size);
        }
        vals = TestData.doubles(size * PER_ROW, 23, -1, 1);
        x = TestData.doubles(size, 24, -1, 1);
        y = new double[size];
    }

    @Override
    public Object run(Variant v) throws Throwable {
        java.util.Arrays.fill(y, 0.0);
        switch (v) {
            case HOTSPOT -> spmvHotSpot();
            case NUMBAT -> spmvNumbat();
            case FAST_MATH -> spmvNumbatFastMath();
            case PARALLEL -> spmvNumbatParallel();
            case CLANG -> spmvClang();
        }
        return y.clone();
    }

    @Benchmark
    public void spmvHotSpot() {
        SparseKernels.spmv(rowPtr, cols, vals, x, y);
    }

    @Benchmark
    public void spmvNumbat() throws Throwable {
        NUMBAT.invokeExact(rowPtr, cols, vals, x, y);
    }

    @Benchmark
    public void spmvNumbatFastMath() throws Throwable {
        FAST_MATH.invokeExact(rowPtr, cols, vals, x, y);
    }

    @Benchmark
    public void spmvNumbatParallel() throws Throwable {
        PARALLEL.invokeExact(rowPtr, cols, vals, x, y);
    }

    @Benchmark
    public void spmvClang() throws Throwable {
        Twin.SPMV.invokeExact(rowPtr, cols, vals, x, y);
    }
}
