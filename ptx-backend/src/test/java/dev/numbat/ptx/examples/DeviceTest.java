package dev.numbat.ptx.examples;

import static dev.numbat.ptx.examples.Launches.blocks;
import static dev.numbat.ptx.examples.Launches.launch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.numbat.Gpu;
import dev.numbat.GpuArray;
import dev.numbat.GpuRuntime;
import dev.numbat.GpuStream;
import dev.numbat.ptx.cuda.CudaRuntimeProvider;
import dev.numbat.simulator.GpuSimulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every example kernel on a CUDA device gives the simulator's results (and so the JVM's). Skipped, with the
 * reason, where there is no CUDA driver or device: the skip is reported as a skip, never as a pass.
 */
class DeviceTest {
    private static GpuRuntime cuda;
    private static String why;
    private static final GpuSimulator SIM = GpuSimulator.INSTANCE;

    @BeforeAll static void openDevice() {
        try {
            cuda = CudaRuntimeProvider.open();
        } catch (IllegalStateException e) {
            why = e.getMessage();
        }
    }

    private static void needDevice() {
        assumeTrue(cuda != null, "no CUDA device (" + why + "): GPU execution not tested");
    }

    @Test void saxpy() {
        needDevice();
        int n = 100_000;
        float[] x = Launches.randomFloats(n, 1), y = Launches.randomFloats(n, 2), onSim = y.clone();
        launch(SIM, "saxpy", Gpu.grid(blocks(n, 256)).block(256), 2.5f, x, onSim);
        launch(cuda, "saxpy", Gpu.grid(blocks(n, 256)).block(256), 2.5f, x, y);
        assertArrayEquals(onSim, y);
    }

    @Test void vectorAdd() {
        needDevice();
        int n = 12345;
        double[] a = Launches.randomDoubles(n, 3), b = Launches.randomDoubles(n, 4), c = new double[n], onSim = new double[n];
        launch(SIM, "vectorAdd", Gpu.grid(blocks(n, 128)).block(128), a, b, onSim);
        launch(cuda, "vectorAdd", Gpu.grid(blocks(n, 128)).block(128), a, b, c);
        assertArrayEquals(onSim, c);
    }

    @Test void blockSum() {
        needDevice();
        int n = 100_000, g = blocks(n, ExampleKernels.BLOCK);
        float[] in = Launches.randomFloats(n, 5), p = new float[g], onSim = new float[g];
        launch(SIM, "blockSum", Gpu.grid(g).block(ExampleKernels.BLOCK), in, onSim);
        launch(cuda, "blockSum", Gpu.grid(g).block(ExampleKernels.BLOCK), in, p);
        assertArrayEquals(onSim, p);
    }

    @Test void matmul() {
        needDevice();
        int n = 100, g = blocks(n, ExampleKernels.TILE);
        float[] a = Launches.randomFloats(n * n, 6), b = Launches.randomFloats(n * n, 7), c = new float[n * n], onSim = new float[n * n];
        launch(SIM, "matmul", Gpu.grid(g, g).block(ExampleKernels.TILE, ExampleKernels.TILE), a, b, onSim, n);
        launch(cuda, "matmul", Gpu.grid(g, g).block(ExampleKernels.TILE, ExampleKernels.TILE), a, b, c, n);
        assertArrayEquals(onSim, c);
    }

    @Test void histogram() {
        needDevice();
        int[] data = Launches.randomInts(200_000, 1_000_000, 8), bins = new int[64], onSim = new int[64];
        launch(SIM, "histogram", Gpu.grid(blocks(data.length, 256)).block(256), data, onSim);
        launch(cuda, "histogram", Gpu.grid(blocks(data.length, 256)).block(256), data, bins);
        assertArrayEquals(onSim, bins);
    }

    @Test void offloadedLoop() {
        needDevice();
        double[] x = Launches.randomDoubles(300_000, 9), y = new double[x.length], onSim = new double[x.length];
        Launches.offload(SIM, "scaleAndRoot", x, onSim, 1.5);
        Launches.offload(cuda, "scaleAndRoot", x, y, 1.5);
        assertArrayEquals(onSim, y);
    }

    @Test void integerEdges() {
        needDevice();
        int[] x = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 12345, -777, 42};
        int[] s = {0, 1, 31, 32, -1, 33, 7, -1};
        float[] f = {Float.NaN, 1e20f, -1e20f, 2.5f, -2.5f, 0.49999997f, -0.5f, 7.5f};
        long[] out = new long[32], onSim = new long[32];
        launch(SIM, "integerEdges", Gpu.grid(1).block(8), x, s, onSim, f);
        launch(cuda, "integerEdges", Gpu.grid(1).block(8), x, s, out, f);
        assertArrayEquals(onSim, out);
    }

    @Test void transcendentalWithinLibdevicesBound() {
        needDevice();
        double[] x = Launches.randomDoubles(1000, 10), y = new double[1000], onSim = new double[1000];
        launch(SIM, "transcendental", Gpu.grid(4).block(256), x, onSim);
        launch(cuda, "transcendental", Gpu.grid(4).block(256), x, y);
        for (int i = 0; i < x.length; i++) assertEquals(onSim[i], y[i], 4 * Math.ulp(onSim[i]) + 1e-15, "at " + i);
    }

    @Test void outOfBounds() {
        needDevice();
        ArrayIndexOutOfBoundsException e = assertThrows(ArrayIndexOutOfBoundsException.class,
                () -> launch(cuda, "offByOne", Gpu.grid(2).block(8), new int[10], new int[10]));
        assertEquals("Index 10 out of bounds for length 10", e.getMessage());
    }

    @Test void divisionByZero() {
        needDevice();
        int[] q = new int[3];
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> launch(cuda, "divide", Gpu.grid(1).block(3), new int[] {1, 2, 3}, new int[] {1, 0, 1}, q));
        assertEquals("/ by zero", e.getMessage());
        assertArrayEquals(new int[] {1, 0, 3}, q);
    }

    @Test void deviceArraysOnAStream() {
        needDevice();
        assumeTrue(Gpu.runtime() == cuda, "Gpu.runtime() is " + Gpu.device() + " (-Dnumbat.gpu=simulate?), not the device");
        int n = 50_000;
        float[] x = Launches.randomFloats(n, 11), y = Launches.randomFloats(n, 12), expected = y.clone();
        ExampleKernels.saxpySerial(3f, x, expected);
        ExampleKernels.saxpySerial(3f, x, expected);
        try (GpuArray dx = GpuArray.of(x); GpuArray dy = GpuArray.of(y); GpuStream s = Gpu.stream()) {
            s.launch(ExampleKernels.class, "saxpy", Gpu.grid(blocks(n, 256)).block(256), 3f, dx, dy);
            s.launch(ExampleKernels.class, "saxpy", Gpu.grid(blocks(n, 256)).block(256), 3f, dx, dy);
            s.synchronize();
            assertArrayEquals(expected, (float[]) dy.toHostArray());
        }
    }
}
