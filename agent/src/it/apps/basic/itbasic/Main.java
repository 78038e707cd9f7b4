package itbasic;

import dev.numbat.Jit;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The application of AgentIT. Everything it prints on standard output must be the same with the agent as
 * without it; with {@code -Dnumbat.verbose=true} the agent's lines go to standard error, where this program
 * also marks the start and end of {@code main} so the test can see when each method was compiled.
 *
 * <p>Argument 0: the jar of {@code itisolated.Isolated}, loaded by a class loader that cannot see the agent.
 */
public final class Main {
    private Main() {}

    @Jit
    public static int add(int a, int b) {
        return a + b;
    }

    @Jit
    public static double dot(double[] a, double[] b) {
        double s = 0.0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** No result, array writes. */
    @Jit
    public static void scale(double[] a, double f) {
        for (int i = 0; i < a.length; i++) a[i] *= f;
    }

    /** Every primitive kind through the stub: longs and doubles take two local slots. */
    @Jit
    public static double mix(byte b, short s, char c, int i, long l, float f, double d, boolean z) {
        double r = b + 2 * s + 3 * c + 5L * i + 7 * l + f + d;
        return z ? r : -r;
    }

    @Jit
    public static boolean isEven(long v) {
        return (v & 1) == 0;
    }

    @Jit
    public static char upper(char c) {
        return c >= 'a' && c <= 'z' ? (char) (c - 32) : c;
    }

    @Jit
    public static float half(float x) {
        return x * 0.5f;
    }

    /** Writes a[0..n): with n past the end it throws after writing every element that fits. */
    @Jit
    public static int fill(int[] a, int n) {
        for (int i = 0; i < n; i++) a[i] = i * i + 1;
        return n;
    }

    @Jit
    public static int divide(int a, int b) {
        return a / b;
    }

    @Jit
    public static int fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    /** Deliberately outside the compiled subset (an object allocation): stays bytecode. */
    @Jit
    public static int digits(int n) {
        return new StringBuilder().append(n).length();
    }

    /** Compiled when the class is initialised, before main, in every mode. */
    @Jit(eager = true)
    public static long eagerSum(long n) {
        long s = 0;
        for (long i = 0; i < n; i++) s += i ^ (i >>> 3);
        return s;
    }

    /** Not static: the agent leaves it alone. */
    @Jit
    public int instanceAdd(int a, int b) {
        return a + b;
    }

    public static void main(String[] args) throws Exception {
        System.err.println("itbasic: main started");
        System.out.println("add=" + add(40, 2));
        double[] a = new double[1000], b = new double[1000];
        for (int i = 0; i < a.length; i++) { a[i] = i * 0.5; b[i] = 1.0 / (i + 1); }
        System.out.println("dot=" + dot(a, b));
        scale(a, 3.0);
        System.out.println("scale a[999]=" + a[999] + " a[1]=" + a[1]);
        System.out.println("mix=" + mix((byte) -3, (short) 300, 'x', -7, 1L << 40, 1.5f, -2.25, true)
                + " " + mix(Byte.MIN_VALUE, Short.MAX_VALUE, Character.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Float.NaN, 0.1, false));
        System.out.println("isEven=" + isEven(10) + " " + isEven(-7));
        System.out.println("upper=" + upper('q') + upper('Q') + upper('!'));
        System.out.println("half=" + half(3.0f) + " " + half(Float.MIN_VALUE));
        int[] x = new int[5];
        System.out.println("fill=" + fill(x, 3) + " " + Arrays.toString(x));
        try {
            fill(x, 9);
            System.out.println("fill did not throw");
        } catch (ArrayIndexOutOfBoundsException e) {
            System.out.println("fill threw " + e.getClass().getName() + ": " + e.getMessage() + " after writing " + Arrays.toString(x));
        }
        try {
            fill(null, 1);
        } catch (NullPointerException e) {
            System.out.println("fill(null) threw " + e.getClass().getName());
        }
        try {
            System.out.println("divide=" + divide(7, 0));
        } catch (ArithmeticException e) {
            System.out.println("divide threw " + e.getClass().getName() + ": " + e.getMessage());
        }
        System.out.println("fib=" + fib(24));
        System.out.println("digits=" + digits(1234567));
        System.out.println("eagerSum=" + eagerSum(100_000));
        System.out.println("instanceAdd=" + new Main().instanceAdd(1, 2));
        System.out.println("old=" + Old.old(14));
        System.out.println("helper=" + Helper.cube(-3));
        // A hot loop: the caller gets JIT-compiled by HotSpot with the stub inlined.
        long acc = 0;
        for (int i = 0; i < 300_000; i++) acc += add(i, (int) (acc & 0xff));
        System.out.println("hot add=" + acc);
        if (args.length > 0) {
            try (URLClassLoader isolated = new URLClassLoader(new URL[] {Path.of(args[0]).toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
                Method m = isolated.loadClass("itisolated.Isolated").getMethod("twice", int.class);
                System.out.println("isolated=" + m.invoke(null, 21));
            }
        }
        System.err.println("itbasic: main done");
    }
}
