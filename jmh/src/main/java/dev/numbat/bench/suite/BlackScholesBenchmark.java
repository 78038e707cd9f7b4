package dev.numbat.bench.suite;

import dev.numbat.kernels.BlackScholesKernels;
import java.lang.invoke.MethodHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * {@link BlackScholesKernels#price}: a log, a square root and three exps per option. HotSpot's {@code Math.exp/log}
 * intrinsics, Numbat's (fdlibm's, as StrictMath) and the C library the twin calls may differ in the last bit (see
 * {@link BlackScholesKernels}), hence {@link #libmTolerance()}; Numbat parallel must equal Numbat strict bit for
 * bit.
 */
public class BlackScholesBenchmark extends SuiteBenchmark {
    private static final Class<?> D = double[].class;
    private static final MethodHandle NUMBAT = KernelHandles.numbat(BlackScholesKernels.class, "price", D, D, D, double.class, double.class, D, D);
    private static final MethodHandle FAST_MATH = KernelHandles.numbat(BlackScholesKernels.class, "priceFastMath", D, D, D, double.class, double.class, D, D);
    private static final MethodHandle PARALLEL = KernelHandles.numbat(BlackScholesKernels.class, "priceParallel", D, D, D, double.class, double.class, D, D);

    private static final class Twin {
        static final MethodHandle PRICE = KernelHandles.clang("price", void.class, D, D, D, double.class, double.class, D, D);
    }

    /** Options: five arrays (three in, two out) of 40 KiB (L1), 1.25 MiB (L2), 80 MiB (DRAM). */
    @Param({"1024", "32768", "2097152"})
    public int size;

    private final double rate = 0.02, volatility = 0.3;
    private double[] s, k, t, call, put;

    @Override
    public void prepare() {
        s = TestData.doubles(size, 19, 10, 200);
        k = TestData.doubles(size, 20, 10, 200);
        t = TestData.doubles(size, 21, 0.05, 3);
        call = new double[size];
        put = new double[size];
    }

    @Override
    public Object run(Variant v) throws Throwable {
        java.util.Arrays.fill(call, 0.0);
        java.util.Arrays.fill(put, 0.0);
        switch (v) {
            case HOTSPOT -> blackscholesHotSpot();
            case NUMBAT -> blackscholesNumbat();
            case FAST_MATH -> blackscholesNumbatFastMath();
            case PARALLEL -> blackscholesNumbatParallel();
            case CLANG -> blackscholesClang();
        }
        return new Object[] {call.clone(), put.clone()};
    }

    /** Prices up to about 200, so 1e-10 allows far more than the few ulps a 1-ulp exp or log difference makes. */
    @Override
    protected double libmTolerance() {
        return 1e-10;
    }

    @Override
    protected double fastMathTolerance() {
        return 1e-9;
    }

    @Benchmark
    public void blackscholesHotSpot() {
        BlackScholesKernels.price(s, k, t, rate, volatility, call, put);
    }

    @Benchmark
    public void blackscholesNumbat() throws Throwable {
        NUMBAT.invokeExact(s, k, t, rate, volatility, call, put);
    }

    @Benchmark
    public void blackscholesNumbatFastMath() throws Throwable {
        FAST_MATH.invokeExact(s, k, t, rate, volatility, call, put);
    }

    @Benchmark
    public void blackscholesNumbatParallel() throws Throwable {
        PARALLEL.invokeExact(s, k, t, rate, volatility, call, put);
    }

    @Benchmark
    public void blackscholesClang() throws Throwable {
        Twin.PRICE.invokeExact(s, k, t, rate, volatility, call, put);
    }
}
