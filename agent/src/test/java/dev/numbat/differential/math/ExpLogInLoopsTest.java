package dev.numbat.differential.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.numbat.Numbat;
import dev.numbat.differential.Differential;
import dev.numbat.differential.EdgeValues;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code Math.exp} and {@code Math.log} in a module whose loops call them on independent values are fdlibm's code
 * inline (llvm-backend's {@code FdlibmChoice}), which LLVM vectorises: every lane must equal {@code StrictMath}'s
 * result bit for bit, over the edge values, exp's thresholds and the boundaries of its ranges (with their
 * neighbours), subnormal, near-one and random inputs, in arrays long enough that most go through vector lanes and
 * some through the scalar remainder. A loop in which each call waits for the last keeps glibc's shorter latency.
 */
class ExpLogInLoopsTest {
    static final class Kernels {
        static void expAll(double[] x, double[] out) {
            for (int i = 0; i < x.length; i++) out[i] = Math.exp(x[i]);
        }

        static void logAll(double[] x, double[] out) {
            for (int i = 0; i < x.length; i++) out[i] = Math.log(x[i]);
        }

        /** Each step waits for the last: glibc's calls, not fdlibm's longer critical path. */
        static double chain(double x, int n) {
            for (int i = 0; i < n; i++) x = Math.log(Math.exp(x) + 0.5);
            return x;
        }
    }

    static final Pattern LIBRARY_CALL = Pattern.compile("call [^\\n]*@(exp|log)\\(");

    static double[] inputs() {
        List<Double> xs = new ArrayList<>();
        for (double v : EdgeValues.DOUBLES) xs.add(v);
        double[] edges = {0x1.62e42fefa39efp9, -0x1.74910d52d3051p9, 709.0, -708.0, -708.4, -708.5, -709, -720, -744.5,
                -745.1332191019411, Math.log(2) / 2, 1.5 * Math.log(2), 0x1p-28, -0x1p-28, 1e-300, 0.5, -0.5, 1, -1, 20, -20,
                0x1p-1022, 0x1p-1074, Double.MAX_VALUE, 0.7518899229712606};
        for (double e : edges) for (double x : new double[] {e, Math.nextUp(e), Math.nextDown(e), -e}) xs.add(x);
        Random r = new Random(11);
        for (int k = 0; k < 100_000; k++) {
            xs.add(switch (k % 6) {
                case 0 -> Double.longBitsToDouble(r.nextLong() & 0x000fffffffffffffL);  // subnormals
                case 1 -> 1 + (r.nextDouble() - 0.5) * Math.pow(2, -r.nextInt(40));     // near 1
                case 2 -> (r.nextDouble() - 0.5) * 1500;                                 // all of exp's range and past it
                case 3 -> -708 - r.nextDouble() * 40;                                     // subnormal results of exp
                case 4 -> (r.nextDouble() - 0.5) * Math.pow(2, -r.nextInt(40));         // tiny
                default -> Double.longBitsToDouble(r.nextLong());
            });
        }
        return xs.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static MethodHandle vectorised(String name) {
        Method m = Differential.method(Kernels.class, name);
        String llvm = Numbat.inspect(m).optimizedLlvmIr();
        assertTrue(llvm.contains("vector.body"), name + " is not vectorised:\n" + llvm);
        assertFalse(LIBRARY_CALL.matcher(llvm).find(), name + " still calls the C library:\n" + llvm);
        return Numbat.compile(m);
    }

    @Test
    void everyLaneEqualsStrictMath() throws Throwable {
        double[] x = inputs();
        double[] abs = new double[x.length];
        for (int i = 0; i < x.length; i++) abs[i] = Math.abs(x[i]);
        double[] exp = new double[x.length], log = new double[x.length], logAbs = new double[x.length];
        vectorised("expAll").invoke(x, exp);
        MethodHandle logAll = vectorised("logAll");
        logAll.invoke(x, log);
        logAll.invoke(abs, logAbs);
        for (int i = 0; i < x.length; i++) {
            assertSame(StrictMath.exp(x[i]), exp[i], "exp", x[i]);
            assertSame(StrictMath.log(x[i]), log[i], "log", x[i]);
            assertSame(StrictMath.log(abs[i]), logAbs[i], "log", abs[i]);
        }
    }

    /** Bit for bit, any NaN equal to any other (Java gives no meaning to a NaN's payload). */
    private static void assertSame(double want, double got, String f, double x) {
        assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got),
                () -> f + "(" + x + " = " + Double.toHexString(x) + "): StrictMath " + want + ", Numbat " + got);
    }

    @Test
    void aChainOfCallsKeepsTheCLibrary() throws Throwable {
        Method m = Differential.method(Kernels.class, "chain");
        String llvm = Numbat.inspect(m).optimizedLlvmIr();
        assertTrue(LIBRARY_CALL.matcher(llvm).find(), "the chain does not call the C library:\n" + llvm);
        MethodHandle chain = Numbat.compile(m);
        for (double start : new double[] {-30, -1, 0, 0.5, 3, 700}) {
            double want = Kernels.chain(start, 1000), got = (double) chain.invoke(start, 1000);
            // Each step is within 1 ulp, and contracts (its derivative is below 1): the two stay a few ulps apart.
            assertTrue(Math.abs(want - got) <= 4 * Math.ulp(want), "chain from " + start + ": JVM " + want + ", Numbat " + got);
        }
    }
}
