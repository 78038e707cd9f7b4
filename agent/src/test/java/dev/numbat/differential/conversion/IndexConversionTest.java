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
