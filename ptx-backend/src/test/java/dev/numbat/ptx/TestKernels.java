package dev.numbat.ptx;

import dev.numbat.Gpu;
import dev.numbat.Jit;

/** Kernels for the back end's own tests: options, and constructs it must refuse with one line. */
final class TestKernels {
    private TestKernels() {}

    @Jit(target = Jit.Target.PTX, checkBounds = false)
    static void uncheckedCopy(float[] from, float[] to) {
        int i = Gpu.globalId(0);
        to[i] = from[i];
    }

    @Jit(target = Jit.Target.PTX, fastMath = true)
    static void saxpyFastMath(float a, float[] x, float[] y) {
        int i = Gpu.globalId(0);
        if (i < y.length) y[i] = a * x[i] + y[i];
    }

    @Jit(target = Jit.Target.PTX)
    static void dimensionFromParameter(int[] a, int d) {
        a[0] = Gpu.globalId(d);
    }

    @Jit(target = Jit.Target.PTX)
    static int returnsAValue(int[] a) {
        return a[Gpu.globalId(0)];
    }

    @Jit(parallel = true, target = Jit.Target.PTX)
    static void reduction(double[] x, double[] out) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i];
        out[0] = s;
    }

    @Jit(parallel = true, target = Jit.Target.PTX)
    static void writesBeforeTheLoop(double[] x) {
        x[0] = 1;
        for (int i = 1; i < x.length; i++) x[i] = 2 * x[i];
    }

    @Jit(target = Jit.Target.PTX)
    static void allocatesAnObject(int[] a) {
        a[Gpu.globalId(0)] = new StringBuilder().length();
    }

    @Jit(target = Jit.Target.PTX)
    static void sharedOfVariableSize(float[] a, int n) {
        float[] s = Gpu.sharedFloats(n);
        s[0] = a[0];
    }

    /** Calls a helper that writes its array parameter: the kernel's second array counts as written. */
    @Jit(target = Jit.Target.PTX)
    static void writesThroughAHelper(int[] in, int[] out) {
        int i = Gpu.globalId(0);
        if (i < in.length) store(out, i, in[i] * 3);
    }

    static void store(int[] a, int i, int v) { a[i] = v; }

    @Jit(target = Jit.Target.PTX)
    static void localArray(int[] out) {
        int[] tmp = new int[8];
        int i = Gpu.globalId(0);
        for (int k = 0; k < tmp.length; k++) tmp[k] = i + k;
        if (i < out.length) out[i] = tmp[i & 7];
    }

    /** Java's % on floating point: C's fmod, exact (libdevice's fmod on the GPU, not NVPTX's rounding frem). */
    @Jit(target = Jit.Target.PTX)
    static void remainders(double[] a, double[] b, double[] out, float[] fa, float[] fb, float[] fout) {
        int i = Gpu.globalId(0);
        if (i < out.length) out[i] = a[i] % b[i];
        if (i < fout.length) fout[i] = fa[i] % fb[i];
    }

    static void remaindersSerial(double[] a, double[] b, double[] out, float[] fa, float[] fb, float[] fout) {
        for (int i = 0; i < out.length; i++) out[i] = a[i] % b[i];
        for (int i = 0; i < fout.length; i++) fout[i] = fa[i] % fb[i];
    }

    @Jit(target = Jit.Target.PTX)
    static void powers(double[] x, double[] y, double[] out) {
        int i = Gpu.globalId(0);
        if (i < out.length) out[i] = Math.pow(x[i], y[i]);
    }
}
