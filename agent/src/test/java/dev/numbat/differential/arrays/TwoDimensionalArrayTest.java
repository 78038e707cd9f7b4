package dev.numbat.differential.arrays;

import dev.numbat.Jit;
import dev.numbat.differential.Differential;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two-dimensional primitive arrays as parameters: rows read and written, jagged and empty rows, null
 * rows and a null table (the JVM's helpful messages, {@code because "m[i]" is null}), row indices out of
 * range (after the writes before them), two rows that are one array, a one-dimensional argument that is
 * also a row, a 2-D array passed on to another method. Rows are copied for the call and back after it
 * (docs/performance.md); every check compares all rows afterwards.
 */
class TwoDimensionalArrayTest {
    static final class Kernels {
        @Jit
        static void rowSums(double[][] m, double[] out) {
            for (int i = 0; i < m.length; i++) {
                double s = 0;
                for (int j = 0; j < m[i].length; j++) s += m[i][j];
                out[i] = s;
            }
        }

        @Jit
        static void matmul(double[][] a, double[][] b, double[][] c, int n) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int k = 0; k < n; k++) s += a[i][k] * b[k][j];
                    c[i][j] = s;
                }
            }
        }

        @Jit
        static int scaleRows(int[][] m, int f) {
            int n = 0;
            for (int i = 0; i < m.length; i++) {
                int[] row = m[i];
                for (int j = 0; j < row.length; j++) {
                    row[j] = row[j] * f + m[0][0];
                    n++;
                }
            }
            return n;
        }

        @Jit
        static long copyFirstRow(long[][] m, long[] v) {
            for (int j = 0; j < v.length; j++) v[j] = m[0][j] * 2 + 1;
            m[0][0] = v[0] + 5;
            return m[0][0] + v[0];
        }

        @Jit
        static float corner(float[][] m, int i, int j) {
            m[1][0] = 3.5f;
            return cell(m, i, j) + m[i].length;
        }

        static float cell(float[][] m, int i, int j) { return m[i][j]; }

        @Jit
        static int sumBytesAndChars(byte[][] b, char[][] c, short[][] s) {
            int t = 0;
            for (int i = 0; i < b.length; i++) for (int j = 0; j < b[i].length; j++) t += b[i][j] * c[i][j] - s[i][j];
            return t;
        }
    }

    static double[][] doubles(int... rowLengths) {
        double[][] m = new double[rowLengths.length][];
        int v = 1;
        for (int i = 0; i < m.length; i++) {
            if (rowLengths[i] < 0) continue;
            m[i] = new double[rowLengths[i]];
            for (int j = 0; j < m[i].length; j++) m[i][j] = (v++ * 0.37) - 2;
        }
        return m;
    }

    @Test
    void rowSumsOverJaggedNullAndEmptyRows() {
        List<Object[]> t = new ArrayList<>();
        t.add(new Object[] {doubles(3, 3, 3), new double[3]});
        t.add(new Object[] {doubles(0, 5, 1, 0), new double[4]});
        t.add(new Object[] {doubles(2, -1, 2), new double[3]}); // null row: NPE naming m[i]
        t.add(new Object[] {doubles(2, 2, 2), new double[2]}); // out too short: AIOOBE after two sums
        t.add(new Object[] {doubles(), new double[0]});
        t.add(new Object[] {null, new double[1]});
        double[][] shared = doubles(4, 4);
        shared[1] = shared[0];
        t.add(new Object[] {shared, new double[2]});
        t.add(new Object[] {doubles(3, 3), doubles(2)[0]});
        Differential.of(Kernels.class, "rowSums").checkAll(t);
    }

    @Test
    void matrixMultiplyWithSharedAndMissingRows() {
        List<Object[]> t = new ArrayList<>();
        for (int n : new int[] {0, 1, 3, 17}) {
            int[] lengths = new int[n];
            java.util.Arrays.fill(lengths, n);
            t.add(new Object[] {doubles(lengths), doubles(lengths), doubles(lengths), n});
            double[][] a = doubles(lengths);
            t.add(new Object[] {a, a, a, n}); // all one matrix: writes feed later reads
        }
        t.add(new Object[] {doubles(3, 3, 3), doubles(3, 3, 3), doubles(3, 3), 3}); // c has two rows
        t.add(new Object[] {doubles(3, 3, 3), doubles(3, 2, 3), doubles(3, 3, 3), 3}); // short row of b
        t.add(new Object[] {doubles(3, 3, 3), doubles(3, 3, 3), doubles(3, -1, 3), 3}); // null row of c
        Differential.of(Kernels.class, "matmul").checkAll(t);
    }

    @Test
    void rowsThatAreOneArrayStayOneArray() {
        List<Object[]> t = new ArrayList<>();
        int[] row = {1, 2, 3};
        t.add(new Object[] {new int[][] {row, row, {4, 5}}, 3});
        t.add(new Object[] {new int[][] {{7}, row, row}, -1});
        t.add(new Object[] {new int[][] {{}, {1}}, 2}); // m[0][0] of an empty row: AIOOBE
        t.add(new Object[] {new int[][] {{1, 2}, null}, 2});
        Differential.of(Kernels.class, "scaleRows").checkAll(t);
    }

    @Test
    void aOneDimensionalArgumentThatIsAlsoARow() {
        List<Object[]> t = new ArrayList<>();
        long[] r = {10, 20, 30};
        t.add(new Object[] {new long[][] {r, {1}}, r});
        long[] q = {5, 6};
        t.add(new Object[] {new long[][] {{1, 2, 3}, q}, q});
        t.add(new Object[] {new long[][] {{1, 2, 3}}, new long[4]}); // m[0][3]: AIOOBE after three writes
        t.add(new Object[] {new long[][] {null}, new long[1]});
        Differential.of(Kernels.class, "copyFirstRow").checkAll(t);
    }

    @Test
    void passedToAnotherMethod() {
        List<Object[]> t = new ArrayList<>();
        float[][] m = {{1f, 2f}, {Float.NaN}, {-0f, 4f, 5f}};
        for (int[] ij : new int[][] {{0, 1}, {2, 2}, {1, 0}, {3, 0}, {0, 2}, {-1, 0}}) {
            t.add(new Object[] {new float[][] {m[0].clone(), m[1].clone(), m[2].clone()}, ij[0], ij[1]});
        }
        t.add(new Object[] {new float[][] {{1f}}, 0, 0}); // m[1] does not exist
        t.add(new Object[] {new float[][] {{1f}, null}, 0, 0});
        Differential.of(Kernels.class, "corner").checkAll(t);
    }

    @Test
    void subIntElementTypes() {
        List<Object[]> t = new ArrayList<>();
        t.add(new Object[] {new byte[][] {{-128, 127}, {5}}, new char[][] {{65535, 1}, {2}}, new short[][] {{-32768, 3}, {4}}});
        t.add(new Object[] {new byte[][] {{1}}, new char[][] {{}}, new short[][] {{1}}});
        Differential.of(Kernels.class, "sumBytesAndChars").checkAll(t);
    }
}
