package dev.numbat.bench.suite;

import dev.numbat.kernels.ArrayKernels;
import java.lang.invoke.MethodHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/** {@link ArrayKernels#prefixSum}: a loop-carried sum stored at every step. */
public class PrefixSumBenchmark extends SuiteBenchmark {
    private static final MethodHandle NUMBAT = KernelHandles.numbat(ArrayKernels.class, "prefixSum", double[].class, double[].class);

    private static final class Twin {
        static final MethodHandle PREFIX_SUM = KernelHandles.clang("prefixSum", void.class, double[].class, double[].class);
    }

    /** Elements of the input and of the output: 16 KiB (L1), 1 MiB (L2), 64 MiB (DRAM) of data. */
    @Param({"1024", "65536", "4194304"})
    public int size;

    private double[] a, out;

    @Override
    public void prepare() {
        a = TestData.doubles(size, 6, -1, 1);
        out = new double[size];
    }

    @Override
    public Object run(Variant v) throws Throwable {
        java.util.Arrays.fill(out, 0.0);
        switch (v) {
            case HOTSPOT -> prefixsumHotSpot();
            case NUMBAT -> prefixsumNumbat();
            case CLANG -> prefixsumClang();
            case FAST_MATH, PARALLEL -> throw noSuchVariant(v);
        }
        return out.clone();
    }

    @Benchmark
    public void prefixsumHotSpot() {
        ArrayKernels.prefixSum(a, out);
    }

    @Benchmark
    public void prefixsumNumbat() throws Throwable {
        NUMBAT.invokeExact(a, out);
    }

    @Benchmark
    public void prefixsumClang() throws Throwable {
        Twin.PREFIX_SUM.invokeExact(a, out);
    }
}
