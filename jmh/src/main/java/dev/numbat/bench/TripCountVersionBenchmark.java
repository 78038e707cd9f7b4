package dev.numbat.bench;

import dev.numbat.profiler.ProfiledTwin;
import dev.numbat.runtime.CompilerDriver;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What loop versions for the trip counts seen ({@code TripCountVersioning}, docs/profiler.md) buy: each kernel compiled
 * with its twin's profile twice, once as usual ({@code versions}) and once with {@code -Dnumbat.tripVersions=false} set
 * while it compiles ({@code noVersions}), so the two differ only in the loop versions; HotSpot for reference. Both copies
 * also get the entry's copy for the arguments seen, and the runtime then keeps the fastest setting of each method's
 * switch ({@code VersionChoice}, run with {@code -Dnumbat.verbose=true} to see its medians), so {@code versions} is what
 * a user gets: the loop versions where they measured faster, else not. No agent needed.
 * <ul>
 *   <li>{@code ellExact}: sparse matrix-vector product in ELLPACK form, 8,192 rows of exactly 5 entries
 *       ({@code for (k = 0; k < len[i]; k++)}: a count loaded from an array, so no argument decides it): a version
 *       for exactly 5 trips;</li>
 *   <li>{@code ellVaried}: rows of 3 to 5 entries: a version for at most 5;</li>
 *   <li>{@code convolution}: 4,096 outputs of a filter of 4, 5 or 6 taps in turn (one operation is three calls): a
 *       version for at most 6.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TripCountVersionBenchmark {

    /** Each kernel twice: a method compiles once, and the two copies are compiled with and without loop versions. */
    public static final class Kernels {
        private Kernels() {}

        static MethodHandles.Lookup lookup() { return MethodHandles.lookup(); }

        /** {@code y[i] = sum over k < len[i] of vals[i * width + k] * x[cols[i * width + k]]}. */
        public static void ell(int[] len, int[] cols, double[] vals, double[] x, double[] y, int width) {
            for (int i = 0; i < y.length; i++) {
                double s = 0;
                int base = i * width;
                for (int k = 0; k < len[i]; k++) s += vals[base + k] * x[cols[base + k]];
                y[i] = s;
            }
        }

        public static void ellCopy(int[] len, int[] cols, double[] vals, double[] x, double[] y, int width) {
            for (int i = 0; i < y.length; i++) {
                double s = 0;
                int base = i * width;
                for (int k = 0; k < len[i]; k++) s += vals[base + k] * x[cols[base + k]];
                y[i] = s;
            }
        }

        /** {@code y[i] = taps[0] * x[i] + ... + taps[t - 1] * x[i + t - 1]}, in that order. */
        public static void convolve(double[] x, double[] taps, double[] y) {
            for (int i = 0; i < y.length; i++) {
                double s = 0;
                for (int k = 0; k < taps.length; k++) s += taps[k] * x[i + k];
                y[i] = s;
            }
        }

        public static void convolveCopy(double[] x, double[] taps, double[] y) {
            for (int i = 0; i < y.length; i++) {
                double s = 0;
                for (int k = 0; k < taps.length; k++) s += taps[k] * x[i + k];
                y[i] = s;
            }
        }
    }

    private static final int ROWS = 8192, WIDTH = 5, N = 4096;
    private static final double[] X = new SplittableRandom(1).doubles(N + 8, -1, 1).toArray();
    private static final double[][] FILTERS = {
        new SplittableRandom(2).doubles(4, -1, 1).toArray(),
        new SplittableRandom(3).doubles(5, -1, 1).toArray(),
        new SplittableRandom(4).doubles(6, -1, 1).toArray(),
    };

    @Param({"exact", "varied"})
    public String rows;

    private int[] len, cols;
    private double[] vals, x, y;
    private final double[] out = new double[N];
    private MethodHandle ellVersions, ellNoVersions;
    private static MethodHandle convVersions, convNoVersions;

    @Setup
    public void setUp() throws Throwable {
        SplittableRandom r = new SplittableRandom(5);
        len = new int[ROWS];
        cols = new int[ROWS * WIDTH];
        for (int i = 0; i < ROWS; i++) {
            len[i] = rows.equals("exact") ? WIDTH : 3 + r.nextInt(3);
            for (int k = 0; k < WIDTH; k++) cols[i * WIDTH + k] = r.nextInt(ROWS);
        }
        vals = r.doubles(ROWS * WIDTH, -1, 1).toArray();
        x = r.doubles(ROWS, -1, 1).toArray();
        y = new double[ROWS];
        Class<?>[] ell = {int[].class, int[].class, double[].class, double[].class, double[].class, int.class};
        ellVersions = compile("ell", "([I[I[D[D[DI)V", ell, true, t -> { t.invokeExact(len, cols, vals, x, y, WIDTH); });
        ellNoVersions = compile("ellCopy", "([I[I[D[D[DI)V", ell, false, t -> { t.invokeExact(len, cols, vals, x, y, WIDTH); });
        if (convVersions == null) {
            Class<?>[] conv = {double[].class, double[].class, double[].class};
            convVersions = compile("convolve", "([D[D[D)V", conv, true, t -> { for (double[] f : FILTERS) t.invokeExact(X, f, out); });
            convNoVersions = compile("convolveCopy", "([D[D[D)V", conv, false, t -> { for (double[] f : FILTERS) t.invokeExact(X, f, out); });
        }
        double[] expected = new double[ROWS], got = new double[ROWS];
        Kernels.ell(len, cols, vals, x, expected, WIDTH);
        for (MethodHandle h : new MethodHandle[] {ellVersions, ellNoVersions}) {
            for (int k = 0; k < 600; k++) h.invokeExact(len, cols, vals, x, got, WIDTH); // past VersionChoice's measurements
            if (!Arrays.equals(expected, got)) throw new AssertionError("results differ from HotSpot's");
        }
    }

    private interface ProfiledCall { void run(MethodHandle profiledTwin) throws Throwable; }

    /** Profiles {@code name} through its twin with {@code call}, then compiles it with that profile. */
    private static MethodHandle compile(String name, String descriptor, Class<?>[] params, boolean versions, ProfiledCall call)
            throws Throwable {
        ProfiledTwin twin = ProfiledTwin.define(Kernels.lookup(), name, descriptor, null, Long.MAX_VALUE);
        for (int k = 0; k < 20; k++) call.run(twin.profiled());
        String saved = System.getProperty("numbat.tripVersions");
        System.setProperty("numbat.tripVersions", Boolean.toString(versions));
        try {
            return CompilerDriver.shared().compile(Kernels.class.getMethod(name, params), twin.profile()).handle();
        } finally {
            if (saved == null) System.clearProperty("numbat.tripVersions");
            else System.setProperty("numbat.tripVersions", saved);
        }
    }

    @Benchmark public double[] ellHotSpot() {
        Kernels.ell(len, cols, vals, x, y, WIDTH);
        return y;
    }

    @Benchmark public double[] ellVersions() throws Throwable {
        ellVersions.invokeExact(len, cols, vals, x, y, WIDTH);
        return y;
    }

    @Benchmark public double[] ellNoVersions() throws Throwable {
        ellNoVersions.invokeExact(len, cols, vals, x, y, WIDTH);
        return y;
    }

    @Benchmark public double[] convolutionHotSpot() {
        for (double[] f : FILTERS) Kernels.convolve(X, f, out);
        return out;
    }

    @Benchmark public double[] convolutionVersions() throws Throwable {
        for (double[] f : FILTERS) convVersions.invokeExact(X, f, out);
        return out;
    }

    @Benchmark public double[] convolutionNoVersions() throws Throwable {
        for (double[] f : FILTERS) convNoVersions.invokeExact(X, f, out);
        return out;
    }
}
