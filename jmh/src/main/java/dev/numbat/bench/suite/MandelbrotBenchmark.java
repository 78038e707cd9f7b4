package dev.numbat.bench.suite;

import dev.numbat.kernels.GridKernels;
import java.lang.invoke.MethodHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * {@link GridKernels#mandelbrot} on a square grid, at most {@value #MAX_ITER} iterations per point: compute-bound
 * (a dependent chain of multiplies and adds per point), the output is the only data.
 */
public class MandelbrotBenchmark extends SuiteBenchmark {
    static final int MAX_ITER = 100;

    private static final MethodHandle NUMBAT = KernelHandles.numbat(GridKernels.class, "mandelbrot", int.class, int.class, int.class, int[].class);
    private static final MethodHandle PARALLEL = KernelHandles.numbat(GridKernels.class, "mandelbrotParallel", int.class, int.class, int.class, int[].class);

    private static final class Twin {
        static final MethodHandle MANDELBROT = KernelHandles.clang("mandelbrot", int.class, int.class, int.class, int.class, int[].class);
    }

    /** The grid's side: an output of 16 KiB (L1), 1 MiB (L2), 64 MiB (DRAM). */
    @Param({"64", "512", "4096"})
    public int size;

    private int[] out;

    @Override
    public void prepare() {
        out = new int[size * size];
    }

    @Override
    public Object run(Variant v) throws Throwable {
        java.util.Arrays.fill(out, -1);
        int total = switch (v) {
            case HOTSPOT -> mandelbrotHotSpot();
            case NUMBAT -> mandelbrotNumbat();
            case PARALLEL -> mandelbrotNumbatParallel();
            case CLANG -> mandelbrotClang();
            case FAST_MATH -> throw noSuchVariant(v);
        };
        return new Object[] {total, out.clone()};
    }

    @Benchmark
    public int mandelbrotHotSpot() {
        return GridKernels.mandelbrot(size, size, MAX_ITER, out);
    }

    @Benchmark
    public int mandelbrotNumbat() throws Throwable {
        return (int) NUMBAT.invokeExact(size, size, MAX_ITER, out);
    }

    @Benchmark
    public int mandelbrotNumbatParallel() throws Throwable {
        return (int) PARALLEL.invokeExact(size, size, MAX_ITER, out);
    }

    @Benchmark
    public int mandelbrotClang() throws Throwable {
        return (int) Twin.MANDELBROT.invokeExact(size, size, MAX_ITER, out);
    }
}
