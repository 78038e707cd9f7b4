package dev.numbat.differential.arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.numbat.Jit;
import dev.numbat.Numbat;
import dev.numbat.differential.Differential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Loops that store at their counter, whose first iterations AlignmentPeeling runs in a copy until the stored element
 * is 64-byte aligned, when the loop covers at least {@code AlignmentPeeling.MIN_BYTES} (4 KiB) of the array. How many
 * that is depends on where the array lies, so each kernel runs from every start of a 64-byte span (the peel then ends
 * at every place) over arrays around that size: the loop must end, or throw the JVM's exception after the JVM's
 * writes, in the copy as in the loop after it, and hand on the values it computed.
 */
class AlignmentPeelingTest {
    static final class Kernels {
        /** The loop the pass is for: from 0 to x's length, y may be shorter, null, or x itself. */
        @Jit
        static void saxpy(float a, float[] x, float[] y) {
            for (int i = 0; i < x.length; i++) y[i] = a * x[i] + y[i];
        }

        /** From a run-time start (range-checked first: the pass then peels both copies); an int handed on. */
        @Jit
        static long scaleRange(double[] src, double[] dst, int from, int to) {
            long stored = 0;
            for (int i = from; i < to; i++) {
                dst[i] = src[i] * 2 + 1;
                stored += i;
            }
            return stored;
        }

        /** A store at the counter plus a row offset, as in a stencil. */
        @Jit
        static void rowDifference(int[] in, int[] out, int row, int w) {
            for (int x = 1; x < w; x++) out[row + x] = in[row + x] - in[row + x - 1];
        }

        /** One-byte elements: up to 63 of them before a boundary. */
        @Jit
        static int fillBytes(byte[] b, int from, int to) {
            int i = from;
            for (; i < to; i++) b[i] = (byte) (i * 3);
            return i;
        }

        /** Reads only: the first load picks the array (an integer sum is vectorised without fastMath). */
        @Jit
        static long sumRange(int[] a, int from, int to) {
            long s = 0;
            for (int i = from; i < to; i++) s += a[i];
            return s;
        }

        /**
         * Under fastMath the floating-point sum is vectorised, so its first load is aligned too. The test's elements
         * are small whole numbers, whose sums are exact in any order, so the JVM's answer is the only right one.
         */
        @Jit(fastMath = true)
        static double dotFastMath(double[] a, double[] b) {
            double s = 0;
            for (int i = 0; i < a.length; i++) s += a[i] * b[i];
            return s;
        }

        /** Two-byte elements, a conditional store. */
        @Jit
        static void clampChars(char[] c, int limit) {
            for (int i = 0; i < c.length; i++) {
                if (c[i] > limit) c[i] = (char) limit;
            }
        }
    }

    /** Starts across a 64-byte span of any element size, and the int range's end. */
    private static final int[] STARTS = {-1, 0, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, Integer.MAX_VALUE - 2};
    /** Elements in 4 KiB: 1,024 floats or ints, 512 doubles, 2,048 chars, 4,096 bytes. */
    private static final int[] FLOAT_LENGTHS = {0, 1, 17, 1023, 1024, 1025, 1031, 1040, 1100};

    /** {@code from + length}, or MAX_VALUE where that would pass it. */
    private static int end(int from, int length) {
        return (int) Math.min(Integer.MAX_VALUE, (long) from + length);
    }

    private static float[] floats(int n, int seed) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (i * 7 + seed) % 13 - 6.5f;
        return a;
    }

    private static double[] doubles(int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = i * 0.37 - 4;
        return a;
    }

    private static int[] ints(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i * i % 17 - 8;
        return a;
    }

    @Test
    void saxpyEndsOrThrowsWhereTheJvmDoes() {
        List<Object[]> t = new ArrayList<>();
        for (int n : FLOAT_LENGTHS) {
            t.add(new Object[] {0.5f, floats(n, 1), floats(n, 2)});
            t.add(new Object[] {-3f, floats(n, 1), floats(n / 2, 2)}); // y shorter: throws at its end
            t.add(new Object[] {-3f, floats(n, 1), floats(5, 2)}); // ... within the first 16 elements
            t.add(new Object[] {2f, floats(n, 1), floats(n + 9, 2)});
            float[] one = floats(n, 3);
            t.add(new Object[] {0.25f, one, one});
        }
        t.add(new Object[] {1f, floats(20, 1), null});
        t.add(new Object[] {1f, null, floats(20, 1)});
        t.add(new Object[] {Float.NaN, floats(40, 1), floats(40, 2)});
        Differential.of(Kernels.class, "saxpy").checkAll(t);
    }

    @Test
    void rangesFromEveryStart() {
        List<Object[]> scale = new ArrayList<>(), bytes = new ArrayList<>();
        for (int from : STARTS) {
            for (int length : new int[] {0, 9, 511, 512, 600}) {
                int to = end(from, length);
                scale.add(new Object[] {doubles(700), doubles(700), from, to});
                scale.add(new Object[] {doubles(700), doubles(520), from, to}); // dst ends inside the range
                scale.add(new Object[] {doubles(700), doubles(5), from, to}); // ... or before it starts
                double[] one = doubles(700);
                scale.add(new Object[] {one, one, from, to});
            }
            for (int length : new int[] {0, 9, 4095, 4096, 4150}) {
                int to = end(from, length);
                bytes.add(new Object[] {new byte[4300], from, to});
                bytes.add(new Object[] {new byte[4120], from, to});
                bytes.add(new Object[] {new byte[40], from, to});
            }
        }
        // An empty range whose to - from wraps to a long span: the copy must still stop at the loop's own bound.
        scale.add(new Object[] {doubles(700), doubles(700), Integer.MAX_VALUE - 5000, Integer.MIN_VALUE + 5000});
        bytes.add(new Object[] {new byte[4300], Integer.MAX_VALUE - 5000, Integer.MIN_VALUE + 5000});
        scale.add(new Object[] {doubles(10), null, 0, 5});
        bytes.add(new Object[] {null, 0, 5});
        bytes.add(new Object[] {null, 5, 0});
        Differential.of(Kernels.class, "scaleRange").checkAll(scale);
        Differential.of(Kernels.class, "fillBytes").checkAll(bytes);
    }

    @Test
    void rowsAtEveryOffset() {
        List<Object[]> t = new ArrayList<>();
        for (int row : new int[] {-1, 0, 1, 3, 8, 15, 16, 17, 40}) {
            for (int w : new int[] {0, 1, 2, 1024, 1025, 1100}) {
                t.add(new Object[] {ints(1200), ints(1200), row, w});
                t.add(new Object[] {ints(1200), ints(1060), row, w});
                t.add(new Object[] {ints(1200), ints(9), row, w});
            }
        }
        int[] one = ints(1200);
        t.add(new Object[] {one, one, 5, 1100});
        t.add(new Object[] {ints(10), null, 0, 5});
        Differential.of(Kernels.class, "rowDifference").checkAll(t);
    }

    @Test
    void conditionalStoresOfChars() {
        List<Object[]> t = new ArrayList<>();
        for (int n : new int[] {0, 17, 2047, 2048, 2049, 2100}) {
            char[] c = new char[n];
            for (int i = 0; i < n; i++) c[i] = (char) (i * 2654435761L >>> 20);
            t.add(new Object[] {c, 2000});
            t.add(new Object[] {c.clone(), -1});
        }
        t.add(new Object[] {null, 0});
        Differential.of(Kernels.class, "clampChars").checkAll(t);
    }

    @Test
    void loopsThatOnlyRead() {
        List<Object[]> sums = new ArrayList<>(), dots = new ArrayList<>();
        for (int from : STARTS) {
            for (int length : new int[] {0, 9, 1023, 1024, 1100}) {
                int to = end(from, length);
                sums.add(new Object[] {ints(1200), from, to});
                sums.add(new Object[] {ints(1040), from, to}); // ends inside the range
                sums.add(new Object[] {ints(7), from, to});
            }
        }
        sums.add(new Object[] {ints(1200), Integer.MAX_VALUE - 5000, Integer.MIN_VALUE + 5000});
        sums.add(new Object[] {null, 0, 2000});
        for (int n : new int[] {0, 1, 511, 512, 513, 600, 700}) {
            double[] a = new double[n], b = new double[n];
            for (int i = 0; i < n; i++) { a[i] = i % 7 - 3; b[i] = i % 5 - 2; }
            dots.add(new Object[] {a, b});
            dots.add(new Object[] {a, Arrays.copyOf(b, n / 2)}); // b shorter: throws at its end
            dots.add(new Object[] {a, Arrays.copyOf(b, Math.min(n, 3))});
            dots.add(new Object[] {a, a});
        }
        dots.add(new Object[] {new double[600], null});
        dots.add(new Object[] {null, new double[600]});
        Differential.of(Kernels.class, "sumRange").checkAll(sums);
        Differential.of(Kernels.class, "dotFastMath").checkAll(dots);
    }

    /** The pass did run on these kernels: their typed IR asks where the stored (or read) array lies. */
    @Test
    void theLoopsArePeeled() throws Exception {
        for (String name : new String[] {"saxpy", "scaleRange", "rowDifference", "fillBytes", "clampChars", "sumRange", "dotFastMath"}) {
            var method = Arrays.stream(Kernels.class.getDeclaredMethods()).filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
            String ir = Numbat.inspect(method).typedIr();
            assertTrue(ir.contains("alignPeel"), name + " was not peeled:\n" + ir);
        }
    }
}
