package dev.numbat.kernels;

import dev.numbat.Jit;

/**
 * Sparse matrix-vector product in CSR form (issue 4's benchmark suite): row {@code r} of the matrix holds the
 * values {@code vals[rowPtr[r] .. rowPtr[r + 1] - 1]} in the columns {@code cols[...]} at the same positions.
 * C twin: {@code jmh/src/main/c/sparse_kernels.c}.
 */
public final class SparseKernels {
    private SparseKernels() {}

    /** {@code y = A x}, each row's products summed left to right. {@code y.length} is the number of rows. */
    @Jit
    public static void spmv(int[] rowPtr, int[] cols, double[] vals, double[] x, double[] y) {
        for (int r = 0; r < y.length; r++) {
            double s = 0.0;
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
                s += vals[p] * x[cols[p]];
            }
            y[r] = s;
        }
    }

    /** {@link #spmv} with {@code fastMath}: each row's sum may be reassociated. */
    @Jit(fastMath = true)
    public static void spmvFastMath(int[] rowPtr, int[] cols, double[] vals, double[] x, double[] y) {
        for (int r = 0; r < y.length; r++) {
            double s = 0.0;
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
                s += vals[p] * x[cols[p]];
            }
            y[r] = s;
        }
    }

    /** {@link #spmv}, its row loop marked parallel. */
    @Jit(parallel = true)
    public static void spmvParallel(int[] rowPtr, int[] cols, double[] vals, double[] x, double[] y) {
        for (int r = 0; r < y.length; r++) {
            double s = 0.0;
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
                s += vals[p] * x[cols[p]];
            }
            y[r] = s;
        }
    }
}
