package dev.numbat.differential.bits;

import dev.numbat.differential.Differential;
import dev.numbat.differential.EdgeValues;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Bit manipulation of Integer and Long (bitCount, numberOfLeading/TrailingZeros, rotations by counts of 32,
 * 64 and more and negative counts, reverse, reverseBytes, highestOneBit, lowestOneBit, compress/expand), the
 * raw and canonical bit conversions of Float and Double (floatToIntBits gives the canonical NaN 0x7fc00000
 * for every NaN; the raw conversions keep payloads), isNaN/isInfinite/isFinite, compare, min, max, sum, and
 * the static methods of Character that are plain arithmetic (the table-driven ones, isDigit and friends,
 * must compile exactly or be refused with a reason).
 */
class BitsTest {

    static final class IntegerKernels {
        static int bitCount(int a) { return Integer.bitCount(a); }
        static int numberOfLeadingZeros(int a) { return Integer.numberOfLeadingZeros(a); }
        static int numberOfTrailingZeros(int a) { return Integer.numberOfTrailingZeros(a); }
        static int rotateLeft(int a, int s) { return Integer.rotateLeft(a, s); }
        static int rotateRight(int a, int s) { return Integer.rotateRight(a, s); }
        static int reverse(int a) { return Integer.reverse(a); }
        static int reverseBytes(int a) { return Integer.reverseBytes(a); }
        static int highestOneBit(int a) { return Integer.highestOneBit(a); }
        static int lowestOneBit(int a) { return Integer.lowestOneBit(a); }
        static long toUnsignedLong(int a) { return Integer.toUnsignedLong(a); }
        static int rotateByConstant33(int a) { return Integer.rotateLeft(a, 33) ^ Integer.rotateRight(a, -1); }
        static int log2(int a) { return 31 - Integer.numberOfLeadingZeros(a); }
    }

    static final class LongKernels {
        static int bitCount(long a) { return Long.bitCount(a); }
        static int numberOfLeadingZeros(long a) { return Long.numberOfLeadingZeros(a); }
        static int numberOfTrailingZeros(long a) { return Long.numberOfTrailingZeros(a); }
        static long rotateLeft(long a, int s) { return Long.rotateLeft(a, s); }
        static long rotateRight(long a, int s) { return Long.rotateRight(a, s); }
        static long reverse(long a) { return Long.reverse(a); }
        static long reverseBytes(long a) { return Long.reverseBytes(a); }
        static long highestOneBit(long a) { return Long.highestOneBit(a); }
        static long lowestOneBit(long a) { return Long.lowestOneBit(a); }
        static long rotateByConstant65(long a) { return Long.rotateLeft(a, 65) ^ Long.rotateRight(a, -1); }
    }

    static final class FloatingKernels {
        static int floatToRawIntBits(float a) { return Float.floatToRawIntBits(a); }
        static int floatToIntBits(float a) { return Float.floatToIntBits(a); }
        static float intBitsToFloat(int a) { return Float.intBitsToFloat(a); }
        static int intBitsRoundTrip(int a) { return Float.floatToRawIntBits(Float.intBitsToFloat(a)); }
        static long doubleToRawLongBits(double a) { return Double.doubleToRawLongBits(a); }
        static long doubleToLongBits(double a) { return Double.doubleToLongBits(a); }
        static double longBitsToDouble(long a) { return Double.longBitsToDouble(a); }
        static long longBitsRoundTrip(long a) { return Double.doubleToRawLongBits(Double.longBitsToDouble(a)); }
        static boolean floatIsNaN(float a) { return Float.isNaN(a); }
        static boolean floatIsInfinite(float a) { return Float.isInfinite(a); }
        static boolean floatIsFinite(float a) { return Float.isFinite(a); }
        static boolean doubleIsNaN(double a) { return Double.isNaN(a); }
        static boolean doubleIsInfinite(double a) { return Double.isInfinite(a); }
        static boolean doubleIsFinite(double a) { return Double.isFinite(a); }
        static int floatCompare(float a, float b) { return Float.compare(a, b); }
        static int doubleCompare(double a, double b) { return Double.compare(a, b); }
        static float floatMin(float a, float b) { return Float.min(a, b); }
        static float floatMax(float a, float b) { return Float.max(a, b); }
        static float floatSum(float a, float b) { return Float.sum(a, b); }
        static double doubleMin(double a, double b) { return Double.min(a, b); }
        static double doubleMax(double a, double b) { return Double.max(a, b); }
        static double doubleSum(double a, double b) { return Double.sum(a, b); }
        static long negateViaBits(double a) { return Double.doubleToRawLongBits(-a); }
        static int absViaBits(float a) { return Float.floatToRawIntBits(Math.abs(a)); }
    }

    static final class CharacterKernels {
        static boolean isSurrogate(char c) { return Character.isSurrogate(c); }
        static boolean isHighSurrogate(char c) { return Character.isHighSurrogate(c); }
        static boolean isLowSurrogate(char c) { return Character.isLowSurrogate(c); }
        static boolean isSurrogatePair(char a, char b) { return Character.isSurrogatePair(a, b); }
        static int toCodePoint(char a, char b) { return Character.toCodePoint(a, b); }
        static boolean isBmpCodePoint(int c) { return Character.isBmpCodePoint(c); }
        static boolean isValidCodePoint(int c) { return Character.isValidCodePoint(c); }
        static boolean isSupplementaryCodePoint(int c) { return Character.isSupplementaryCodePoint(c); }
        static char highSurrogate(int c) { return Character.highSurrogate(c); }
        static char lowSurrogate(int c) { return Character.lowSurrogate(c); }
        static int charCount(int c) { return Character.charCount(c); }
        static char reverseBytes(char c) { return Character.reverseBytes(c); }
        static int compare(char a, char b) { return Character.compare(a, b); }
        static int hashCode(char c) { return Character.hashCode(c); }
        static char forDigit(int d, int radix) { return Character.forDigit(d, radix); }
    }

    /** Character methods that consult Unicode tables: exact if compiled, else refused with a reason. */
    static final class CharacterTableKernels {
        static boolean isDigit(char c) { return Character.isDigit(c); }
        static boolean isLetter(char c) { return Character.isLetter(c); }
        static char toUpperCase(char c) { return Character.toUpperCase(c); }
        static int digit(char c, int radix) { return Character.digit(c, radix); }
    }

    /** compress/expand: pure Java in the JDK (HotSpot intrinsifies them), so exact if compiled. */
    static final class CompressKernels {
        static int compress(int a, int mask) { return Integer.compress(a, mask); }
        static int expand(int a, int mask) { return Integer.expand(a, mask); }
        static long compressLong(long a, long mask) { return Long.compress(a, mask); }
    }

    @TestFactory Stream<DynamicTest> integer() { return Differential.atEdges(IntegerKernels.class); }
    @TestFactory Stream<DynamicTest> longs() { return Differential.atEdges(LongKernels.class); }
    @TestFactory Stream<DynamicTest> floatingBits() { return Differential.atEdges(FloatingKernels.class); }
    @TestFactory Stream<DynamicTest> character() { return Differential.atEdges(CharacterKernels.class); }

    @TestFactory
    Stream<DynamicTest> characterTablesAndCompressAreExactOrRefused() {
        return Stream.concat(Differential.kernels(CharacterTableKernels.class).stream(), Differential.kernels(CompressKernels.class).stream())
                .map(m -> DynamicTest.dynamicTest(m.getName(), () -> {
                    System.out.println(Differential.exactOrRefused(m, Differential.REFUSED_IN_THE_JDK, EdgeValues.tuples(m)));
                }));
    }
}
