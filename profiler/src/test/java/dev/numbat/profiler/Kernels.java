package dev.numbat.profiler;

/** Methods the profiler tests instrument; each is also called directly, as the JVM runs it. */
final class Kernels {
    private Kernels() {}

    /** A full-privilege lookup in this class, as the agent's bootstrap methods get one. */
    static java.lang.invoke.MethodHandles.Lookup lookup() { return java.lang.invoke.MethodHandles.lookup(); }

    static double signedSum(double[] a) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] > 0) s += a[i];
            else s -= 1;
        }
        return s;
    }

    static int classify(int[] keys) {
        int total = 0;
        for (int k : keys) {
            switch (k) {
                case 0 -> total += 1;
                case 1, 2 -> total += 10;
                case 7 -> total += 100;
                default -> total += 1000;
            }
        }
        return total;
    }

    static int sparse(int k) {
        return switch (k) {
            case -100000 -> 1;
            case 5 -> 2;
            case 1 << 20 -> 3;
            default -> 4;
        };
    }

    /** Writes, then may throw: the write must stay, and the counts of the call must be flushed. */
    static int writeThenRead(int[] a, int i) {
        a[0] = 42;
        int x = 0;
        for (int k = 0; k < 3; k++) x += k;
        return a[i] + x + 10 / (i - 7);
    }

    static void axpy(double alpha, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) y[i] = alpha * x[i] + y[i];
    }

    static long triangle(long n, int m) {
        long t = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j <= i; j++) t += n ^ j;
        }
        return t;
    }

    /** The loop is entered by a forward goto (c true: javac's jump over the else branch) or by falling through. */
    static int forwardEntry(int n, boolean c) {
        int s, i = 0;
        if (c) s = 1;
        else s = 2;
        while (i < n) {
            s += i;
            i++;
        }
        return s;
    }

    /** A loop with a second way out (the return): its back-edges are counted by its goto, not its test. */
    static int firstNegative(double[] a) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] < 0) return i;
        }
        return -1;
    }

    static int doWhile(int n) {
        int c = 0;
        do {
            c += n & 1;
            n >>>= 1;
        } while (n != 0);
        return c;
    }

    private static int secret = 3;

    private static int helper(int x) { return x * secret; }

    static int callsPrivate(int x) { return helper(x) + secret; }

    static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

    static float mixed(float f, long l, double d, byte b, char c, short s, boolean z, float[] fs) {
        float r = f + l + (float) d + b + c + s + (z ? 1 : 0);
        if (fs != null) for (float v : fs) r += v;
        return r;
    }
}
