package dev.numbat.differential.arithmetic;

import dev.numbat.differential.Differential;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * int and long arithmetic, bitwise operations and shifts at all pairs of edge values: division by zero
 * ("/ by zero"), MIN_VALUE / -1, MIN_VALUE % -1, shift counts that are negative, 32 and more, 64 and more,
 * also as constants (javac keeps {@code x << 33} as is; the JVM masks the count, LLVM would make it poison).
 */
class IntegralArithmeticTest {

    @SuppressWarnings({"divzero", "ShiftOutOfRange"})
    static final class IntKernels {
        static int add(int a, int b) { return a + b; }
        static int sub(int a, int b) { return a - b; }
        static int mul(int a, int b) { return a * b; }
        static int div(int a, int b) { return a / b; }
        static int rem(int a, int b) { return a % b; }
        static int neg(int a) { return -a; }
        static int and(int a, int b) { return a & b; }
        static int or(int a, int b) { return a | b; }
        static int xor(int a, int b) { return a ^ b; }
        static int not(int a) { return ~a; }
        static int shl(int a, int s) { return a << s; }
        static int shr(int a, int s) { return a >> s; }
        static int ushr(int a, int s) { return a >>> s; }
        static int shlConst33(int a) { return a << 33; }
        static int shrConst32(int a) { return a >> 32; }
        static int ushrConstMinus1(int a) { return a >>> -1; }
        static int shlConst31(int a) { return a << 31; }
        static int divConst3(int a) { return a / 3; }
        static int remConst3(int a) { return a % 3; }
        static int divConst8(int a) { return a / 8; }
        static int remConst8(int a) { return a % 8; }
        static int divConstMinus1(int a) { return a / -1; }
        static int remConstMinus1(int a) { return a % -1; }
        static int divConstMinValue(int a) { return a / Integer.MIN_VALUE; }
        static int divConstZero(int a) { return a / 0; }
        static int remConstZero(int a) { return a % 0; }
        static int minValueDivBy(int b) { return Integer.MIN_VALUE / b; }
        static int minValueRemBy(int b) { return Integer.MIN_VALUE % b; }
        static int quotientAndRemainder(int a, int b) { return (a / b) * b + a % b; }
        static int remIgnoredResult(int a, int b) { int unused = a % b; return a; }
        static int divInLoop(int a, int b) {
            int s = 0;
            for (int i = 0; i < 3; i++) s += a / (b + i);
            return s;
        }
        static int negMul(int a, int b) { return -(a * b) + (a ^ -b); }
        static int shiftMix(int a, int s) { return (a << s) ^ (a >> (s + 1)) ^ (a >>> (s - 1)); }
        static int compoundAssign(int a, int b) {
            int x = a;
            x += b; x *= 3; x -= b; x <<= b; x >>= 2; x >>>= b; x ^= a; x |= 1; x &= ~b;
            return x;
        }
        static int increments(int a) { int x = a; x++; ++x; x--; return x + a++ + ++a; }
        static int avgOverflow(int a, int b) { return (a + b) / 2; }
        static int absViaShift(int a) { int m = a >> 31; return (a ^ m) - m; }
    }

    @SuppressWarnings({"divzero", "ShiftOutOfRange"})
    static final class LongKernels {
        static long add(long a, long b) { return a + b; }
        static long sub(long a, long b) { return a - b; }
        static long mul(long a, long b) { return a * b; }
        static long div(long a, long b) { return a / b; }
        static long rem(long a, long b) { return a % b; }
        static long neg(long a) { return -a; }
        static long and(long a, long b) { return a & b; }
        static long or(long a, long b) { return a | b; }
        static long xor(long a, long b) { return a ^ b; }
        static long not(long a) { return ~a; }
        static long shl(long a, int s) { return a << s; }
        static long shr(long a, int s) { return a >> s; }
        static long ushr(long a, int s) { return a >>> s; }
        static long shlByLong(long a, long s) { return a << s; }
        static long shlConst65(long a) { return a << 65; }
        static long shrConst64(long a) { return a >> 64; }
        static long ushrConstMinus1(long a) { return a >>> -1; }
        static long shlConst32(long a) { return a << 32; }
        static long divConst3(long a) { return a / 3; }
        static long remConst3(long a) { return a % 3; }
        static long divConst8(long a) { return a / 8; }
        static long remConst8(long a) { return a % 8; }
        static long divConstMinus1(long a) { return a / -1; }
        static long remConstMinus1(long a) { return a % -1; }
        static long divConstZero(long a) { return a / 0; }
        static long remConstZero(long a) { return a % 0L; }
        static long minValueDivBy(long b) { return Long.MIN_VALUE / b; }
        static long minValueRemBy(long b) { return Long.MIN_VALUE % b; }
        static long quotientAndRemainder(long a, long b) { return (a / b) * b + a % b; }
        static long remIgnoredResult(long a, long b) { long unused = a % b; return a; }
        static long mixedIntLong(int a, long b) { return a * b + (a / (int) b); }
        static long widenThenMultiply(int a, int b) { return (long) a * b; }
        static long multiplyThenWiden(int a, int b) { return a * b; }
        static long shiftMix(long a, int s) { return (a << s) ^ (a >> (s + 1)) ^ (a >>> (s - 1)); }
        static long compoundAssign(long a, long b) {
            long x = a;
            x += b; x *= 3; x -= b; x <<= b; x >>= 2; x >>>= b; x ^= a; x |= 1; x &= ~b;
            return x;
        }
        static long increments(long a) { long x = a; x++; ++x; x--; return x + a++ + ++a; }
    }

    @TestFactory
    Stream<DynamicTest> intAtAllPairsOfEdgeValues() { return Differential.atEdges(IntKernels.class); }

    @TestFactory
    Stream<DynamicTest> longAtAllPairsOfEdgeValues() { return Differential.atEdges(LongKernels.class); }
}
