package dev.numbat.bench.suite;

import dev.numbat.kernels.ArrayKernels;
import java.lang.invoke.MethodHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/** {@link ArrayKernels#sum}: a strict reduction, one add per element. */
public class SumBenchmark extends SuiteBenchmark {
    private static final MethodHandle NUMBAT = KernelHandles.numbat(ArrayKernels.class, "sum", double[].class);
    private static final MethodHandle FAST_MATH = KernelHandles.numbat(ArrayKernels.class, "sumFastMath", double[].class);

    private static final class Twin {
        static final MethodHandle SUM = KernelHandles.clang("sum", double.class, double[].class);
    }

    /** Elements: 16 KiB (L1), 512 KiB (L2), 64 MiB (DRAM) of data. */
    @Param({"2048", "65536", "8388608"})
    public int size;

    private double[] a;

    @Override
    public void prepare() {
        a = TestData.doubles(size, 3, -1, 1);
    }

    @Override
    public Object run(Variant v) throws Throwable {
        return switch (v) {
            case HOTSPOT -> sumHotSpot();
            case NUMBAT -> sumNumbat();
            case FAST_MATH -> sumNumbatFastMath();
            case CLANG -> sumClang();
            case PARALLEL -> throw noSuchVariant(v);
        };
    }

    @Override
    protected double fastMathTolerance() {
        return 1e-13 * size;
    }

    @Benchmark
    public double sumHotSpot() {
        return ArrayKernels.sum(a);
    }

    @Benchmark
    public double sumNumbat() throws Throwable {
        return (double) NUMBAT.invokeExact(a);
    }

    @Benchmark
    public double sumNumbatFastMath() throws Throwable {
        return (double) FAST_MATH.invokeExact(a);
    }

    @Benchmark
    public double sumClang() throws Throwable {
        return (double) Twin.SUM.invokeExact(a);
    }
}
