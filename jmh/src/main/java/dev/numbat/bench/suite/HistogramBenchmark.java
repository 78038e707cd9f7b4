package dev.numbat.bench.suite;

import dev.numbat.kernels.ArrayKernels;
import java.lang.invoke.MethodHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/** {@link ArrayKernels#histogram} of uniform values over 256 bins: a data-dependent store per element. */
public class HistogramBenchmark extends SuiteBenchmark {
    static final int BINS = 256;

    private static final MethodHandle NUMBAT = KernelHandles.numbat(ArrayKernels.class, "histogram", double[].class, int[].class);

    private static final class Twin {
        static final MethodHandle HISTOGRAM = KernelHandles.clang("histogram", void.class, double[].class, int[].class);
    }

    /** Values: 16 KiB (L1), 1 MiB (L2), 64 MiB (DRAM) of data, plus the 1 KiB of counts. */
    @Param({"2048", "131072", "8388608"})
    public int size;

    private double[] x;
    private int[] counts;

    @Override
    public void prepare() {
        x = TestData.doubles(size, 7, 0, 1);
        counts = new int[BINS];
    }

    @Override
    public Object run(Variant v) throws Throwable {
        switch (v) {
            case HOTSPOT -> histogramHotSpot();
            case NUMBAT -> histogramNumbat();
            case CLANG -> histogramClang();
            case FAST_MATH, PARALLEL -> throw noSuchVariant(v);
        }
        return counts.clone();
    }

    @Benchmark
    public void histogramHotSpot() {
        ArrayKernels.histogram(x, counts);
    }

    @Benchmark
    public void histogramNumbat() throws Throwable {
        NUMBAT.invokeExact(x, counts);
    }

    @Benchmark
    public void histogramClang() throws Throwable {
        Twin.HISTOGRAM.invokeExact(x, counts);
    }
}
