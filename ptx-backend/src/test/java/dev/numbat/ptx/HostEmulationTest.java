package dev.numbat.ptx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.numbat.Gpu;
import dev.numbat.ptx.examples.ExampleKernels;
import dev.numbat.simulator.GpuSimulator;
import java.lang.reflect.Method;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The kernels' NVPTX LLVM IR, run thread by thread on the host CPU ({@link HostEmulator}), gives what the
 * simulator (the JVM running the kernel's bytecode) gives: results, exceptions and their messages, the
 * writes made before an exception, shared memory and barriers. This checks the back end's Java semantics without a GPU; what only a GPU
 * can check (PTX code generation, barriers, the driver) is DeviceTest's.
 */
class HostEmulationTest {
    private static RuntimeException emulate(Method m, boolean parallel, int groups, int threads, Object... args) throws Throwable {
        return emulate(m, parallel, Gpu.grid(groups).block(threads), args);
    }

    private static RuntimeException emulate(Method m, boolean parallel, dev.numbat.GpuGrid grid, Object... args) throws Throwable {
        PtxKernel k = PtxBackend.compile(m, "sm_80", PtxBackend.Options.of(m).withParallelLoop(parallel));
        try (HostEmulator e = new HostEmulator(k, m)) {
            return e.run(grid, args);
        }
    }

    private static Method example(String name) { return PtxasTest.kernel(name); }

    private static RuntimeException simulate(Method m, int groups, int threads, Object... args) {
        try {
            GpuSimulator.INSTANCE.launch(m, Gpu.grid(groups).block(threads), args, null);
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static float[] floats(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian() * 100;
        return a;
    }

    @Test void saxpy() throws Throwable {
        float[] x = floats(300, 1), y = floats(300, 2), z = y.clone();
        assertNull(emulate(example("saxpy"), false, 3, 128, 1.5f, x, y));
        simulate(example("saxpy"), 3, 128, 1.5f, x, z);
        assertArrayEquals(z, y);
    }

    @Test void integerEdges() throws Throwable {
        int[] x = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 12345, -777, 42};
        int[] s = {0, 1, 31, 32, -1, 33, 7, -1};
        float[] f = {Float.NaN, 1e20f, -1e20f, 2.5f, -2.5f, 0.49999997f, -0.5f, 7.5f};
        long[] out = new long[32], expected = new long[32];
        ExampleKernels.integerEdgesSerial(x, s, expected, f);
        assertNull(emulate(example("integerEdges"), false, 1, 8, x, s, out, f));
        assertArrayEquals(expected, out);
    }

    @Test void histogramAtomics() throws Throwable {
        int[] data = new Random(3).ints(2000, 0, 100_000).toArray(), bins = new int[32], expected = new int[32];
        ExampleKernels.histogramSerial(data, expected);
        assertNull(emulate(example("histogram"), false, 8, 256, data, bins));
        assertArrayEquals(expected, bins);
    }

    /** A grid of 3 x 4 threads covers 1000 iterations only by striding. */
    @Test void offloadedLoopStrides() throws Throwable {
        double[] x = new Random(4).doubles(1000, 0, 50).toArray(), y = new double[1000], expected = new double[1000];
        ExampleKernels.scaleAndRoot(x, expected, 2.5);
        assertNull(emulate(example("scaleAndRoot"), true, 3, 4, x, y, 2.5));
        assertArrayEquals(expected, y);
    }

    @Test void outOfBoundsAsTheJvm() throws Throwable {
        int[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        int[] b1 = new int[10], b2 = new int[10];
        RuntimeException emulated = emulate(example("offByOne"), false, 2, 8, a, b1);
        RuntimeException simulated = simulate(example("offByOne"), 2, 8, a, b2);
        assertInstanceOf(ArrayIndexOutOfBoundsException.class, emulated);
        assertEquals(simulated.getMessage(), emulated.getMessage());
        assertArrayEquals(b2, b1, "writes of the other threads are kept");
    }

    @Test void divisionByZeroAsTheJvm() throws Throwable {
        int[] q1 = new int[3], q2 = new int[3];
        RuntimeException emulated = emulate(example("divide"), false, 1, 3, new int[] {7, 8, 9}, new int[] {2, 0, -1}, q1);
        RuntimeException simulated = simulate(example("divide"), 1, 3, new int[] {7, 8, 9}, new int[] {2, 0, -1}, q2);
        assertInstanceOf(ArithmeticException.class, emulated);
        assertEquals(simulated.getMessage(), emulated.getMessage());
        assertArrayEquals(q2, q1);
    }

    @Test void nullArrayHasTheHelpfulMessage() throws Throwable {
        float[] y = new float[4];
        RuntimeException emulated = emulate(example("saxpy"), false, 1, 4, 1f, null, y);
        RuntimeException simulated = simulate(example("saxpy"), 1, 4, 1f, null, y.clone());
        assertInstanceOf(NullPointerException.class, emulated);
        assertEquals(simulated.getMessage(), emulated.getMessage());
    }

    @Test void helpersLocalArraysAndUncheckedAccess() throws Throwable {
        int[] in = {1, 2, 3, 4, 5}, out = new int[5];
        assertNull(emulate(PtxBackendTest.method(TestKernels.class, "writesThroughAHelper"), false, 1, 8, in, out));
        assertArrayEquals(new int[] {3, 6, 9, 12, 15}, out);
        int[] local = new int[6];
        assertNull(emulate(PtxBackendTest.method(TestKernels.class, "localArray"), false, 1, 6, local));
        assertArrayEquals(new int[] {0, 2, 4, 6, 8, 10}, local);
        float[] from = {1, 2, 3}, to = new float[3];
        assertNull(emulate(PtxBackendTest.method(TestKernels.class, "uncheckedCopy"), false, 1, 3, from, to));
        assertArrayEquals(from, to);
    }

    @Test void sharedMemoryReductionWithBarriers() throws Throwable {
        float[] in = floats(700, 5), partial = new float[3], expected = new float[3];
        ExampleKernels.blockSumSerial(in, expected);
        assertNull(emulate(example("blockSum"), false, 3, ExampleKernels.BLOCK, in, partial));
        assertArrayEquals(expected, partial);
    }

    @Test void tiledMatmulInTwoDimensions() throws Throwable {
        int n = 21, g = (n + ExampleKernels.TILE - 1) / ExampleKernels.TILE;
        float[] a = floats(n * n, 6), b = floats(n * n, 7), c = new float[n * n], expected = new float[n * n];
        ExampleKernels.matmulSerial(a, b, expected, n);
        assertNull(emulate(example("matmul"), false, Gpu.grid(g, g).block(ExampleKernels.TILE, ExampleKernels.TILE), a, b, c, n));
        assertArrayEquals(expected, c);
    }

    @Test void floatingRemainderIsExact() throws Throwable {
        double[] a = {5.5, -5.5, 1e300, 3.0, 0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, 7.0, 1e-310, 123456.789};
        double[] b = {2.0, 2.0, 3.3e-7, 0.0, 1.0, 1.0, 1.0, 2.0, Double.POSITIVE_INFINITY, 3e-320, -0.001};
        float[] fa = {5.5f, -5.5f, 1e30f, 3f, 0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, 7f, 1e-40f, 123456.79f};
        float[] fb = {2f, 2f, 3.3e-7f, 0f, 1f, 1f, 1f, 2f, Float.POSITIVE_INFINITY, 3e-44f, -0.001f};
        double[] out = new double[a.length], expected = new double[a.length];
        float[] fout = new float[fa.length], fexpected = new float[fa.length];
        TestKernels.remaindersSerial(a, b, expected, fa, fb, fexpected);
        assertNull(emulate(PtxBackendTest.method(TestKernels.class, "remainders"), false, 1, 16, a, b, out, fa, fb, fout));
        assertArrayEquals(expected, out);
        assertArrayEquals(fexpected, fout);
    }

    /** Where C's pow and Java's differ (pow(1, NaN), pow(-1, Infinity)) the kernel gives Java's. */
    @Test void powKeepsJavasSpecialCases() throws Throwable {
        double inf = Double.POSITIVE_INFINITY, nan = Double.NaN;
        double[] x = {1, -1, 1, -1, 2, nan, 0, -0.0, -8, 1.0000001, 10};
        double[] y = {nan, inf, -inf, -inf, 0.5, 0, -1, -3, 1.0 / 3, 1e10, -400};
        double[] out = new double[x.length];
        assertNull(emulate(PtxBackendTest.method(TestKernels.class, "powers"), false, 1, 16, x, y, out));
        for (int i = 0; i < x.length; i++) {
            double java = Math.pow(x[i], y[i]);
            double tolerance = Double.isNaN(java) || Double.isInfinite(java) ? 0 : Math.ulp(java);
            assertEquals(java, out[i], tolerance, "pow(" + x[i] + ", " + y[i] + ")");
        }
    }

    /** libdevice's functions, here the C library's, are within a few ulps of Java's Math; pow keeps Java's special cases. */
    @Test void transcendentalFunctions() throws Throwable {
        double[] x = new Random(11).doubles(500, 0, 100).toArray(), y = new double[500], expected = new double[500];
        assertNull(emulate(example("transcendental"), false, 2, 256, x, y));
        simulate(example("transcendental"), 2, 256, x, expected);
        for (int i = 0; i < x.length; i++) assertEquals(expected[i], y[i], 4 * Math.ulp(expected[i]) + 1e-15, "at " + i);
    }
}
