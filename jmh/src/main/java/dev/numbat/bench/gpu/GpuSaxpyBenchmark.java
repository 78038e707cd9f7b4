package dev.numbat.bench.gpu;

import dev.numbat.Gpu;
import dev.numbat.GpuArray;
import dev.numbat.GpuGrid;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Saxpy over 256 M floats on a GPU (issue 6): the kernel on device arrays ({@link #saxpyKernel}, 12 bytes of
 * traffic per element) against a copy kernel on the same arrays ({@link #copyKernel}, 8 bytes), whose
 * bandwidth is the device's measured copy bandwidth; the goal is saxpy at 85 % of it or more, i.e.
 * {@code 12 / t(saxpy) >= 0.85 * 8 / t(copy)}. The transfers are timed on their own
 * ({@link #hostToDevice}, {@link #deviceToHost}) and together with the kernel ({@link #saxpyWithJavaArrays}).
 * Every launch here is synchronous, so each figure includes one launch's fixed cost (tens of microseconds,
 * against about a millisecond of kernel on a current GPU).
 *
 * <p>Needs a CUDA device and numbat-ptx-backend on the class path; fails in setup otherwise. Not run yet: no
 * GPU was available when it was written (docs/gpu.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
public class GpuSaxpyBenchmark {
    @Param({"268435456"})
    public int size;

    private float[] x, y;
    private GpuArray dx, dy;
    private GpuGrid grid;

    @Setup(Level.Trial)
    public void setUp() {
        GpuBenchKernels.requireDevice();
        x = new float[size];
        y = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = i % 1000 * 0.001f;
            y[i] = 1f;
        }
        dx = GpuArray.of(x);
        dy = GpuArray.of(y);
        grid = Gpu.grid((size + 255) / 256).block(256);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (dx != null) dx.close();
        if (dy != null) dy.close();
    }

    @Benchmark
    public void saxpyKernel() {
        Gpu.launch(GpuBenchKernels.class, "saxpy", grid, 1.0001f, dx, dy);
    }

    @Benchmark
    public void copyKernel() {
        Gpu.launch(GpuBenchKernels.class, "copy", grid, dx, dy);
    }

    @Benchmark
    public void hostToDevice() {
        dy.copyFrom(y);
    }

    @Benchmark
    public void deviceToHost() {
        dy.copyTo(y);
    }

    /** Copies x and y in, runs the kernel, copies y (the only array it writes) back. */
    @Benchmark
    public void saxpyWithJavaArrays() {
        Gpu.launch(GpuBenchKernels.class, "saxpy", grid, 1.0001f, x, y);
    }
}
