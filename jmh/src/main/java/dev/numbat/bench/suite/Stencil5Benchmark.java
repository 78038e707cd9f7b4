package dev.numbat.bench.suite;

import dev.numbat.kernels.GridKernels;
import java.lang.invoke.MethodHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/** {@link GridKernels#stencil5} on a square grid: five loads, four adds and a multiply per point. */
public class Stencil5Benchmark extends SuiteBenchmark {
    private static final MethodHandle NUMBAT = KernelHandles.numbat(GridKernels.class, "stencil5", double[].class, double[].class, int.class, int.class);
    private static final MethodHandle PARALLEL = KernelHandles.numbat(GridKernels.class, "stencil5Parallel", double[].class, double[].class, int.class, int.class);

    private static final class Twin {
        static final MethodHandle STENCIL5 = KernelHandles.clang("stencil5", void.class, double[].class, double[].class, int.class, int.class);
    }

    /** The grid's side: two grids of 16 KiB (L1), 1 MiB (L2), 64 MiB (DRAM) of data together. */
    @Param({"32", "256", "2048"})
    public int size;

    private double[] in, out;

    @Override
    public void prepare() {
        in = TestData.doubles(size * size, 9, 0, 1);
        out = new double[size * size];
    }

    @Override
    public Object run(Variant v) throws Throwable {
        java.util.Arrays.fill(out, 0.0);
        switch (v) {
            case HOTSPOT -> stencil5HotSpot();
            case NUMBAT -> stencil5Numbat();
            case PARALLEL -> stencil5NumbatParallel();
            case CLANG -> stencil5Clang();
            case FAST_MATH -> throw noSuchVariant(v);
        }
        return out.clone();
    }

    @Benchmark
    public void stencil5HotSpot() {
        GridKernels.stencil5(in, out, size, size);
    }

    @Benchmark
    public void stencil5Numbat() throws Throwable {
        NUMBAT.invokeExact(in, out, size, size);
    }

    @Benchmark
    public void stencil5NumbatParallel() throws Throwable {
        PARALLEL.invokeExact(in, out, size, size);
    }

    @Benchmark
    public void stencil5Clang() throws Throwable {
        Twin.STENCIL5.invokeExact(in, out, size, size);
    }
}
