package dev.numbat.bench;

import dev.numbat.bench.suite.ArrayLayout;
import dev.numbat.bench.suite.ClangTwins;
import dev.numbat.bench.suite.KernelHandles;
import dev.numbat.bench.suite.TestData;
import dev.numbat.kernels.ArrayKernels;
import java.lang.invoke.MethodHandle;
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
 * The suite's saxpy at 2,048 floats (L1) with the two arrays placed on purpose, the same for every variant:
 * {@code gap} is {@code y - x} modulo 4,096 bytes. The suite's own forks get whatever layout their allocations
 * and collections leave (each reports it: {@code SUITE-LAYOUT} on standard error), and at this size the layout
 * moves every variant by up to 2x (docs/performance.md, "saxpy at 2,048 floats").
 * <ul>
 *   <li>{@code 16}: what {@code new float[2048]} twice in a row gives: {@code y} starts 16 bytes past a multiple of
 *       4 KiB from {@code x}, so loads of {@code x} meet the low address bits of recent stores to {@code y};</li>
 *   <li>{@code 64}: one cache line apart;</li>
 *   <li>{@code 2048}: half a page apart, no aliasing;</li>
 *   <li>{@code 4080}: {@code y} 16 bytes before {@code x}.</li>
 * </ul>
 * The arrays are placed by allocating {@code x}, a filler array and {@code y}, then a full collection (which
 * compacts them in that order into the old generation, where nothing moves them while nothing else is
 * allocated), then reading the distance and resizing the filler until it is right; a fork that cannot place them
 * fails, and the tear-down says if they moved.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SaxpyLayoutBenchmark {
    static final int SIZE = 2048;

    private static final MethodHandle NUMBAT = KernelHandles.numbat(ArrayKernels.class, "saxpy", float.class, float[].class, float[].class);

    private static final class Twin {
        static final MethodHandle SAXPY = KernelHandles.clang("saxpy", void.class, float.class, float[].class, float[].class);
    }

    /** {@code y - x} modulo 4,096, in bytes. */
    @Param({"16", "64", "2048", "4080"})
    public int gap;

    private final float alpha = 0.5f;
    private float[] x, filler, y;
    private long placedAt;

    @Setup(Level.Trial)
    public void place() {
        if (!ClangTwins.available()) throw new IllegalStateException("the arrays' addresses need clang: " + ClangTwins.unavailableReason());
        int fillerBytes = 0; // 0: no filler; else its whole size, header included (16 bytes, a multiple of 8)
        for (int attempt = 0; attempt < 16; attempt++) {
            x = null; filler = null; y = null;
            System.gc();
            x = new float[SIZE];
            filler = fillerBytes == 0 ? null : new float[(fillerBytes - 16) / 4];
            y = new float[SIZE];
            System.gc();
            long d = ArrayLayout.distance(x, y);
            int missing = Math.floorMod(gap - d, 4096);
            if (missing == 0) {
                System.arraycopy(TestData.floats(SIZE, 4, -1, 1), 0, x, 0, SIZE);
                System.arraycopy(TestData.floats(SIZE, 5, -1, 1), 0, y, 0, SIZE);
                placedAt = d;
                System.err.println("LAYOUT placed after " + (attempt + 1) + " tries: " + ArrayLayout.describe(x, y));
                return;
            }
            fillerBytes += missing;
            while (fillerBytes >= 4096 + 16) fillerBytes -= 4096;
            if (fillerBytes > 0 && fillerBytes < 16) fillerBytes += 4096;
        }
        throw new IllegalStateException("could not place y at " + gap + " bytes mod 4096 from x: " + ArrayLayout.describe(x, y));
    }

    @TearDown(Level.Trial)
    public void check() {
        long d = ArrayLayout.distance(x, y);
        if (d != placedAt) System.err.println("LAYOUT moved during the trial: " + ArrayLayout.describe(x, y));
    }

    @Benchmark
    public void saxpyHotSpot() {
        ArrayKernels.saxpy(alpha, x, y);
    }

    @Benchmark
    public void saxpyNumbat() throws Throwable {
        NUMBAT.invokeExact(alpha, x, y);
    }

    @Benchmark
    public void saxpyClang() throws Throwable {
        Twin.SAXPY.invokeExact(alpha, x, y);
    }
}
