package dev.numbat.faults;

/**
 * Kernels for the load tests (compiled with {@code Numbat.compile}, called from many threads and under GC
 * pressure): array writes, exceptions thrown after some writes, recursion. Plain static methods; the JVM running
 * them is the oracle.
 */
final class LoadKernels {
    private LoadKernels() {}

    /** Running sums in place over {@code a[0..n)}: an index exception after the writes when {@code n > a.length}. */
    static long prefix(long[] a, int n) {
        for (int i = 1; i < n; i++) a[i] += a[i - 1];
        return n > 0 ? a[n - 1] : 0;
    }

    /** {@code y[i] += alpha * x[i]} for {@code i < n}. */
    static void axpy(double alpha, double[] x, double[] y, int n) {
        for (int i = 0; i < n; i++) y[i] += alpha * x[i];
    }

    /** Divides every element by {@code d} in place and returns the sum: {@code / by zero} for d == 0. */
    static int divideAll(int[] a, int d) {
        int s = 0;
        for (int i = 0; i < a.length; i++) {
            a[i] /= d;
            s += a[i];
        }
        return s;
    }

    /** The first {@code n} terms of exp(x) summed, each term from the last. */
    static double series(int n, double x) {
        double term = 1, sum = 0;
        for (int k = 1; k <= n; k++) {
            sum += term;
            term = term * x / k;
        }
        return sum;
    }

    /** {@code counts[b & 0xFF]++} for every byte: an index exception when counts is shorter than a byte seen. */
    static int histogram(byte[] data, short[] counts) {
        int max = 0;
        for (byte b : data) max = Math.max(max, ++counts[b & 0xFF]);
        return max;
    }

    /** Recursion, {@code 0} outside 0..22. */
    static long fib(int n) {
        if (n < 0 || n > 22) return 0;
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    /** {@code a[i] = seed * 0.5 + (i ^ seed)} for every element: a write to each element, checkable by formula. */
    static void fill(double[] a, int seed) {
        for (int i = 0; i < a.length; i++) a[i] = seed * 0.5 + (i ^ seed);
    }

    /** {@code a[i] = v + i} for {@code i < n}: an index exception after {@code a.length} writes when {@code n > a.length}. */
    static void fillUntil(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) a[i] = v + i;
    }
}
