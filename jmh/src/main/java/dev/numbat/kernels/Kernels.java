package dev.numbat.kernels;

import dev.numbat.Jit;

/**
 * The demo and benchmark kernels: ordinary static Java methods. {@code @Jit} marks them for Numbat;
 * called directly they run as bytecode on HotSpot, compiled with {@code Numbat.compile} they run as
 * native code. No {@code fastMath}: every kernel keeps Java's strict floating-point semantics, so the
 * compiled results must be bit-for-bit those of the JVM.
 */
public final class Kernels {
    private Kernels() {}

    /** Dot product, summed strictly left to right. */
    @Jit
    public static double dot(double[] a, double[] b) {
        double s = 0.0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * {@link #dot} with {@code fastMath}: Numbat may reassociate the sum (and so vectorise it) and fuse
     * multiply-adds, so its result may differ from the JVM's in the last bits. In the benchmarks only, to
     * show what Java's strict left-to-right sum costs; the demo checks bit-for-bit equality and leaves it out.
     */
    @Jit(fastMath = true)
    public static double dotFastMath(double[] a, double[] b) {
        double s = 0.0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** {@code y = a * x + y} (two roundings: Java never fuses the multiply-add). */
    @Jit
    public static void saxpy(float a, float[] x, float[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] = a * x[i] + y[i];
        }
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

    /**
     * One Jacobi step of the 5-point stencil over a {@code w * h} row-major grid: every interior point
     * becomes the mean of itself and its four neighbours; the border of {@code out} is left as it is.
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

    /**
     * The Mandelbrot set over [-2, 1] x [-1.5, 1.5] sampled on a {@code w * h} grid: {@code out[y * w + x]}
     * gets the iterations before escape (at most {@code maxIter}); returns the total over all points.
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

    /** The naive doubly recursive Fibonacci: all calls, no loops. */
    @Jit
    public static int fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }
}
