package dev.numbat.frontend.samples;

/** Methods whose lifted IR the golden tests pin down. Keep their bodies unchanged: the goldens follow them. */
public final class Kernels {
    private Kernels() {}

    static final double SCALE = Math.sqrt(2.0);

    public static int add(int a, int b) { return a + b; }

    public static double dot(double[] a, double[] b, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += a[i] * b[i];
        return s;
    }

    public static int sumNested(int n) {
        int s = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (j == 3) continue;
                if (i + j > 100) break;
                s += i ^ j;
            }
        }
        return s;
    }

    public static int classify(int x) {
        switch (x) {
            case 1: return 10;
            case 2: return 20;
            case 3: return 30;
            case 1000: return 40;
            default: return -1;
        }
    }

    public static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

    public static byte narrow(int x, byte[] out) {
        out[0] = (byte) x;
        return (byte) (x + 1);
    }

    public static double scaled(double x) { return x * SCALE + Math.sqrt(x); }

    public static long mixed(long a, int s, float f) { return (a << s) + (long) f + (a > 0 ? 1L : 2L); }

    public static int localArray(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = i * i;
        int s = 0;
        for (int v : t) s += v;
        return s;
    }

    public static boolean isNull(int[] a) { return a == null; }
}
