package dev.numbat.bench;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import dev.numbat.Jit;
import dev.numbat.Numbat;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
 * saxpy over off-heap MemorySegments against the same loop over float arrays, each run by HotSpot and by Numbat:
 * what the segment's checks cost in compiled code (docs/performance.md, "MemorySegment parameters").
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SegmentBenchmark {
    public static final class Kernels {
        private Kernels() {}

        @Jit
        public static void saxpyArrays(float a, float[] x, float[] y) {
            for (int i = 0; i < x.length; i++) y[i] = a * x[i] + y[i];
        }

        @Jit
        public static void saxpySegments(float a, MemorySegment x, MemorySegment y, long n) {
            for (long i = 0; i < n; i++) y.setAtIndex(JAVA_FLOAT, i, a * x.getAtIndex(JAVA_FLOAT, i) + y.getAtIndex(JAVA_FLOAT, i));
        }
    }

    private static final MethodHandle ARRAYS, SEGMENTS;
    static {
        try {
            ARRAYS = Numbat.compile(Kernels.class.getMethod("saxpyArrays", float.class, float[].class, float[].class));
            SEGMENTS = Numbat.compile(Kernels.class.getMethod("saxpySegments", float.class, MemorySegment.class, MemorySegment.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Floats per operand: 256 KiB (L2) and 64 MiB (DRAM) for the two of them. */
    @Param({"32768", "8388608"})
    public int size;

    private float[] x, y;
    private Arena arena;
    private MemorySegment xs, ys;

    @Setup
    public void setUp() throws Throwable {
        x = new float[size];
        y = new float[size];
        for (int i = 0; i < size; i++) { x[i] = (i % 97) * 0.25f - 3; y[i] = (i % 13) * 0.5f; }
        arena = Arena.ofShared();
        xs = arena.allocate(4L * size, 64);
        ys = arena.allocate(4L * size, 64);
        MemorySegment.copy(x, 0, xs, JAVA_FLOAT, 0, size);
        MemorySegment.copy(y, 0, ys, JAVA_FLOAT, 0, size);
        // Numbat must give HotSpot's results, on both shapes, before anything is timed.
        float[] hy = y.clone(), ny = y.clone();
        Kernels.saxpyArrays(1.5f, x, hy);
        ARRAYS.invokeExact(1.5f, x, ny);
        MemorySegment hs = arena.allocate(4L * size, 64), ns = arena.allocate(4L * size, 64);
        hs.copyFrom(ys);
        ns.copyFrom(ys);
        Kernels.saxpySegments(1.5f, xs, hs, (long) size);
        SEGMENTS.invokeExact(1.5f, xs, ns, (long) size);
        if (!java.util.Arrays.equals(hy, ny) || hs.mismatch(ns) != -1 || hs.mismatch(MemorySegment.ofArray(hy)) != -1) {
            throw new AssertionError("Numbat's saxpy differs from HotSpot's");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() { arena.close(); }

    @Benchmark public void arraysHotSpot() { Kernels.saxpyArrays(1.0001f, x, y); }

    @Benchmark public void arraysNumbat() throws Throwable { ARRAYS.invokeExact(1.0001f, x, y); }

    @Benchmark public void segmentsHotSpot() { Kernels.saxpySegments(1.0001f, xs, ys, (long) size); }

    @Benchmark public void segmentsNumbat() throws Throwable { SEGMENTS.invokeExact(1.0001f, xs, ys, (long) size); }
}
