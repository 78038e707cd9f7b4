package dev.numbat.differential.math;

import dev.numbat.differential.Differential;
import dev.numbat.differential.EdgeValues;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code java.lang.Math}. Functions with an exactly specified result are compared bit for bit: abs, min, max
 * (NaN wins, -0.0 below 0.0), sqrt, floor, ceil, rint, round (float and double: 0.49999999999999994, -0.5,
 * 2.5, NaN, huge), signum, copySign, fma, the exact family (ArithmeticException "integer overflow" /
 * "long overflow"), and the pure-Java helpers (ulp, getExponent, nextUp, scalb, IEEEremainder, ...) where they compile.
 *
 * <p>The transcendental functions may differ from the JVM's by the error bound their Javadoc allows each
 * implementation, in ulps of the JVM's result ({@link #TOLERANCE}): 1 ulp for sin cos tan asin acos atan
 * exp expm1 log log10 log1p cbrt pow hypot, 2 for atan2, 2.5 for sinh cosh tanh. Their special cases (NaN,
 * infinities, signed zeros) must agree exactly, and {@code pow} of integers with a representable result is
 * exact by its Javadoc.
 */
class MathTest {

    static final class Exact {
        static int absInt(int a) { return Math.abs(a); }
        static long absLong(long a) { return Math.abs(a); }
        static float absFloat(float a) { return Math.abs(a); }
        static double absDouble(double a) { return Math.abs(a); }
        static int minInt(int a, int b) { return Math.min(a, b); }
        static long minLong(long a, long b) { return Math.min(a, b); }
        static float minFloat(float a, float b) { return Math.min(a, b); }
        static double minDouble(double a, double b) { return Math.min(a, b); }
        static int maxInt(int a, int b) { return Math.max(a, b); }
        static long maxLong(long a, long b) { return Math.max(a, b); }
        static float maxFloat(float a, float b) { return Math.max(a, b); }
        static double maxDouble(double a, double b) { return Math.max(a, b); }
        static double sqrt(double a) { return Math.sqrt(a); }
        static float sqrtOfFloat(float a) { return (float) Math.sqrt(a); }
        static double floor(double a) { return Math.floor(a); }
        static double ceil(double a) { return Math.ceil(a); }
        static double rint(double a) { return Math.rint(a); }
        static int roundFloat(float a) { return Math.round(a); }
        static long roundDouble(double a) { return Math.round(a); }
        static float signumFloat(float a) { return Math.signum(a); }
        static double signumDouble(double a) { return Math.signum(a); }
        static float copySignFloat(float a, float b) { return Math.copySign(a, b); }
        static double copySignDouble(double a, double b) { return Math.copySign(a, b); }
        static float fmaFloat(float a, float b, float c) { return Math.fma(a, b, c); }
        static double fmaDouble(double a, double b, double c) { return Math.fma(a, b, c); }
        static int addExactInt(int a, int b) { return Math.addExact(a, b); }
        static long addExactLong(long a, long b) { return Math.addExact(a, b); }
        static int subtractExactInt(int a, int b) { return Math.subtractExact(a, b); }
        static long subtractExactLong(long a, long b) { return Math.subtractExact(a, b); }
        static int multiplyExactInt(int a, int b) { return Math.multiplyExact(a, b); }
        static long multiplyExactLong(long a, long b) { return Math.multiplyExact(a, b); }
        static long multiplyExactLongInt(long a, int b) { return Math.multiplyExact(a, b); }
        static int negateExactInt(int a) { return Math.negateExact(a); }
        static long negateExactLong(long a) { return Math.negateExact(a); }
        static int incrementExactInt(int a) { return Math.incrementExact(a); }
        static long incrementExactLong(long a) { return Math.incrementExact(a); }
        static int decrementExactInt(int a) { return Math.decrementExact(a); }
        static long decrementExactLong(long a) { return Math.decrementExact(a); }
        static int toIntExact(long a) { return Math.toIntExact(a); }
        static void exactAfterWrite(int[] out, int a) { out[0] = a; out[1] = Math.multiplyExact(a, a); }
        static double minOfThree(double a, double b, double c) { return Math.min(Math.min(a, b), c); }
    }

    /** Math's pure-Java helpers, compiled from the JDK's bytecode, or refused where it is outside the subset. */
    static final class JavaHelpers {
        static double ulp(double a) { return Math.ulp(a); }
        static float ulpFloat(float a) { return Math.ulp(a); }
        static int getExponent(double a) { return Math.getExponent(a); }
        static int getExponentFloat(float a) { return Math.getExponent(a); }
        static double nextUp(double a) { return Math.nextUp(a); }
        static double nextDown(double a) { return Math.nextDown(a); }
        static float nextUpFloat(float a) { return Math.nextUp(a); }
        static double nextAfter(double a, double b) { return Math.nextAfter(a, b); }
        static double scalb(double a, int s) { return Math.scalb(a, s); }
        static float scalbFloat(float a, int s) { return Math.scalb(a, s); }
        static double toRadians(double a) { return Math.toRadians(a); }
        static double toDegrees(double a) { return Math.toDegrees(a); }
        static double ieeeRemainder(double a, double b) { return Math.IEEEremainder(a, b); }
    }

    static final class Transcendental {
        static double sin(double a) { return Math.sin(a); }
        static double cos(double a) { return Math.cos(a); }
        static double tan(double a) { return Math.tan(a); }
        static double asin(double a) { return Math.asin(a); }
        static double acos(double a) { return Math.acos(a); }
        static double atan(double a) { return Math.atan(a); }
        static double sinh(double a) { return Math.sinh(a); }
        static double cosh(double a) { return Math.cosh(a); }
        static double tanh(double a) { return Math.tanh(a); }
        static double exp(double a) { return Math.exp(a); }
        static double expm1(double a) { return Math.expm1(a); }
        static double log(double a) { return Math.log(a); }
        static double log10(double a) { return Math.log10(a); }
        static double log1p(double a) { return Math.log1p(a); }
        static double cbrt(double a) { return Math.cbrt(a); }
        static double pow(double a, double b) { return Math.pow(a, b); }
        static double atan2(double a, double b) { return Math.atan2(a, b); }
        static double hypot(double a, double b) { return Math.hypot(a, b); }
    }

    /** Error bounds of the Math Javadoc, in ulps. */
    static final Map<String, Double> TOLERANCE = Map.ofEntries(
            Map.entry("sin", 1.0), Map.entry("cos", 1.0), Map.entry("tan", 1.0), Map.entry("asin", 1.0),
            Map.entry("acos", 1.0), Map.entry("atan", 1.0), Map.entry("exp", 1.0), Map.entry("expm1", 1.0),
            Map.entry("log", 1.0), Map.entry("log10", 1.0), Map.entry("log1p", 1.0), Map.entry("cbrt", 1.0),
            Map.entry("pow", 1.0), Map.entry("hypot", 1.0), Map.entry("atan2", 2.0),
            Map.entry("sinh", 2.5), Map.entry("cosh", 2.5), Map.entry("tanh", 2.5));

    /** The double edge values and arguments that stress range reduction, overflow and underflow thresholds. */
    static List<Object> transcendentalArguments() {
        List<Object> v = new ArrayList<>(EdgeValues.of(double.class));
        for (double d : new double[] {Math.PI / 2, -Math.PI / 2, Math.PI / 4, 3 * Math.PI / 4, 1e22, -1e22, 1e5, 0x1p52,
                709.78, 709.79, -745.1, -745.2, 710, 0.1, -0.1, 1e-8, -1e-8, 0.9999999999999999, 1.0000000000000002,
                10, 100, 1000, 2, 0.75, -0.75, 20, 22, -22, 40, 355, 1e-320, 2.718281828459045}) {
            v.add(d);
        }
        return v;
    }

    @TestFactory
    Stream<DynamicTest> exactFunctionsAtEdgeValues() {
        return Differential.kernels(Exact.class).stream().map(m -> DynamicTest.dynamicTest(m.getName(), () -> {
            List<Object[]> args;
            if (m.getName().equals("exactAfterWrite")) {
                args = EdgeValues.product(List.of(new int[2], new int[1]), EdgeValues.of(int.class));
            } else {
                args = EdgeValues.tuples(m);
            }
            Differential.of(m).checkAll(args);
        }));
    }

    /**
     * Compiled from the JDK's bytecode, so bit-exact; or refused with the construct, offset, line and JDK
     * method (Math.ulp, for one, holds an {@code assert}, which allocates an AssertionError).
     */
    @TestFactory
    Stream<DynamicTest> javaHelpersAreExactOrRefused() {
        return Differential.kernels(JavaHelpers.class).stream().map(m -> DynamicTest.dynamicTest(m.getName(), () -> {
            System.out.println(Differential.exactOrRefused(m, Differential.REFUSED_IN_THE_JDK, EdgeValues.tuples(m)));
        }));
    }

    @TestFactory
    Stream<DynamicTest> transcendentalWithinTheirJavadocBound() {
        return Differential.kernels(Transcendental.class).stream().map(m -> DynamicTest.dynamicTest(m.getName(), () -> {
            List<List<Object>> axes = new ArrayList<>();
            for (int i = 0; i < m.getParameterCount(); i++) axes.add(transcendentalArguments());
            Differential.of(m).checkAllWithinUlps(TOLERANCE.get(m.getName()), EdgeValues.product(axes));
        }));
    }

    /** Math.pow: "if both arguments are integers, then the result is exactly equal to the mathematical result". */
    @Test
    void powOfIntegersIsExact() {
        List<Object[]> args = new ArrayList<>();
        for (int x = -12; x <= 12; x++) {
            for (int y = 0; y <= 40; y++) {
                if (Math.abs(Math.pow(x, y)) < 0x1p53) args.add(new Object[] {(double) x, (double) y});
            }
        }
        args.add(new Object[] {2.0, -1074.0});
        args.add(new Object[] {2.0, 1023.0});
        args.add(new Object[] {-2.0, 1023.0});
        args.add(new Object[] {0.5, -1022.0});
        Method pow = Differential.method(Transcendental.class, "pow");
        Differential.of(pow).checkAll(args);
    }

    /**
     * Special cases the Javadoc of each function spells out are exact: NaN, infinities and signed zeros for all
     * of them, log1p(-1), log10(10^n) == n, the special cases of pow (integer exponents of 0, ±1, ±2, ±0.5,
     * NaN and infinities), atan2 of signed zeros, and hypot of infinities, NaN and zeros.
     */
    @Test
    void specialCasesAreExact() {
        Differential.Batch batch = new Differential.Batch();
        List<Object> special = List.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        for (String f : TOLERANCE.keySet()) {
            Method m = Differential.method(Transcendental.class, f);
            if (m.getParameterCount() == 1) Differential.of(m).checkAll(EdgeValues.product(special));
        }
        batch.run(() -> Differential.of(Transcendental.class, "log1p").check(-1.0));
        List<Object[]> powersOfTen = new ArrayList<>();
        for (int n = 0; n <= 22; n++) powersOfTen.add(new Object[] {Double.parseDouble("1e" + n)});
        batch.run(() -> Differential.of(Transcendental.class, "log10").checkAll(powersOfTen));
        List<Object> bases = List.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.0, -1.0,
                2.0, -2.0, 0.5, -0.5);
        List<Object> exponents = List.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.0, -1.0,
                2.0, -2.0, 3.0, -3.0);
        batch.run(() -> Differential.of(Transcendental.class, "pow").checkAll(EdgeValues.product(bases, exponents)));
        batch.run(() -> Differential.of(Transcendental.class, "hypot").checkAll(EdgeValues.product(special,
                List.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.0, -3.0))));
        batch.run(() -> Differential.of(Transcendental.class, "atan2").checkAll(EdgeValues.product(List.of(0.0, -0.0, Double.NaN),
                List.of(0.0, -0.0, 1.0, -1.0, 2.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN))));
        batch.done();
    }
}
