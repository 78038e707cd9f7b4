package dev.numbat.differential.arrays;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.numbat.Jit;
import dev.numbat.Numbat;
import dev.numbat.differential.Differential;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Nests of two loops over flat 2-D arrays, whose index rectangle NestRangeVersioning checks once before a copy
 * without bounds checks: a guard that fails at any corner (an array too short, a row stride that overflows int, widths
 * and heights at the ends of int, null arrays) must run the nest as it was and throw where the JVM does, after the
 * JVM's writes; where it holds, the copy must give the JVM's results, arrays that are one array included. Also the
 * single loops at an offset from outside ({@code a[base + i]}), which RangeCheckVersioning checks once.
 */
class NestRangeVersioningTest {
    static final class Kernels {
        /** The 5-point stencil of the benchmark suite. */
        @Jit
        static void stencil5(double[] in, double[] out, int w, int h) {
            for (int y = 1; y < h - 1; y++) {
                int row = y * w;
                for (int x = 1; x < w - 1; x++) {
                    int i = row + x;
                    out[i] = 0.2 * (in[i] + in[i - 1] + in[i + 1] + in[i - w] + in[i + w]);
                }
            }
        }

        /** The naive matrix product: the nest over j and k reads a[i * n + k] (a product from outside) and b[k * n + j]. */
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

        /** A transpose: the store strides by h across the inner loop, the read by w across the outer. */
        @Jit
        static void transpose(int[] m, int[] t, int w, int h) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) t[x * h + y] = m[y * w + x];
            }
        }

        /** Rows from y0 to y1 (inclusive) of stride s, n long: y * s may overflow int where the JVM's index wraps into range. */
        @Jit
        static long rowsAt(long[] a, int s, int y0, int y1, int n) {
            long sum = 0;
            for (int y = y0; y <= y1; y++) {
                for (int x = 0; x < n; x++) {
                    a[y * s + x] += x;
                    sum += a[y * s + x];
                }
            }
            return sum;
        }

        /** A triangle: the inner bound changes from row to row, so the nest is not versioned; still the JVM's results. */
        @Jit
        static void mirror(double[] m, int n) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < y; x++) m[y * n + x] = m[x * n + y];
            }
        }

        /** One loop at an offset from outside, from a constant start: checked once per call. */
        @Jit
        static void window(float[] in, float[] out, int base, int n) {
            for (int i = 0; i < n; i++) out[base + i] = in[base + i - 1] + in[base + i + 1];
        }
    }

    private static double[] doubles(int n) {
        double[] a = new double[Math.max(n, 0)];
        for (int i = 0; i < a.length; i++) a[i] = (i % 13) * 0.37 - 1;
        return a;
    }

    private static int[] ints(int n) {
        int[] a = new int[Math.max(n, 0)];
        for (int i = 0; i < a.length; i++) a[i] = i * 7 - 11;
        return a;
    }

    /** Widths and heights: tiny, ordinary, and where y * w or w + 1 leaves int. */
    private static final int[] SIDES = {Integer.MIN_VALUE, -3, 0, 1, 2, 3, 4, 7, 46341, 65536, Integer.MAX_VALUE};

    @Test
    void stencilsAtEveryWayTheGuardCanFail() {
        List<Object[]> t = new ArrayList<>();
        for (int w : SIDES) for (int h : SIDES) {
            if ((h > 1000 || h == Integer.MIN_VALUE) && w <= 2) continue; // billions of empty rows (h - 1 wraps at MIN_VALUE)
            // Arrays of the grid's size where it is small, else of a few rows: the JVM throws in the first row past them.
            long cells = (long) w * h;
            int n = cells > 0 && cells <= 400 ? (int) cells : 50;
            t.add(new Object[] {doubles(n), new double[n], w, h});
        }
        int w = 6, h = 5;
        t.add(new Object[] {doubles(w * h), new double[w * h], w, h});
        t.add(new Object[] {doubles(w * h - 1), new double[w * h], w, h}); // in[i + w] past in's end in the last row
        t.add(new Object[] {doubles(w * h), new double[w * h - w - 2], w, h}); // out too short for its last row
        t.add(new Object[] {doubles(w * h), new double[w * h - w - 1], w, h}); // out just long enough
        t.add(new Object[] {null, new double[w * h], w, h});
        t.add(new Object[] {doubles(w * h), null, w, h});
        t.add(new Object[] {null, null, w, 2}); // no row runs: nothing is read
        double[] one = doubles(w * h);
        t.add(new Object[] {one, one, w, h}); // in place: each row reads what the row before wrote
        Differential.of(Kernels.class, "stencil5").checkAll(t);
    }

    @Test
    void matrixProductsOfEverySizeAndShortArrays() {
        List<Object[]> t = new ArrayList<>();
        for (int n : new int[] {Integer.MIN_VALUE, -1, 0, 1, 2, 3, 5, 46341}) {
            int cells = n > 0 && n <= 5 ? n * n : 9;
            t.add(new Object[] {doubles(cells), doubles(cells), new double[cells], n});
        }
        int n = 4;
        t.add(new Object[] {doubles(n * n - 1), doubles(n * n), new double[n * n], n}); // a's last row short
        t.add(new Object[] {doubles(n * n), doubles(n * n - 1), new double[n * n], n}); // b's last column short
        t.add(new Object[] {doubles(n * n), doubles(n * n), new double[n * n - 1], n}); // c's last element missing
        t.add(new Object[] {null, doubles(n * n), new double[n * n], n});
        t.add(new Object[] {doubles(n * n), doubles(n * n), null, n});
        double[] shared = doubles(n * n);
        t.add(new Object[] {shared, shared, shared, n}); // c is a and b: each element read after the ones before it changed
        Differential.of(Kernels.class, "matmul").checkAll(t);
    }

    @Test
    void transposesOfEveryShape() {
        List<Object[]> t = new ArrayList<>();
        for (int w : new int[] {-1, 0, 1, 2, 3, 7}) for (int h : new int[] {-1, 0, 1, 2, 5}) {
            int cells = Math.max(w * h, 0);
            t.add(new Object[] {ints(cells), new int[cells], w, h});
            t.add(new Object[] {ints(cells), new int[Math.max(cells - 1, 0)], w, h});
            t.add(new Object[] {ints(Math.max(cells - 1, 0)), new int[cells], w, h});
        }
        int[] one = ints(9);
        t.add(new Object[] {one, one, 3, 3});
        t.add(new Object[] {ints(6), null, 3, 2});
        t.add(new Object[] {null, new int[6], 3, 2});
        t.add(new Object[] {ints(6), new int[6], Integer.MAX_VALUE, 2});
        t.add(new Object[] {ints(6), new int[6], 2, Integer.MAX_VALUE});
        Differential.of(Kernels.class, "transpose").checkAll(t);
    }

    /**
     * y * s past int: at s = 2^30 and y = 4 the JVM's index wraps to x, in range, and the loop runs without a throw;
     * the guard (whose exact product is 2^32) must send it to the loop as it was.
     */
    @Test
    void rowStridesThatOverflowInt() {
        List<Object[]> t = new ArrayList<>();
        t.add(new Object[] {new long[8], 1 << 30, 4, 4, 8});
        t.add(new Object[] {new long[8], 1 << 30, 0, 0, 8});
        t.add(new Object[] {new long[8], 1 << 30, 0, 4, 8}); // y = 1 throws, after row 0's writes
        t.add(new Object[] {new long[8], 1 << 30, 4, 8, 8}); // row 4 wraps to 0, row 5 to 2^30: it throws
        t.add(new Object[] {new long[8], -(1 << 30), -4, -4, 8});
        t.add(new Object[] {new long[8], 65536, 65536, 65536, 8}); // 2^32 again, from the other side
        t.add(new Object[] {new long[64], 8, 0, 7, 8});
        t.add(new Object[] {new long[64], 8, 0, 8, 8}); // the last row past the end
        t.add(new Object[] {new long[64], 8, -1, 7, 8}); // the first row before the start
        t.add(new Object[] {new long[64], -8, -7, 0, 8}); // a negative stride: rows run backwards
        t.add(new Object[] {new long[64], 8, 5, 5, 0}); // no column: nothing read
        t.add(new Object[] {new long[64], 8, 3, 2, 8}); // no row
        Differential.of(Kernels.class, "rowsAt").checkAll(t);
    }

    @Test
    void trianglesStayTheJvms() {
        List<Object[]> t = new ArrayList<>();
        for (int n : new int[] {-1, 0, 1, 2, 5}) t.add(new Object[] {doubles(Math.max(n * n, 0)), n});
        t.add(new Object[] {doubles(24), 5});
        Differential.of(Kernels.class, "mirror").checkAll(t);
    }

    @Test
    void windowsAtEveryBase() {
        List<Object[]> t = new ArrayList<>();
        for (int base : new int[] {Integer.MIN_VALUE, -1, 0, 1, 2, 5, Integer.MAX_VALUE - 1, Integer.MAX_VALUE}) {
            for (int n : new int[] {0, 1, 4, 8}) {
                float[] in = new float[10];
                for (int i = 0; i < in.length; i++) in[i] = i * 0.5f - 1;
                t.add(new Object[] {in, new float[10], base, n});
                t.add(new Object[] {in, new float[6], base, n});
            }
        }
        t.add(new Object[] {null, new float[10], 1, 3});
        Differential.of(Kernels.class, "window").checkAll(t);
    }

    /** The passes did run: the copies' indices are rebuilt without overflow, and checked once. */
    @Test
    void theCopiesAreThere() throws Exception {
        for (String name : new String[] {"stencil5", "matmul", "transpose", "rowsAt"}) {
            String ir = Numbat.inspect(Differential.method(Kernels.class, name)).typedIr();
            assertTrue(ir.contains("mulNoWrap") && ir.contains("inRange"), name + " has no nest copy:\n" + ir);
        }
        String window = Numbat.inspect(Differential.method(Kernels.class, "window")).typedIr();
        assertTrue(window.contains("addNoWrap") && window.contains("inRange"), "window has no copy:\n" + window);
        String mirror = Numbat.inspect(Differential.method(Kernels.class, "mirror")).typedIr();
        assertFalse(mirror.contains("mulNoWrap"), "the triangle's nest was versioned:\n" + mirror);
    }
}
