package dev.numbat.differential.comparison;

import dev.numbat.differential.Differential;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Comparisons as javac compiles them: if_icmp*, lcmp, and fcmpl/fcmpg, dcmpl/dcmpg chosen so that every
 * comparison with NaN is false ({@code <} and {@code <=} use *cmpg, {@code >}, {@code >=}, {@code ==},
 * {@code !=} use *cmpl); as boolean results, in ternaries, negated, and combined. All pairs of edge values.
 */
class ComparisonTest {

    static final class IntKernels {
        static boolean lt(int a, int b) { return a < b; }
        static boolean le(int a, int b) { return a <= b; }
        static boolean gt(int a, int b) { return a > b; }
        static boolean ge(int a, int b) { return a >= b; }
        static boolean eq(int a, int b) { return a == b; }
        static boolean ne(int a, int b) { return a != b; }
        static int ternary(int a, int b) { return a < b ? a : b; }
        static int ternaryChain(int a, int b) { return a < b ? -1 : a == b ? 0 : 1; }
        static boolean notLt(int a, int b) { return !(a < b); }
        static boolean andOr(int a, int b) { return a < b && b < 100 || a == -1; }
        static boolean xorCompare(int a, int b) { return (a < 0) ^ (b < 0); }
        static boolean ltZero(int a) { return a < 0; }
        static boolean unsignedLt(int a, int b) { return (a ^ Integer.MIN_VALUE) < (b ^ Integer.MIN_VALUE); }
        static int booleanAsInt(int a, int b) { boolean z = a > b; return z ? 1 : 0; }
        static boolean intVsLong(int a, long b) { return a < b; }
    }

    static final class SubIntKernels {
        static boolean charLess(char a, char b) { return a < b; }
        static boolean byteLess(byte a, byte b) { return a < b; }
        static boolean shortGreaterEqual(short a, short b) { return a >= b; }
        static boolean charEqualsInt(char a, int b) { return a == b; }
        static boolean booleansEqual(boolean a, boolean b) { return a == b; }
        static boolean booleanXor(boolean a, boolean b) { return a ^ b; }
        static boolean booleanAndNot(boolean a, boolean b) { return a & !b; }
    }

    static final class LongKernels {
        static boolean lt(long a, long b) { return a < b; }
        static boolean le(long a, long b) { return a <= b; }
        static boolean gt(long a, long b) { return a > b; }
        static boolean ge(long a, long b) { return a >= b; }
        static boolean eq(long a, long b) { return a == b; }
        static boolean ne(long a, long b) { return a != b; }
        static long ternary(long a, long b) { return a > b ? a : b; }
        static int ternaryChain(long a, long b) { return a < b ? -1 : a == b ? 0 : 1; }
        static boolean notGe(long a, long b) { return !(a >= b); }
        static boolean eqZero(long a) { return a == 0; }
    }

    static final class FloatKernels {
        static boolean lt(float a, float b) { return a < b; }
        static boolean le(float a, float b) { return a <= b; }
        static boolean gt(float a, float b) { return a > b; }
        static boolean ge(float a, float b) { return a >= b; }
        static boolean eq(float a, float b) { return a == b; }
        static boolean ne(float a, float b) { return a != b; }
        static boolean notLt(float a, float b) { return !(a < b); }
        static boolean notGt(float a, float b) { return !(a > b); }
        static boolean notEq(float a, float b) { return !(a == b); }
        static boolean isNaN(float a) { return a != a; }
        static boolean selfEq(float a) { return a == a; }
        static float ternaryMin(float a, float b) { return a < b ? a : b; }
        static float ternaryMax(float a, float b) { return a > b ? a : b; }
        static int ternaryChain(float a, float b) { return a < b ? -1 : a > b ? 1 : a == b ? 0 : 2; }
        static int branchLe(float a, float b) {
            if (a <= b) return 1;
            return 2;
        }
        static int branchGe(float a, float b) {
            if (a >= b) return 1;
            return 2;
        }
        static boolean floatVsInt(float a, int b) { return a < b; }
        static boolean ltZero(float a) { return a < 0; }
        static boolean eqZero(float a) { return a == 0; }
    }

    static final class DoubleKernels {
        static boolean lt(double a, double b) { return a < b; }
        static boolean le(double a, double b) { return a <= b; }
        static boolean gt(double a, double b) { return a > b; }
        static boolean ge(double a, double b) { return a >= b; }
        static boolean eq(double a, double b) { return a == b; }
        static boolean ne(double a, double b) { return a != b; }
        static boolean notLt(double a, double b) { return !(a < b); }
        static boolean notLe(double a, double b) { return !(a <= b); }
        static boolean notGe(double a, double b) { return !(a >= b); }
        static boolean notNe(double a, double b) { return !(a != b); }
        static boolean isNaN(double a) { return a != a; }
        static double ternaryMin(double a, double b) { return a <= b ? a : b; }
        static double ternaryMax(double a, double b) { return a >= b ? a : b; }
        static int ternaryChain(double a, double b) { return a < b ? -1 : a > b ? 1 : a == b ? 0 : 2; }
        static boolean inRange(double a, double b) { return a > -b && a < b; }
        static boolean doubleVsLong(double a, long b) { return a == b; }
        static boolean floatVsDouble(float a, double b) { return a >= b; }
        static int loopWhileLess(double a, double b) {
            int n = 0;
            double x = a;
            while (x < b && n < 10) { x += 1.0; n++; }
            return n;
        }
    }

    @TestFactory Stream<DynamicTest> intComparisons() { return Differential.atEdges(IntKernels.class); }
    @TestFactory Stream<DynamicTest> subIntComparisons() { return Differential.atEdges(SubIntKernels.class); }
    @TestFactory Stream<DynamicTest> longComparisons() { return Differential.atEdges(LongKernels.class); }
    @TestFactory Stream<DynamicTest> floatComparisons() { return Differential.atEdges(FloatKernels.class); }
    @TestFactory Stream<DynamicTest> doubleComparisons() { return Differential.atEdges(DoubleKernels.class); }
}
