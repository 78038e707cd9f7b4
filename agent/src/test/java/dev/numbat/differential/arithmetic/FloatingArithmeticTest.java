package dev.numbat.differential.arithmetic;

import dev.numbat.differential.Differential;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * float and double arithmetic at all pairs (and, for the three-operand kernels, all triples) of edge values:
 * signed zeros, NaNs, infinities, subnormals, MAX_VALUE, halves. {@code %} is C's fmod (the sign of the
 * dividend, exact). No contraction of {@code a * b + c} into a fused multiply-add, no reassociation.
 */
class FloatingArithmeticTest {

    static final class FloatKernels {
        static float add(float a, float b) { return a + b; }
        static float sub(float a, float b) { return a - b; }
        static float mul(float a, float b) { return a * b; }
        static float div(float a, float b) { return a / b; }
        static float rem(float a, float b) { return a % b; }
        static float neg(float a) { return -a; }
        static float zeroMinus(float a) { return 0.0f - a; }
        static float plusZero(float a) { return a + 0.0f; }
        static float plusMinusZero(float a) { return a + -0.0f; }
        static float timesOne(float a) { return a * 1.0f; }
        static float timesZero(float a) { return a * 0.0f; }
        static float divByTwo(float a) { return a / 2.0f; }
        static float timesHalf(float a) { return a * 0.5f; }
        static float divByThree(float a) { return a / 3.0f; }
        static float remConst(float a) { return a % 1.5f; }
        static float selfSub(float a) { return a - a; }
        static float selfDiv(float a) { return a / a; }
        static float mulAdd(float a, float b, float c) { return a * b + c; }
        static float reassociate(float a, float b, float c) { return (a + b) + c - (a + (b + c)); }
        static float doubleRounding(float a, float b) { return (float) ((double) a * (double) b); }
        static float compound(float a, float b) {
            float x = a;
            x += b; x *= 3; x -= b; x /= 7; x %= b;
            return x;
        }
    }

    static final class DoubleKernels {
        static double add(double a, double b) { return a + b; }
        static double sub(double a, double b) { return a - b; }
        static double mul(double a, double b) { return a * b; }
        static double div(double a, double b) { return a / b; }
        static double rem(double a, double b) { return a % b; }
        static double neg(double a) { return -a; }
        static double zeroMinus(double a) { return 0.0 - a; }
        static double plusZero(double a) { return a + 0.0; }
        static double plusMinusZero(double a) { return a + -0.0; }
        static double timesOne(double a) { return a * 1.0; }
        static double timesZero(double a) { return a * 0.0; }
        static double divByTwo(double a) { return a / 2.0; }
        static double timesHalf(double a) { return a * 0.5; }
        static double divByThree(double a) { return a / 3.0; }
        static double divByTen(double a) { return a / 10.0; }
        static double remConst(double a) { return a % 1.5; }
        static double selfSub(double a) { return a - a; }
        static double selfDiv(double a) { return a / a; }
        static double mulAdd(double a, double b, double c) { return a * b + c; }
        static double mulSub(double a, double b, double c) { return c - a * b; }
        static double reassociate(double a, double b, double c) { return (a + b) + c - (a + (b + c)); }
        static double mixedFloat(float a, double b) { return a * b + a; }
        static double compound(double a, double b) {
            double x = a;
            x += b; x *= 3; x -= b; x /= 7; x %= b;
            return x;
        }
        static double sumLoop(double a, int n) {
            double s = 0;
            for (int i = 0; i < (n & 15); i++) s += a * i;
            return s;
        }
    }

    @TestFactory
    Stream<DynamicTest> floatAtAllPairsOfEdgeValues() { return Differential.atEdges(FloatKernels.class); }

    @TestFactory
    Stream<DynamicTest> doubleAtAllPairsOfEdgeValues() { return Differential.atEdges(DoubleKernels.class); }
}
