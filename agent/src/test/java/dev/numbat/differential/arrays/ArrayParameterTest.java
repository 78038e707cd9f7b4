package dev.numbat.differential.arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.numbat.differential.Differential;
import dev.numbat.differential.EdgeValues;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Arrays of every primitive type as parameters: load, store, length, loops over them; a null array gives the
 * JVM's helpful NullPointerException message (JEP 358, e.g. {@code Cannot load from int array because "a" is
 * null}, and without the "because" part where the array may come from two places); indices -1, length,
 * MAX_VALUE and MIN_VALUE give {@code Index 10 out of bounds for length 10}; every write before the exception
 * stays; sub-int stores truncate; two parameters may be one array (overlapping copies must not be vectorised
 * as if they could not alias).
 *
 * <p>Arguments: each array parameter takes null, an empty array, a one-element array and a ten-element array
 * of edge values (the same objects for two array parameters, so every kernel also runs with both parameters
 * aliasing one array); int parameters take the indices -1, 0, 1, 5, 9, 10, 11, MIN_VALUE, MAX_VALUE; other
 * primitive parameters all the edge values of their type.
 */
class ArrayParameterTest {

    static final class ByteKernels {
        static byte load(byte[] a, int i) { return a[i]; }
        static void store(byte[] a, int i, byte v) { a[i] = v; }
        static int length(byte[] a) { return a.length; }
        static long sum(byte[] a) {
            long s = 0;
            for (int i = 0; i < a.length; i++) s += a[i];
            return s;
        }
        static long sumForEach(byte[] a) {
            long s = 0;
            for (byte x : a) s = s * 3 + x;
            return s;
        }
        static void writesBeforeThrow(byte[] a, int i) {
            a[0] = (byte) 1;
            a[a.length - 1] = (byte) -2;
            a[i] = (byte) 127;
            a[1] = (byte) -128;
        }
        static void fillPastEnd(byte[] a, int n) {
            for (int i = 0; i < n; i++) a[i] = (byte) (i * 3 + 1);
        }
        static boolean contains(byte[] a, byte x) {
            for (int i = 0; i < a.length; i++) if (a[i] == x) return true;
            return false;
        }
        static void shiftCopy(byte[] dst, byte[] src, int n) {
            for (int i = 0; i < n; i++) dst[i + 1] = src[i];
        }
        static void copyAll(byte[] dst, byte[] src) {
            for (int i = 0; i < src.length; i++) dst[i] = src[i];
        }
        static byte swapEnds(byte[] a, byte[] b) {
            byte t = a[0];
            a[0] = b[b.length - 1];
            b[b.length - 1] = t;
            return a[0];
        }
        static void increment(byte[] a, int i) { a[i]++; }
        static void addScaled(byte[] a, byte[] b, int k) {
            for (int i = 0; i < a.length; i++) a[i] += b[i] * k;
        }
        static byte loadFromMaybeNullLocal(byte[] a, int i) {
            byte[] b = null;
            if (i > 0) b = a;
            return b[0];
        }
        static byte loadFromEitherArray(byte[] a, byte[] b, int i) { return (i > 0 ? a : b)[0]; }
        static int lengthOfEitherArray(byte[] a, int i) {
            byte[] b = i > 5 ? a : null;
            return b.length;
        }
        static void storeToNullLiteral(int i) {
            byte[] b = null;
            b[i] = (byte) 1;
        }
        static void reverse(byte[] a) {
            for (int i = 0, j = a.length - 1; i < j; i++, j--) { byte t = a[i]; a[i] = a[j]; a[j] = t; }
        }
        static void prefixSums(byte[] a) {
            for (int i = 1; i < a.length; i++) a[i] += a[i - 1];
        }
        static boolean allEqual(byte[] a, byte[] b) {
            if (a.length != b.length) return false;
            for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
            return true;
        }
        static void storeTruncated(byte[] a, int i, int v) { a[i] = (byte) v; }
        static int storeThenReload(byte[] a, int i, int v) {
            a[i] = (byte) (v * 3 + 200);
            return a[i] + 1;
        }
    }

    static final class ShortKernels {
        static short load(short[] a, int i) { return a[i]; }
        static void store(short[] a, int i, short v) { a[i] = v; }
        static int length(short[] a) { return a.length; }
        static long sum(short[] a) {
            long s = 0;
            for (int i = 0; i < a.length; i++) s += a[i];
            return s;
        }
        static long sumForEach(short[] a) {
            long s = 0;
            for (short x : a) s = s * 3 + x;
            return s;
        }
        static void writesBeforeThrow(short[] a, int i) {
            a[0] = (short) 1;
            a[a.length - 1] = (short) -2;
            a[i] = Short.MAX_VALUE;
            a[1] = Short.MIN_VALUE;
        }
        static void fillPastEnd(short[] a, int n) {
            for (int i = 0; i < n; i++) a[i] = (short) (i * 3 + 1);
        }
        static boolean contains(short[] a, short x) {
            for (int i = 0; i < a.length; i++) if (a[i] == x) return true;
            return false;
        }
        static void shiftCopy(short[] dst, short[] src, int n) {
            for (int i = 0; i < n; i++) dst[i + 1] = src[i];
        }
        static void copyAll(short[] dst, short[] src) {
            for (int i = 0; i < src.length; i++) dst[i] = src[i];
        }
        static short swapEnds(short[] a, short[] b) {
            short t = a[0];
            a[0] = b[b.length - 1];
            b[b.length - 1] = t;
            return a[0];
        }
        static void increment(short[] a, int i) { a[i]++; }
        static void addScaled(short[] a, short[] b, int k) {
            for (int i = 0; i < a.length; i++) a[i] += b[i] * k;
        }
        static short loadFromMaybeNullLocal(short[] a, int i) {
            short[] b = null;
            if (i > 0) b = a;
            return b[0];
        }
        static short loadFromEitherArray(short[] a, short[] b, int i) { return (i > 0 ? a : b)[0]; }
        static int lengthOfEitherArray(short[] a, int i) {
            short[] b = i > 5 ? a : null;
            return b.length;
        }
        static void storeToNullLiteral(int i) {
            short[] b = null;
            b[i] = (short) 1;
        }
        static void reverse(short[] a) {
            for (int i = 0, j = a.length - 1; i < j; i++, j--) { short t = a[i]; a[i] = a[j]; a[j] = t; }
        }
        static void prefixSums(short[] a) {
            for (int i = 1; i < a.length; i++) a[i] += a[i - 1];
        }
        static boolean allEqual(short[] a, short[] b) {
            if (a.length != b.length) return false;
            for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
            return true;
        }
        static void storeTruncated(short[] a, int i, int v) { a[i] = (short) v; }
        static int storeThenReload(short[] a, int i, int v) {
            a[i] = (short) (v * 3 + 200);
            return a[i] + 1;
        }
    }

    static final class CharKernels {
        static char load(char[] a, int i) { return a[i]; }
        static void store(char[] a, int i, char v) { a[i] = v; }
        static int length(char[] a) { return a.length; }
        static long sum(char[] a) {
            long s = 0;
            for (int i = 0; i < a.length; i++) s += a[i];
            return s;
        }
        static long sumForEach(char[] a) {
            long s = 0;
            for (char x : a) s = s * 3 + x;
            return s;
        }
        static void writesBeforeThrow(char[] a, int i) {
            a[0] = 'a';
            a[a.length - 1] = Character.MAX_VALUE;
            a[i] = (char) 0x8000;
            a[1] = 'z';
        }
        static void fillPastEnd(char[] a, int n) {
            for (int i = 0; i < n; i++) a[i] = (char) (i * 3 + 1);
        }
        static boolean contains(char[] a, char x) {
            for (int i = 0; i < a.length; i++) if (a[i] == x) return true;
            return false;
        }
        static void shiftCopy(char[] dst, char[] src, int n) {
            for (int i = 0; i < n; i++) dst[i + 1] = src[i];
        }
        static void copyAll(char[] dst, char[] src) {
            for (int i = 0; i < src.length; i++) dst[i] = src[i];
        }
        static char swapEnds(char[] a, char[] b) {
            char t = a[0];
            a[0] = b[b.length - 1];
            b[b.length - 1] = t;
            return a[0];
        }
        static void increment(char[] a, int i) { a[i]++; }
        static void addScaled(char[] a, char[] b, int k) {
            for (int i = 0; i < a.length; i++) a[i] += b[i] * k;
        }
        static char loadFromMaybeNullLocal(char[] a, int i) {
            char[] b = null;
            if (i > 0) b = a;
            return b[0];
        }
        static char loadFromEitherArray(char[] a, char[] b, int i) { return (i > 0 ? a : b)[0]; }
        static int lengthOfEitherArray(char[] a, int i) {
            char[] b = i > 5 ? a : null;
            return b.length;
        }
        static void storeToNullLiteral(int i) {
            char[] b = null;
            b[i] = 'a';
        }
        static void reverse(char[] a) {
            for (int i = 0, j = a.length - 1; i < j; i++, j--) { char t = a[i]; a[i] = a[j]; a[j] = t; }
        }
        static void prefixSums(char[] a) {
            for (int i = 1; i < a.length; i++) a[i] += a[i - 1];
        }
        static boolean allEqual(char[] a, char[] b) {
            if (a.length != b.length) return false;
            for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
            return true;
        }
        static void storeTruncated(char[] a, int i, int v) { a[i] = (char) v; }
        static int storeThenReload(char[] a, int i, int v) {
            a[i] = (char) (v * 3 + 200);
            return a[i] + 1;
        }
    }

    static final class IntKernels {
        static int load(int[] a, int i) { return a[i]; }
        static void store(int[] a, int i, int v) { a[i] = v; }
        static int length(int[] a) { return a.length; }
        static long sum(int[] a) {
            long s = 0;
            for (int i = 0; i < a.length; i++) s += a[i];
            return s;
        }
        static long sumForEach(int[] a) {
            long s = 0;
            for (int x : a) s = s * 3 + x;
            return s;
        }
        static void writesBeforeThrow(int[] a, int i) {
            a[0] = 1;
            a[a.length - 1] = -2;
            a[i] = Integer.MAX_VALUE;
            a[1] = Integer.MIN_VALUE;
        }
        static void fillPastEnd(int[] a, int n) {
            for (int i = 0; i < n; i++) a[i] = (int) (i * 3 + 1);
        }
        static boolean contains(int[] a, int x) {
            for (int i = 0; i < a.length; i++) if (a[i] == x) return true;
            return false;
        }
        static void shiftCopy(int[] dst, int[] src, int n) {
            for (int i = 0; i < n; i++) dst[i + 1] = src[i];
        }
        static void copyAll(int[] dst, int[] src) {
            for (int i = 0; i < src.length; i++) dst[i] = src[i];
        }
        static int swapEnds(int[] a, int[] b) {
            int t = a[0];
            a[0] = b[b.length - 1];
            b[b.length - 1] = t;
            return a[0];
        }
        static void increment(int[] a, int i) { a[i]++; }
        static void addScaled(int[] a, int[] b, int k) {
            for (int i = 0; i < a.length; i++) a[i] += b[i] * k;
        }
        static int loadFromMaybeNullLocal(int[] a, int i) {
            int[] b = null;
            if (i > 0) b = a;
            return b[0];
        }
        static int loadFromEitherArray(int[] a, int[] b, int i) { return (i > 0 ? a : b)[0]; }
        static int lengthOfEitherArray(int[] a, int i) {
            int[] b = i > 5 ? a : null;
            return b.length;
        }
        static void storeToNullLiteral(int i) {
            int[] b = null;
            b[i] = 1;
        }
        static void reverse(int[] a) {
            for (int i = 0, j = a.length - 1; i < j; i++, j--) { int t = a[i]; a[i] = a[j]; a[j] = t; }
        }
        static void prefixSums(int[] a) {
            for (int i = 1; i < a.length; i++) a[i] += a[i - 1];
        }
        static boolean allEqual(int[] a, int[] b) {
            if (a.length != b.length) return false;
            for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
            return true;
        }
    }

    static final class LongKernels {
        static long load(long[] a, int i) { return a[i]; }
        static void store(long[] a, int i, long v) { a[i] = v; }
        static int length(long[] a) { return a.length; }
        static long sum(long[] a) {
            long s = 0;
            for (int i = 0; i < a.length; i++) s += a[i];
            return s;
        }
        static long sumForEach(long[] a) {
            long s = 0;
            for (long x : a) s = s * 3 + x;
            return s;
        }
        static void writesBeforeThrow(long[] a, int i) {
            a[0] = 1L;
            a[a.length - 1] = -2L;
            a[i] = Long.MAX_VALUE;
            a[1] = Long.MIN_VALUE;
        }
        static void fillPastEnd(long[] a, int n) {
            for (int i = 0; i < n; i++) a[i] = (long) (i * 3 + 1);
        }
        static boolean contains(long[] a, long x) {
            for (int i = 0; i < a.length; i++) if (a[i] == x) return true;
            return false;
        }
        static void shiftCopy(long[] dst, long[] src, int n) {
            for (int i = 0; i < n; i++) dst[i + 1] = src[i];
        }
        static void copyAll(long[] dst, long[] src) {
            for (int i = 0; i < src.length; i++) dst[i] = src[i];
        }
        static long swapEnds(long[] a, long[] b) {
            long t = a[0];
            a[0] = b[b.length - 1];
            b[b.length - 1] = t;
            return a[0];
        }
        static void increment(long[] a, int i) { a[i]++; }
        static void addScaled(long[] a, long[] b, int k) {
            for (int i = 0; i < a.length; i++) a[i] += b[i] * k;
        }
        static long loadFromMaybeNullLocal(long[] a, int i) {
            long[] b = null;
            if (i > 0) b = a;
            return b[0];
        }
        static long loadFromEitherArray(long[] a, long[] b, int i) { return (i > 0 ? a : b)[0]; }
        static int lengthOfEitherArray(long[] a, int i) {
            long[] b = i > 5 ? a : null;
            return b.length;
        }
        static void storeToNullLiteral(int i) {
            long[] b = null;
            b[i] = 1L;
        }
        static void reverse(long[] a) {
            for (int i = 0, j = a.length - 1; i < j; i++, j--) { long t = a[i]; a[i] = a[j]; a[j] = t; }
        }
        static void prefixSums(long[] a) {
            for (int i = 1; i < a.length; i++) a[i] += a[i - 1];
        }
        static boolean allEqual(long[] a, long[] b) {
            if (a.length != b.length) return false;
            for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
            return true;
        }
    }

    static final class FloatKernels {
        static float load(float[] a, int i) { return a[i]; }
        static void store(float[] a, int i, float v) { a[i] = v; }
        static int length(float[] a) { return a.length; }
        static double sum(float[] a) {
            double s = 0;
            for (int i = 0; i < a.length; i++) s += a[i];
            return s;
        }
        static double sumForEach(float[] a) {
            double s = 0;
            for (float x : a) s = s * 3 + x;
            return s;
        }
        static void writesBeforeThrow(float[] a, int i) {
            a[0] = 1.5f;
            a[a.length - 1] = -0.0f;
            a[i] = Float.NaN;
            a[1] = Float.MIN_VALUE;
        }
        static void fillPastEnd(float[] a, int n) {
            for (int i = 0; i < n; i++) a[i] = (float) (i * 3 + 1);
        }
        static boolean contains(float[] a, float x) {
            for (int i = 0; i < a.length; i++) if (a[i] == x) return true;
            return false;
        }
        static void shiftCopy(float[] dst, float[] src, int n) {
            for (int i = 0; i < n; i++) dst[i + 1] = src[i];
        }
        static void copyAll(float[] dst, float[] src) {
            for (int i = 0; i < src.length; i++) dst[i] = src[i];
        }
        static float swapEnds(float[] a, float[] b) {
            float t = a[0];
            a[0] = b[b.length - 1];
            b[b.length - 1] = t;
            return a[0];
        }
        static void increment(float[] a, int i) { a[i]++; }
        static void addScaled(float[] a, float[] b, int k) {
            for (int i = 0; i < a.length; i++) a[i] += b[i] * k;
        }
        static float loadFromMaybeNullLocal(float[] a, int i) {
            float[] b = null;
            if (i > 0) b = a;
            return b[0];
        }
        static float loadFromEitherArray(float[] a, float[] b, int i) { return (i > 0 ? a : b)[0]; }
        static int lengthOfEitherArray(float[] a, int i) {
            float[] b = i > 5 ? a : null;
            return b.length;
        }
        static void storeToNullLiteral(int i) {
            float[] b = null;
            b[i] = 1.5f;
        }
        static void reverse(float[] a) {
            for (int i = 0, j = a.length - 1; i < j; i++, j--) { float t = a[i]; a[i] = a[j]; a[j] = t; }
        }
        static void prefixSums(float[] a) {
            for (int i = 1; i < a.length; i++) a[i] += a[i - 1];
        }
        static boolean allEqual(float[] a, float[] b) {
            if (a.length != b.length) return false;
            for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
            return true;
        }
    }

    static final class DoubleKernels {
        static double load(double[] a, int i) { return a[i]; }
        static void store(double[] a, int i, double v) { a[i] = v; }
        static int length(double[] a) { return a.length; }
        static double sum(double[] a) {
            double s = 0;
            for (int i = 0; i < a.length; i++) s += a[i];
            return s;
        }
        static double sumForEach(double[] a) {
            double s = 0;
            for (double x : a) s = s * 3 + x;
            return s;
        }
        static void writesBeforeThrow(double[] a, int i) {
            a[0] = 1.5;
            a[a.length - 1] = -0.0;
            a[i] = Double.NaN;
            a[1] = Double.MIN_VALUE;
        }
        static void fillPastEnd(double[] a, int n) {
            for (int i = 0; i < n; i++) a[i] = (double) (i * 3 + 1);
        }
        static boolean contains(double[] a, double x) {
            for (int i = 0; i < a.length; i++) if (a[i] == x) return true;
            return false;
        }
        static void shiftCopy(double[] dst, double[] src, int n) {
            for (int i = 0; i < n; i++) dst[i + 1] = src[i];
        }
        static void copyAll(double[] dst, double[] src) {
            for (int i = 0; i < src.length; i++) dst[i] = src[i];
        }
        static double swapEnds(double[] a, double[] b) {
            double t = a[0];
            a[0] = b[b.length - 1];
            b[b.length - 1] = t;
            return a[0];
        }
        static void increment(double[] a, int i) { a[i]++; }
        static void addScaled(double[] a, double[] b, int k) {
            for (int i = 0; i < a.length; i++) a[i] += b[i] * k;
        }
        static double loadFromMaybeNullLocal(double[] a, int i) {
            double[] b = null;
            if (i > 0) b = a;
            return b[0];
        }
        static double loadFromEitherArray(double[] a, double[] b, int i) { return (i > 0 ? a : b)[0]; }
        static int lengthOfEitherArray(double[] a, int i) {
            double[] b = i > 5 ? a : null;
            return b.length;
        }
        static void storeToNullLiteral(int i) {
            double[] b = null;
            b[i] = 1.5;
        }
        static void reverse(double[] a) {
            for (int i = 0, j = a.length - 1; i < j; i++, j--) { double t = a[i]; a[i] = a[j]; a[j] = t; }
        }
        static void prefixSums(double[] a) {
            for (int i = 1; i < a.length; i++) a[i] += a[i - 1];
        }
        static boolean allEqual(double[] a, double[] b) {
            if (a.length != b.length) return false;
            for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
            return true;
        }
    }

    /** Loops the backend may vectorise, where an exception, aliasing or the order of floating-point additions matter. */
    static final class LoopKernels {
        static void reciprocalsTimesThousand(int[] a) {
            for (int i = 0; i < a.length; i++) a[i] = 1000 / a[i];
        }

        static void divideByElements(long[] dst, long[] divisors) {
            for (int i = 0; i < dst.length; i++) dst[i] = 100_000L / divisors[i];
        }

        /** With a == b, a[0] changes in the first iteration: b[0] must not be hoisted out of the loop. */
        static void addFirstOfOther(int[] a, int[] b) {
            for (int i = 0; i < a.length; i++) a[i] += b[0];
        }

        static void addFirstOfOtherDouble(double[] a, double[] b) {
            for (int i = 0; i < a.length; i++) a[i] = a[i] * 0.5 + b[0];
        }

        static double sum(double[] a) {
            double s = 0;
            for (double x : a) s += x;
            return s;
        }

        static float sumFloat(float[] a) {
            float s = 0;
            for (float x : a) s += x;
            return s;
        }

        static double dot(double[] a, double[] b) {
            double s = 0;
            for (int i = 0; i < a.length; i++) s += a[i] * b[i];
            return s;
        }

        static long sumLong(long[] a) {
            long s = 0;
            for (long x : a) s += x;
            return s;
        }

        static int maxIndexOfNaNAware(double[] a) {
            int best = 0;
            for (int i = 1; i < a.length; i++) if (a[i] > a[best] || a[i] != a[i]) best = i;
            return best;
        }

        static void divideEach(int[] a, int d) { for (int i = 0; i < a.length; i++) a[i] = a[i] / d; }
        static void remainderEach(long[] a, long d) { for (int i = 0; i < a.length; i++) a[i] = a[i] % d; }
        static void divideElementwise(int[] a, int[] b) { for (int i = 0; i < a.length; i++) a[i] = a[i] / b[i]; }
        static void shiftEach(int[] a, int[] s) { for (int i = 0; i < a.length; i++) a[i] = (a[i] << s[i]) ^ (a[i] >>> s[i]) ^ (a[i] >> -s[i]); }
        static void shiftEachLong(long[] a, int[] s) { for (int i = 0; i < a.length; i++) a[i] = (a[i] << s[i]) ^ (a[i] >>> s[i]) ^ (a[i] >> -s[i]); }
        static void truncateEach(double[] src, int[] dst) { for (int i = 0; i < src.length; i++) dst[i] = (int) src[i]; }
        static void truncateEachToLong(float[] src, long[] dst) { for (int i = 0; i < src.length; i++) dst[i] = (long) src[i]; }
        static void narrowEach(int[] src, byte[] b, char[] c, short[] s) {
            for (int i = 0; i < src.length; i++) { b[i] = (byte) src[i]; c[i] = (char) src[i]; s[i] = (short) src[i]; }
        }
        static void minMaxEach(double[] a, double[] b) {
            for (int i = 0; i < a.length; i++) { double x = a[i]; a[i] = Math.min(x, b[i]); b[i] = Math.max(x, b[i]); }
        }
        static void minMaxEachFloat(float[] a, float[] b) {
            for (int i = 0; i < a.length; i++) { float x = a[i]; a[i] = Math.min(x, b[i]); b[i] = Math.max(x, b[i]); }
        }
        static void absEach(int[] a, double[] d) {
            for (int i = 0; i < a.length; i++) { a[i] = Math.abs(a[i]); d[i] = Math.abs(d[i]); }
        }
        static int sumWrapping(int[] a) { int s = 0; for (int x : a) s += x * 3; return s; }
        static int sumBytesWrapping(byte[] a) { int s = 0; for (byte x : a) s = s * 31 + x; return s; }
        static int countLess(double[] a, double[] b) { int n = 0; for (int i = 0; i < a.length; i++) if (a[i] < b[i]) n++; return n; }
        static void roundEach(double[] a, long[] r) { for (int i = 0; i < a.length; i++) r[i] = Math.round(a[i]); }

        /** Arrays and sub-int parameters interleaved: each array is two native arguments, sub-ints are widened. */
        static long mixedParameters(byte b, int[] a, char c, double[] d, boolean z, long[] l, short s, float f) {
            long r = b * 3L + c * 5L + s * 7L + (z ? 11 : 13) + (long) f;
            r += a.length * 17L + d.length * 19L + l.length * 23L;
            if (a.length > 0) { a[0] += b; r += a[a.length - 1]; }
            if (d.length > 0) { d[0] = d[0] * f + c; r += (long) d[d.length - 1]; }
            if (l.length > 0) { l[l.length - 1] ^= s; r += l[0]; }
            return r;
        }
    }

    /**
     * Expressions for which javac itself writes the stack shuffles: chained assignments into arrays (dup_x2 for
     * int, dup2_x2 for long and double values), postfix increments whose old value is used (dup2 then dup_x2 /
     * dup2_x2), compound assignments (dup2).
     */
    static final class JavacShuffles {
        static int chainedStore(int[] a, int[] b, int v) { return a[0] = b[1] = v; }
        static long chainedStoreLong(long[] a, long[] b, long v) { return a[0] = b[1] = v + 1; }
        static double chainedStoreDouble(double[] a, double[] b, double v) { return a[1] = b[0] = v * 2; }
        static int postIncrementUsed(int[] a, int i) { int old = a[i]++; return old * 31 + a[i]; }
        static long postIncrementUsedLong(long[] a, int i) { long old = a[i]++; return old * 31 + a[i]; }
        static double postDecrementUsedDouble(double[] a, int i) { double old = a[i]--; return old * 31 + a[i]; }
        static int preIncrementUsedByte(byte[] a, int i) { return ++a[i] * 7 + a[i]; }
        static long compoundUsedLong(long[] a, int i, long v) { return (a[i] += v) * 3 + (a[i] <<= 2); }
        static char compoundUsedChar(char[] a, int i) { return a[i] += 0x8001; }
        /** The array and the index stay on the stack across the branches of the ternary. */
        static void conditionalStore(int[] a, int i, int v) { a[i] = v > 0 ? v : (v < -5 ? -v : 7); }
        static void conditionalStoreDouble(double[] a, int i, int v) { a[i] = a[i > 0 ? i - 1 : 0] + (v > 0 ? 0.5 : -0.5); }
    }

    @Test
    void shufflesJavacWrites() {
        Differential.Batch batch = new Differential.Batch();
        List<Object> ints = new ArrayList<>();
        ints.add(null);
        ints.add(new int[] {1, 2});
        ints.add(new int[1]);
        batch.run(() -> Differential.of(JavacShuffles.class, "chainedStore").checkAll(EdgeValues.product(ints, ints, EdgeValues.ints(7, -1))));
        List<Object> longs = new ArrayList<>();
        longs.add(null);
        longs.add(new long[] {1, 2});
        longs.add(new long[1]);
        batch.run(() -> Differential.of(JavacShuffles.class, "chainedStoreLong").checkAll(EdgeValues.product(longs, longs, List.of(7L, Long.MAX_VALUE))));
        List<Object> doubles = new ArrayList<>();
        doubles.add(null);
        doubles.add(new double[] {1, 2});
        doubles.add(new double[1]);
        batch.run(() -> Differential.of(JavacShuffles.class, "chainedStoreDouble").checkAll(EdgeValues.product(doubles, doubles, List.of(1.5, Double.NaN))));
        List<Object> idx = EdgeValues.ints(0, 1, 2, -1);
        batch.run(() -> Differential.of(JavacShuffles.class, "postIncrementUsed").checkAll(EdgeValues.product(ints, idx)));
        batch.run(() -> Differential.of(JavacShuffles.class, "postIncrementUsedLong").checkAll(EdgeValues.product(longs, idx)));
        batch.run(() -> Differential.of(JavacShuffles.class, "postDecrementUsedDouble").checkAll(EdgeValues.product(doubles, idx)));
        List<Object> bytes = new ArrayList<>();
        bytes.add(null);
        bytes.add(new byte[] {127, -128});
        batch.run(() -> Differential.of(JavacShuffles.class, "preIncrementUsedByte").checkAll(EdgeValues.product(bytes, idx)));
        batch.run(() -> Differential.of(JavacShuffles.class, "compoundUsedLong").checkAll(EdgeValues.product(longs, idx, List.of(3L, Long.MIN_VALUE))));
        List<Object> chars = new ArrayList<>();
        chars.add(null);
        chars.add(new char[] {0x7fff, 0xffff});
        batch.run(() -> Differential.of(JavacShuffles.class, "compoundUsedChar").checkAll(EdgeValues.product(chars, idx)));
        batch.run(() -> Differential.of(JavacShuffles.class, "conditionalStore").checkAll(EdgeValues.product(ints, idx, EdgeValues.ints(3, -1, -9))));
        batch.run(() -> Differential.of(JavacShuffles.class, "conditionalStoreDouble").checkAll(EdgeValues.product(doubles, idx, EdgeValues.ints(3, -1))));
        batch.done();
    }

    /** Which exception comes first when several could: the JVM's evaluation order. */
    static final class EvaluationOrder {
        static void storeQuotient(int[] a, int i, int x, int y) { a[i] = x / y; }
        static int loadBoth(int[] a, int[] b, int i) { return a[i] + b[i]; }
        static int indexFromLoad(int[] a, int[] idx) { return a[idx[0]]; }
        static int lengthThenLoad(int[] a, int i) { return a.length + a[i]; }
        static int divisionBeforeNull(int[] a, int d) { return 10 / d + a[0]; }
        static void storeAfterLoad(long[] dst, long[] src, int i) { dst[i] = src[i] * 2; }
    }

    @Test
    void firstExceptionInEvaluationOrder() {
        Differential.Batch batch = new Differential.Batch();
        List<Object> arrays = new ArrayList<>();
        arrays.add(null);
        arrays.add(new int[] {3, 1, 4});
        arrays.add(new int[0]);
        List<Object> small = EdgeValues.ints(0, 1, -1, 5);
        batch.run(() -> Differential.of(EvaluationOrder.class, "storeQuotient").checkAll(EdgeValues.product(arrays, small, EdgeValues.ints(7, Integer.MIN_VALUE), small)));
        batch.run(() -> Differential.of(EvaluationOrder.class, "loadBoth").checkAll(EdgeValues.product(arrays, arrays, small)));
        batch.run(() -> Differential.of(EvaluationOrder.class, "indexFromLoad").checkAll(EdgeValues.product(arrays, arrays)));
        batch.run(() -> Differential.of(EvaluationOrder.class, "lengthThenLoad").checkAll(EdgeValues.product(arrays, small)));
        batch.run(() -> Differential.of(EvaluationOrder.class, "divisionBeforeNull").checkAll(EdgeValues.product(arrays, small)));
        List<Object> longs = new ArrayList<>();
        longs.add(null);
        longs.add(new long[] {5, 6});
        longs.add(new long[1]);
        batch.run(() -> Differential.of(EvaluationOrder.class, "storeAfterLoad").checkAll(EdgeValues.product(longs, longs, small)));
        batch.done();
    }

    /** Values where the order of floating-point additions shows, long enough for every vector width. */
    static double[] orderSensitiveDoubles(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = (r.nextBoolean() ? 1 : -1) * Math.pow(10, r.nextInt(40) - 20) * (1 + r.nextDouble());
        return a;
    }

    @Test
    void vectorisableLoops() {
        Differential.Batch batch = new Differential.Batch();
        List<Object> withZero = List.of(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 11, 12, 13, 14, 15, 16, 17, 18},
                new int[] {0}, new int[] {-1, Integer.MIN_VALUE, 7}, new int[40]);
        batch.run(() -> Differential.of(LoopKernels.class, "reciprocalsTimesThousand").checkAll(EdgeValues.product(withZero)));
        long[] divisors = new long[33];
        for (int i = 0; i < divisors.length; i++) divisors[i] = i == 20 ? 0 : i - 7;
        divisors[7] = -1;
        batch.run(() -> Differential.of(LoopKernels.class, "divideByElements").checkAll(EdgeValues.product(
                List.of(new long[33], new long[40]), List.of(divisors, new long[] {1, 2, 3}))));
        int[] shared = {5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
        batch.run(() -> Differential.of(LoopKernels.class, "addFirstOfOther").checkAll(EdgeValues.product(List.of(shared, new int[20]), List.of(shared))));
        double[] sharedD = orderSensitiveDoubles(37, 1);
        batch.run(() -> Differential.of(LoopKernels.class, "addFirstOfOtherDouble").checkAll(EdgeValues.product(List.of(sharedD), List.of(sharedD))));
        List<Object> doubles = List.of(orderSensitiveDoubles(1000, 2), orderSensitiveDoubles(63, 3), new double[] {1e16, 1, -1e16, 1},
                EdgeValues.DOUBLES.clone(), new double[0]);
        batch.run(() -> Differential.of(LoopKernels.class, "sum").checkAll(EdgeValues.product(doubles)));
        batch.run(() -> Differential.of(LoopKernels.class, "maxIndexOfNaNAware").checkAll(EdgeValues.product(doubles)));
        batch.run(() -> Differential.of(LoopKernels.class, "dot").checkAll(EdgeValues.product(List.of(doubles.get(0)), List.of(orderSensitiveDoubles(1000, 4),
                orderSensitiveDoubles(10, 5)))));
        float[] floats = new float[999];
        for (int i = 0; i < floats.length; i++) floats[i] = (float) orderSensitiveDoubles(999, 6)[i];
        batch.run(() -> Differential.of(LoopKernels.class, "sumFloat").checkAll(EdgeValues.product(List.of(floats, EdgeValues.FLOATS.clone()))));
        batch.run(() -> Differential.of(LoopKernels.class, "sumLong").checkAll(EdgeValues.product(List.of(EdgeValues.LONGS.clone(), new long[0]))));
        batch.done();
    }

    /** {@code n} elements cycling through the edge values of the array's type, rotated by {@code shift}. */
    static Object cycle(Class<?> arrayType, int n, int shift) {
        List<Object> edges = EdgeValues.of(arrayType.getComponentType());
        Object a = Array.newInstance(arrayType.getComponentType(), n);
        for (int i = 0; i < n; i++) Array.set(a, i, edges.get((i + shift) % edges.size()));
        return a;
    }

    /**
     * Element-wise loops over arrays of 67 edge values (more than any vector width, and odd): division by zero
     * and MIN_VALUE / -1 lanes, shift counts of every size, saturating conversions, min/max with NaN and signed
     * zeros, wrapping sums, comparisons with NaN. All pairs of rotations of the edge values meet.
     */
    @Test
    void elementwiseLoopsAtEdgeValues() {
        Differential.Batch batch = new Differential.Batch();
        int n = 67;
        batch.run(() -> Differential.of(LoopKernels.class, "divideEach").checkAll(EdgeValues.product(List.of(cycle(int[].class, n, 0)),
                EdgeValues.ints(-1, 1, 7, -8, Integer.MIN_VALUE, 0))));
        batch.run(() -> Differential.of(LoopKernels.class, "remainderEach").checkAll(EdgeValues.product(List.of(cycle(long[].class, n, 0)),
                List.of(-1L, 3L, Long.MIN_VALUE, 0L))));
        List<Object> intArrays = new ArrayList<>();
        for (int shift = 0; shift < 5; shift++) intArrays.add(cycle(int[].class, n, shift * 7));
        batch.run(() -> Differential.of(LoopKernels.class, "divideElementwise").checkAll(EdgeValues.product(intArrays, intArrays)));
        batch.run(() -> Differential.of(LoopKernels.class, "shiftEach").checkAll(EdgeValues.product(intArrays, intArrays)));
        batch.run(() -> Differential.of(LoopKernels.class, "shiftEachLong").checkAll(EdgeValues.product(List.of(cycle(long[].class, n, 0)), intArrays)));
        batch.run(() -> Differential.of(LoopKernels.class, "truncateEach").checkAll(EdgeValues.product(List.of(cycle(double[].class, n, 0)), List.of(new int[n]))));
        batch.run(() -> Differential.of(LoopKernels.class, "truncateEachToLong").checkAll(EdgeValues.product(List.of(cycle(float[].class, n, 0)), List.of(new long[n]))));
        batch.run(() -> Differential.of(LoopKernels.class, "narrowEach").checkAll(EdgeValues.product(intArrays.subList(0, 1), List.of(new byte[n]),
                List.of(new char[n]), List.of(new short[n]))));
        List<Object> doubleArrays = new ArrayList<>();
        List<Object> floatArrays = new ArrayList<>();
        for (int shift = 0; shift < 5; shift++) {
            doubleArrays.add(cycle(double[].class, n, shift * 5));
            floatArrays.add(cycle(float[].class, n, shift * 5));
        }
        batch.run(() -> Differential.of(LoopKernels.class, "minMaxEach").checkAll(EdgeValues.product(doubleArrays, doubleArrays)));
        batch.run(() -> Differential.of(LoopKernels.class, "minMaxEachFloat").checkAll(EdgeValues.product(floatArrays, floatArrays)));
        batch.run(() -> Differential.of(LoopKernels.class, "countLess").checkAll(EdgeValues.product(doubleArrays, doubleArrays)));
        batch.run(() -> Differential.of(LoopKernels.class, "absEach").checkAll(EdgeValues.product(intArrays.subList(0, 1), doubleArrays.subList(0, 1))));
        batch.run(() -> Differential.of(LoopKernels.class, "sumWrapping").checkAll(EdgeValues.product(intArrays)));
        batch.run(() -> Differential.of(LoopKernels.class, "sumBytesWrapping").checkAll(EdgeValues.product(List.of(cycle(byte[].class, n, 0), cycle(byte[].class, 1000, 3)))));
        batch.run(() -> Differential.of(LoopKernels.class, "roundEach").checkAll(EdgeValues.product(doubleArrays.subList(0, 2), List.of(new long[n]))));
        batch.done();
    }

    @Test
    void arraysAndSubIntParametersInterleaved() {
        List<Object[]> args = new ArrayList<>();
        for (Object b : EdgeValues.of(byte.class)) {
            for (Object c : List.of((char) 0, (char) 0xffff, 'x')) {
                args.add(new Object[] {b, new int[] {1, 2, 3}, c, new double[] {1.5, -2.5}, true, new long[] {7, 8, 9}, (short) -3, 2.5f});
                args.add(new Object[] {b, new int[0], c, new double[0], false, new long[0], Short.MIN_VALUE, Float.NaN});
            }
        }
        args.add(new Object[] {(byte) 1, null, 'a', new double[1], true, new long[1], (short) 1, 1f});
        args.add(new Object[] {(byte) 1, new int[1], 'a', null, true, new long[1], (short) 1, 1f});
        args.add(new Object[] {(byte) 1, new int[1], 'a', new double[1], true, null, (short) 1, 1f});
        Differential.of(LoopKernels.class, "mixedParameters").checkAll(args);
    }

    static final List<Object> INDICES = EdgeValues.ints(-1, 0, 1, 5, 9, 10, 11, Integer.MIN_VALUE, Integer.MAX_VALUE);

    /** null, empty, one element, ten elements: the edge values of the element type. */
    static List<Object> arrays(Class<?> arrayType) {
        Class<?> element = arrayType.getComponentType();
        List<Object> edges = EdgeValues.of(element);
        List<Object> out = new ArrayList<>();
        out.add(null);
        out.add(Array.newInstance(element, 0));
        Object one = Array.newInstance(element, 1);
        Array.set(one, 0, edges.get(3));
        out.add(one);
        Object ten = Array.newInstance(element, 10);
        for (int i = 0; i < 10; i++) Array.set(ten, i, edges.get(i % edges.size()));
        out.add(ten);
        return out;
    }

    static List<Object[]> arguments(Method m) {
        List<List<Object>> axes = new ArrayList<>();
        for (Class<?> p : m.getParameterTypes()) {
            if (p.isArray()) axes.add(arrays(p));
            else if (p == int.class) axes.add(INDICES);
            else axes.add(EdgeValues.of(p));
        }
        return EdgeValues.product(axes);
    }

    @TestFactory
    Stream<DynamicNode> everyKernelForEveryElementType() {
        return Stream.<Class<?>>of(ByteKernels.class, ShortKernels.class, CharKernels.class, IntKernels.class, LongKernels.class,
                FloatKernels.class, DoubleKernels.class).map(k -> DynamicContainer.dynamicContainer(k.getSimpleName(),
                Differential.kernels(k).stream().map(m -> DynamicTest.dynamicTest(m.getName(),
                        () -> Differential.of(m).checkAll(arguments(m))))));
    }

    /**
     * The null-array comparisons above only mean something if the JVM gives helpful messages here (they are
     * on by default, and need the local variable table javac writes with -g): the JVM's own message names "a".
     */
    @Test
    void jvmGivesHelpfulNullPointerMessagesHere() throws Exception {
        Method load = Differential.method(IntKernels.class, "load");
        InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> load.invoke(null, null, 0));
        String message = e.getCause().getMessage();
        assertEquals(true, message != null && message.contains("\"a\""), "JVM message: " + message);
        Differential.of(load).check(null, 0);
    }
}
