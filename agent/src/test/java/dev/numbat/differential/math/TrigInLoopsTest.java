package dev.numbat.differential.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.numbat.Numbat;
import dev.numbat.differential.Differential;
import dev.numbat.differential.EdgeValues;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code Math.sin}, {@code Math.cos} and {@code Math.tan} in a module whose loops call them on independent values are functions with
 * vector versions (llvm-backend's {@code TrigFunctions}), which LLVM's vectoriser calls: every lane must equal
 * {@code StrictMath}'s result bit for bit where |x| <= 2^20 pi/2, and glibc's beyond (NaN and the infinities
 * included), over the edge values, multiples of pi/2 and their neighbours (where the reduction cancels), the bounds
 * of fdlibm's paths, tiny and random inputs, in arrays long enough that most go through vector lanes and some through
 * the scalar remainder. Where the two implementations meet, the results keep the function's order.
 */
class TrigInLoopsTest {
    static final class Kernels {
        static void sinAll(double[] x, double[] out) {
            for (int i = 0; i < x.length; i++) out[i] = Math.sin(x[i]);
        }

        static void cosAll(double[] x, double[] out) {
            for (int i = 0; i < x.length; i++) out[i] = Math.cos(x[i]);
        }

        static void tanAll(double[] x, double[] out) {
            for (int i = 0; i < x.length; i++) out[i] = Math.tan(x[i]);
        }

        /** sin and cos of the same values: their vector code is inlined and shares the reduction. */
        static void sinAndCos(double[] x, double[] sin, double[] cos) {
            for (int i = 0; i < x.length; i++) {
                sin[i] = Math.sin(x[i]);
                cos[i] = Math.cos(x[i]);
            }
        }

        /** Each step waits for the last: glibc's calls, not fdlibm's longer critical path. */
        static double chain(double x, int n) {
            for (int i = 0; i < n; i++) x = Math.sin(x) + Math.cos(x);
            return x;
        }
    }

    /** 2^20 pi/2 as fdlibm bounds it (its comment says 2^19): the largest |x| whose high word is 0x413921fb. */
    static final double MEDIUM_LIMIT = Double.longBitsToDouble(0x413921fbffffffffL);

    static final Pattern VECTOR_CALL = Pattern.compile("call [^\\n]*<\\d+ x double> @numbat_math_(sin|cos|tan)_v\\d+\\(");
    static final Pattern LIBRARY_CALL = Pattern.compile("call [^\\n]*@(sin|cos)\\(");

    private static final MethodHandle GLIBC_SIN = glibc("sin"), GLIBC_COS = glibc("cos"), GLIBC_TAN = glibc("tan");

    private static MethodHandle glibc(String name) {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_DOUBLE, ValueLayout.JAVA_DOUBLE));
    }

    /**
     * The doubles nearest a multiple of pi/2 in the medium range, less than 2^-66 of themselves away from it (found by
     * trying every n up to 2^19, half the range, with pi to 110 digits): fdlibm reduces them with all three pieces of pi/2.
     */
    static final double[] NEAREST_MULTIPLES = {0x1.39c6fd67805a7p19, 0x1.93c05c9ed3cbcp18, 0x1.edb9bbd6273d1p18,
            0x1.23d98d86bd573p19, 0x1.bf9b3c6059d24p18, 0x1.4fb46d48435dbp19, 0x1.7dd2ecbe10c88p19, 0x1.65a1dd290660fp19,
            0x1.0dec1da5fa53fp19, 0x1.67e57cdd4dc54p19, 0x1.eb761c21dfd8cp18, 0x1.7b8f4d09c9643p19, 0x1.917cbcea8c677p19,
            0x1.51f80cfc8ac2p19, 0x1.effd5b8a6ea16p18, 0x1.9603fc531b301p18, 0x1.2195edd275f2ep19, 0x1.bd579cac126dfp18};

    static double[] inputs() {
        List<Double> xs = new ArrayList<>();
        for (double v : EdgeValues.DOUBLES) xs.add(v);
        List<Double> edges = new ArrayList<>(List.of(Math.PI / 4, 3 * Math.PI / 4, 0.3, 0.78125, 0x1p-27, 1e-300,
                MEDIUM_LIMIT, Math.nextUp(MEDIUM_LIMIT), 1e6, 1e9, 1e22, Double.MAX_VALUE, 0x1p-1074, 0x1p-1022));
        // Multiples of pi/2, where the reduction cancels most bits and needs pi/2's second and third pieces.
        for (long n = 1; n <= 1 << 19; n = n < 64 ? n + 1 : n * 3 / 2) edges.add(n * (Math.PI / 2));
        edges.add((1 << 19) * (Math.PI / 2));
        for (double x : NEAREST_MULTIPLES) edges.add(x);
        // x whose high word is n pi/2's, which fdlibm's quick check sends down the careful path.
        for (int n = 1; n <= 32; n++) {
            long high = Double.doubleToRawLongBits(n * (Math.PI / 2)) & 0xffffffff00000000L;
            edges.add(Double.longBitsToDouble(high));
            edges.add(Double.longBitsToDouble(high | 0xffffffffL));
        }
        for (double e : edges) {
            for (double x : new double[] {e, Math.nextUp(e), Math.nextDown(e)}) {
                xs.add(x);
                xs.add(-x);
            }
        }
        Random r = new Random(19);
        for (int k = 0; k < 100_000; k++) {
            xs.add(switch (k % 6) {
                case 0 -> (r.nextDouble() - 0.5) * 20;                                       // a few turns
                case 1 -> (r.nextDouble() - 0.5) * 2 * MEDIUM_LIMIT;                         // all of the medium range
                case 2 -> (r.nextDouble() - 0.5) * Math.pow(2, -r.nextInt(60));              // small and tiny
                case 3 -> (r.nextInt(1 << 19) + r.nextGaussian() * 1e-9) * (Math.PI / 2);    // near multiples of pi/2
                case 4 -> (r.nextDouble() - 0.5) * Math.pow(2, 19 + r.nextInt(900));         // beyond the medium range
                default -> Double.longBitsToDouble(r.nextLong());
            });
        }
        return xs.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static MethodHandle vectorised(String name) {
        Method m = Differential.method(Kernels.class, name);
        String llvm = Numbat.inspect(m).optimizedLlvmIr();
        assertTrue(llvm.contains("vector.body") && VECTOR_CALL.matcher(llvm).find(),
                name + " does not call a vector version:\n" + llvm);
        return Numbat.compile(m);
    }

    @Test
    void everyLaneEqualsStrictMathOrGlibcBeyondTheMediumRange() throws Throwable {
        double[] x = inputs();
        double[] sin = new double[x.length], cos = new double[x.length], tan = new double[x.length];
        vectorised("sinAll").invoke(x, sin);
        vectorised("cosAll").invoke(x, cos);
        vectorised("tanAll").invoke(x, tan);
        int medium = 0;
        for (int i = 0; i < x.length; i++) {
            if (Math.abs(x[i]) <= MEDIUM_LIMIT) {
                medium++;
                assertSame(StrictMath.sin(x[i]), sin[i], "sin", "StrictMath", x[i]);
                assertSame(StrictMath.cos(x[i]), cos[i], "cos", "StrictMath", x[i]);
                assertSame(StrictMath.tan(x[i]), tan[i], "tan", "StrictMath", x[i]);
            } else {
                assertSame((double) GLIBC_SIN.invokeExact(x[i]), sin[i], "sin", "glibc", x[i]);
                assertSame((double) GLIBC_COS.invokeExact(x[i]), cos[i], "cos", "glibc", x[i]);
                assertSame((double) GLIBC_TAN.invokeExact(x[i]), tan[i], "tan", "glibc", x[i]);
            }
        }
        assertTrue(medium > x.length / 2 && medium < x.length, medium + " of " + x.length + " in the medium range");

        Method both = Differential.method(Kernels.class, "sinAndCos");
        String llvm = Numbat.inspect(both).optimizedLlvmIr();
        assertTrue(llvm.contains("vector.body") && !VECTOR_CALL.matcher(llvm).find(),
                "sinAndCos does not run sin and cos inline in vectors:\n" + llvm);
        double[] sin2 = new double[x.length], cos2 = new double[x.length];
        Numbat.compile(both).invoke(x, sin2, cos2);
        for (int i = 0; i < x.length; i++) {
            assertSame(sin[i], sin2[i], "sin beside cos", "sin alone", x[i]);
            assertSame(cos[i], cos2[i], "cos beside sin", "cos alone", x[i]);
        }
    }

    /**
     * On each side of 0 the last value fdlibm's code gives and the first glibc's gives keep the order of sin, cos
     * and tan there. Each implementation is semi-monotonic by itself, so the whole is.
     */
    @Test
    void whereTheImplementationsMeetTheOrderHolds() throws Throwable {
        double last = MEDIUM_LIMIT, first = Math.nextUp(MEDIUM_LIMIT);
        double[] x = {last, first, -last, -first};
        double[] sin = new double[4], cos = new double[4], tan = new double[4];
        vectorised("sinAll").invoke(x, sin);
        vectorised("cosAll").invoke(x, cos);
        vectorised("tanAll").invoke(x, tan);
        for (int side = 0; side < 4; side += 2) {
            // x[side + 1] lies beyond x[side]: upward on the positive side, downward on the negative one.
            double direction = Math.signum(x[side]);
            // d/dx sin = cos and d/dx cos = -sin, which keep their signs over one ulp of x here.
            assertTrue(Math.signum(StrictMath.cos(x[side])) == Math.signum(StrictMath.cos(x[side + 1])));
            assertOrdered(direction * StrictMath.cos(x[side]), sin[side], sin[side + 1], "sin", x[side]);
            assertOrdered(-direction * StrictMath.sin(x[side]), cos[side], cos[side + 1], "cos", x[side]);
            assertOrdered(direction, tan[side], tan[side + 1], "tan", x[side]); // rising on its branch, as cos keeps its sign
        }
    }

    private static void assertOrdered(double slope, double before, double after, String f, double x) {
        if (slope > 0) assertTrue(before <= after, f + " falls at " + x + ": " + before + " then " + after);
        else assertTrue(before >= after, f + " rises at " + x + ": " + before + " then " + after);
    }

    /** Bit for bit, any NaN equal to any other (Java gives no meaning to a NaN's payload). */
    private static void assertSame(double want, double got, String f, String reference, double x) {
        assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got),
                () -> f + "(" + x + " = " + Double.toHexString(x) + "): " + reference + " " + want + ", Numbat " + got);
    }

    @Test
    void aChainOfCallsKeepsTheCLibrary() throws Throwable {
        Method m = Differential.method(Kernels.class, "chain");
        String llvm = Numbat.inspect(m).optimizedLlvmIr();
        assertTrue(LIBRARY_CALL.matcher(llvm).find(), "the chain does not call the C library:\n" + llvm);
        assertFalse(llvm.contains("numbat_math_"), "the chain calls fdlibm's code:\n" + llvm);
        MethodHandle chain = Numbat.compile(m);
        for (double start : new double[] {-30, -1, 0, 0.5, 3, 700}) {
            double want = Kernels.chain(start, 100), got = (double) chain.invoke(start, 100);
            // sin + cos is within 1.5 ulps each step, and the map pulls values together near its fixed point.
            assertTrue(Math.abs(want - got) <= 1e-12, "chain from " + start + ": JVM " + want + ", Numbat " + got);
        }
    }
}
