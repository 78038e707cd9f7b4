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
 * The tiled matrix multiply ({@link GpuBenchKernels#matmul}, 16 x 16 tiles in shared memory) on n x n device
 * arrays. The goal (issue 6) is within 1.2x of the same kernel in CUDA C compiled by {@code nvcc -O3}:
 *
 * <pre>
 * #define TILE 16
 * extern "C" __global__ void matmul(const float *a, const float *b, float *c, int n) {
 *     __shared__ float as[TILE * TILE], bs[TILE * TILE];
 *     int tx = threadIdx.x, ty = threadIdx.y;
 *     int col = blockIdx.x * TILE + tx, row = blockIdx.y * TILE + ty;
 *     float acc = 0.f;
 *     for (int t = 0; t < n; t += TILE) {
 *         as[ty * TILE + tx] = row < n &amp;&amp; t + tx < n ? a[row * n + t + tx] : 0.f;
 *         bs[ty * TILE + tx] = col < n &amp;&amp; t + ty < n ? b[(t + ty) * n + col] : 0.f;
 *         __syncthreads();
 *         for (int k = 0; k < TILE; k++) acc = __fadd_rn(acc, __fmul_rn(as[ty * TILE + k], bs[k * TILE + tx]));
 *         __syncthreads();
 *     }
 *     if (row < n &amp;&amp; col < n) c[row * n + col] = acc;
 * }
 * </pre>
 *
 * ({@code __fadd_rn/__fmul_rn} keep nvcc from contracting into FMAs, which Java's semantics forbid: compare
 * with {@link #tiledMatmul}; the plain {@code acc += as[..] * bs[..]} version, contracted by nvcc's default
 * {@code --fmad=true}, compares with {@link #tiledMatmulFastMath}.) Timing the twin needs nvcc and a
 * driver-API harness outside this JVM. Not run yet: no GPU was available when it was written (docs/gpu.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class GpuMatmulBenchmark {
    @Param({"4096"})
    public int n;

    private GpuArray a, b, c;
    private GpuGrid grid;

    @Setup(Level.Trial)
    public void setUp() {
        GpuBenchKernels.requireDevice();
        float[] host = new float[n * n];
        for (int i = 0; i < host.length; i++) host[i] = (i % 17) * 0.25f;
        a = GpuArray.of(host);
        b = GpuArray.of(host);
        c = GpuArray.allocate(float.class, n * n);
        int g = (n + GpuBenchKernels.TILE - 1) / GpuBenchKernels.TILE;
        grid = Gpu.grid(g, g).block(GpuBenchKernels.TILE, GpuBenchKernels.TILE);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (GpuArray x : new GpuArray[] {a, b, c}) if (x != null) x.close();
    }

    @Benchmark
    public void tiledMatmul() {
        Gpu.launch(GpuBenchKernels.class, "matmul", grid, a, b, c, n);
    }

    /** Against nvcc's default (contracted) build of the twin. */
    @Benchmark
    public void tiledMatmulFastMath() {
        Gpu.launch(GpuBenchKernels.class, "matmulFastMath", grid, a, b, c, n);
    }
}
