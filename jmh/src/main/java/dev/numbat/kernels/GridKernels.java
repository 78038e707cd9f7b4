package dev.numbat.kernels;

import dev.numbat.Jit;

/**
 * The two-dimensional kernels of the benchmark suite (issue 4), on row-major flat arrays: the 5-point stencil,
 * Mandelbrot and the naive matrix multiply. As in {@link ArrayKernels}, the strict method is also what HotSpot
 * runs, and the {@code FastMath} / {@code Parallel} copies have the same body. C twins:
 * {@code jmh/src/main/c/grid_kernels.c}.
 */
public final class GridKernels {
    private GridKernels() {}

    /**
     * One Jacobi step of the 5-point stencil over a {@code w * h} grid: every interior point of {@code out}
     * becomes the mean of the point and its four neighbours in {@code in}; the border of {@code out} is left.
     */
    @Jit
    public static void stencil5(double[] in, double[] out, int w, int h) {
        for (int y = 1; y < h - 1; y++) {
            int row = y * w;
            for (int x = 1; x < w - 1; x++) {
                int i = row + x;
                out[i] = 0.2 * (in[i] + in[i - 1] + in[i + 1] + in[i - w] + in[i + w]);
            }
        }
    }

    /** {@link #stencil5}, its row loop marked parallel. */
    @Jit(parallel = true)
    public static void stencil5Parallel(double[] in, double[] out, int w, int h) {
        for (int y = 1; y < h - 1; y++) {
            int row = y * w;
            for (int x = 1; x < w - 1; x++) {
                int i = row + x;
                out[i] = 0.2 * (in[i] + in[i - 1] + in[i + 1] + in[i - w] + in[i + w]);
            }
        }
    }

    /**
     * The Mandelbrot set over [-2, 1] x [-1.5, 1.5] sampled on a {@code w * h} grid: {@code out[y * w + x]} gets
     * the iterations before escape (at most {@code maxIter}); returns the total over all points.
     */
    @Jit
    public static int mandelbrot(int w, int h, int maxIter, int[] out) {
        int total = 0;
        for (int y = 0; y < h; y++) {
            double ci = -1.5 + 3.0 * y / h;
            for (int x = 0; x < w; x++) {
                double cr = -2.0 + 3.0 * x / w;
                double zr = 0.0, zi = 0.0;
                int n = 0;
                while (n < maxIter && zr * zr + zi * zi <= 4.0) {
                    double t = zr * zr - zi * zi + cr;
                    zi = 2.0 * zr * zi + ci;
                    zr = t;
                    n++;
                }
                out[y * w + x] = n;
                total += n;
            }
        }
        return total;
    }

    /** {@link #mandelbrot}, its row loop marked parallel (the total is an integer sum: any order gives the same). */
    @Jit(parallel = true)
    public static int mandelbrotParallel(int w, int h, int maxIter, int[] out) {
        int total = 0;
        for (int y = 0; y < h; y++) {
            double ci = -1.5 + 3.0 * y / h;
            for (int x = 0; x < w; x++) {
                double cr = -2.0 + 3.0 * x / w;
                double zr = 0.0, zi = 0.0;
                int n = 0;
                while (n < maxIter && zr * zr + zi * zi <= 4.0) {
                    double t = zr * zr - zi * zi + cr;
                    zi = 2.0 * zr * zi + ci;
                    zr = t;
                    n++;
                }
                out[y * w + x] = n;
                total += n;
            }
        }
        return total;
    }

    /**
     * {@code c = a * b} for {@code n * n} matrices, the textbook triple loop (i, j, k): each element is a dot
     * product of a row of {@code a} and a column of {@code b}, summed left to right.
     */
    @Jit
    public static void matmul(double[] a, double[] b, double[] c, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0.0;
                for (int k = 0; k < n; k++) {
                    s += a[i * n + k] * b[k * n + j];
                }
                c[i * n + j] = s;
            }
        }
    }

    /** {@link #matmul} with {@code fastMath}: each element's sum may be reassociated. */
    @Jit(fastMath = true)
    public static void matmulFastMath(double[] a, double[] b, double[] c, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0.0;
                for (int k = 0; k < n; k++) {
                    s += a[i * n + k] * b[k * n + j];
                }
                c[i * n + j] = s;
            }
        }
    }

    /** {@link #matmul}, its row loop marked parallel. */
    @Jit(parallel = true)
    public static void matmulParallel(double[] a, double[] b, double[] c, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0.0;
                for (int k = 0; k < n; k++) {
                    s += a[i * n + k] * b[k * n + j];
                }
                c[i * n + j] = s;
            }
        }
    }
}
