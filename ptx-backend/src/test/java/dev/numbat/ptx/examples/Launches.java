package dev.numbat.ptx.examples;

import dev.numbat.GpuGrid;
import dev.numbat.GpuRuntime;
import java.lang.reflect.Method;
import java.util.Arrays;

/** Launches an example kernel on a given runtime (the simulator, or the CUDA runtime when there is a device). */
final class Launches {
    private Launches() {}

    static Method kernel(String name) {
        for (Method m : ExampleKernels.class.getMethods()) if (m.getName().equals(name)) return m;
        throw new IllegalArgumentException(name);
    }

    static void launch(GpuRuntime runtime, String name, GpuGrid grid, Object... args) {
        runtime.launch(kernel(name), grid, args, null);
    }

    static void offload(GpuRuntime runtime, String name, Object... args) {
        runtime.offload(kernel(name), args, null);
    }

    static int blocks(int n, int block) { return Math.max(1, (n + block - 1) / block); }

    static float[] randomFloats(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * 10);
        return a;
    }

    static double[] randomDoubles(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = r.nextDouble() * 100;
        return a;
    }

    static int[] randomInts(int n, int bound, long seed) {
        return new java.util.Random(seed).ints(n, 0, bound).toArray();
    }

    static String bits(float[] a) { return Arrays.toString(a); }
}
