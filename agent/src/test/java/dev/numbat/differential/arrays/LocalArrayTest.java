package dev.numbat.differential.arrays;

import dev.numbat.differential.Differential;
import dev.numbat.differential.EdgeValues;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Arrays created inside the method ({@code new int[n]}, not escaping): zero-initialised for every type,
 * {@code NegativeArraySizeException} with the size as message, large sizes, local arrays passed to callees
 * (which write into them and may throw), local {@code boolean[]} (allowed inside a method), out-of-bounds
 * accesses on local arrays, and many allocations in a loop.
 */
class LocalArrayTest {

    static final class Kernels {
        static int intSquares(int n) {
            int[] t = new int[n];
            for (int i = 0; i < n; i++) t[i] = i * i;
            int s = 0;
            for (int v : t) s += v;
            return s;
        }

        static long zeroInitialisedEveryType(int n) {
            byte[] b = new byte[n];
            short[] s = new short[n];
            char[] c = new char[n];
            int[] i = new int[n];
            long[] l = new long[n];
            float[] f = new float[n];
            double[] d = new double[n];
            boolean[] z = new boolean[n];
            long sum = 0;
            for (int k = 0; k < n; k++) {
                sum += b[k] + s[k] + c[k] + i[k] + l[k] + (long) f[k] + (long) d[k] + (z[k] ? 1 : 0);
                if (Float.floatToRawIntBits(f[k]) != 0 || Double.doubleToRawLongBits(d[k]) != 0) sum += 1000;
            }
            return sum + b.length + z.length;
        }

        static int lengthOfNew(int n) { return new double[n].length; }

        static int negativeSizeAfterWrites(int[] out, int n) {
            out[0] = 1;
            long[] t = new long[n - 3];
            out[1] = 2;
            return t.length;
        }

        static int booleanLocal(int n) {
            boolean[] seen = new boolean[64];
            int count = 0;
            for (int i = 0; i < (n & 255); i++) {
                int k = (i * 7 + n) & 63;
                if (!seen[k]) { seen[k] = true; count++; }
            }
            return count;
        }

        static int sieve(int n) {
            int m = n & 1023;
            boolean[] composite = new boolean[m + 1];
            int primes = 0;
            for (int i = 2; i <= m; i++) {
                if (composite[i]) continue;
                primes++;
                for (int j = i * i; j <= m; j += i) composite[j] = true;
            }
            return primes;
        }

        static void fill(int[] a, int v) { for (int i = 0; i < a.length; i++) a[i] = v + i; }

        static int sum(int[] a) { int s = 0; for (int x : a) s += x; return s; }

        static int passedToCallees(int n) {
            int[] t = new int[n & 63];
            fill(t, n);
            return sum(t);
        }

        static void fillUpTo(double[] a, int k) { for (int i = 0; i <= k; i++) a[i] = i * 0.5; }

        /** The callee writes into a local array and throws; the caller's array, returned here as a sum, is gone. */
        static double calleeThrowsOnLocal(int n) {
            double[] t = new double[8];
            fillUpTo(t, n);
            return t[0] + t[7];
        }

        static void copyInto(int[] from, int[] to) { for (int i = 0; i < from.length; i++) to[i] = from[i]; }

        /** A local array copied into a parameter, partly before an exception. */
        static void localCopiedToParameter(int[] out, int n) {
            int[] t = new int[n & 15];
            for (int i = 0; i < t.length; i++) t[i] = i + 100;
            copyInto(t, out);
        }

        static int outOfBoundsOnLocal(int n) {
            int[] t = new int[5];
            t[n] = 1;
            return t[4];
        }

        static int allocationsInLoop(int n) {
            int s = 0;
            for (int i = 0; i < (n & 511); i++) {
                int[] t = new int[i & 31];
                if (t.length > 0) { t[t.length - 1] = i; s += t[t.length - 1]; }
            }
            return s;
        }

        static int subIntLocals(int v) {
            byte[] b = {(byte) v, (byte) (v >> 8)};
            short[] s = new short[] {(short) v, (short) (v * 3)};
            char[] c = new char[] {(char) v, (char) -v};
            return b[0] + b[1] * 3 + s[0] * 5 + s[1] * 7 + c[0] * 11 + c[1] * 13;
        }

        static long largeArray(int n) {
            long[] t = new long[n];
            for (int i = 0; i < t.length; i += 4096) t[i] = i;
            t[t.length - 1] = 7;
            long s = 0;
            for (int i = 0; i < t.length; i += 4096) s += t[i];
            return s + t[t.length - 1];
        }
    }

    /**
     * Sizes for {@code new long[n - 3]}. Not MIN_VALUE: n - 3 wraps to 2^31 - 3, which the JVM refuses with
     * OutOfMemoryError while calloc may well succeed (a documented difference, docs/semantics.md).
     */
    private static final List<Object> SIZES = EdgeValues.ints(0, 1, 2, 3, 10, 17, -1, -3, Integer.MIN_VALUE + 3, 100, 1000);

    @TestFactory
    Stream<DynamicTest> sizesAndEdges() {
        return Stream.of("intSquares", "zeroInitialisedEveryType", "lengthOfNew", "booleanLocal", "sieve", "passedToCallees",
                        "allocationsInLoop", "outOfBoundsOnLocal", "calleeThrowsOnLocal")
                .map(name -> DynamicTest.dynamicTest(name, () -> Differential.of(Kernels.class, name)
                        .checkAll(EdgeValues.product(List.of(EdgeValues.ints(EdgeValues.SMALL_AND_EDGE_INTS))).stream()
                                .filter(a -> (int) a[0] <= 4096).toList())));
    }

    @Test
    void negativeArraySizeAfterWrites() {
        Differential.of(Kernels.class, "negativeSizeAfterWrites")
                .checkAll(EdgeValues.product(List.of(new int[2], new int[1], new int[0]), SIZES));
    }

    @Test
    void localArrayCopiedIntoParameter() {
        Differential.of(Kernels.class, "localCopiedToParameter")
                .checkAll(EdgeValues.product(List.of(new int[16], new int[3], new int[0]), EdgeValues.ints(EdgeValues.SMALL_AND_EDGE_INTS)));
    }

    @Test
    void subIntLocalArrays() {
        Differential.of(Kernels.class, "subIntLocals").checkAll(EdgeValues.tuples(int.class));
    }

    @Test
    void largeArrays() {
        Differential.of(Kernels.class, "largeArray").checkAll(EdgeValues.product(EdgeValues.ints(1 << 20, 1 << 24, 0, -5)));
    }
}
