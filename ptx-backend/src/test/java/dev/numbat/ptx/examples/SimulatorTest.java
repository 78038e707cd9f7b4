package dev.numbat.ptx.examples;

import static dev.numbat.ptx.examples.Launches.blocks;
import static dev.numbat.ptx.examples.Launches.launch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.numbat.Gpu;
import dev.numbat.GpuArray;
import dev.numbat.GpuStream;
import dev.numbat.simulator.GpuSimulator;
import org.junit.jupiter.api.Test;

/** Every example kernel on the CPU simulator gives what its serial twin (plain JVM code) gives. */
class SimulatorTest {
    private static final GpuSimulator SIM = GpuSimulator.INSTANCE;

    @Test void saxpy() {
        int n = 1000;
        float[] x = Launches.randomFloats(n, 1), y = Launches.randomFloats(n, 2), expected = y.clone();
        ExampleKernels.saxpySerial(2.5f, x, expected);
        launch(SIM, "saxpy", Gpu.grid(blocks(n, 128)).block(128), 2.5f, x, y);
        assertArrayEquals(expected, y);
    }

    @Test void vectorAdd() {
        int n = 777;
        double[] a = Launches.randomDoubles(n, 3), b = Launches.randomDoubles(n, 4), c = new double[n];
        launch(SIM, "vectorAdd", Gpu.grid(blocks(n, 64)).block(64), a, b, c);
        for (int i = 0; i < n; i++) assertEquals(a[i] + b[i], c[i]);
    }

    @Test void blockSumWithSharedMemoryAndBarriers() {
        int n = 3000;
        float[] in = Launches.randomFloats(n, 5);
        int groups = blocks(n, ExampleKernels.BLOCK);
        float[] partial = new float[groups], expected = new float[groups];
        ExampleKernels.blockSumSerial(in, expected);
        launch(SIM, "blockSum", Gpu.grid(groups).block(ExampleKernels.BLOCK), in, partial);
        assertArrayEquals(expected, partial);
    }

    @Test void tiledMatmul() {
        int n = 37;
        float[] a = Launches.randomFloats(n * n, 6), b = Launches.randomFloats(n * n, 7);
        float[] c = new float[n * n], expected = new float[n * n];
        ExampleKernels.matmulSerial(a, b, expected, n);
        int g = blocks(n, ExampleKernels.TILE);
        launch(SIM, "matmul", Gpu.grid(g, g).block(ExampleKernels.TILE, ExampleKernels.TILE), a, b, c, n);
        assertArrayEquals(expected, c);
    }

    @Test void histogramWithAtomics() {
        int[] data = Launches.randomInts(5000, 1000, 8);
        int[] bins = new int[16], expected = new int[16];
        ExampleKernels.histogramSerial(data, expected);
        launch(SIM, "histogram", Gpu.grid(blocks(data.length, 256)).block(256), data, bins);
        assertArrayEquals(expected, bins);
    }

    @Test void offloadedParallelLoopRunsTheMethod() {
        double[] x = Launches.randomDoubles(500, 9), y = new double[500], expected = new double[500];
        ExampleKernels.scaleAndRoot(x, expected, 1.5);
        Launches.offload(SIM, "scaleAndRoot", x, y, 1.5);
        assertArrayEquals(expected, y);
    }

    @Test void integerEdges() {
        int[] x = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 12345, -777, 42};
        int[] s = {0, 1, 31, 32, -1, 33, 7, -1};
        float[] f = {Float.NaN, 1e20f, -1e20f, 2.5f, -2.5f, 0.49999997f, -0.5f, 7.5f};
        long[] out = new long[4 * x.length], expected = new long[4 * x.length];
        ExampleKernels.integerEdgesSerial(x, s, expected, f);
        launch(SIM, "integerEdges", Gpu.grid(1).block(x.length), x, s, out, f);
        assertArrayEquals(expected, out);
    }

    @Test void outOfBoundsIsTheJvmsException() {
        int[] a = new int[10], b = new int[10];
        ArrayIndexOutOfBoundsException e = assertThrows(ArrayIndexOutOfBoundsException.class,
                () -> launch(SIM, "offByOne", Gpu.grid(2).block(8), a, b));
        assertEquals("Index 10 out of bounds for length 10", e.getMessage());
    }

    @Test void divisionByZeroIsTheJvmsException() {
        int[] a = {1, 2, 3}, b = {1, 0, 1}, q = new int[3];
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> launch(SIM, "divide", Gpu.grid(1).block(3), a, b, q));
        assertEquals("/ by zero", e.getMessage());
        // Other threads ran to their end, as on a GPU.
        assertArrayEquals(new int[] {1, 0, 3}, q);
    }

    @Test void deviceArraysAndStreams() {
        int n = 600;
        float[] x = Launches.randomFloats(n, 10), y = Launches.randomFloats(n, 11), expected = y.clone();
        ExampleKernels.saxpySerial(3f, x, expected);
        ExampleKernels.saxpySerial(3f, x, expected);
        Object stream = SIM.createStream();
        GpuArray dy = null;
        try {
            Object handle = SIM.allocate(float.class, n);
            SIM.copyToDevice(handle, y);
            SIM.launch(Launches.kernel("saxpy"), Gpu.grid(blocks(n, 128)).block(128), new Object[] {3f, x, handle}, stream);
            SIM.launch(Launches.kernel("saxpy"), Gpu.grid(blocks(n, 128)).block(128), new Object[] {3f, x, handle}, stream);
            SIM.synchronize(stream);
            float[] back = new float[n];
            SIM.copyToHost(handle, back);
            assertArrayEquals(expected, back);
        } finally {
            SIM.closeStream(stream);
        }
    }

    @Test void intrinsicsOutsideALaunchSaySo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Gpu.globalId(0));
        assertEquals("Gpu intrinsics only have a value inside a kernel launch (Gpu.launch)", e.getMessage());
    }

    /** The public API on whatever runtime this machine gives (the simulator without a device). */
    @Test void publicApiEndToEnd() {
        int n = 300;
        float[] x = Launches.randomFloats(n, 12), y = Launches.randomFloats(n, 13), expected = y.clone();
        ExampleKernels.saxpySerial(0.5f, x, expected);
        ExampleKernels.saxpySerial(0.5f, x, expected);
        try (GpuArray dy = GpuArray.of(y); GpuStream s = Gpu.stream()) {
            s.launch(ExampleKernels.class, "saxpy", Gpu.grid(blocks(n, 64)).block(64), 0.5f, x, dy);
            s.launch(ExampleKernels.class, "saxpy", Gpu.grid(blocks(n, 64)).block(64), 0.5f, x, dy);
            s.synchronize();
            assertArrayEquals(expected, (float[]) dy.toHostArray());
        }
        float[] z = y.clone();
        Gpu.launch(ExampleKernels.class, "saxpy", Gpu.grid(blocks(n, 64)).block(64), 0.5f, x, z);
        ExampleKernels.saxpySerial(0.5f, x, y);
        assertArrayEquals(y, z);
    }
}
