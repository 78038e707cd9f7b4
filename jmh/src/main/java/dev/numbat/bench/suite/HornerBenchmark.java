package dev.numbat.bench.suite;

import dev.numbat.kernels.ArrayKernels;
import java.lang.invoke.MethodHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/** {@link ArrayKernels#horner}: a degree-12 polynomial at every element, 12 dependent multiply-adds each. */
public class HornerBenchmark extends SuiteBenchmark {
    static final int DEGREE = 12;

    private static final MethodHandle NUMBAT = KernelHandles.numbat(ArrayKernels.class, "horner", double[].class, double[].class, double[].class);
    private static final MethodHandle FAST_MATH = KernelHandles.numbat(ArrayKernels.class, "hornerFastMath", double[].class, double[].class, double[].class);
    private static final MethodHandle PARALLEL = KernelHandles.numbat(ArrayKernels.class, "hornerParallel", double[].class, double[].class, double[].class);

    private static final class Twin {
        static final MethodHandle HORNER = KernelHandles.clang("horner", void.class, double[].class, double[].class, double[].class);
    }

    /** Elements of x and of y: 16 KiB (L1), 1 MiB (L2), 64 MiB (DRAM) of data. */
    @Param({"1024", "65536", "4194304"})
    public int size;

    private double[] c, x, y;

    @Override
    public void prepare() {
        c = new double[DEGREE + 1];
        for (int k = 0; k <= DEGREE; k++) c[k] = (k % 2 == 0 ? 1.0 : -1.0) / (k + 1); // log(1 + x)-like, bounded on [-1, 1]
        x = TestData.doubles(size, 8, -1, 1);
        y = new double[size];
    }

    @Override
    public Object run(Variant v) throws Throwable {
        java.util.Arrays.fill(y, 0.0);
        switch (v) {
            case HOTSPOT -> hornerHotSpot();
            case NUMBAT -> hornerNumbat();
            case FAST_MATH -> hornerNumbatFastMath();
            case PARALLEL -> hornerNumbatParallel();
            case CLANG -> hornerClang();
        }
        return y.clone();
    }

    @Benchmark
    public void hornerHotSpot() {
        ArrayKernels.horner(c, x, y);
    }

    @Benchmark
    public void hornerNumbat() throws Throwable {
        NUMBAT.invokeExact(c, x, y);
    }

    @Benchmark
    public void hornerNumbatFastMath() throws Throwable {
        FAST_MATH.invokeExact(c, x, y);
    }

    @Benchmark
    public void hornerNumbatParallel() throws Throwable {
        PARALLEL.invokeExact(c, x, y);
    }

    @Benchmark
    public void hornerClang() throws Throwable {
        Twin.HORNER.invokeExact(c, x, y);
    }
}
