package dev.numbat.bench.suite;

import dev.numbat.kernels.NBodyKernels;
import java.lang.invoke.MethodHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * {@link NBodyKernels#step}: n² softened interactions (a division and a square root each), then n updates. The
 * bodies move on with every call; the work per call does not depend on where they are.
 */
public class NBodyBenchmark extends SuiteBenchmark {
    private static final Class<?> D = double[].class;
    private static final MethodHandle NUMBAT = KernelHandles.numbat(NBodyKernels.class, "step", D, D, D, D, D, D, D, double.class);
    private static final MethodHandle FAST_MATH = KernelHandles.numbat(NBodyKernels.class, "stepFastMath", D, D, D, D, D, D, D, double.class);
    private static final MethodHandle PARALLEL = KernelHandles.numbat(NBodyKernels.class, "stepParallel", D, D, D, D, D, D, D, double.class);

    private static final class Twin {
        static final MethodHandle STEP = KernelHandles.clang("step", void.class, D, D, D, D, D, D, D, double.class);
    }

    /**
     * Bodies: seven arrays of 14 KiB (L1), 112 KiB (L2) and 896 KiB. The work grows as n², so the largest size is
     * the one whose step takes about a second; its data stays in L2 (no n-body size reaches DRAM in useful time).
     */
    @Param({"256", "2048", "16384"})
    public int size;

    private final double dt = 1e-4;
    private double[] x, y, z, vx, vy, vz, m;

    @Override
    public void prepare() {
        x = TestData.doubles(size, 12, -1, 1);
        y = TestData.doubles(size, 13, -1, 1);
        z = TestData.doubles(size, 14, -1, 1);
        vx = TestData.doubles(size, 15, -0.1, 0.1);
        vy = TestData.doubles(size, 16, -0.1, 0.1);
        vz = TestData.doubles(size, 17, -0.1, 0.1);
        m = TestData.doubles(size, 18, 0.5 / size, 1.5 / size);
    }

    @Override
    public Object run(Variant v) throws Throwable {
        double[][] state = {x, y, z, vx, vy, vz};
        double[][] saved = new double[6][];
        for (int i = 0; i < 6; i++) saved[i] = state[i].clone();
        switch (v) {
            case HOTSPOT -> nbodyHotSpot();
            case NUMBAT -> nbodyNumbat();
            case FAST_MATH -> nbodyNumbatFastMath();
            case PARALLEL -> nbodyNumbatParallel();
            case CLANG -> nbodyClang();
        }
        Object[] result = new Object[6];
        for (int i = 0; i < 6; i++) {
            result[i] = state[i].clone();
            System.arraycopy(saved[i], 0, state[i], 0, size);
        }
        return result;
    }

    @Override
    protected double fastMathTolerance() {
        return 1e-9;
    }

    @Benchmark
    public void nbodyHotSpot() {
        NBodyKernels.step(x, y, z, vx, vy, vz, m, dt);
    }

    @Benchmark
    public void nbodyNumbat() throws Throwable {
        NUMBAT.invokeExact(x, y, z, vx, vy, vz, m, dt);
    }

    @Benchmark
    public void nbodyNumbatFastMath() throws Throwable {
        FAST_MATH.invokeExact(x, y, z, vx, vy, vz, m, dt);
    }

    @Benchmark
    public void nbodyNumbatParallel() throws Throwable {
        PARALLEL.invokeExact(x, y, z, vx, vy, vz, m, dt);
    }

    @Benchmark
    public void nbodyClang() throws Throwable {
        Twin.STEP.invokeExact(x, y, z, vx, vy, vz, m, dt);
    }
}
