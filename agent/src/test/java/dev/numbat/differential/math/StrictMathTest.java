package dev.numbat.differential.math;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.numbat.differential.Differential;
import dev.numbat.differential.EdgeValues;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code StrictMath} must be bit-exact (fdlibm), never approximated. Numbat either compiles a StrictMath
 * function from the JDK's Java port of fdlibm, and then every result must equal the JVM's bit for bit at the
 * edge values (all pairs for the binary functions), or refuses the method with a precise reason: a construct
 * outside the subset, its bytecode offset and source line in the JDK, and the JDK method holding it. The
 * exactly specified functions (sqrt, floor, abs, min, copySign, ...) map to the same intrinsics as Math's, so
 * they must compile and be exact, including StrictMath's own rule for a NaN sign in copySign.
 */
class StrictMathTest {

    static final class Fdlibm {
        static double sin(double a) { return StrictMath.sin(a); }
        static double cos(double a) { return StrictMath.cos(a); }
        static double tan(double a) { return StrictMath.tan(a); }
        static double asin(double a) { return StrictMath.asin(a); }
        static double acos(double a) { return StrictMath.acos(a); }
        static double atan(double a) { return StrictMath.atan(a); }
        static double sinh(double a) { return StrictMath.sinh(a); }
        static double cosh(double a) { return StrictMath.cosh(a); }
        static double tanh(double a) { return StrictMath.tanh(a); }
        static double exp(double a) { return StrictMath.exp(a); }
        static double expm1(double a) { return StrictMath.expm1(a); }
        static double log(double a) { return StrictMath.log(a); }
        static double log10(double a) { return StrictMath.log10(a); }
        static double log1p(double a) { return StrictMath.log1p(a); }
        static double cbrt(double a) { return StrictMath.cbrt(a); }
        static double pow(double a, double b) { return StrictMath.pow(a, b); }
        static double atan2(double a, double b) { return StrictMath.atan2(a, b); }
        static double hypot(double a, double b) { return StrictMath.hypot(a, b); }
        static double ieeeRemainder(double a, double b) { return StrictMath.IEEEremainder(a, b); }
    }

    static final class Exact {
        static double sqrt(double a) { return StrictMath.sqrt(a); }
        static double floor(double a) { return StrictMath.floor(a); }
        static double ceil(double a) { return StrictMath.ceil(a); }
        static double rint(double a) { return StrictMath.rint(a); }
        static double abs(double a) { return StrictMath.abs(a); }
        static int absInt(int a) { return StrictMath.abs(a); }
        static double min(double a, double b) { return StrictMath.min(a, b); }
        static float maxFloat(float a, float b) { return StrictMath.max(a, b); }
        static double signum(double a) { return StrictMath.signum(a); }
        static double copySign(double a, double b) { return StrictMath.copySign(a, b); }
        static float copySignFloat(float a, float b) { return StrictMath.copySign(a, b); }
        static double fma(double a, double b, double c) { return StrictMath.fma(a, b, c); }
        static long round(double a) { return StrictMath.round(a); }
        static int roundFloat(float a) { return StrictMath.round(a); }
        static int addExact(int a, int b) { return StrictMath.addExact(a, b); }
        static long multiplyExact(long a, long b) { return StrictMath.multiplyExact(a, b); }
    }

    /** hypot contains an {@code assert}, which compiles to a throw: the one fdlibm function still refused. */
    static final java.util.Set<String> STILL_REFUSED = java.util.Set.of("hypot");

    @TestFactory
    Stream<DynamicTest> fdlibmFunctionsCompileAndAreExact() {
        return Differential.kernels(Fdlibm.class).stream().map(m -> DynamicTest.dynamicTest(m.getName(), () -> {
            List<List<Object>> axes = new ArrayList<>();
            for (int i = 0; i < m.getParameterCount(); i++) axes.add(MathTest.transcendentalArguments());
            if (STILL_REFUSED.contains(m.getName())) {
                System.out.println(Differential.exactOrRefused(m, Differential.REFUSED_IN_THE_JDK, EdgeValues.product(axes)));
            } else {
                // fdlibm's tables (static final arrays of java.lang.FdLibm) are read from its static initializer.
                Differential.of(Fdlibm.class, m.getName()).checkAll(EdgeValues.product(axes));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> exactlySpecifiedFunctionsCompileAndAreExact() {
        return Differential.atEdges(Exact.class);
    }

    /**
     * StrictMath.copySign treats a NaN sign as positive ({@code isNaN(sign) ? 1.0 : sign}); Math.copySign may
     * copy the NaN's sign bit. With a NaN whose sign bit is set the two differ, and the JVM must be followed.
     */
    @Test
    void strictCopySignWithNegativeNaNSign() {
        Differential.Batch batch = new Differential.Batch();
        double negativeNaN = Double.longBitsToDouble(0xfff8000000000000L);
        assertTrue(Double.isNaN(negativeNaN) && Double.doubleToRawLongBits(negativeNaN) < 0);
        Method m = Differential.method(Exact.class, "copySign");
        batch.run(() -> Differential.of(m).checkAll(EdgeValues.product(List.of(1.0, -1.0, 0.0, -0.0, Double.POSITIVE_INFINITY), List.of(negativeNaN))));
        batch.run(() -> Differential.of(Exact.class, "copySignFloat").checkAll(EdgeValues.product(List.of(1.0f, -1.0f, -0.0f),
                List.of(Float.intBitsToFloat(0xffc00000)))));
        batch.done();
    }
}
