package dev.numbat.ptx.examples;

import dev.numbat.Gpu;
import dev.numbat.Jit;

/**
 * The example kernels of issue 6 and docs/gpu.md. Each explicit kernel has a serial twin
 * ({@code ...Serial}) that computes what the kernel must give, in the same order of floating-point
 * operations, so results compare bit for bit.
 */
public final class ExampleKernels {
    private ExampleKernels() {}

    public static final int BLOCK = 256;
    public static final int TILE = 16;

    @Jit(target = Jit.Target.PTX)
    public static void saxpy(float a, float[] x, float[] y) {
        int i = Gpu.globalId(0);
        if (i < y.length) y[i] = a * x[i] + y[i];
    }

    public static void saxpySerial(float a, float[] x, float[] y) {
        for (int i = 0; i < y.length; i++) y[i] = a * x[i] + y[i];
    }

    @Jit(target = Jit.Target.PTX)
    public static void vectorAdd(double[] a, double[] b, double[] c) {
        int i = Gpu.globalId(0);
        if (i < c.length) c[i] = a[i] + b[i];
    }

    /** One partial sum per block, a tree in shared memory: partial[g] = sum of in[g*BLOCK ...]. */
    @Jit(target = Jit.Target.PTX)
    public static void blockSum(float[] in, float[] partial) {
        float[] s = Gpu.sharedFloats(BLOCK);
        int t = Gpu.localId(0);
        int i = Gpu.globalId(0);
        s[t] = i < in.length ? in[i] : 0f;
        Gpu.barrier();
        for (int stride = Gpu.groupSize(0) / 2; stride > 0; stride >>= 1) {
            if (t < stride) s[t] += s[t + stride];
            Gpu.barrier();
        }
        if (t == 0) partial[Gpu.groupId(0)] = s[0];
    }

    public static void blockSumSerial(float[] in, float[] partial) {
        float[] s = new float[BLOCK];
        for (int g = 0; g < partial.length; g++) {
            for (int t = 0; t < BLOCK; t++) {
                int i = g * BLOCK + t;
                s[t] = i < in.length ? in[i] : 0f;
            }
            for (int stride = BLOCK / 2; stride > 0; stride >>= 1) {
                for (int t = 0; t < stride; t++) s[t] += s[t + stride];
            }
            partial[g] = s[0];
        }
    }

    /** c = a * b for n x n row-major matrices, in TILE x TILE tiles of shared memory. */
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

    /** The same sums in the same order, padding included (adding 0 * 0 never changes acc). */
    public static void matmulSerial(float[] a, float[] b, float[] c, int n) {
        for (int row = 0; row < n; row++) {
            for (int col = 0; col < n; col++) {
                float acc = 0f;
                int padded = (n + TILE - 1) / TILE * TILE;
                for (int k = 0; k < padded; k++) {
                    acc += (k < n ? a[row * n + k] : 0f) * (k < n ? b[k * n + col] : 0f);
                }
                c[row * n + col] = acc;
            }
        }
    }

    @Jit(target = Jit.Target.PTX)
    public static void histogram(int[] data, int[] bins) {
        int i = Gpu.globalId(0);
        if (i < data.length) Gpu.atomicAdd(bins, data[i] % bins.length, 1);
    }

    public static void histogramSerial(int[] data, int[] bins) {
        for (int v : data) bins[v % bins.length]++;
    }

    /** A parallel loop offloaded: the loop over i becomes the grid. */
    @Jit(parallel = true, target = Jit.Target.PTX)
    public static void scaleAndRoot(double[] x, double[] y, double a) {
        for (int i = 0; i < x.length; i++) {
            y[i] = a * x[i] + Math.sqrt(x[i]);
        }
    }

    /** Reads one past the end in the last thread. */
    @Jit(target = Jit.Target.PTX)
    public static void offByOne(int[] a, int[] b) {
        int i = Gpu.globalId(0);
        if (i <= a.length) b[i % b.length] = a[i];
    }

    @Jit(target = Jit.Target.PTX)
    public static void divide(int[] a, int[] b, int[] q) {
        int i = Gpu.globalId(0);
        if (i < q.length) q[i] = a[i] / b[i];
    }

    /** Integer semantics: wrap-around, masked shifts, MIN_VALUE / -1, saturating conversions. */
    @Jit(target = Jit.Target.PTX)
    public static void integerEdges(int[] x, int[] s, long[] out, float[] f) {
        int i = Gpu.globalId(0);
        if (i < x.length) {
            int v = x[i];
            out[4 * i] = (long) (v * 31 + 7) + (v << s[i]) + (v >>> s[i]);
            out[4 * i + 1] = v / (s[i] == 0 ? -1 : s[i]) + v % (s[i] == 0 ? -1 : s[i]);
            out[4 * i + 2] = (long) f[i] + (int) f[i] + Math.round(f[i]);
            out[4 * i + 3] = Integer.bitCount(v) + Integer.numberOfLeadingZeros(v) + Long.rotateLeft(v, s[i]) + Math.abs(v) + Math.max(v, s[i]);
        }
    }

    public static void integerEdgesSerial(int[] x, int[] s, long[] out, float[] f) {
        for (int i = 0; i < x.length; i++) {
            int v = x[i];
            out[4 * i] = (long) (v * 31 + 7) + (v << s[i]) + (v >>> s[i]);
            out[4 * i + 1] = v / (s[i] == 0 ? -1 : s[i]) + v % (s[i] == 0 ? -1 : s[i]);
            out[4 * i + 2] = (long) f[i] + (int) f[i] + Math.round(f[i]);
            out[4 * i + 3] = Integer.bitCount(v) + Integer.numberOfLeadingZeros(v) + Long.rotateLeft(v, s[i]) + Math.abs(v) + Math.max(v, s[i]);
        }
    }

    /** Math functions through libdevice. */
    @Jit(target = Jit.Target.PTX)
    public static void transcendental(double[] x, double[] y) {
        int i = Gpu.globalId(0);
        if (i < x.length) y[i] = Math.sin(x[i]) + Math.exp(-x[i]) + x[i] % 0.75;
    }
}
