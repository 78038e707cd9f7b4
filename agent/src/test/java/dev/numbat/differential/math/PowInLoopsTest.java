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
 * {@code Math.pow} in a module whose loops call it on independent values is fdlibm's code inline (llvm-backend's
 * {@code FdlibmLowering.pow}, chosen by {@code FdlibmChoice}), which LLVM vectorises: every lane must equal
 * {@code StrictMath.pow} bit for bit, over every pair of edge values, the special exponents the JDK's code returns
 * early for (0, ±0.5, ±1, 2, ±Infinity), integers odd and even (negative bases), exponents past 2^31 and 2^53, bases
 * near 1 and subnormal, results near overflow, underflow and in the subnormal range, and random pairs.
 */
class PowInLoopsTest {
    static final class Kernels {
        static void powAll(double[] x, double[] y, double[] out) {
            for (int i = 0; i < x.length; i++) out[i] = Math.pow(x[i], y[i]);
        }

        /** Each step waits for the last: glibc's call, not fdlibm's longer critical path. */
        static double chain(double x, double y, int n) {
            for (int i = 0; i < n; i++) x = Math.pow(x, y) + 0.25;
            return x;
        }
    }

    static final Pattern LIBRARY_CALL = Pattern.compile("call [^\\n]*@pow\\(");

    private static final List<double[]> PAIRS = new ArrayList<>();

    private static void pair(double x, double y) {
        PAIRS.add(new double[] {x, y});
    }

    static double[][] inputs() {
        PAIRS.clear();
        List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (double v : EdgeValues.DOUBLES) {
            xs.add(v);
            ys.add(v);
        }
        for (double v : new double[] {0.5, 2, 3, -3, 4, 0.25, 1.5, 1 + 0x1p-20, 1 - 0x1p-21, 0x1.fffffp-1, 0x1.00001p0,
                0x1p-1060, 0x1p-1023, 10, 1e10, 1e-10, Math.E, 0.1, 1023.5}) {
            xs.add(v);
            xs.add(-v);
        }
        for (double v : new double[] {0.5, 1, 2, 3, 4, 5, 0.25, 1.5, 2.5, 31, 32, 0x1p31, 0x1.00000ffffffffp31,
                0x1.00001p31, 0x1p52 + 1, 0x1p53, 0x1p53 + 2, 0x1p63, 1e300, 1023, 1024, 1074, 1075, 0.1, 1e-300}) {
            for (double w : new double[] {v, Math.nextUp(v), Math.nextDown(v)}) {
                ys.add(w);
                ys.add(-w);
            }
        }
        for (double x : xs) for (double y : ys) pair(x, y);
        Random r = new Random(23);
        for (int k = 0; k < 120_000; k++) {
            switch (k % 8) {
                case 0 -> pair(r.nextDouble() * 10, (r.nextDouble() - 0.5) * 20);
                case 1 -> pair(-r.nextInt(20) - r.nextDouble(), r.nextInt(41) - 20);              // negative base, integer y
                case 2 -> pair(1 + r.nextGaussian() * 1e-7, r.nextGaussian() * 1e9);              // near 1, huge y
                case 3 -> { // results near 2^1024, 2^-1022 and 2^-1075
                    double x = 1 + r.nextDouble();
                    double target = new double[] {1024, -1022, -1050, -1075}[r.nextInt(4)] + r.nextGaussian();
                    pair(x, target / (Math.log(x) / Math.log(2)));
                    // A few ulps of y either side of x^y = 2^1024, where the overflow test looks at p_l.
                    double y = 1024 / (Math.log(x) / Math.log(2));
                    for (int u = 0; u < 8; u++) y = r.nextBoolean() ? Math.nextUp(y) : Math.nextDown(y);
                    pair(x, y);
                }
                case 4 -> pair(Double.longBitsToDouble(r.nextLong() & 0x000fffffffffffffL), r.nextDouble() * 2 - 1); // subnormal x
                case 5 -> pair(r.nextDouble() * 2, r.nextInt(2000) - 1000);
                case 6 -> pair(Math.abs(Double.longBitsToDouble(r.nextLong())), r.nextGaussian() * 4);
                default -> pair(Double.longBitsToDouble(r.nextLong()), Double.longBitsToDouble(r.nextLong()));
            }
        }
        double[][] columns = new double[2][PAIRS.size()];
        for (int i = 0; i < PAIRS.size(); i++) {
            columns[0][i] = PAIRS.get(i)[0];
            columns[1][i] = PAIRS.get(i)[1];
        }
        return columns;
    }

    @Test
    void everyLaneEqualsStrictMath() throws Throwable {
        Method m = Differential.method(Kernels.class, "powAll");
        String llvm = Numbat.inspect(m).optimizedLlvmIr();
        assertTrue(llvm.contains("vector.body"), "powAll is not vectorised:\n" + llvm);
        assertFalse(LIBRARY_CALL.matcher(llvm).find(), "powAll still calls the C library:\n" + llvm);
        double[][] in = inputs();
        double[] x = in[0], y = in[1], out = new double[x.length];
        Numbat.compile(m).invoke(x, y, out);
        for (int i = 0; i < x.length; i++) {
            double want = StrictMath.pow(x[i], y[i]);
            int k = i;
            assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(out[i]), () -> "pow(" + x[k] + ", " + y[k]
                    + ") = pow(" + Double.toHexString(x[k]) + ", " + Double.toHexString(y[k]) + "): StrictMath " + want
                    + ", Numbat " + out[k]);
        }
    }

    @Test
    void aChainOfCallsKeepsTheCLibrary() throws Throwable {
        Method m = Differential.method(Kernels.class, "chain");
        String llvm = Numbat.inspect(m).optimizedLlvmIr();
        assertTrue(LIBRARY_CALL.matcher(llvm).find(), "the chain does not call the C library:\n" + llvm);
        MethodHandle chain = Numbat.compile(m);
        for (double start : new double[] {0, 0.5, 1, 3}) {
            double want = Kernels.chain(start, 0.75, 200), got = (double) chain.invoke(start, 0.75, 200);
            // x^0.75 + 1/4 contracts towards its fixed point: the two stay a few ulps apart.
            assertTrue(Math.abs(want - got) <= 4 * Math.ulp(want), "chain from " + start + ": JVM " + want + ", Numbat " + got);
        }
    }
}
