package dev.numbat.differential.parallel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.numbat.Jit;
import dev.numbat.Numbat;
import dev.numbat.differential.Differential;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code @Jit(parallel = true)} against the JVM: the parallel path must give exactly the serial results (array
 * contents, reductions, exceptions and the writes made before them), and every case its run-time checks cannot
 * clear (out-of-range bounds, null arrays, zero divisors, aliasing arrays) must run the original loop. Ranges of
 * 0 to 100,003 iterations cover chunks of one iteration, uneven chunks and fewer iterations than threads; the
 * compiled IR is checked for whether each loop was made parallel, so a kernel silently left serial fails.
 */
class ParallelLoopTest {

    static final class Kernels {
        @Jit(parallel = true)
        static void saxpy(float a, float[] x, float[] y) {
            for (int i = 0; i < x.length; i++) y[i] = a * x[i] + y[i];
        }

        @Jit(parallel = true)
        static void fill(int[] a, int from, int to) {
            for (int i = from; i < to; i++) a[i] = i * 3 + 1;
        }

        /** Three arrays: the loop as it was, which runs below the threshold, gets range-check versioning too. */
        @Jit(parallel = true)
        static void triad(double[] a, double[] b, double[] c, double s) {
            for (int i = 0; i < c.length; i++) c[i] = a[i] + s * b[i];
        }

        @Jit(parallel = true)
        static void stencil(double[] in, double[] out, int w, int h) {
            for (int y = 1; y < h - 1; y++) {
                int row = y * w;
                for (int x = 1; x < w - 1; x++) {
                    int i = row + x;
                    out[i] = 0.2 * (in[i] + in[i - 1] + in[i + 1] + in[i - w] + in[i + w]);
                }
            }
        }

        @Jit(parallel = true)
        static int mandelbrot(int w, int h, int maxIter, int[] out) {
            int total = 0;
            for (int y = 0; y < h; y++) {
                double ci = -1.5 + 3.0 * y / h;
                for (int x = 0; x < w; x++) {
                    double cr = -2.0 + 3.0 * x / w, zr = 0, zi = 0;
                    int k = 0;
                    while (k < maxIter && zr * zr + zi * zi <= 4.0) {
                        double t = zr * zr - zi * zi + cr;
                        zi = 2 * zr * zi + ci;
                        zr = t;
                        k++;
                    }
                    out[y * w + x] = k;
                    total += k;
                }
            }
            return total;
        }

        @Jit(parallel = true)
        static void matmul(double[] a, double[] b, double[] c, int n) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
                    c[i * n + j] = s;
                }
            }
        }

        /** Wrapping int sum: exact in any order. */
        @Jit(parallel = true)
        static int sumSquares(int[] a) {
            int s = 7;
            for (int i = 0; i < a.length; i++) s += a[i] * a[i];
            return s;
        }

        @Jit(parallel = true)
        static long product(long[] a) {
            long p = 1;
            for (int i = 0; i < a.length; i++) p *= a[i] | 1;
            return p;
        }

        /** Math.min over doubles, NaN and signed zeros included: associative, so exact in parallel. */
        @Jit(parallel = true)
        static double minimum(double[] a) {
            double m = Double.POSITIVE_INFINITY;
            for (int i = 0; i < a.length; i++) m = Math.min(m, a[i]);
            return m;
        }

        @Jit(parallel = true)
        static float maximum(float[] a, float start) {
            float m = start;
            for (int i = 0; i < a.length; i++) m = Math.max(a[i] * 2, m);
            return m;
        }

        /** Divides by a value fixed for the loop: zero must raise the JVM's exception after the writes before it. */
        @Jit(parallel = true)
        static int divideAll(int[] a, int[] out, int d) {
            out[0] = -1;
            int sum = 0;
            for (int i = 0; i < a.length; i++) {
                out[i] = a[i] / d;
                sum += out[i];
            }
            return sum;
        }

        /** An inner loop that counts down to 0 inclusive (a constant bound: it cannot wrap). */
        @Jit(parallel = true)
        static void horner(double[] c, double[] x, double[] y) {
            int d = c.length - 1;
            for (int i = 0; i < x.length; i++) {
                double xi = x[i];
                double p = c[d];
                for (int k = d - 1; k >= 0; k--) p = p * xi + c[k];
                y[i] = p;
            }
        }

        /** Counts down while above -1 (strict), with an index that falls as the counter rises. */
        @Jit(parallel = true)
        static void reverseRows(int[] in, int[] out, int n, int m) {
            for (int i = 0; i < n; i++) {
                for (int k = m - 1; k > -1; k--) out[i * m + k] = in[i * m + (m - 1 - k)];
            }
        }

        /** Counts down to a bound known only at run time, inclusive: MIN_VALUE would wrap it, so the loop stays serial. */
        @Jit(parallel = true)
        static void suffixSums(int[] a, int[] out, int lo) {
            for (int i = 0; i < out.length; i++) {
                int s = i;
                for (int k = a.length - 1; k >= lo; k--) s += a[k];
                out[i] = s;
            }
        }

        /** {@link #fill}, compiled for seven threads by {@link #sevenThreadsSplitUnevenly}. */
        @Jit(parallel = true)
        static void fillSeven(int[] a, int from, int to) {
            for (int i = from; i < to; i++) a[i] = i * 3 + 1;
        }

        /** Keeps the last counter value seen: carried from one iteration to the next, so serial. */
        @Jit(parallel = true)
        static int lastNegative(int[] a) {
            int last = -1;
            for (int i = 0; i < a.length; i++) if (a[i] < 0) last = i;
            return last;
        }

        /** A loop-carried dependence: stays serial. */
        @Jit(parallel = true)
        static void prefixSum(int[] a) {
            for (int i = 1; i < a.length; i++) a[i] += a[i - 1];
        }

        /** A floating-point sum: reassociating it is not allowed without fastMath, so it stays serial. */
        @Jit(parallel = true)
        static double strictSum(double[] a) {
            double s = 0;
            for (int i = 0; i < a.length; i++) s += a[i];
            return s;
        }

        /** Two loops: the first runs in parallel, the second reads what it wrote. */
        @Jit(parallel = true)
        static long twoLoops(int[] a, int n) {
            for (int i = 0; i < n; i++) a[i] = i ^ (i >>> 3);
            long s = 0;
            for (int i = 0; i < n; i++) s += a[i];
            return s;
        }

        /** The counter is used after the loop: its final value must be the serial one. */
        @Jit(parallel = true)
        static int counterAfter(double[] a, int n) {
            int i;
            for (i = 0; i < n; i++) a[i] = Math.sqrt(i);
            return i;
        }
    }

    /** Calls that only compute a value do not keep a loop serial; one that writes, or may throw, does. */
    static final class Callers {
        @Jit(parallel = true)
        static void normalCdf(double[] x, double[] out) {
            for (int i = 0; i < x.length; i++) out[i] = cnd(x[i]) + twice(i);
        }

        static double cnd(double x) {
            double l = Math.abs(x);
            double k = 1.0 / (1.0 + 0.2316419 * l);
            double poly = k * (0.319381530 + k * (-0.356563782 + k * (1.781477937 + k * (-1.821255978 + k * 1.330274429))));
            double w = 1.0 - 0.3989422804014327 * Math.exp(-0.5 * l * l) * poly;
            return x < 0.0 ? 1.0 - w : w;
        }

        static double twice(int i) { return i * 2.0; }

        @Jit(parallel = true)
        static void writingHelper(double[] x, double[] out) {
            for (int i = 0; i < x.length; i++) put(out, i, x[i]);
        }

        static void put(double[] a, int i, double v) { a[i] = v * 3; }

        @Jit(parallel = true)
        static void dividingHelper(int[] x, int[] out, int d) {
            for (int i = 0; i < x.length; i++) out[i] = quotient(x[i], d);
        }

        static int quotient(int a, int b) { return a / b; }
    }

    static final SplittableRandom RANDOM = new SplittableRandom(0x9A7A11E1L);
    /**
     * The build runs the tests with {@code -Dnumbat.parallel.minimumWork=1}, so every size from two iterations on takes
     * the parallel path when its checks pass (by default small loops stay serial: threads would cost more).
     */
    static final int[] SIZES = {0, 1, 2, 3, 7, 64, 1001, 20_000, 100_003};

    static Differential kernel(String name, boolean parallel) {
        return kernel(Kernels.class, name, parallel);
    }

    static Differential kernel(Class<?> owner, String name, boolean parallel) {
        Method m = Differential.method(owner, name);
        String ir = Numbat.inspect(m).typedIr();
        if (parallel) assertTrue(ir.contains(" = parallel ") || ir.contains("  parallel "), name + " was not made parallel:\n" + ir);
        else assertFalse(ir.contains("parallel "), name + " should have stayed serial:\n" + ir);
        return Differential.of(m);
    }

    static float[] floats(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) RANDOM.nextDouble(-1e3, 1e3);
        return a;
    }

    static double[] doubles(int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = RANDOM.nextDouble(-1e3, 1e3);
        return a;
    }

    static int[] ints(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = RANDOM.nextInt();
        return a;
    }

    @Test
    void callsToPureHelpersRunInParallelOthersStaySerial() {
        List<Object[]> tuples = new ArrayList<>();
        for (int n : SIZES) {
            double[] x = doubles(n);
            if (n > 2) { x[0] = Double.NaN; x[1] = -0.0; x[2] = Double.NEGATIVE_INFINITY; }
            tuples.add(new Object[] {x, new double[n]});
            if (n > 0) tuples.add(new Object[] {doubles(n), new double[n - 1]}); // out too short: AIOOBE after writes
        }
        tuples.add(new Object[] {null, new double[1]});
        kernel(Callers.class, "normalCdf", true).checkAll(tuples);
        List<Object[]> writes = new ArrayList<>();
        for (int n : new int[] {0, 5, 100_003}) writes.add(new Object[] {doubles(n), new double[n]});
        kernel(Callers.class, "writingHelper", false).checkAll(writes);
        List<Object[]> divides = new ArrayList<>();
        for (int d : new int[] {3, 0, -1}) divides.add(new Object[] {ints(100_003), new int[100_003], d});
        kernel(Callers.class, "dividingHelper", false).checkAll(divides);
    }

    @Test
    void saxpyAtEverySizeAliasedAndNull() {
        List<Object[]> tuples = new ArrayList<>();
        for (int n : SIZES) {
            tuples.add(new Object[] {1.5f, floats(n), floats(n)});
            float[] same = floats(n);
            tuples.add(new Object[] {-2f, same, same});
            tuples.add(new Object[] {Float.NaN, floats(n), floats(n + 1)});
            if (n > 0) tuples.add(new Object[] {3f, floats(n), floats(n - 1)}); // y too short: AIOOBE after writes
        }
        tuples.add(new Object[] {1f, null, floats(3)});
        tuples.add(new Object[] {1f, floats(3), null});
        kernel("saxpy", true).checkAll(tuples);
    }

    /**
     * Below the threshold (and wherever the run-time checks fail) the loop as it was runs: the loop passes after the
     * rewrite version it like any loop, though the parallel path joins it at its exit.
     */
    @Test
    void theSerialLoopOfAParallelMethodIsVersioned() {
        String ir = Numbat.inspect(Differential.method(Kernels.class, "triad")).typedIr();
        String entry = ir.substring(0, ir.indexOf("function", ir.indexOf('\n')));
        assertTrue(entry.contains(" = inRange "), "triad's serial loop was not range-check versioned:\n" + ir);
        List<Object[]> tuples = new ArrayList<>();
        for (int n : SIZES) {
            tuples.add(new Object[] {doubles(n), doubles(n), new double[n], 0.5});
            double[] same = doubles(n);
            tuples.add(new Object[] {same, same, same, -2.0}); // c is a and b: no parallel path, the versioned loop
            if (n > 0) tuples.add(new Object[] {doubles(n), doubles(n - 1), new double[n], 1.0}); // b short: AIOOBE after writes
        }
        tuples.add(new Object[] {null, doubles(3), new double[3], 1.0});
        kernel("triad", true).checkAll(tuples);
    }

    @Test
    void fillWithRangesInAndOutOfBounds() {
        List<Object[]> tuples = new ArrayList<>();
        int[][] ranges = {{0, 100}, {5, 100}, {0, 101}, {-1, 50}, {60, 40}, {99, 100}, {Integer.MIN_VALUE, -5}, {0, 0}, {90, Integer.MAX_VALUE}};
        for (int[] r : ranges) tuples.add(new Object[] {new int[100], r[0], r[1]});
        tuples.add(new Object[] {null, 0, 10});
        tuples.add(new Object[] {null, 10, 0});
        kernel("fill", true).checkAll(tuples);
    }

    /** More threads than cores, and ranges that do not divide evenly among them. */
    @Test
    void sevenThreadsSplitUnevenly() {
        String before = System.getProperty("numbat.threads");
        System.setProperty("numbat.threads", "7");
        Differential d;
        try {
            d = kernel("fillSeven", true);
            String llvm = Numbat.inspect(Differential.method(Kernels.class, "fillSeven")).optimizedLlvmIr();
            assertTrue(llvm.contains("alloca [7 x {"), "no room for seven task records:\n" + llvm);
            assertTrue(llvm.contains("call void @numbat_parallel_for("), "the chunks do not go to the pool:\n" + llvm);
        } finally {
            if (before == null) System.clearProperty("numbat.threads");
            else System.setProperty("numbat.threads", before);
        }
        List<Object[]> tuples = new ArrayList<>();
        for (int n : new int[] {9_999, 10_000, 10_001, 70_003, 100_000}) {
            tuples.add(new Object[] {new int[n], 0, n});
            tuples.add(new Object[] {new int[n], 3, n - 1});
            tuples.add(new Object[] {new int[n], 0, n + 1});
        }
        d.checkAll(tuples);
    }

    @Test
    void stencilGridsAndAliasing() {
        List<Object[]> tuples = new ArrayList<>();
        int[][] shapes = {{3, 3}, {10, 7}, {129, 65}, {2, 50}, {1, 1}, {0, 5}, {400, 300}};
        for (int[] s : shapes) {
            int n = s[0] * s[1];
            tuples.add(new Object[] {doubles(n), doubles(n), s[0], s[1]});
            double[] same = doubles(n);
            tuples.add(new Object[] {same, same, s[0], s[1]}); // in place: serial, order matters
            tuples.add(new Object[] {doubles(n), doubles(n), s[0], s[1] + 1}); // one row too many: AIOOBE
        }
        kernel("stencil", true).checkAll(tuples);
    }

    @Test
    void mandelbrotRowsAndTotal() {
        List<Object[]> tuples = new ArrayList<>();
        int[][] shapes = {{16, 9}, {1, 1}, {0, 4}, {4, 0}, {120, 80}, {33, 7}};
        for (int[] s : shapes) tuples.add(new Object[] {s[0], s[1], 100, new int[s[0] * s[1]]});
        tuples.add(new Object[] {10, 10, 50, new int[99]});
        tuples.add(new Object[] {10, 10, 50, null});
        kernel("mandelbrot", true).checkAll(tuples);
    }

    @Test
    void innerLoopsCountingDown() {
        List<Object[]> horner = new ArrayList<>();
        for (int degree : new int[] {-1, 0, 1, 12}) {
            for (int n : SIZES) {
                horner.add(new Object[] {doubles(degree + 1), doubles(n), new double[n]});
                if (n > 0) horner.add(new Object[] {doubles(degree + 1), doubles(n), new double[n - 1]}); // y short: AIOOBE
            }
            double[] same = doubles(40);
            horner.add(new Object[] {doubles(degree + 1), same, same}); // y is x: serial
        }
        horner.add(new Object[] {doubles(3), null, new double[1]});
        horner.add(new Object[] {null, doubles(3), new double[3]});
        kernel("horner", true).checkAll(horner);

        List<Object[]> reverse = new ArrayList<>();
        int[][] shapes = {{3, 4}, {1, 1}, {0, 3}, {5, 0}, {200, 33}, {1000, 7}};
        for (int[] sh : shapes) {
            int size = sh[0] * sh[1];
            reverse.add(new Object[] {ints(size), new int[size], sh[0], sh[1]});
            int[] same = ints(size);
            reverse.add(new Object[] {same, same, sh[0], sh[1]}); // in place: serial, order matters
            reverse.add(new Object[] {ints(size), new int[size], sh[0] + 1, sh[1]}); // a row too many: AIOOBE
            if (size > 0) {
                // One element short: only the last row's last inner iteration is out of range, which the check of the
                // counting-down counter's whole range must see.
                reverse.add(new Object[] {ints(size), new int[size - 1], sh[0], sh[1]});
                reverse.add(new Object[] {ints(size - 1), new int[size], sh[0], sh[1]});
            }
        }
        reverse.add(new Object[] {ints(10), new int[10], 2, -3});
        kernel("reverseRows", true).checkAll(reverse);

        List<Object[]> suffix = new ArrayList<>();
        for (int lo : new int[] {0, 3, 50, -1, Integer.MIN_VALUE + 1}) suffix.add(new Object[] {ints(20), new int[50], lo});
        kernel("suffixSums", false).checkAll(suffix);
    }

    @Test
    void matmulSquareMatricesAndAliases() {
        List<Object[]> tuples = new ArrayList<>();
        for (int n : new int[] {0, 1, 2, 5, 31, 64}) {
            tuples.add(new Object[] {doubles(n * n), doubles(n * n), new double[n * n], n});
            double[] m = doubles(n * n);
            tuples.add(new Object[] {m, doubles(n * n), m, n}); // c is a: serial
        }
        tuples.add(new Object[] {doubles(9), doubles(9), new double[8], 3});
        kernel("matmul", true).checkAll(tuples);
    }

    @Test
    void integerReductionsWrapExactly() {
        List<Object[]> sums = new ArrayList<>(), products = new ArrayList<>();
        for (int n : SIZES) {
            sums.add(new Object[] {ints(n)});
            long[] l = new long[n];
            for (int i = 0; i < n; i++) l[i] = RANDOM.nextLong();
            products.add(new Object[] {l});
        }
        sums.add(new Object[] {null});
        kernel("sumSquares", true).checkAll(sums);
        kernel("product", true).checkAll(products);
    }

    @Test
    void floatingMinAndMaxKeepNaNAndSignedZero() {
        double[][] cases = {{}, {0.0, -0.0}, {-0.0, 0.0}, {1, Double.NaN, -5}, {Double.NEGATIVE_INFINITY, 3},
                doubles(1001), doubles(100_003)};
        List<Object[]> mins = new ArrayList<>();
        for (double[] c : cases) mins.add(new Object[] {c});
        double[] late = doubles(50_000);
        late[49_999] = Double.NaN;
        mins.add(new Object[] {late});
        double[] zeros = new double[10_000];
        zeros[7_777] = -0.0;
        mins.add(new Object[] {zeros});
        kernel("minimum", true).checkAll(mins);

        List<Object[]> maxes = new ArrayList<>();
        for (float start : new float[] {Float.NEGATIVE_INFINITY, -0f, 0f, Float.NaN, 1e30f}) {
            maxes.add(new Object[] {floats(1000), start});
            maxes.add(new Object[] {new float[] {-0f, 0f, -0f}, start});
        }
        kernel("maximum", true).checkAll(maxes);
    }

    @Test
    void divisionByALoopInvariant() {
        List<Object[]> tuples = new ArrayList<>();
        for (int d : new int[] {1, -1, 7, 0, Integer.MIN_VALUE}) {
            int[] a = ints(1000);
            a[3] = Integer.MIN_VALUE;
            tuples.add(new Object[] {a, new int[1000], d});
            tuples.add(new Object[] {ints(10), new int[9], d});
        }
        tuples.add(new Object[] {new int[0], new int[1], 0});
        kernel("divideAll", true).checkAll(tuples);
    }

    @Test
    void loopsThatMustStaySerial() {
        List<Object[]> tuples = new ArrayList<>();
        for (int n : SIZES) tuples.add(new Object[] {ints(n)});
        kernel("prefixSum", false).checkAll(tuples);
        List<Object[]> sums = new ArrayList<>();
        for (int n : SIZES) sums.add(new Object[] {doubles(n)});
        kernel("strictSum", false).checkAll(sums);
        kernel("lastNegative", false).checkAll(tuples);
    }

    @Test
    void twoLoopsAndTheCounterAfterward() {
        List<Object[]> tuples = new ArrayList<>();
        for (int n : SIZES) {
            tuples.add(new Object[] {new int[n], n});
            tuples.add(new Object[] {new int[n + 3], n});
        }
        tuples.add(new Object[] {new int[10], 11});
        kernel("twoLoops", true).checkAll(tuples);
        List<Object[]> after = new ArrayList<>();
        for (int n : SIZES) after.add(new Object[] {new double[n], n});
        after.add(new Object[] {new double[4], -3});
        after.add(new Object[] {new double[4], 5});
        kernel("counterAfter", true).checkAll(after);
    }
}
