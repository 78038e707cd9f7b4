package dev.numbat.differential.conversion;

import dev.numbat.differential.Differential;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every JVM conversion (i2l i2f i2d l2i l2f l2d f2i f2l f2d d2i d2l d2f i2b i2c i2s) at the edge values of its
 * source type: NaN to 0, infinities and out-of-range values saturating, truncation toward zero, round to
 * nearest even for int/long to float, and the sub-int types at the boundaries of the calling convention
 * (byte/short/char/boolean parameters and results).
 */
class ConversionTest {

    static final class Kernels {
        static long i2l(int x) { return x; }
        static float i2f(int x) { return x; }
        static double i2d(int x) { return x; }
        static int l2i(long x) { return (int) x; }
        static float l2f(long x) { return x; }
        static double l2d(long x) { return x; }
        static int f2i(float x) { return (int) x; }
        static long f2l(float x) { return (long) x; }
        static double f2d(float x) { return x; }
        static int d2i(double x) { return (int) x; }
        static long d2l(double x) { return (long) x; }
        static float d2f(double x) { return (float) x; }
        static int i2b(int x) { return (byte) x; }
        static int i2c(int x) { return (char) x; }
        static int i2s(int x) { return (short) x; }
        static byte i2bResult(int x) { return (byte) x; }
        static char i2cResult(int x) { return (char) x; }
        static short i2sResult(int x) { return (short) x; }
        static boolean intToBooleanResult(int x) { return (x & 1) != 0; }
        static int byteParameter(byte b) { return b; }
        static int shortParameter(short s) { return s; }
        static int charParameter(char c) { return c; }
        static int booleanParameter(boolean z) { return z ? 7 : -7; }
        static byte byteIdentity(byte b) { return b; }
        static short shortIdentity(short s) { return s; }
        static char charIdentity(char c) { return c; }
        static boolean booleanIdentity(boolean z) { return z; }
        static boolean booleanNot(boolean z) { return !z; }
        static byte byteArithmetic(byte a, byte b) { return (byte) (a * b + 1); }
        static char charArithmetic(char a, char b) { return (char) (a - b); }
        static short shortArithmetic(short a, short b) { return (short) (a + b); }
        static int byteToCharToInt(byte b) { return (char) b; }
        static int charToShortToInt(char c) { return (short) c; }
        static long d2iThenI2l(double x) { return (long) (int) x; }
        static double d2fThenF2d(double x) { return (float) x; }
        static int f2dThenD2i(float x) { return (int) (double) x; }
        static long l2dThenD2l(long x) { return (long) (double) x; }
        static int l2fThenF2i(long x) { return (int) (float) x; }
        static float i2lThenL2f(int x) { return (float) (long) x; }
        static int d2iOfSum(double a, double b) { return (int) (a + b); }
        static long f2lOfProduct(float a, float b) { return (long) (a * b); }
        static int d2iShifted(double x) { return ((int) x) >> 1; }
        static short shortCompound(short s, int x) { s += x; s *= 3; s >>= 1; return s; }
        static byte byteCompound(byte b, int x) { b -= x; b ^= 0x1ff; b++; return b; }
        static char charCompound(char c, int x) { c += x; c *= 7; c--; return c; }
        static int charLoop(char c) { int n = 0; for (char k = c; k != 0 && n < 40; k += 0x1000) n++; return n; }
    }

    @TestFactory
    Stream<DynamicTest> conversionsAtEdgeValues() { return Differential.atEdges(Kernels.class); }

    /**
     * The same conversions, and Math.round, in loops that LLVM vectorises: each lane must saturate and map NaN to 0 as
     * one alone does.
     */
    static final class Loops {
        static void d2i(double[] x, int[] out) { for (int i = 0; i < x.length; i++) out[i] = (int) x[i]; }
        static void d2l(double[] x, long[] out) { for (int i = 0; i < x.length; i++) out[i] = (long) x[i]; }
        static void f2i(float[] x, int[] out) { for (int i = 0; i < x.length; i++) out[i] = (int) x[i]; }
        static void f2l(float[] x, long[] out) { for (int i = 0; i < x.length; i++) out[i] = (long) x[i]; }
        static void roundDoubles(double[] x, long[] out) { for (int i = 0; i < x.length; i++) out[i] = Math.round(x[i]); }
        static void roundFloats(float[] x, int[] out) { for (int i = 0; i < x.length; i++) out[i] = Math.round(x[i]); }
        /** A quantisation, as an image or a histogram's bins: the cast of a product. */
        static int quantise(double[] x, double scale, int[] out) {
            int sum = 0;
            for (int i = 0; i < x.length; i++) {
                out[i] = (int) (x[i] * scale);
                sum += out[i];
            }
            return sum;
        }
    }

    /**
     * Every edge value of the source type and its neighbours around each boundary (2^31, 2^63, their negatives, the
     * largest value below them), in every lane: the array holds them at each offset modulo 16, with ordinary values
     * between, so vector bodies, their peeled starts and scalar remainders all meet each.
     */
    @org.junit.jupiter.api.Test
    void conversionsInVectorLoops() {
        java.util.List<Double> edges = new java.util.ArrayList<>();
        for (Object o : dev.numbat.differential.EdgeValues.of(double.class)) edges.add((Double) o);
        for (double b : new double[] {0x1p31, 0x1p63, 0x1p31 - 1, 0x1p31 - 128, 0x1p63 - 1024, 2147483647.5, -2147483648.5}) {
            for (double e : new double[] {b, -b, Math.nextUp(b), Math.nextDown(b), Math.nextUp(-b), Math.nextDown(-b)}) edges.add(e);
        }
        // Math.round's: halves, the largest double below 0.5, and where x + 0.5 would round (2^52 + 1, 2^23 + 1 as float)
        for (double d : new double[] {0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994,
                0x1p52 + 1, -(0x1p52 + 1), 0x1p23 + 1, 0.49999997f}) edges.add(d);
        for (float f : new float[] {0x1p31f, Math.nextDown(0x1p31f), 0x1p63f, Math.nextDown(0x1p63f), Float.NaN,
                Float.MAX_VALUE, Float.MIN_VALUE, -0.0f, 0.99999994f, -2147483648f, Math.nextDown(-2147483648f)}) edges.add((double) f);
        java.util.List<Object[]> doubles = new java.util.ArrayList<>(), floats = new java.util.ArrayList<>();
        java.util.List<Object[]> quantised = new java.util.ArrayList<>();
        for (int offset = 0; offset < 16; offset += 5) {
            double[] x = new double[edges.size() * 3 + offset];
            for (int i = 0; i < x.length; i++) x[i] = (i - offset) % 3 == 0 && i >= offset ? edges.get((i - offset) / 3) : i * 1.75 - 40;
            float[] f = new float[x.length];
            for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
            doubles.add(new Object[] {x, new int[x.length]});
            floats.add(new Object[] {f, new int[x.length]});
            for (double scale : new double[] {1.0, 3e9, -1e300, Double.NaN, 0.5}) quantised.add(new Object[] {x, scale, new int[x.length]});
        }
        Differential.of(Loops.class, "d2i").checkAll(doubles);
        Differential.of(Loops.class, "f2i").checkAll(floats);
        Differential.of(Loops.class, "roundFloats").checkAll(floats);
        Differential.of(Loops.class, "quantise").checkAll(quantised);
        for (Object[] t : doubles) t[1] = new long[((double[]) t[0]).length];
        for (Object[] t : floats) t[1] = new long[((float[]) t[0]).length];
        Differential.of(Loops.class, "d2l").checkAll(doubles);
        Differential.of(Loops.class, "f2l").checkAll(floats);
        Differential.of(Loops.class, "roundDoubles").checkAll(doubles);
    }
}
