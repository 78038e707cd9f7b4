package dev.numbat.faults;

import dev.numbat.Jit;
import java.util.Arrays;

/**
 * The application the fault tests run in child JVMs under the agent ({@link FaultChildJvm}): three {@code @Jit}
 * kernels called in a fixed order ({@code victim} first, so a fault injected into its compilation comes before the
 * others compile), with writes, an exception thrown by native code and one by the JVM. {@link #results} is what it
 * prints; the test computes the same in its own JVM, without the agent, as the JVM's answer.
 */
public final class FaultsApp {
    private FaultsApp() {}

    /** {@code a[i] = a[i] * k + i}, returning the sum of the new values; a NullPointerException for a null array. */
    @Jit
    public static int victim(int[] a, int k) {
        int s = 0;
        for (int i = 0; i < a.length; i++) {
            a[i] = a[i] * k + i;
            s += a[i];
        }
        return s;
    }

    /** Squares {@code x[0..n)} in place and returns their sum: an index exception after the writes when {@code n > x.length}. */
    @Jit
    public static double later(double[] x, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            x[i] = x[i] * x[i];
            s += x[i];
        }
        return s;
    }

    /** A long recurrence with shifts and a division by a parameter (an ArithmeticException for {@code d == 0}). */
    @Jit
    public static long third(long n, long d) {
        long h = 0x9E3779B97F4A7C15L;
        for (long i = 0; i < n; i++) h = (h ^ (h >>> 29)) * 31 + i / d;
        return h;
    }

    /** Every call the application makes, and what each returned or threw, one line. */
    public static String results() {
        StringBuilder sb = new StringBuilder();
        int[] a = {3, -1, 4, 1, -5, 9, 2, 6};
        for (int k = -2; k <= 2; k++) sb.append(victim(a, k)).append(' ');
        sb.append(Arrays.toString(a)).append(' ');
        sb.append(outcome(() -> victim(null, 1))).append(' ');
        double[] x = {1.5, -2.25, 1e300, Double.MIN_VALUE, 0.1};
        sb.append(later(x, 3)).append(' ');
        sb.append(outcome(() -> later(x, 7))).append(' ').append(Arrays.toString(x)).append(' ');
        sb.append(third(1000, 7)).append(' ').append(third(-1, 0)).append(' ');
        sb.append(outcome(() -> third(5, 0)));
        return sb.toString();
    }

    private static String outcome(java.util.concurrent.Callable<?> call) {
        try {
            return "returned " + call.call();
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    public static void main(String[] args) {
        System.out.println("faultsapp: " + results());
    }
}
