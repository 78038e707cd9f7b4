package dev.numbat.differential.arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.numbat.Jit;
import dev.numbat.Numbat;
import dev.numbat.differential.Differential;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Loops that count from a run-time value, whose index range RangeCheckVersioning checks once before a copy without
 * bounds checks: every way the guard can fail (a negative start, a bound past an array's end, a null array, a bound
 * read from an array that is too short, an inclusive bound at {@code MAX_VALUE}) must run the loop as it was and
 * throw the JVM's exception after the JVM's writes; where it holds, the copy must give the JVM's results, with arrays
 * of different lengths and arrays that are one array.
 */
class RangeCheckVersioningTest {
    static final class Kernels {
        /** A CSR sparse matrix times a vector: the loop the pass is for. */
        @Jit
        static void spmv(int[] rowPtr, int[] cols, double[] vals, double[] x, double[] y) {
            for (int r = 0; r < y.length; r++) {
                double s = 0.0;
                for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) s += vals[p] * x[cols[p]];
                y[r] = s;
            }
        }

        /** Inclusive bound, a store at the counter. */
        @Jit
        static void fill(int[] a, int from, int to, int v) {
            for (int p = from; p <= to; p++) a[p] = v + p;
        }

        /** Two arrays of their own lengths; the sum is handed on past the loop. */
        @Jit
        static double dotRange(double[] a, double[] b, int from, int to) {
            double s = 0;
            for (int p = from; p < to; p++) s += a[p] * b[p];
            return s;
        }

        /** Reads and writes at the counter, which may be one array; one read not at the counter stays checked. */
        @Jit
        static long shiftRange(long[] src, long[] dst, int from, int to) {
            long last = 0;
            for (int p = from; p < to; p++) {
                dst[p] = src[p] * 3 + src[p - 1 < 0 ? 0 : p - 1];
                last = dst[p];
            }
            return last;
        }

        /** Accesses at the counter plus constants: a[p + 2] is checked once with a[p], a[p - 1] keeps its check. */
        @Jit
        static int window(int[] a, int from, int to) {
            int s = 0;
            for (int p = from; p < to; p++) s += a[p] * 3 + a[p + 2] + a[p - 1];
            return s;
        }

        /** A loop over rows from a run-time start to an inclusive bound, reading start[r] and start[r + 1]. */
        @Jit
        static void bandSums(int[] start, int[] v, int[] out, int from, int to) {
            for (int r = from; r <= to; r++) {
                int s = 0;
                for (int k = start[r]; k < start[r + 1]; k++) s += v[k];
                out[r] = s;
            }
        }

        /**
         * The loop inside an if: its exit is also where the if's other branch goes, a block the pass gives the loop
         * an edge of its own to before copying it.
         */
        @Jit
        static int sumsInsideIf(double[] a, double[] b, double[] sum, double[] product, int from, int on) {
            int done = -1;
            if (on > 0) {
                for (int i = from; i < a.length; i++) {
                    sum[i] = a[i] + b[i];
                    product[i] = a[i] * b[i];
                    done = i;
                }
            }
            return done;
        }

        /** The bound is the array's own length, computed in the loop's header. */
        @Jit
        static int tailSum(int[] a, int from) {
            int s = 0;
            for (int p = from; p < a.length; p++) s += a[p];
            return s;
        }
    }

    private static int[] ints(int n, int seed) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = (i * 7 + seed) % 11 - 5;
        return a;
    }

    private static double[] doubles(int n, double seed) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = (i + seed) * 0.37 - 1;
        return a;
    }

    private static long[] longs(int n) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) a[i] = i * 0x9E3779B97F4A7C15L;
        return a;
    }

    /** Bounds around each array's end, negative ones, empty ranges and the int range's ends. */
    private static final int[] EDGES = {Integer.MIN_VALUE, -2, -1, 0, 1, 3, 7, 8, 9, 12, 13, Integer.MAX_VALUE - 1, Integer.MAX_VALUE};

    @Test
    void csrRowsAtEveryWayTheGuardCanFail() {
        int rows = 6, per = 3, n = rows * per;
        List<Object[]> t = new ArrayList<>();
        int[] rowPtr = new int[rows + 1];
        for (int r = 0; r < rows; r++) rowPtr[r + 1] = rowPtr[r] + per;
        int[] cols = new int[n];
        for (int p = 0; p < n; p++) cols[p] = (p * 5) % 8;
        t.add(new Object[] {rowPtr, cols, doubles(n, 1), doubles(8, 2), new double[rows]});
        // Rows of 0 to 5 entries, rows that are empty or run backwards.
        t.add(new Object[] {new int[] {0, 0, 5, 5, 3, 9, 18}, cols, doubles(n, 1), doubles(8, 2), new double[rows]});
        // A row that starts below 0, one whose end passes cols' (shorter) or vals' end, one past both.
        t.add(new Object[] {new int[] {0, 3, -1, 6, 9, 12, 15}, cols, doubles(n, 1), doubles(8, 2), new double[rows]});
        t.add(new Object[] {rowPtr, new int[n - 2], doubles(n, 1), doubles(8, 2), new double[rows]});
        t.add(new Object[] {rowPtr, cols, doubles(n - 1, 1), doubles(8, 2), new double[rows]});
        t.add(new Object[] {new int[] {0, 3, 6, 9, 12, 15, 40}, cols, doubles(n, 1), doubles(8, 2), new double[rows]});
        // The start's test is joined to vals' bound ((start | (vals.length - end)) < 0): starts at MIN_VALUE and
        // MIN_VALUE + 1 (empty rows before them), an end at MIN_VALUE + 1 after a start of 0 (the subtraction wraps:
        // an empty row, run as it was), an end at MAX_VALUE.
        t.add(new Object[] {new int[] {0, 3, Integer.MIN_VALUE + 1, 3, 6, 9, 12}, cols, doubles(n, 1), doubles(8, 2), new double[rows]});
        t.add(new Object[] {new int[] {0, 3, Integer.MIN_VALUE, Integer.MIN_VALUE, 9, 12, 15}, cols, doubles(n, 1), doubles(8, 2), new double[rows]});
        t.add(new Object[] {new int[] {0, Integer.MIN_VALUE + 1, 0, 3, 6, 9, 12}, cols, doubles(n, 1), doubles(8, 2), new double[rows]});
        t.add(new Object[] {new int[] {0, 3, 6, 9, 12, 15, Integer.MAX_VALUE}, cols, doubles(n, 1), doubles(8, 2), new double[rows]});
        // rowPtr too short: the bound's own read throws, in the loop's header.
        t.add(new Object[] {new int[] {0, 3, 6, 9}, cols, doubles(n, 1), doubles(8, 2), new double[rows]});
        // A column out of x's range keeps its check; null arrays; vals and x one array.
        int[] badCols = cols.clone();
        badCols[10] = 8;
        t.add(new Object[] {rowPtr, badCols, doubles(n, 1), doubles(8, 2), new double[rows]});
        t.add(new Object[] {rowPtr, cols, null, doubles(8, 2), new double[rows]});
        t.add(new Object[] {rowPtr, null, doubles(n, 1), doubles(8, 2), new double[rows]});
        t.add(new Object[] {null, cols, doubles(n, 1), doubles(8, 2), new double[rows]});
        double[] shared = doubles(n, 3);
        t.add(new Object[] {rowPtr, cols, shared, shared, new double[rows]});
        Differential.of(Kernels.class, "spmv").checkAll(t);
    }

    /**
     * The guard of the loop over rows (rowPtr long enough for y, every array non-null) failing in every way, and rows
     * that never touch the null array, where the JVM throws nothing.
     */
    @Test
    void csrMatricesAtEveryWayTheRowGuardCanFail() {
        int rows = 6, per = 3, n = rows * per;
        int[] rowPtr = new int[rows + 1];
        for (int r = 0; r < rows; r++) rowPtr[r + 1] = rowPtr[r] + per;
        int[] cols = new int[n];
        for (int p = 0; p < n; p++) cols[p] = (p * 5) % 8;
        int[] empty = new int[rows + 1];
        List<Object[]> t = new ArrayList<>();
        t.add(new Object[] {rowPtr, cols, doubles(n, 1), doubles(8, 2), null});
        t.add(new Object[] {java.util.Arrays.copyOf(rowPtr, rows), cols, doubles(n, 1), doubles(8, 2), new double[rows]});
        t.add(new Object[] {rowPtr, cols, doubles(n, 1), doubles(8, 2), new double[rows + 1]});
        t.add(new Object[] {rowPtr, cols, doubles(n, 1), doubles(8, 2), new double[rows - 3]});
        t.add(new Object[] {rowPtr, cols, doubles(n, 1), doubles(8, 2), new double[0]});
        t.add(new Object[] {null, cols, doubles(n, 1), doubles(8, 2), new double[0]});
        t.add(new Object[] {rowPtr, cols, doubles(n, 1), null, new double[rows]});
        t.add(new Object[] {empty, cols, doubles(n, 1), null, new double[rows]});
        t.add(new Object[] {empty, null, null, null, new double[rows]});
        t.add(new Object[] {empty, cols, doubles(n, 1), doubles(8, 2), new double[rows]});
        Differential.of(Kernels.class, "spmv").checkAll(t);
    }

    @Test
    void constantOffsetsAtEveryEdge() {
        List<Object[]> t = new ArrayList<>();
        for (int from : EDGES) for (int to : EDGES) {
            if ((long) to - from > 64) continue;
            t.add(new Object[] {ints(12, 1), from, to});
            t.add(new Object[] {ints(3, 2), from, to});
        }
        t.add(new Object[] {null, 1, 3});
        t.add(new Object[] {null, 3, 1});
        Differential.of(Kernels.class, "window").checkAll(t);
    }

    @Test
    void bandsFromEveryStartToEveryInclusiveEnd() {
        int[] start = {0, 2, 2, 5, 7, 9, 12, 12, 13};
        List<Object[]> t = new ArrayList<>();
        for (int from : EDGES) for (int to : EDGES) {
            if ((long) to - from > 64) continue;
            t.add(new Object[] {start, ints(12, 4), new int[9], from, to});
            t.add(new Object[] {start, ints(12, 4), new int[4], from, to});
            t.add(new Object[] {new int[] {0, 3, -1, 4, 15, 2}, ints(12, 4), new int[9], from, to});
        }
        t.add(new Object[] {start, null, new int[9], 1, 2});
        t.add(new Object[] {start, null, new int[9], 1, 1}); // rows 1 and 2 are empty: v is never read
        t.add(new Object[] {null, ints(12, 4), new int[9], 2, 1});
        t.add(new Object[] {start, ints(12, 4), null, 0, 3});
        Differential.of(Kernels.class, "bandSums").checkAll(t);
    }

    @Test
    void inclusiveStoresAtEveryEdge() {
        List<Object[]> t = new ArrayList<>();
        for (int from : EDGES) for (int to : EDGES) {
            if ((long) to - from > 64) continue; // the JVM would loop for long before it throws
            t.add(new Object[] {ints(12, 1), from, to, 100});
        }
        t.add(new Object[] {null, 0, 3, 1});
        t.add(new Object[] {null, 3, 0, 1});
        t.add(new Object[] {ints(12, 1), Integer.MAX_VALUE, Integer.MAX_VALUE, 5}); // one iteration, then throws
        Differential.of(Kernels.class, "fill").checkAll(t);
    }

    @Test
    void rangesOverTwoArraysOfTheirOwnLengths() {
        List<Object[]> dots = new ArrayList<>(), shifts = new ArrayList<>(), tails = new ArrayList<>();
        for (int from : EDGES) for (int to : EDGES) {
            if ((long) to - from > 64) continue;
            dots.add(new Object[] {doubles(12, 1), doubles(9, 2), from, to});
            shifts.add(new Object[] {longs(12), longs(9), from, to});
            long[] one = longs(12);
            shifts.add(new Object[] {one, one, from, to});
        }
        for (int from : EDGES) {
            tails.add(new Object[] {ints(12, 3), from});
            tails.add(new Object[] {new int[0], from});
        }
        dots.add(new Object[] {null, doubles(9, 2), 0, 3});
        dots.add(new Object[] {doubles(9, 2), null, 0, 3});
        tails.add(new Object[] {null, 0});
        Differential.of(Kernels.class, "dotRange").checkAll(dots);
        Differential.of(Kernels.class, "shiftRange").checkAll(shifts);
        Differential.of(Kernels.class, "tailSum").checkAll(tails);
    }

    @Test
    void loopInsideAnIf() {
        List<Object[]> t = new ArrayList<>();
        for (int from : EDGES) for (int on : new int[] {0, 1}) {
            t.add(new Object[] {doubles(12, 1), doubles(12, 2), new double[12], new double[12], from, on});
            t.add(new Object[] {doubles(12, 1), doubles(9, 2), new double[12], new double[12], from, on}); // b short: throws at 9
            t.add(new Object[] {doubles(12, 1), doubles(12, 2), new double[12], new double[5], from, on}); // product short
        }
        double[] same = doubles(12, 3);
        t.add(new Object[] {same, same, same, new double[12], 0, 1}); // sum is a and b
        t.add(new Object[] {doubles(12, 1), doubles(12, 2), null, new double[12], 0, 1});
        t.add(new Object[] {doubles(12, 1), doubles(12, 2), null, new double[12], 0, 0});
        t.add(new Object[] {null, doubles(12, 2), new double[12], new double[12], 0, 1});
        Differential.of(Kernels.class, "sumsInsideIf").checkAll(t);
    }

    /** The pass did run on these kernels: their typed IR holds the copy's unchecked accesses. */
    @Test
    void theCopiesAreThere() throws Exception {
        for (String name : new String[] {"spmv", "fill", "dotRange", "shiftRange", "tailSum", "window", "bandSums", "sumsInsideIf"}) {
            String ir = Numbat.inspect(Differential.method(Kernels.class, name)).typedIr();
            assertTrue(ir.contains("inRange"), name + " has no access proven in range:\n" + ir);
        }
        // The loops over rows were copied too: a store to y[r] and out[r], and a read of start[r + 1], in range.
        assertTrue(inRange(Kernels.class, "spmv", "astore %y"), "spmv's loop over rows was not versioned");
        assertTrue(inRange(Kernels.class, "bandSums", "astore %out"), "bandSums' loop over rows was not versioned");
        String window = Numbat.inspect(Differential.method(Kernels.class, "window")).typedIr();
        assertTrue(java.util.regex.Pattern.compile("(%\\d+) = add %\\d+, 2\\n\\s*%\\d+ = inRange \\1,").matcher(window).find(),
                "window's a[p + 2] is not in range:\n" + window);
    }

    /** Whether some instruction starting with {@code access} takes an index computed by {@code inRange}. */
    private static boolean inRange(Class<?> owner, String name, String access) {
        String ir = Numbat.inspect(Differential.method(owner, name)).typedIr();
        return java.util.regex.Pattern.compile("(%\\d+) = inRange .*\\n\\s*(%\\d+ = )?" + java.util.regex.Pattern.quote(access) + ", \\1\\b").matcher(ir).find();
    }
}
