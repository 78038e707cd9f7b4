package dev.numbat.bench.gpu;

import dev.numbat.Gpu;
import dev.numbat.Jit;

/** The kernels the GPU benchmarks launch (the same as docs/gpu.md's examples). */
public final class GpuBenchKernels {
    private GpuBenchKernels() {}

    public static final int TILE = 16;

    @Jit(target = Jit.Target.PTX)
    public static void saxpy(float a, float[] x, float[] y) {
        int i = Gpu.globalId(0);
        if (i < y.length) y[i] = a * x[i] + y[i];
    }

    /** y = x: the device's copy bandwidth, measured the way saxpy is (8 bytes per element against saxpy's 12). */
    @Jit(target = Jit.Target.PTX)
    public static void copy(float[] x, float[] y) {
        int i = Gpu.globalId(0);
        if (i < y.length) y[i] = x[i];
    }

    @Jit(target = Jit.Target.PTX)
    public static void matmul(float[] a, float[] b, float[] c, int n) {
        float[] as = Gpu.sharedFloats(TILE * TILE);
        float[] bs = Gpu.sharedFloats(TILE * TILE);
        int tx = Gpu.localId(0), ty = Gpu.localId(1);
        int col = Gpu.globalId(0), row = Gpu.globalId(1);
        float acc = 0f;
        for (int t = 0; t < n; t += TILE) {
            as[ty * TILE + tx] = row < n && t + tx < n ? a[row * n + t + tx] : 0f;
            bs[ty * TILE + tx] = col < n && t + ty < n ? b[(t + ty) * n + col] : 0f;
            Gpu.barrier();
            for (int k = 0; k < TILE; k++) acc += as[ty * TILE + k] * bs[k * TILE + tx];
            Gpu.barrier();
        }
        if (row < n && col < n) c[row * n + col] = acc;
    }

    /** The same with fastMath: multiply-adds fuse into FMAs, as nvcc's default --fmad=true does. */
    @Jit(target = Jit.Target.PTX, fastMath = true)
    public static void matmulFastMath(float[] a, float[] b, float[] c, int n) {
        float[] as = Gpu.sharedFloats(TILE * TILE);
        float[] bs = Gpu.sharedFloats(TILE * TILE);
        int tx = Gpu.localId(0), ty = Gpu.localId(1);
        int col = Gpu.globalId(0), row = Gpu.globalId(1);
        float acc = 0f;
        for (int t = 0; t < n; t += TILE) {
            as[ty * TILE + tx] = row < n && t + tx < n ? a[row * n + t + tx] : 0f;
            bs[ty * TILE + tx] = col < n && t + ty < n ? b[(t + ty) * n + col] : 0f;
            Gpu.barrier();
            for (int k = 0; k < TILE; k++) acc += as[ty * TILE + k] * bs[k * TILE + tx];
            Gpu.barrier();
        }
        if (row < n && col < n) c[row * n + col] = acc;
    }

    /** Benchmarks measure a GPU or nothing: the simulator's figures would mean nothing. */
    static void requireDevice() {
        String device = Gpu.device();
        if (!device.startsWith("CUDA")) {
            throw new IllegalStateException("GPU benchmarks need a CUDA device and numbat-ptx-backend on the class path; kernels would run on the "
                    + device + " (see the numbat: line above)");
        }
    }
}
