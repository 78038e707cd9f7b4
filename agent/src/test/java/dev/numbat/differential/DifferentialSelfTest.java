package dev.numbat.differential;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The harness must be able to fail: {@link Differential} is run against deliberately wrong "compiled" handles
 * (plain Java methods that differ from the reference in one observable way each) and must report every one,
 * while accepting the differences it is documented to accept (NaN payloads, StackOverflowError messages,
 * the ulp tolerance).
 */
class DifferentialSelfTest {

    static int reference(int a) { return a + 1; }
    static int offByOne(int a) { return a + 2; }

    static double negate(double a) { return -a; }
    static double zeroMinus(double a) { return 0.0 - a; }
    static double negativeNaN(double a) { return Double.longBitsToDouble(0xfff8000000000000L); }
    static double positiveNaN(double a) { return Double.longBitsToDouble(0x7ff8000000000001L); }
    static double one(double a) { return 1.0; }
    static double oneUlpMore(double a) { return Math.nextUp(1.0); }
    static double twoUlpsMore(double a) { return Math.nextUp(Math.nextUp(1.0)); }
    static double plusZero(double a) { return 0.0; }
    static double minusZero(double a) { return -0.0; }

    static float floatNegate(float a) { return -a; }
    static float floatZeroMinus(float a) { return 0.0f - a; }

    static int divide(int a) { return 10 / a; }
    static int divideOtherMessage(int a) { if (a == 0) throw new ArithmeticException("divide by zero"); return 10 / a; }
    static int divideOtherClass(int a) { if (a == 0) throw new IllegalStateException("/ by zero"); return 10 / a; }

    static void writeThenThrow(int[] a, int i) { a[0] = 1; a[i] = 2; }
    static void throwOnly(int[] a, int i) { if (i >= a.length || i < 0) throw new ArrayIndexOutOfBoundsException("Index " + i + " out of bounds for length " + a.length); a[0] = 1; a[i] = 2; }

    static void copyFirst(int[] dst, int[] src) { dst[1] = src[0] + 1; dst[0] = src[1] + 1; }
    static void copyFirstFromSnapshot(int[] dst, int[] src) { int s0 = src[0], s1 = src[1]; dst[1] = s0 + 1; dst[0] = s1 + 1; }

    static int overflow(int n) { return overflow(n + 1) + 1; }
    static int overflowWithMessage(int n) { throw new StackOverflowError("native stack budget"); }

    static MethodHandle handle(String name) {
        Method m = Differential.method(DifferentialSelfTest.class, name);
        try {
            return MethodHandles.lookup().unreflect(m);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    static Differential versus(String reference, String candidate) {
        return Differential.against(Differential.method(DifferentialSelfTest.class, reference), handle(candidate));
    }

    @Test
    void acceptsAnIdenticalImplementation() {
        assertDoesNotThrow(() -> versus("reference", "reference").checkAll(EdgeValues.tuples(int.class)));
        assertDoesNotThrow(() -> versus("divide", "divide").checkAll(EdgeValues.tuples(int.class)));
        assertDoesNotThrow(() -> versus("writeThenThrow", "writeThenThrow").check(new int[3], 5));
    }

    @Test
    void reportsADifferentResult() {
        AssertionError e = assertThrows(AssertionError.class, () -> versus("reference", "offByOne").checkAll(EdgeValues.tuples(int.class)));
        assertTrue(e.getMessage().startsWith(EdgeValues.INTS.length + " of " + EdgeValues.INTS.length + " runs"), e.getMessage());
    }

    @Test
    void comparesFloatingPointByBitsButNaNByNaNness() {
        // -a and 0.0 - a differ only at 0.0: -(0.0) is -0.0, 0.0 - 0.0 is 0.0 (and for NaN only in the sign bit).
        AssertionError e = assertThrows(AssertionError.class, () -> versus("negate", "zeroMinus").checkAll(EdgeValues.tuples(double.class)));
        assertTrue(e.getMessage().startsWith("1 of "), e.getMessage());
        assertThrows(AssertionError.class, () -> versus("floatNegate", "floatZeroMinus").checkAll(EdgeValues.tuples(float.class)));
        assertThrows(AssertionError.class, () -> versus("one", "negativeNaN").check(1.0));
        assertThrows(AssertionError.class, () -> versus("negativeNaN", "one").check(1.0));
        assertDoesNotThrow(() -> versus("negativeNaN", "positiveNaN").check(1.0));
        assertThrows(AssertionError.class, () -> versus("plusZero", "minusZero").check(1.0));
    }

    @Test
    void reportsDifferentExceptions() {
        assertThrows(AssertionError.class, () -> versus("divide", "divideOtherMessage").check(0));
        assertThrows(AssertionError.class, () -> versus("divide", "divideOtherClass").check(0));
        assertThrows(AssertionError.class, () -> versus("divide", "reference").check(0));
        assertThrows(AssertionError.class, () -> versus("reference", "divide").check(0));
        assertDoesNotThrow(() -> versus("overflow", "overflowWithMessage").check(0));
    }

    @Test
    void reportsAMissingWriteBeforeTheException() {
        AssertionError e = assertThrows(AssertionError.class, () -> versus("writeThenThrow", "throwOnly").check(new int[3], 3));
        assertTrue(e.getMessage().contains("argument 0 afterwards"), e.getMessage());
    }

    @Test
    void keepsAliasedArgumentsAliased() {
        int[] shared = {10, 20};
        Object[] copy = Differential.deepCopy(new Object[] {shared, shared, new int[] {1}});
        assertSame(copy[0], copy[1]);
        assertTrue(copy[0] != shared && copy[2] != copy[0]);
        // With dst == src the two orders of reading differ; with distinct arrays they agree.
        assertThrows(AssertionError.class, () -> versus("copyFirst", "copyFirstFromSnapshot").check(shared, shared));
        assertDoesNotThrow(() -> versus("copyFirst", "copyFirstFromSnapshot").check(new int[2], shared));
        assertTrue(shared[0] == 10 && shared[1] == 20, "the arguments themselves are never written");
    }

    @Test
    void toleratesOnlyTheGivenUlps() {
        List<Object[]> any = List.<Object[]>of(new Object[] {0.5});
        assertDoesNotThrow(() -> versus("one", "oneUlpMore").checkAllWithinUlps(1, any));
        assertThrows(AssertionError.class, () -> versus("one", "oneUlpMore").checkAll(any));
        assertThrows(AssertionError.class, () -> versus("one", "twoUlpsMore").checkAllWithinUlps(1, any));
        assertThrows(AssertionError.class, () -> versus("plusZero", "minusZero").checkAllWithinUlps(2.5, any));
        assertThrows(AssertionError.class, () -> versus("one", "negativeNaN").checkAllWithinUlps(2.5, any));
    }
}
