package dev.numbat.bench.suite;

import java.util.Arrays;

/**
 * Compares two kernel results: a boxed {@code double}/{@code int}, a primitive array, or an {@code Object[]} of
 * those. Tolerance 0 means bit for bit; otherwise every {@code double}/{@code float} may differ by
 * {@code tolerance * max(1, |expected|)} (a relative bound that turns absolute near zero), integers never.
 */
public final class ResultCheck {
    private ResultCheck() {}

    /** Throws {@link AssertionError} naming the first difference, and how many values differ. */
    public static void check(String what, Object expected, Object actual, double tolerance) {
        String diff = difference(expected, actual, tolerance);
        if (diff != null) throw new AssertionError(what + ": " + diff);
    }

    /** A description of the first difference, or null when the two agree. */
    static String difference(Object expected, Object actual, double tol) {
        if (expected instanceof Object[] e && actual instanceof Object[] a) {
            if (e.length != a.length) return "results of " + e.length + " and " + a.length + " parts";
            for (int i = 0; i < e.length; i++) {
                String d = difference(e[i], a[i], tol);
                if (d != null) return "part " + i + ": " + d;
            }
            return null;
        }
        if (expected instanceof Double e && actual instanceof Double a) {
            return close(e, a, tol) ? null : "expected " + e + " but got " + a + bits(e, a);
        }
        if (expected instanceof Integer e && actual instanceof Integer a) {
            return e.equals(a) ? null : "expected " + e + " but got " + a;
        }
        if (expected instanceof double[] e && actual instanceof double[] a) {
            if (e.length != a.length) return "lengths " + e.length + " and " + a.length;
            int first = -1, count = 0;
            for (int i = 0; i < e.length; i++) {
                if (!close(e[i], a[i], tol)) {
                    if (first < 0) first = i;
                    count++;
                }
            }
            return first < 0 ? null : count + " of " + e.length + " elements differ, the first at [" + first + "]: expected "
                    + e[first] + " but got " + a[first] + bits(e[first], a[first]);
        }
        if (expected instanceof float[] e && actual instanceof float[] a) {
            if (e.length != a.length) return "lengths " + e.length + " and " + a.length;
            int first = -1, count = 0;
            for (int i = 0; i < e.length; i++) {
                if (!close(e[i], a[i], tol)) {
                    if (first < 0) first = i;
                    count++;
                }
            }
            return first < 0 ? null : count + " of " + e.length + " elements differ, the first at [" + first + "]: expected "
                    + e[first] + " but got " + a[first];
        }
        if (expected instanceof int[] e && actual instanceof int[] a) {
            if (Arrays.equals(e, a)) return null;
            int first = Arrays.mismatch(e, a);
            return first >= e.length || first >= a.length ? "lengths " + e.length + " and " + a.length
                    : "elements differ, the first at [" + first + "]: expected " + e[first] + " but got " + a[first];
        }
        return "results of different kinds: " + describe(expected) + " and " + describe(actual);
    }

    private static boolean close(double e, double a, double tol) {
        if (Double.doubleToRawLongBits(e) == Double.doubleToRawLongBits(a)) return true;
        return tol > 0 && Math.abs(e - a) <= tol * Math.max(1.0, Math.abs(e));
    }

    private static String bits(double e, double a) {
        return String.format(" (bits %016x, %016x)", Double.doubleToRawLongBits(e), Double.doubleToRawLongBits(a));
    }

    private static String describe(Object o) {
        return o == null ? "null" : o.getClass().getSimpleName();
    }
}
