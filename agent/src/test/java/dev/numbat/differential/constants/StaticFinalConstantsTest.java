package dev.numbat.differential.constants;

import dev.numbat.differential.Differential;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code static final} primitive fields: compile-time constants (javac inlines them as ldc/bipush) and fields
 * initialised at run time in {@code <clinit>} (read with getstatic, which the frontend folds after
 * initialising the class), of every primitive type, in this class and in another one, including NaN, -0.0
 * and values that depend on a system property.
 */
class StaticFinalConstantsTest {

    static final class Constants {
        static final double SQRT2 = Math.sqrt(2);
        static final double NEGATIVE_ZERO = -Math.abs(0.0 * Integer.getInteger("numbat.test.nonexistent", 1));
        static final double COMPUTED_NAN = Math.sqrt(-Integer.getInteger("numbat.test.nonexistent", 1));
        static final float THIRD = 1.0f / Integer.getInteger("numbat.test.nonexistent", 3);
        static final long BIG = Long.MAX_VALUE - Integer.getInteger("numbat.test.nonexistent", 5);
        static final int MASK = (1 << Integer.getInteger("numbat.test.nonexistent", 31)) - 1;
        static final short SHORT = (short) Integer.getInteger("numbat.test.nonexistent", 40000).intValue();
        static final byte BYTE = (byte) Integer.getInteger("numbat.test.nonexistent", 200).intValue();
        static final char CHAR = (char) Integer.getInteger("numbat.test.nonexistent", -1).intValue();
        static final boolean FLAG = Integer.getInteger("numbat.test.nonexistent", 1) == 1;
        static final int COMPILE_TIME = 0x7fff_0001;
        static final long COMPILE_TIME_LONG = 0x1234_5678_9abc_def0L;
        static final double COMPILE_TIME_DOUBLE = 1e-310;
        static final float COMPILE_TIME_FLOAT = Float.MIN_VALUE;
    }

    static final class Kernels {
        private static final int PRIVATE_RUNTIME = Integer.getInteger("numbat.test.nonexistent", 17);

        static double sqrt2Times(double x) { return x * Constants.SQRT2; }
        static double negativeZeroPlus(double x) { return Constants.NEGATIVE_ZERO + x; }
        static double negativeZeroItself(double x) { return x > 0 ? Constants.NEGATIVE_ZERO : Constants.SQRT2; }
        static boolean computedNaN(double x) { return Constants.COMPUTED_NAN != Constants.COMPUTED_NAN && x == x; }
        static float third(float x) { return x * Constants.THIRD; }
        static long big(long x) { return Constants.BIG ^ x; }
        static int mask(int x) { return x & Constants.MASK; }
        static int subInts(int x) { return Constants.SHORT * 3 + Constants.BYTE * 5 + Constants.CHAR * 7 + (Constants.FLAG ? x : -x); }
        static long compileTime(long x) { return Constants.COMPILE_TIME + Constants.COMPILE_TIME_LONG * x; }
        static double compileTimeFloating(double x) { return Constants.COMPILE_TIME_DOUBLE * x + Constants.COMPILE_TIME_FLOAT; }
        static int privateRuntime(int x) { return x * PRIVATE_RUNTIME; }
        static double jdkConstants(double x) { return x * Math.PI + Math.E + Double.MIN_NORMAL + Float.MAX_VALUE + Integer.SIZE; }
    }

    @TestFactory
    Stream<DynamicTest> constantsAtEdgeValues() { return Differential.atEdges(Kernels.class); }
}
