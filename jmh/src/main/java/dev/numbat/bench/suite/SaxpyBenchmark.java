package dev.numbat.bench.suite;

import dev.numbat.kernels.ArrayKernels;
import java.lang.invoke.MethodHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link ArrayKernels#saxpy}, in place: every call adds {@code 0.5 x} to {@code y} again, which keeps the values
 * finite and normal for far more calls than a run makes, and costs the same every time.
 */
public class SaxpyBenchmark extends SuiteBenchmark {
    private static final MethodHandle NUMBAT = KernelHandles.numbat(ArrayKernels.class, "saxpy", float.class, float[].class, float[].class);
    private static final MethodHandle PARALLEL = KernelHandles.numbat(ArrayKernels.class, "saxpyParallel", float.class, float[].class, float[].class);

    private static final class Twin {
        static final MethodHandle SAXPY = KernelHandles.clang("saxpy", void.class, float.class, float[].class, float[].class);
    }

    /** Elements of each of the two float arrays: 16 KiB (L1), 512 KiB (L2), 64 MiB (DRAM) of data. */
    @Param({"2048", "65536", "8388608"})
    public int size;

    private final float alpha = 0.5f;
    private float[] x, y;

    @Override
    public void prepare() {
        x = TestData.floats(size, 4, -1, 1);
        y = TestData.floats(size, 5, -1, 1);
        System.err.println("SUITE-LAYOUT saxpy " + size + " at setup: " + ArrayLayout.describe(x, y));
    }

    /** The layout decides how fast the L1 size runs (see {@link ArrayLayout}); a collection may have moved the arrays. */
    @TearDown(Level.Trial)
    public void reportLayout() {
        System.err.println("SUITE-LAYOUT saxpy " + size + " at the end: " + ArrayLayout.describe(x, y));
    }

    @Override
    public Object run(Variant v) throws Throwable {
        float[] saved = y.clone();
        switch (v) {
            case HOTSPOT -> saxpyHotSpot();
            case NUMBAT -> saxpyNumbat();
            case PARALLEL -> saxpyNumbatParallel();
            case CLANG -> saxpyClang();
            case FAST_MATH -> throw noSuchVariant(v);
        }
        float[] result = y.clone();
        System.arraycopy(saved, 0, y, 0, size);
        return result;
    }

    @Benchmark
    public void saxpyHotSpot() {
        ArrayKernels.saxpy(alpha, x, y);
    }

    @Benchmark
    public void saxpyNumbat() throws Throwable {
        NUMBAT.invokeExact(alpha, x, y);
    }

    @Benchmark
    public void saxpyNumbatParallel() throws Throwable {
        PARALLEL.invokeExact(alpha, x, y);
    }

    @Benchmark
    public void saxpyClang() throws Throwable {
        Twin.SAXPY.invokeExact(alpha, x, y);
    }
}
