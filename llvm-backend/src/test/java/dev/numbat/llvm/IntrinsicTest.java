package dev.numbat.llvm;

import dev.numbat.ir.Instruction;
import dev.numbat.ir.Intrinsic;
import dev.numbat.ir.Type;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntBinaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

import static dev.numbat.ir.Intrinsic.*;
import static dev.numbat.llvm.Values.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each {@link Intrinsic} against the JDK method it stands for. */
class IntrinsicTest {
    private static final double[] EXTRA = {0.25, 0.75, 2, 10, 100, -10, 1e-10, -1e-10, 1e-300, 0.7, 1.3, Math.PI, -Math.PI / 2,
            Math.E, 700, 709.8, 710, -745, -746, 1e15, 1e16, 0.999, -0.999, 1.0000001};

    /** static R f(T x) { return Math.xxx(x); } */
    private static Jit unary(Intrinsic in, Type t) {
        TestIr f = TestIr.fn(in.text(), in.resultType(java.util.List.of(t)), t);
        f.ret(f.intrinsic(in, f.p(0)));
        return Jit.compile(f);
    }

    /** static R f(T x, U y) { return Math.xxx(x, y); } */
    private static Jit binary(Intrinsic in, Type t, Type u) {
        TestIr f = TestIr.fn(in.text(), in.resultType(java.util.List.of(t, u)), t, u);
        f.ret(f.intrinsic(in, f.p(0), f.p(1)));
        return Jit.compile(f);
    }

    private static double[] doubles() {
        double[] all = java.util.Arrays.copyOf(DOUBLES, DOUBLES.length + EXTRA.length + 200);
        System.arraycopy(EXTRA, 0, all, DOUBLES.length, EXTRA.length);
        Random r = new Random(42);
        for (int k = DOUBLES.length + EXTRA.length; k < all.length; k++) all[k] = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(12) - 4);
        return all;
    }

    private static void assertSameDouble(double expected, double got, String what) {
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(got), what + ": expected " + expected + " got " + got);
    }

    private static void assertSameFloat(float expected, float got, String what) {
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(got), what + ": expected " + expected + " got " + got);
    }

    /** Within {@code ulps} of StrictMath; NaN, infinities and zeros exactly. */
    private static void assertClose(double expected, double got, double ulps, String what) {
        if (Double.isNaN(expected) || Double.isInfinite(expected) || expected == 0 || Double.isInfinite(got)) {
            assertSameDouble(expected, got, what);
        } else {
            assertTrue(Math.abs(expected - got) <= ulps * Math.ulp(expected), what + ": expected " + expected + " got " + got);
        }
    }

    @Test
    void exactDoubleFunctions() {
        check(SQRT, Math::sqrt);
        check(FLOOR, Math::floor);
        check(CEIL, Math::ceil);
        check(RINT, Math::rint);
        check(CBRT, StrictMath::cbrt);
    }

    private static void check(Intrinsic in, DoubleUnaryOperator java) {
        Jit jit = unary(in, Type.DOUBLE);
        for (double x : doubles()) assertSameDouble(java.applyAsDouble(x), jit.callDouble(x), in.text() + "(" + x + ")");
    }

    /** cbrt and log10 are computed as fdlibm does, since glibc's miss Math's 1 ulp. */
    @Test
    void cbrtAndLog10EqualStrictMathBitForBit() {
        Jit cbrt = unary(CBRT, Type.DOUBLE), log10 = unary(LOG10, Type.DOUBLE);
        // glibc's log10 gives -0.12384573566553056 here, 1.16 ulp from the exact -0.123845735665530575747...
        assertSameDouble(StrictMath.log10(0.7518899229712606), log10.callDouble(0.7518899229712606), "log10");
        for (double x : doubles()) {
            assertSameDouble(StrictMath.cbrt(x), cbrt.callDouble(x), "cbrt(" + x + ")");
            assertSameDouble(StrictMath.log10(x), log10.callDouble(x), "log10(" + x + ")");
        }
        Random r = new Random(3);
        for (int k = 0; k < 100_000; k++) {
            double x = switch (k % 4) {
                case 0 -> Double.longBitsToDouble(r.nextLong() & 0x800fffffffffffffL);   // subnormals
                case 1 -> 1 + (r.nextDouble() - 0.5) * Math.pow(2, -r.nextInt(40));        // near 1
                case 2 -> r.nextDouble() * 4;
                default -> Double.longBitsToDouble(r.nextLong());
            };
            assertSameDouble(StrictMath.cbrt(x), cbrt.callDouble(x), "cbrt(" + x + ")");
            assertSameDouble(StrictMath.log10(x), log10.callDouble(x), "log10(" + x + ")");
        }
    }

    /**
     * glibc against fdlibm: each may be off by Math's bound (1 ulp, 2.5 for sinh, cosh, tanh) and fdlibm by
     * under 1 ulp, so they may differ by the sum.
     */
    @Test
    void transcendentalFunctionsAgreeWithStrictMath() {
        Object[][] cases = {
                {SIN, (DoubleUnaryOperator) StrictMath::sin, 2.0},
                {COS, (DoubleUnaryOperator) StrictMath::cos, 2.0}, {TAN, (DoubleUnaryOperator) StrictMath::tan, 2.0},
                {ASIN, (DoubleUnaryOperator) StrictMath::asin, 2.0}, {ACOS, (DoubleUnaryOperator) StrictMath::acos, 2.0},
                {ATAN, (DoubleUnaryOperator) StrictMath::atan, 2.0}, {SINH, (DoubleUnaryOperator) StrictMath::sinh, 3.5},
                {COSH, (DoubleUnaryOperator) StrictMath::cosh, 3.5}, {TANH, (DoubleUnaryOperator) StrictMath::tanh, 3.5},
                {EXP, (DoubleUnaryOperator) StrictMath::exp, 2.0}, {EXPM1, (DoubleUnaryOperator) StrictMath::expm1, 2.0},
                {LOG, (DoubleUnaryOperator) StrictMath::log, 2.0}, {LOG1P, (DoubleUnaryOperator) StrictMath::log1p, 2.0}};
        for (Object[] c : cases) {
            Intrinsic in = (Intrinsic) c[0];
            DoubleUnaryOperator java = (DoubleUnaryOperator) c[1];
            Jit jit = unary(in, Type.DOUBLE);
            for (double x : doubles()) assertClose(java.applyAsDouble(x), jit.callDouble(x), (Double) c[2], in.text() + "(" + x + ")");
        }
    }

    @Test
    void twoArgumentFunctions() {
        double[] xs = {0, -0d, 1, -1, 2, -2, 0.5, -0.5, 3, 10, -8, 1e-10, 1e300, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 1 / 3d, 1.0000001, 0.999};
        Object[][] cases = {{ATAN2, (DoubleBinaryOperator) StrictMath::atan2, 3.0},
                {POW, (DoubleBinaryOperator) StrictMath::pow, 2.0}, {HYPOT, (DoubleBinaryOperator) StrictMath::hypot, 2.0}};
        for (Object[] c : cases) {
            Intrinsic in = (Intrinsic) c[0];
            DoubleBinaryOperator java = (DoubleBinaryOperator) c[1];
            Jit jit = binary(in, Type.DOUBLE, Type.DOUBLE);
            for (double x : xs) {
                for (double y : xs) {
                    assertClose(java.applyAsDouble(x, y), jit.callDouble(x, y), (Double) c[2], in.text() + "(" + x + ", " + y + ")");
                }
            }
        }
    }

    @Test
    void powSpecialCasesFollowJavaNotC() {
        Jit pow = binary(POW, Type.DOUBLE, Type.DOUBLE);
        double inf = Double.POSITIVE_INFINITY;
        double[][] cases = {{1, Double.NaN}, {-1, inf}, {-1, -inf}, {1, inf}, {1, -inf}, {Double.NaN, 0}, {Double.NaN, -0d},
                {-0d, -1}, {-0d, -2}, {-8, 1 / 3d}, {-2, 3}, {0.5, inf}, {2, -inf}, {Double.NaN, 1}};
        for (double[] c : cases) assertSameDouble(Math.pow(c[0], c[1]), pow.callDouble(c[0], c[1]), "pow(" + c[0] + ", " + c[1] + ")");
    }

    @Test
    void absMinMax() {
        Jit absI = unary(ABS, Type.INT), absL = unary(ABS, Type.LONG), absF = unary(ABS, Type.FLOAT), absD = unary(ABS, Type.DOUBLE);
        for (int x : INTS) assertEquals(Math.abs(x), absI.callInt(x));
        for (long x : LONGS) assertEquals(Math.abs(x), absL.callLong(x));
        for (float x : FLOATS) assertEquals(Float.floatToRawIntBits(Math.abs(x)), Float.floatToRawIntBits(absF.callFloat(x)), "abs " + x);
        for (double x : DOUBLES) assertEquals(Double.doubleToRawLongBits(Math.abs(x)), Double.doubleToRawLongBits(absD.callDouble(x)));

        intPair(MIN, Math::min);
        intPair(MAX, Math::max);
        longPair(MIN, Math::min);
        longPair(MAX, Math::max);
        floatPair(MIN, (a, b) -> Math.min((float) a, (float) b));
        floatPair(MAX, (a, b) -> Math.max((float) a, (float) b));
        doublePair(MIN, Math::min);
        doublePair(MAX, Math::max);
    }

    private static void intPair(Intrinsic in, IntBinaryOperator java) {
        Jit jit = binary(in, Type.INT, Type.INT);
        for (int a : INTS) for (int b : INTS) assertEquals(java.applyAsInt(a, b), jit.callInt(a, b));
    }

    private static void longPair(Intrinsic in, LongBinaryOperator java) {
        Jit jit = binary(in, Type.LONG, Type.LONG);
        for (long a : LONGS) for (long b : LONGS) assertEquals(java.applyAsLong(a, b), jit.callLong(a, b));
    }

    private static void floatPair(Intrinsic in, DoubleBinaryOperator java) {
        Jit jit = binary(in, Type.FLOAT, Type.FLOAT);
        for (float a : FLOATS) for (float b : FLOATS) assertSameFloat((float) java.applyAsDouble(a, b), jit.callFloat(a, b), in.text() + "(" + a + ", " + b + ")");
    }

    private static void doublePair(Intrinsic in, DoubleBinaryOperator java) {
        Jit jit = binary(in, Type.DOUBLE, Type.DOUBLE);
        for (double a : DOUBLES) for (double b : DOUBLES) assertSameDouble(java.applyAsDouble(a, b), jit.callDouble(a, b), in.text() + "(" + a + ", " + b + ")");
    }

    @Test
    void signumCopySignFma() {
        Jit sf = unary(SIGNUM, Type.FLOAT), sd = unary(SIGNUM, Type.DOUBLE);
        for (float x : FLOATS) assertSameFloat(Math.signum(x), sf.callFloat(x), "signum " + x);
        for (double x : DOUBLES) assertSameDouble(Math.signum(x), sd.callDouble(x), "signum " + x);
        Jit cf = binary(COPY_SIGN, Type.FLOAT, Type.FLOAT), cd = binary(COPY_SIGN, Type.DOUBLE, Type.DOUBLE);
        for (float a : FLOATS) for (float b : FLOATS) {
            assertEquals(Float.floatToRawIntBits(Math.copySign(a, b)), Float.floatToRawIntBits(cf.callFloat(a, b)), "copySign " + a + " " + b);
        }
        for (double a : DOUBLES) for (double b : DOUBLES) {
            assertEquals(Double.doubleToRawLongBits(Math.copySign(a, b)), Double.doubleToRawLongBits(cd.callDouble(a, b)));
        }

        TestIr ff = TestIr.fn("fmaF", Type.FLOAT, Type.FLOAT, Type.FLOAT, Type.FLOAT);
        ff.ret(ff.intrinsic(FMA, ff.p(0), ff.p(1), ff.p(2)));
        Jit fmaF = Jit.compile(ff);
        TestIr fd = TestIr.fn("fmaD", Type.DOUBLE, Type.DOUBLE, Type.DOUBLE, Type.DOUBLE);
        fd.ret(fd.intrinsic(FMA, fd.p(0), fd.p(1), fd.p(2)));
        Jit fmaD = Jit.compile(fd);
        float[] fs = {1 + 0x1p-12f, 1 - 0x1p-12f, -1f, 0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.MAX_VALUE, Float.MIN_VALUE, 3f, 0.1f};
        for (float a : fs) for (float b : fs) for (float c : fs) assertSameFloat(Math.fma(a, b, c), fmaF.callFloat(a, b, c), "fma");
        double[] ds = {1 + 0x1p-30, 1 - 0x1p-30, -1, 0, -0d, Double.NaN, Double.NEGATIVE_INFINITY, Double.MAX_VALUE, Double.MIN_VALUE, 3, 0.1};
        for (double a : ds) for (double b : ds) for (double c : ds) assertSameDouble(Math.fma(a, b, c), fmaD.callDouble(a, b, c), "fma");
        // Fused: (1 + 2^-30)(1 - 2^-30) - 1 is -2^-60, not the 0 of separate rounding.
        assertEquals(-0x1p-60, fmaD.callDouble(1 + 0x1p-30, 1 - 0x1p-30, -1d));
    }

    @Test
    void round() {
        Jit rf = unary(ROUND, Type.FLOAT), rd = unary(ROUND, Type.DOUBLE);
        float[] moreFloats = {0.5f, -0.5f, 0.49999997f, -0.50000006f, 8388607.5f, -8388607.5f, 8388609f, 4194303.5f, -4194303.5f,
                1.4999999f, -1.5000001f, Math.nextDown(0.5f), Math.nextUp(-0.5f), -Float.MIN_VALUE, -0.25f};
        for (float[] values : new float[][] {FLOATS, moreFloats}) {
            for (float x : values) assertEquals(Math.round(x), rf.callInt(x), "round(" + x + "f)");
        }
        double[] moreDoubles = {0.5, -0.5, 0.49999999999999994, -0.5000000000000001, 4503599627370495.5, -4503599627370495.5,
                2251799813685247.5, -2251799813685247.5, 4503599627370497d, Math.nextDown(0.5), Math.nextUp(-0.5), -Double.MIN_VALUE,
                -1e-300, -0.25, -0.75, 1e19, -1e19};
        for (double[] values : new double[][] {doubles(), moreDoubles}) {
            for (double x : values) assertEquals(Math.round(x), rd.callLong(x), "round(" + x + ")");
        }
        Random r = new Random(7);
        for (int k = 0; k < 2000; k++) {
            double x = (r.nextDouble() - 0.5) * Math.pow(2, r.nextInt(60));
            float y = (float) x;
            assertEquals(Math.round(x), rd.callLong(x), "round(" + x + ")");
            assertEquals(Math.round(y), rf.callInt(y), "round(" + y + "f)");
            double h = Math.floor(x) + 0.5;
            assertEquals(Math.round(h), rd.callLong(h), "round(" + h + ")");
        }
    }

    @Test
    void bitOperations() {
        intUnary(BIT_COUNT, Integer::bitCount);
        intUnary(NUMBER_OF_LEADING_ZEROS, Integer::numberOfLeadingZeros);
        intUnary(NUMBER_OF_TRAILING_ZEROS, Integer::numberOfTrailingZeros);
        intUnary(REVERSE, Integer::reverse);
        intUnary(REVERSE_BYTES, Integer::reverseBytes);
        longToInt(BIT_COUNT, Long::bitCount);
        longToInt(NUMBER_OF_LEADING_ZEROS, Long::numberOfLeadingZeros);
        longToInt(NUMBER_OF_TRAILING_ZEROS, Long::numberOfTrailingZeros);
        longUnary(REVERSE, Long::reverse);
        longUnary(REVERSE_BYTES, Long::reverseBytes);

        Jit rli = binary(ROTATE_LEFT, Type.INT, Type.INT), rri = binary(ROTATE_RIGHT, Type.INT, Type.INT);
        Jit rll = binary(ROTATE_LEFT, Type.LONG, Type.INT), rrl = binary(ROTATE_RIGHT, Type.LONG, Type.INT);
        for (int s : SHIFTS) {
            for (int x : INTS) {
                assertEquals(Integer.rotateLeft(x, s), rli.callInt(x, s));
                assertEquals(Integer.rotateRight(x, s), rri.callInt(x, s));
            }
            for (long x : LONGS) {
                assertEquals(Long.rotateLeft(x, s), rll.callLong(x, s), "rotateLeft " + x + " " + s);
                assertEquals(Long.rotateRight(x, s), rrl.callLong(x, s));
            }
        }
    }

    private static void intUnary(Intrinsic in, java.util.function.IntUnaryOperator java) {
        Jit jit = unary(in, Type.INT);
        for (int x : INTS) assertEquals(java.applyAsInt(x), jit.callInt(x), in.text() + "(" + x + ")");
    }

    private static void longToInt(Intrinsic in, java.util.function.LongToIntFunction java) {
        Jit jit = unary(in, Type.LONG);
        for (long x : LONGS) assertEquals(java.applyAsInt(x), jit.callInt(x), in.text() + "(" + x + ")");
    }

    private static void longUnary(Intrinsic in, LongUnaryOperator java) {
        Jit jit = unary(in, Type.LONG);
        for (long x : LONGS) assertEquals(java.applyAsLong(x), jit.callLong(x), in.text() + "(" + x + ")");
    }

    @Test
    void rawBitConversions() {
        Jit f2i = unary(FLOAT_TO_RAW_INT_BITS, Type.FLOAT), i2f = unary(INT_BITS_TO_FLOAT, Type.INT);
        Jit d2l = unary(DOUBLE_TO_RAW_LONG_BITS, Type.DOUBLE), l2d = unary(LONG_BITS_TO_DOUBLE, Type.LONG);
        for (float x : FLOATS) assertEquals(Float.floatToRawIntBits(x), f2i.callInt(x));
        for (double x : DOUBLES) assertEquals(Double.doubleToRawLongBits(x), d2l.callLong(x));
        for (int x : INTS) assertSameFloat(Float.intBitsToFloat(x), i2f.callFloat(x), "intBitsToFloat " + x);
        for (long x : LONGS) assertSameDouble(Double.longBitsToDouble(x), l2d.callDouble(x), "longBitsToDouble " + x);
        // A quiet NaN with a payload comes back bit for bit.
        assertEquals(0x7fc12345, Float.floatToRawIntBits(i2f.callFloat(0x7fc12345)));
        assertEquals(0xfff8000000012345L, Double.doubleToRawLongBits(l2d.callDouble(0xfff8000000012345L)));
    }

    @Test
    void exactArithmeticRaisesOnOverflow() {
        intExact(ADD_EXACT, Math::addExact);
        intExact(SUBTRACT_EXACT, Math::subtractExact);
        intExact(MULTIPLY_EXACT, Math::multiplyExact);
        longExact(ADD_EXACT, Math::addExact);
        longExact(SUBTRACT_EXACT, Math::subtractExact);
        longExact(MULTIPLY_EXACT, Math::multiplyExact);

        Object[][] unaries = {{NEGATE_EXACT, Type.INT}, {INCREMENT_EXACT, Type.INT}, {DECREMENT_EXACT, Type.INT},
                {NEGATE_EXACT, Type.LONG}, {INCREMENT_EXACT, Type.LONG}, {DECREMENT_EXACT, Type.LONG}, {TO_INT_EXACT, Type.LONG}};
        for (Object[] u : unaries) {
            Intrinsic in = (Intrinsic) u[0];
            Type t = (Type) u[1];
            TestIr f = TestIr.fn(in.text(), in.resultType(java.util.List.of(t)), t);
            Instruction call = f.intrinsic(in, f.p(0));
            f.ret(call);
            Jit jit = Jit.compile(f);
            if (t == Type.INT) {
                for (int x : INTS) {
                    int got = jit.callInt(x);
                    expectExact(jit, call, () -> switch (in) {
                        case NEGATE_EXACT -> Math.negateExact(x);
                        case INCREMENT_EXACT -> Math.incrementExact(x);
                        default -> Math.decrementExact(x);
                    }, got, NativeAbi.INTEGER_OVERFLOW);
                }
            } else {
                for (long x : LONGS) {
                    Object got = jit.call(x);
                    expectExact(jit, call, () -> switch (in) {
                        case NEGATE_EXACT -> Math.negateExact(x);
                        case INCREMENT_EXACT -> Math.incrementExact(x);
                        case DECREMENT_EXACT -> Math.decrementExact(x);
                        default -> (long) Math.toIntExact(x);
                    }, in == TO_INT_EXACT ? (long) (Integer) got : got,
                            in == TO_INT_EXACT ? NativeAbi.INTEGER_OVERFLOW : NativeAbi.LONG_OVERFLOW);
                }
            }
        }
    }

    private static void intExact(Intrinsic in, IntBinaryOperator java) {
        TestIr f = TestIr.fn(in.text(), Type.INT, Type.INT, Type.INT);
        Instruction call = f.intrinsic(in, f.p(0), f.p(1));
        f.ret(call);
        Jit jit = Jit.compile(f);
        for (int a : INTS) for (int b : INTS) expectExact(jit, call, () -> java.applyAsInt(a, b), jit.callInt(a, b), NativeAbi.INTEGER_OVERFLOW);
    }

    private static void longExact(Intrinsic in, LongBinaryOperator java) {
        TestIr f = TestIr.fn(in.text(), Type.LONG, Type.LONG, Type.LONG);
        Instruction call = f.intrinsic(in, f.p(0), f.p(1));
        f.ret(call);
        Jit jit = Jit.compile(f);
        for (long a : LONGS) for (long b : LONGS) expectExact(jit, call, () -> java.applyAsLong(a, b), jit.callLong(a, b), NativeAbi.LONG_OVERFLOW);
    }

    private static void expectExact(Jit jit, Instruction call, java.util.function.Supplier<Object> java, Object got, int kind) {
        Object expected;
        try {
            expected = java.get();
        } catch (ArithmeticException e) {
            assertEquals(kind, jit.kind(), call.intrinsic().text() + " overflow");
            assertEquals(call.site().bytecodeOffset(), jit.raisedAt());
            return;
        }
        assertEquals(0, jit.kind());
        assertEquals(expected, got, call.intrinsic().text());
    }
}
