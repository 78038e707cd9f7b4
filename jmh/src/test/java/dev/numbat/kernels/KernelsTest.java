package dev.numbat.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.numbat.Numbat;
import java.lang.invoke.MethodHandle;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The demo kernels, compiled by Numbat, give bit-for-bit the JVM's results (small inputs: the demo does the big ones). */
class KernelsTest {

    private static MethodHandle compile(String name, Class<?>... params) throws NoSuchMethodException {
        return Numbat.compile(Kernels.class.getMethod(name, params));
    }

    private static double[] doubles(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = r.nextDouble(-1.0, 1.0);
        return a;
    }

    private static float[] floats(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextDouble(-1.0, 1.0);
        return a;
    }

    private static void assertBits(double expected, double actual) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                () -> "expected " + expected + " but was " + actual);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 17, 1000, 4099})
    void dotAndSum(int n) throws Throwable {
        double[] a = doubles(n, n), b = doubles(n, n + 1);
        assertBits(Kernels.dot(a, b), (double) compile("dot", double[].class, double[].class).invokeExact(a, b));
        assertBits(Kernels.sum(a), (double) compile("sum", double[].class).invokeExact(a));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 17, 4099})
    void dotFastMathIsCloseToTheStrictDot(int n) throws Throwable {
        double[] a = doubles(n, n), b = doubles(n, n + 1);
        double fast = (double) compile("dotFastMath", double[].class, double[].class).invokeExact(a, b);
        assertEquals(Kernels.dot(a, b), fast, 1e-12 * (n + 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 1000, 4099})
    void saxpy(int n) throws Throwable {
        float[] x = floats(n, 3), y = floats(n, 4);
        float[] yJvm = y.clone(), yNat = y.clone();
        Kernels.saxpy(1.618034f, x, yJvm);
        compile("saxpy", float.class, float[].class, float[].class).invokeExact(1.618034f, x, yNat);
        assertArrayEquals(yJvm, yNat);
    }

    @Test
    void stencil5() throws Throwable {
        int w = 37, h = 23;
        double[] in = doubles(w * h, 6);
        double[] outJvm = new double[w * h], outNat = new double[w * h];
        Kernels.stencil5(in, outJvm, w, h);
        compile("stencil5", double[].class, double[].class, int.class, int.class).invokeExact(in, outNat, w, h);
        assertArrayEquals(outJvm, outNat);
    }

    @Test
    void mandelbrot() throws Throwable {
        int w = 64, h = 48;
        int[] outJvm = new int[w * h], outNat = new int[w * h];
        int jvm = Kernels.mandelbrot(w, h, 100, outJvm);
        int nat = (int) compile("mandelbrot", int.class, int.class, int.class, int[].class).invokeExact(w, h, 100, outNat);
        assertEquals(jvm, nat);
        assertArrayEquals(outJvm, outNat);
    }

    @Test
    void fib() throws Throwable {
        MethodHandle fib = compile("fib", int.class);
        for (int n = 0; n <= 20; n++) {
            assertEquals(Kernels.fib(n), (int) fib.invokeExact(n));
        }
    }

    @Test
    void dotOnArraysOfDifferentLengthsThrowsAsTheJvmDoes() throws Throwable {
        double[] a = doubles(10, 1), b = doubles(5, 2);
        MethodHandle dot = compile("dot", double[].class, double[].class);
        ArrayIndexOutOfBoundsException jvm = assertThrows(ArrayIndexOutOfBoundsException.class, () -> Kernels.dot(a, b));
        ArrayIndexOutOfBoundsException nat = assertThrows(ArrayIndexOutOfBoundsException.class,
                () -> { double unused = (double) dot.invokeExact(a, b); });
        assertEquals(jvm.getMessage(), nat.getMessage());
    }
}
