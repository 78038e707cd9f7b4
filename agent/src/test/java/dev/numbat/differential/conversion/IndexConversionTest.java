package dev.numbat.differential.conversion;

import dev.numbat.Jit;
import dev.numbat.differential.Differential;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code (int)} of a double or float used as an array index (a histogram's bin, a table lookup): every edge (NaN,
 * infinities, ±0, the int range's ends, just beyond them, subnormals) gives the JVM's index, so the same element
 * or the same ArrayIndexOutOfBoundsException message, after the same counts.
 *
 * <p>On x86 such an index is checked on the truncating conversion and saturated only when that check fails
 * (ArrayLowering.checkedIndex), and the loop is unrolled: so the edges sit at every position of inputs long
 * enough for the unrolled body and its remainder, in both element types, as a row index of a 2-D array, and
 * where the converted value is used besides the index.
 */
class IndexConversionTest {
    static final class Kernels {
        @Jit
        static void histogram(double[] x, int[] counts, double scale) {
            for (int i = 0; i < x.length; i++) counts[(int) (x[i] * scale)]++;
        }

        @Jit
        static float lookup(float[] table, float f) {
            return table[(int) f];
        }

        @Jit
        static void floatHistogram(float[] x, int[] counts) {
            for (int i = 0; i < x.length; i++) counts[(int) x[i]]++;
        }

        @Jit
        static long binsAndCounts(double[] x, int[] counts) {
            long sum = 0;
            for (int i = 0; i < x.length; i++) {
                int b = (int) x[i];
                counts[b] += 2;
                sum += b;
            }
            return sum;
        }

        @Jit
        static double rowOf(double[][] m, double x) {
            return m[(int) x][0] + m[(int) x].length;
        }
    }

    /** Inputs of 5, 9 and 17 values in [0, 8) with {@code edge} at the start, second, middle and last place. */
    static List<double[]> withEdgeEverywhere(double edge) {
        List<double[]> inputs = new ArrayList<>();
        for (int n : new int[] {5, 9, 17}) {
            for (int at : new int[] {0, 1, n / 2, n - 1}) {
                double[] x = new double[n];
                for (int i = 0; i < n; i++) x[i] = (i * 3 + 1) % 8 + 0.25 * (i % 4);
                x[at] = edge;
                inputs.add(x);
            }
        }
        return inputs;
    }

    @Test
    void edgesAtEveryPlaceOfALoop() {
        List<Object[]> doubles = new ArrayList<>(), floats = new ArrayList<>(), both = new ArrayList<>();
        for (double e : EDGES) {
            for (double[] x : withEdgeEverywhere(e)) {
                doubles.add(new Object[] {x, new int[8], 1.0});
                float[] f = new float[x.length];
                for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
                floats.add(new Object[] {f, new int[8]});
                both.add(new Object[] {x.clone(), new int[8]});
            }
        }
        Differential.of(Kernels.class, "histogram").checkAll(doubles);
        Differential.of(Kernels.class, "floatHistogram").checkAll(floats);
        Differential.of(Kernels.class, "binsAndCounts").checkAll(both);
    }

    @Test
    void rowIndicesAtEveryEdge() {
        List<Object[]> t = new ArrayList<>();
        for (double e : EDGES) t.add(new Object[] {new double[][] {{1.5}, {2.5, 3}, {4.5, 5, 6}}, e});
        Differential.of(Kernels.class, "rowOf").checkAll(t);
    }

    static final double[] EDGES = {0.0, -0.0, 0.5, 0.99999, 1.0, 3.7, 7.99, 8.0, -0.5, -1.0, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE,
            2147483647.0, 2147483647.9, 2147483648.0, -2147483648.0, -2147483648.9, -2147483649.0, 1e300, -1e300};

    @Test
    void doubleIndicesAtEveryEdge() {
        List<Object[]> t = new ArrayList<>();
        for (double e : EDGES) {
            t.add(new Object[] {new double[] {0.1, 0.2, e, 0.3}, new int[8], 1.0}); // counts before the edge stay
            t.add(new Object[] {new double[] {e}, new int[8], -1.0});
        }
        t.add(new Object[] {new double[] {0.5, 0.25, 0.75}, new int[4], 4.0});
        Differential.of(Kernels.class, "histogram").checkAll(t);
    }

    @Test
    void floatIndicesAtEveryEdge() {
        List<Object[]> t = new ArrayList<>();
        float[] table = {1.5f, 2.5f, 3.5f, 4.5f};
        for (double e : EDGES) t.add(new Object[] {table, (float) e});
        t.add(new Object[] {table, Float.MAX_VALUE});
        t.add(new Object[] {table, -Float.MAX_VALUE});
        t.add(new Object[] {table, 2.9999998f});
        Differential.of(Kernels.class, "lookup").checkAll(t);
    }
}
