package dev.numbat.runtime.cache;

/** The kernels the cache tests compile: a call, and exceptions whose messages name a parameter. */
public final class CacheKernels {
    private CacheKernels() {}

    /**
     * The weighted sum of the first {@code n} values: NullPointerException naming {@code values} or
     * {@code weights} when one is null, ArrayIndexOutOfBoundsException when {@code n} exceeds a length.
     */
    public static double weighted(double[] values, double[] weights, int n) {
        double s = 0.0;
        for (int i = 0; i < n; i++) s += scale(values[i], weights[i]);
        return s;
    }

    static double scale(double v, double w) {
        return v * w;
    }

    /** {@code a / b}: ArithmeticException when {@code b} is zero. */
    public static long quotient(long a, long b) {
        return a / b;
    }
}
