package dev.numbat.kernels;

import dev.numbat.Jit;

/**
 * The one-dimensional kernels of the benchmark suite (issue 4): dot, sum, saxpy, prefix sum, histogram and
 * Horner's polynomial. Each kernel's strict {@code @Jit} method is also what HotSpot runs (called directly);
 * the {@code FastMath} copies may reassociate or fuse (reductions, polynomials) and the {@code Parallel} copies
 * mark a loop whose iterations are independent. The copies have the same body as the strict method, so what
 * the benchmark compares is the compilation, not the algorithm. Their C twins are in
 * {@code jmh/src/main/c/array_kernels.c}, with the same operations in the same order.
 */
public final class ArrayKernels {
    private ArrayKernels() {}

    /** Dot product, summed strictly left to right. */
    @Jit
    public static double dot(double[] a, double[] b) {
        double s = 0.0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** {@link #dot} with {@code fastMath}: the sum may be reassociated (vectorised), so its last bits may differ. */
    @Jit(fastMath = true)
    public static double dotFastMath(double[] a, double[] b) {
        double s = 0.0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Sum, strictly left to right. */
    @Jit
    public static double sum(double[] a) {
        double s = 0.0;
        for (int i = 0; i < a.length; i++) {
            s += a[i];
        }
        return s;
    }

    /** {@link #sum} with {@code fastMath}. */
    @Jit(fastMath = true)
    public static double sumFastMath(double[] a) {
        double s = 0.0;
        for (int i = 0; i < a.length; i++) {
            s += a[i];
        }
        return s;
    }

    /** {@code y = a * x + y}, in place (two roundings: Java never fuses the multiply-add). */
    @Jit
    public static void saxpy(float a, float[] x, float[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] = a * x[i] + y[i];
        }
    }

    /** {@link #saxpy}, its loop marked parallel (every element is independent). */
    @Jit(parallel = true)
    public static void saxpyParallel(float a, float[] x, float[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] = a * x[i] + y[i];
        }
    }

    /** Inclusive prefix sum: {@code out[i] = a[0] + ... + a[i]}, added left to right. */
    @Jit
    public static void prefixSum(double[] a, double[] out) {
        double s = 0.0;
        for (int i = 0; i < a.length; i++) {
            s += a[i];
            out[i] = s;
        }
    }

    /**
     * Histogram of values in [0, 1) over {@code counts.length} equal bins; {@code counts} is cleared first, so
     * every call does the same work. A value outside [0, 1) throws (as the JVM's bounds check does); the
     * benchmark's values are all inside.
     */
    @Jit
    public static void histogram(double[] x, int[] counts) {
        int bins = counts.length;
        for (int b = 0; b < bins; b++) {
            counts[b] = 0;
        }
        for (int i = 0; i < x.length; i++) {
            int b = (int) (x[i] * bins);
            counts[b]++;
        }
    }

    /** {@code y[i] = c[0] + c[1] x[i] + ... + c[d] x[i]^d} by Horner's rule, with {@code d = c.length - 1}. */
    @Jit
    public static void horner(double[] c, double[] x, double[] y) {
        int d = c.length - 1;
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            double p = c[d];
            for (int k = d - 1; k >= 0; k--) {
                p = p * xi + c[k];
            }
            y[i] = p;
        }
    }

    /** {@link #horner} with {@code fastMath}: each step may become a fused multiply-add. */
    @Jit(fastMath = true)
    public static void hornerFastMath(double[] c, double[] x, double[] y) {
        int d = c.length - 1;
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            double p = c[d];
            for (int k = d - 1; k >= 0; k--) {
                p = p * xi + c[k];
            }
            y[i] = p;
        }
    }

    /** {@link #horner}, its outer loop marked parallel. */
    @Jit(parallel = true)
    public static void hornerParallel(double[] c, double[] x, double[] y) {
        int d = c.length - 1;
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            double p = c[d];
            for (int k = d - 1; k >= 0; k--) {
                p = p * xi + c[k];
            }
            y[i] = p;
        }
    }

    /** Polar to Cartesian coordinates: a sine and a cosine per element ({@code MathLoopsBenchmark}). */
    @Jit
    public static void polar(double[] r, double[] theta, double[] x, double[] y) {
        for (int i = 0; i < r.length; i++) {
            x[i] = r[i] * Math.cos(theta[i]);
            y[i] = r[i] * Math.sin(theta[i]);
        }
    }

    /** Gamma correction: a power per element ({@code MathLoopsBenchmark}). */
    @Jit
    public static void gamma(double[] v, double g, double[] out) {
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.pow(v[i], g);
        }
    }

    /** Slopes of angles: a tangent per element ({@code MathLoopsBenchmark}). */
    @Jit
    public static void slopes(double[] angle, double[] slope) {
        for (int i = 0; i < angle.length; i++) {
            slope[i] = Math.tan(angle[i]);
        }
    }
}
