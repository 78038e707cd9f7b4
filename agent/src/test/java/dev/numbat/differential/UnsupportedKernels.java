package dev.numbat.differential;

import java.util.function.IntSupplier;

/**
 * Methods outside Numbat's subset, one construct each, for {@link UnsupportedConstructsTest}. A comment
 * {@code // @here <name>} marks the source line the diagnostic for method {@code <name>} must name: the line
 * of the construct, or for constructs of the method as a whole (its signature, flags or handlers), the line
 * of its first statement. The test reads this file to find the lines, so edit freely.
 */
@SuppressWarnings({"unused", "StringOperationCanBeSimplified"})
final class UnsupportedKernels {
    private UnsupportedKernels() {}

    static final class Point {
        int x = 3;
    }

    static final Point ORIGIN = new Point();
    static final RuntimeException PREPARED = new IllegalStateException("prepared");
    static int counter = 5;

    static int fieldAccess(int k) {
        int base = k * 2;
        return base + ORIGIN.x; // @here fieldAccess
    }

    static int virtualCall(int k) {
        int base = k + 1;
        return base + Integer.toString(k).length(); // @here virtualCall
    }

    static int stringConcat(int k) {
        String s = "k=" + k; // @here stringConcat
        return s.length();
    }

    static synchronized int synchronizedMethod(int k) {
        int r = k + 1; // @here synchronizedMethod
        return r;
    }

    static int synchronizedBlock(int k) {
        int r = k * 3;
        synchronized (UnsupportedKernels.class) { // @here synchronizedBlock
            r++;
        }
        return r;
    }

    static int tryCatch(int a, int b) {
        int r = a; // @here tryCatch
        try {
            r = a / b;
        } catch (ArithmeticException e) {
            r = -1;
        }
        return r;
    }

    static int throwStatement(int k) {
        if (k < 0) throw PREPARED; // @here throwStatement
        return k;
    }

    static int throwNew(int k) {
        if (k < 0) throw new IllegalArgumentException("negative"); // @here throwNew
        return k;
    }

    static int[] returnsArray(int n) {
        int m = n & 15; // @here returnsArray
        return new int[m];
    }

    int instanceMethod(int k) {
        return k + 1; // @here instanceMethod
    }

    static int objectAllocation(int k) {
        Point p = new Point(); // @here objectAllocation
        return k + p.x;
    }

    static int booleanArrayParameter(boolean[] z) {
        return z.length; // @here booleanArrayParameter
    }

    static int nonFinalStatic(int k) {
        return k + counter; // @here nonFinalStatic
    }

    static int writeStatic(int k) {
        int old = k;
        counter = old; // @here writeStatic
        return old;
    }

    static int objectArray(int k) {
        Object[] a = new Object[k & 7]; // @here objectArray
        return a.length;
    }

    static int multiDimensionalArray(int k) {
        int[][] a = new int[k & 7][2]; // @here multiDimensionalArray
        return a.length;
    }

    static int lambda(int k) {
        IntSupplier s = () -> k * 2; // @here lambda
        return 1;
    }

    static int stringConstant(int k) {
        return k + "abc".length(); // @here stringConstant
    }

    static int objectConstant(int k) {
        return ORIGIN == null ? k : -k; // @here objectConstant
    }

    static int objectParameter(Integer boxed) {
        int k = boxed; // @here objectParameter
        return k;
    }

    static int callsUnsupported(int k) {
        return unsupportedCallee(k) + 1;
    }

    static int unsupportedCallee(int k) {
        int doubled = k * 2;
        return doubled + ORIGIN.x; // @here unsupportedCallee
    }
}
