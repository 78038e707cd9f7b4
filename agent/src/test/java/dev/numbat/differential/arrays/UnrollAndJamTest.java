package dev.numbat.differential.arrays;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.numbat.Jit;
import dev.numbat.Numbat;
import dev.numbat.differential.Differential;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Nests whose inner loop sums down a column, which UnrollAndJam runs several columns at a time in the copy without
 * bounds checks: each sum must be the JVM's bit for bit (strict floating point, NaN and signed zeros, wrapping
 * integers), at every width around a multiple of the columns run together, where the stored array is one that is read
 * (the loop as it was runs), where a guard fails (the JVM's exception after its writes), and at the ends of an
 * inclusive range of columns.
 */
public class UnrollAndJamTest {
    static final class Kernels {
        /** The naive matrix product of the benchmark suite: eight columns of b at a time. */
        @Jit
        static void matmul(double[] a, double[] b, double[] c, int n) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0.0;
                    for (int k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
                    c[i * n + j] = s;
                }
            }
        }

        /** In float: sixteen columns at a time. */
        @Jit
        static void matmulFloat(float[] a, float[] b, float[] c, int n) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    float s = 0.0f;
                    for (int k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
                    c[i * n + j] = s;
                }
            }
        }

        /** Column sums and maxima of a w x h matrix: two values per column, Math.max's NaN and -0.0 rules. */
        @Jit
        static void columnStats(double[] m, double[] sums, double[] maxima, int w, int h) {
            for (int x = 0; x < w; x++) {
                double s = 0.0, top = Double.NEGATIVE_INFINITY;
                for (int y = 0; y < h; y++) {
                    double v = m[y * w + x];
                    s += v;
                    top = Math.max(top, v);
                }
                sums[x] = s;
                maxima[x] = top;
            }
        }

        /** Wrapping int sums of the columns from x0 to x1, inclusive, stored at an offset. */
        @Jit
        static void columnSumsBetween(int[] m, int[] out, int w, int h, int x0, int x1) {
            for (int x = x0; x <= x1; x++) {
                int s = 0;
                for (int y = 0; y < h; y++) s += m[y * w + x];
                out[x - x0] = s;
            }
        }

        /** A 1-D convolution (an FIR filter): the reads x[j + k] of neighbouring j are neighbours, with no stride at all. */
        @Jit
        static void convolve(double[] x, double[] w, double[] out, int n, int m) {
            for (int j = 0; j < n; j++) {
                double s = 0.0;
                for (int k = 0; k < m; k++) s += x[j + k] * w[k];
                out[j] = s;
            }
        }

        /**
         * The convolution as it is usually written, its bounds the arrays' lengths: each is computed in its loop's header,
         * once before the copy without checks, whose tests then use that.
         */
        @Jit
        static void convolveToLengths(float[] x, float[] w, float[] out) {
            for (int j = 0; j < out.length; j++) {
                float s = 0.0f;
                for (int k = 0; k < w.length; k++) s += x[j + k] * w[k];
                out[j] = s;
            }
        }

        /** Row sums read along rows: running rows together would read columns, so the nest is not jammed. */
        @Jit
        static void rowSums(long[] m, long[] out, int w, int h) {
            for (int y = 0; y < h; y++) {
                long s = 0;
                for (int x = 0; x < w; x++) s += m[y * w + x];
                out[y] = s;
            }
        }
    }

    /** Values whose sums and products show any change of order: signed zeros, NaN, infinities, subnormals, extremes. */
    private static final double[] EDGES = {0.0, -0.0, 1.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-300,
            0.1, 1 / 3.0, 1e16, -1e16};

    private static double[] doubles(int n, int seed) {
        double[] a = new double[Math.max(n, 0)];
        for (int i = 0; i < a.length; i++) a[i] = (i * 7 + seed) % 11 == 0 ? EDGES[(i + seed) % EDGES.length] : ((i * 31 + seed) % 17) * 0.37 - 3;
        return a;
    }

    private static float[] floats(int n, int seed) {
        float[] a = new float[Math.max(n, 0)];
        double[] d = doubles(n, seed);
        for (int i = 0; i < a.length; i++) a[i] = (float) d[i];
        return a;
    }

    private static int[] ints(int n) {
        int[] a = new int[Math.max(n, 0)];
        for (int i = 0; i < a.length; i++) a[i] = i % 5 == 0 ? Integer.MAX_VALUE - i : i % 7 == 0 ? Integer.MIN_VALUE + i : i * 977 - 4000;
        return a;
    }

    /**
     * Sizes around the columns run together (32 doubles, then 8 of those left; 32 floats, then 16), where the columns
     * left after both run in the loop as it was.
     */
    private static final int[] SIZES = {0, 1, 2, 7, 8, 9, 15, 16, 17, 23, 31, 32, 33, 41, 71};

    @Test
    void matrixProductsOfEverySize() {
        List<Object[]> t = new ArrayList<>();
        for (int n : SIZES) t.add(new Object[] {doubles(n * n, 1), doubles(n * n, 2), new double[n * n], n});
        for (int n : new int[] {Integer.MIN_VALUE, -1, 46341}) t.add(new Object[] {doubles(9, 1), doubles(9, 2), new double[9], n});
        int n = 9;
        t.add(new Object[] {doubles(n * n - 1, 1), doubles(n * n, 2), new double[n * n], n}); // a's last row short
        t.add(new Object[] {doubles(n * n, 1), doubles(n * n - 1, 2), new double[n * n], n}); // b's last column short
        t.add(new Object[] {doubles(n * n, 1), doubles(n * n, 2), new double[n * n - 1], n}); // c's last element missing
        t.add(new Object[] {doubles(n * n, 1), null, new double[n * n], n});
        double[] shared = doubles(n * n, 3);
        t.add(new Object[] {shared, shared, new double[n * n], n}); // a is b: both only read, so still run together
        double[] ab = doubles(n * n, 4);
        t.add(new Object[] {ab, doubles(n * n, 5), ab, n}); // c is a: each row reads what the row before wrote
        double[] cb = doubles(n * n, 6);
        t.add(new Object[] {doubles(n * n, 7), cb, cb, n}); // c is b: later columns read earlier columns' sums
        Differential.of(Kernels.class, "matmul").checkAll(t);
    }

    @Test
    void floatProductsOfEverySize() {
        List<Object[]> t = new ArrayList<>();
        for (int n : SIZES) t.add(new Object[] {floats(n * n, 1), floats(n * n, 2), new float[n * n], n});
        float[] cb = floats(17 * 17, 6);
        t.add(new Object[] {floats(17 * 17, 7), cb, cb, 17});
        Differential.of(Kernels.class, "matmulFloat").checkAll(t);
    }

    @Test
    void columnSumsAndMaxima() {
        List<Object[]> t = new ArrayList<>();
        for (int w : SIZES) for (int h : new int[] {0, 1, 3, 10}) {
            t.add(new Object[] {doubles(w * h, w + h), new double[w], new double[w], w, h});
        }
        t.add(new Object[] {doubles(30, 1), new double[9], new double[10], 10, 3}); // sums one short: throws at x = 9
        double[] m = doubles(30, 2);
        t.add(new Object[] {m, m, new double[10], 10, 3}); // sums stored into the matrix read
        t.add(new Object[] {doubles(30, 3), new double[10], null, 10, 3});
        Differential.of(Kernels.class, "columnStats").checkAll(t);
    }

    /**
     * Inclusive ranges of columns, the groups run together ending exactly at x1 or one past it, or starting before the
     * matrix; sums that wrap.
     */
    @Test
    void wrappingSumsOfInclusiveRanges() {
        List<Object[]> t = new ArrayList<>();
        int w = 50, h = 6;
        for (int x0 : new int[] {-1, 0, 1, 3}) for (int x1 : new int[] {-1, 0, 6, 7, 8, 15, 16, 19, 31, 32, 33, 47, 49, 50}) {
            t.add(new Object[] {ints(w * h), new int[w + 1], w, h, x0, x1});
        }
        t.add(new Object[] {ints(w * h), new int[w], w, h, Integer.MAX_VALUE - 3, Integer.MAX_VALUE});
        t.add(new Object[] {ints(w * h), new int[w], w, h, Integer.MIN_VALUE, Integer.MIN_VALUE + 9});
        Differential.of(Kernels.class, "columnSumsBetween").checkAll(t);
    }

    @Test
    void convolutionsOfEveryLength() {
        List<Object[]> t = new ArrayList<>();
        for (int n : SIZES) for (int m : new int[] {0, 1, 3, 8}) {
            int len = Math.max(n + m - 1, 0);
            t.add(new Object[] {doubles(len, n), doubles(m, m), new double[n], n, m});
            if (n > 0 && m > 0) t.add(new Object[] {doubles(len - 1, n), doubles(m, m), new double[n], n, m}); // x one short
        }
        double[] x = doubles(24, 1);
        t.add(new Object[] {x, doubles(3, 2), x, 17, 3}); // out is x: each output read only before it is written
        t.add(new Object[] {x, x, x, 17, 3}); // out is x and w: the weights read by later outputs are overwritten
        t.add(new Object[] {x, x, new double[17], 17, 3}); // w is x: both only read
        t.add(new Object[] {doubles(24, 1), doubles(3, 2), new double[16], 17, 3}); // out one short
        t.add(new Object[] {doubles(24, 1), doubles(3, 2), new double[17], Integer.MAX_VALUE, 3});
        Differential.of(Kernels.class, "convolve").checkAll(t);
    }

    @Test
    void convolutionsBoundedByLengths() {
        List<Object[]> t = new ArrayList<>();
        for (int n : SIZES) for (int m : new int[] {0, 1, 3, 8}) {
            int len = Math.max(n + m - 1, 0);
            t.add(new Object[] {floats(len, n), floats(m, m), new float[n]});
            if (n > 0 && m > 0) t.add(new Object[] {floats(len - 1, n), floats(m, m), new float[n]}); // x one short
        }
        float[] x = floats(40, 1);
        t.add(new Object[] {x, floats(3, 2), java.util.Arrays.copyOf(x, 33)}); // out a copy, x long enough
        float[] shared = floats(40, 3);
        t.add(new Object[] {shared, floats(5, 4), shared}); // out is x, too long for it by 4: throws after 36 outputs
        t.add(new Object[] {floats(40, 5), null, new float[33]}); // no weights: NullPointerException at once
        t.add(new Object[] {null, floats(3, 6), new float[33]});
        t.add(new Object[] {floats(40, 7), floats(3, 8), null});
        Differential.of(Kernels.class, "convolveToLengths").checkAll(t);
    }

    @Test
    void rowSumsStayTheJvms() {
        List<Object[]> t = new ArrayList<>();
        for (int w : new int[] {0, 1, 9}) for (int h : new int[] {0, 1, 17}) {
            long[] m = new long[w * h];
            for (int i = 0; i < m.length; i++) m[i] = i % 3 == 0 ? Long.MAX_VALUE - i : i * 1_000_003L;
            t.add(new Object[] {m, new long[h], w, h});
        }
        Differential.of(Kernels.class, "rowSums").checkAll(t);
    }

    /** Columns' counters in a row: {@code j + 1} to {@code j + 7} (and on). */
    private static final Pattern JAMMED = Pattern.compile("addNoWrap (%\\d+), 1\\n\\s+%\\d+ = addNoWrap \\1, 2\\n(.*\\n){4}\\s+%\\d+ = addNoWrap \\1, 7\\n");

    /** Whether typed IR holds a jammed loop: columns {@code j + 1} to {@code j + 7} one after the other (the fuzzer counts them). */
    public static boolean hasJammedLoop(String typedIr) { return JAMMED.matcher(typedIr).find(); }

    /** The pass did run where it should, and only there. */
    @Test
    void theJammedLoopsAreThere() throws Exception {
        for (String name : new String[] {"matmul", "matmulFloat", "columnStats", "columnSumsBetween", "convolve", "convolveToLengths"}) {
            String ir = Numbat.inspect(Differential.method(Kernels.class, name)).typedIr();
            assertTrue(JAMMED.matcher(ir).find(), name + " has no jammed loop:\n" + ir);
        }
        String floats = Numbat.inspect(Differential.method(Kernels.class, "matmulFloat")).typedIr();
        assertTrue(floats.contains(", 31\n") && floats.contains(", 15\n"), "matmulFloat does not run 32, then 16 columns together:\n" + floats);
        String rows = Numbat.inspect(Differential.method(Kernels.class, "rowSums")).typedIr();
        assertFalse(JAMMED.matcher(rows).find(), "the row sums were jammed:\n" + rows);
    }
}
