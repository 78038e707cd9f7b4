package dev.numbat.profiled;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.numbat.Numbat;
import dev.numbat.profiler.BranchProfile;
import dev.numbat.profiler.ProfiledTwin;
import dev.numbat.runtime.CompilerDriver;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The profile reaches LLVM: a method compiled with its profile carries the profiled counts of its branch as
 * {@code branch_weights}; the same method compiled without one does not; both give the JVM's results.
 */
class ProfileGuidedCompilationTest {
    static {
        // The IR verifier after every pass, the loop versions' included, as in the differential tests.
        if (System.getProperty("numbat.verify") == null) System.setProperty("numbat.verify", "true");
    }

    /** Kernels compiled here (each compiles once per JVM, so each test has its own). */
    static final class Kernels {
        private Kernels() {}

        static MethodHandles.Lookup lookup() { return MethodHandles.lookup(); }

        static double rareHeavy(double[] a, int steps) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
                if (a[i] > 1000) {
                    double t = a[i];
                    for (int k = 0; k < steps; k++) t = Math.sqrt(t * t + k); // a loop: the branch stays a branch
                    s += t;
                } else {
                    s += a[i];
                }
            }
            return s;
        }

        static double rareHeavyCopy(double[] a, int steps) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
                if (a[i] > 1000) {
                    double t = a[i];
                    for (int k = 0; k < steps; k++) t = Math.sqrt(t * t + k); // a loop: the branch stays a branch
                    s += t;
                } else {
                    s += a[i];
                }
            }
            return s;
        }

        /**
         * {@code out[i] = a[i - 1] + ... + a[i - width]}: the inner loop has {@code width} iterations; when {@code a}
         * and {@code out} are the same array, each element depends on those just written.
         */
        static void movingSum(double[] a, double[] out, int width) {
            for (int i = width; i < out.length; i++) {
                double s = 0;
                for (int k = 1; k <= width; k++) s += a[i - k];
                out[i] = s;
            }
        }

        /** A filter whose length changes from call to call: the inner loop runs 4 to 6 times in the profile. */
        static void convolveVaried(double[] x, double[] taps, double[] y) {
            for (int i = 0; i < y.length; i++) {
                double s = 0;
                for (int k = 0; k < taps.length; k++) s += taps[k] * x[i + k];
                y[i] = s;
            }
        }

        /** Weighted prefix sums {@code a[0] + ... + a[ends[j] - 1]}: the inner loop's bound is loaded in the outer one. */
        static long prefixSums(int[] a, int[] ends) {
            long t = 0;
            for (int j = 0; j < ends.length; j++) {
                int e = ends[j];
                for (int k = 0; k < e; k++) t = t * 3 + a[k];
            }
            return t;
        }

        /** prefixSums, for a second profile, with the bound read in the inner loop's test. */
        static long prefixSumsUpTo(int[] a, int[] ends) {
            long t = 0;
            for (int j = 0; j < ends.length; j++) {
                for (int k = 0; k < ends[j]; k++) t = t * 3 + a[k];
            }
            return t;
        }

        /** Integral parameters of every width, each used in the loop bound or the arithmetic. */
        static long mixedWidths(long n, char c, boolean z, byte b, short s, int[] xs) {
            long acc = n;
            for (int i = 0; i < xs.length && i < (c & 0xFF); i++) acc = acc * 31 + xs[i] * (long) b + (z ? s : -s);
            return acc + c;
        }
    }

    /** Whether some {@code branch_weights} node of {@code ir} weighs its two sides about {@code ratio} to 1, either way. */
    static boolean hasWeightsInRatio(String ir, double ratio) {
        var m = java.util.regex.Pattern.compile("!\\{!\"branch_weights\", i32 (\\d+), i32 (\\d+)\\}").matcher(ir);
        while (m.find()) {
            double a = Double.parseDouble(m.group(1)), b = Double.parseDouble(m.group(2));
            double r = Math.max(a, b) / Math.max(1, Math.min(a, b));
            if (Math.abs(r - ratio) < ratio * 0.02) return true;
        }
        return false;
    }

    @Test void branchWeightsFromTheProfile() throws Throwable {
        Method m = Kernels.class.getDeclaredMethod("rareHeavy", double[].class, int.class);
        ProfiledTwin twin = ProfiledTwin.define(Kernels.lookup(), "rareHeavy", "([DI)D", null, Long.MAX_VALUE);
        double[] a = new double[1000];
        for (int i = 0; i < a.length; i++) a[i] = i % 250 == 7 ? 5000 + i : i * 0.5;   // 4 heavy elements in 1,000
        for (int k = 0; k < 37; k++) assertEquals(Kernels.rareHeavy(a, 20), (double) twin.profiled().invokeExact(a, 20));
        BranchProfile heavy = twin.profile().branches().stream().filter(b -> b.loopHeader() < 0 && b.executions() == 37_000 && b.taken() > 1000).findFirst()
                .orElseThrow(() -> new AssertionError(twin.profile().text()));
        // ifle jumps past the heavy side: 996 of 1,000 elements per call.
        assertEquals(37 * 996, heavy.taken());
        assertEquals(37 * 4, heavy.fallThrough());

        var compiled = CompilerDriver.shared().compile(m, twin.profile());
        String ir = compiled.inspection().optimizedLlvmIr();
        // LLVM may move or scale the weights as it transforms the loop, but the profile's 249:1 ratio stays.
        assertTrue(hasWeightsInRatio(ir, 36852.0 / 148), ir);
        String unprofiled = Numbat.inspect(Kernels.class.getDeclaredMethod("rareHeavyCopy", double[].class, int.class)).optimizedLlvmIr();
        assertFalse(hasWeightsInRatio(unprofiled, 36852.0 / 148), unprofiled);

        MethodHandle h = compiled.handle();
        Random r = new Random(3);
        for (int k = 0; k < 200; k++) {
            double[] x = r.doubles(r.nextInt(300), -10, 3000).toArray();
            int steps = r.nextInt(30);
            assertEquals(Double.doubleToRawLongBits(Kernels.rareHeavy(x, steps)), Double.doubleToRawLongBits((double) h.invokeExact(x, steps)));
        }
    }

    /**
     * A profile where {@code width} was always 4, the arrays always 1,000 long and never the same array gives a
     * version specialised to exactly that, behind a guard; every other call (another width, other lengths, the same
     * array twice, null, an index out of bounds) runs the general code and gives the JVM's result, the JVM's
     * exception and its writes before it. Were the no-alias copy run for the same array twice, its loads would
     * move ahead of the stores they depend on.
     */
    @Test void specialisedToTheProfileWithAGuard() throws Throwable {
        Method m = Kernels.class.getDeclaredMethod("movingSum", double[].class, double[].class, int.class);
        ProfiledTwin twin = ProfiledTwin.define(Kernels.lookup(), "movingSum", "([D[DI)V", null, Long.MAX_VALUE);
        Random r = new Random(11);
        for (int k = 0; k < 20; k++) {
            double[] a = r.doubles(1000, -1, 1).toArray();
            twin.profiled().invokeExact(a, new double[1000], 4);
        }
        assertTrue(twin.profile().text().contains("parameter 2 (I): always 4"), twin.profile().text());
        var compiled = CompilerDriver.shared().compile(m, twin.profile());
        String ir = compiled.inspection().optimizedLlvmIr();
        assertTrue(ir.contains("!alias.scope"), "no alias scopes in the specialised copy:\n" + ir);
        assertTrue(ir.matches("(?s).*icmp (eq|ne) i32 %\\S+, 4\\b.*"), "no guard on width == 4:\n" + ir);
        assertTrue(ir.matches("(?s).*icmp (eq|ne) i32 %\\S+, 1000\\b.*"), "no guard on the lengths == 1000:\n" + ir);

        MethodHandle h = compiled.handle();
        double[] a = r.doubles(1000, -1, 1).toArray();
        Object[][] cases = {
            {a, new double[1000], 4},          // the guard holds
            {a, new double[1000], 3},          // another width
            {a, new double[1000], 0},
            {a, new double[1000], -1},         // out[-1]: throws
            {a, new double[1000], 1000},
            {a, new double[1000], Integer.MIN_VALUE},
            {a.clone(), new double[999], 4},   // another length of out
            {new double[500], new double[1000], 4}, // another length of a: a[500] throws at i = 501, after the writes
            {a.clone(), a.clone(), 4},         // not the same array, the same values
            {SHARED, SHARED, 4},               // the same array: each sum reads the sums just written
            {a, null, 4},
            {null, new double[1000], 4},
            {new double[0], new double[0], 4},
        };
        // Each case four times: the first calls go through the switch's settings in turn (copy and loop versions, each
        // alone, neither: VersionChoice), so each case runs in each.
        for (Object[] c : java.util.stream.Stream.of(cases).flatMap(c -> java.util.stream.Stream.of(c, c, c, c)).toList()) {
            boolean same = c[0] == c[1];
            double[] x1 = copy((double[]) c[0]), x2 = copy((double[]) c[0]);
            double[] y1 = same ? x1 : copy((double[]) c[1]), y2 = same ? x2 : copy((double[]) c[1]);
            int width = (int) c[2];
            String expected = outcome(() -> Kernels.movingSum(x1, y1, width));
            String actual = outcome(() -> { h.invokeExact(x2, y2, width); }); // a statement: invokeExact of ([D[DI)V
            String what = "width " + width + ", lengths " + len(c[0]) + ", " + len(c[1]) + (same ? ", the same array" : "");
            assertEquals(expected, actual, what);
            assertTrue(java.util.Arrays.equals(x1, x2) && java.util.Arrays.equals(y1, y2), "arrays after " + what);
        }
    }

    private static final double[] SHARED = new Random(5).doubles(1000, -1, 1).toArray();

    private interface Call { void run() throws Throwable; }

    private static String outcome(Call c) {
        try {
            c.run();
            return "returned";
        } catch (Throwable e) {
            return "threw " + e;
        }
    }

    private static double[] copy(double[] a) { return a == null ? null : a.clone(); }

    private static String len(Object a) { return a == null ? "null" : Integer.toString(((double[]) a).length); }

    /**
     * Constants at the edges of each integral type (sign- and zero-extension of byte, short, char and boolean, a long
     * beyond 32 bits) are guarded exactly: the specialised copy runs only for the very values the profile saw.
     */
    @Test void constantsOfEveryIntegralWidth() throws Throwable {
        Method m = Kernels.class.getDeclaredMethod("mixedWidths", long.class, char.class, boolean.class, byte.class, short.class, int[].class);
        ProfiledTwin twin = ProfiledTwin.define(Kernels.lookup(), "mixedWidths", "(JCZBS[I)J", null, Long.MAX_VALUE);
        int[] xs = new Random(2).ints(300, -1000, 1000).toArray();
        for (int k = 0; k < 10; k++) {
            assertEquals(Kernels.mixedWidths(Long.MIN_VALUE, '\uffff', true, (byte) -128, Short.MIN_VALUE, xs),
                    (long) twin.profiled().invokeExact(Long.MIN_VALUE, '\uffff', true, (byte) -128, Short.MIN_VALUE, xs));
        }
        var compiled = CompilerDriver.shared().compile(m, twin.profile());
        MethodHandle h = compiled.handle();
        long[] longs = {Long.MIN_VALUE, Long.MIN_VALUE + 1, 0, (long) Integer.MIN_VALUE, Long.MAX_VALUE};
        char[] chars = {'\uffff', '\u00ff', '\u7fff', 0};
        byte[] bytes = {-128, 127, -1};
        short[] shorts = {Short.MIN_VALUE, Short.MAX_VALUE, -1};
        for (long n : longs) for (char c : chars) for (boolean z : new boolean[] {true, false}) for (byte b : bytes) for (short s : shorts) {
            for (int setting = 0; setting < 4; setting++) { // the first calls go through the switch's settings (VersionChoice)
                assertEquals(Kernels.mixedWidths(n, c, z, b, s, xs), (long) h.invokeExact(n, c, z, b, s, xs),
                        "n " + n + ", c " + (int) c + ", z " + z + ", b " + b + ", s " + s);
            }
        }
    }

    /**
     * Loops versioned by the trip counts seen ({@code TripCountVersioning}): a filter of 4 to 6 taps gets a copy of its
     * inner loop bounded by {@code min(taps.length, 6)} behind {@code taps != null && taps.length <= 6}, then runs
     * against the JVM with filters of every length around that range, a null filter, and inputs too short, so that
     * a wrong guard (or none) would stop a long filter after 6 taps, and a guard read before the null test would
     * throw where the JVM does not.
     */
    @Test void loopsVersionedForTheTripCountsSeen() throws Throwable {
        Method m = Kernels.class.getDeclaredMethod("convolveVaried", double[].class, double[].class, double[].class);
        ProfiledTwin twin = ProfiledTwin.define(Kernels.lookup(), "convolveVaried", "([D[D[D)V", null, Long.MAX_VALUE);
        Random r = new Random(3);
        double[] x = r.doubles(1100, -1, 1).toArray();
        for (int k = 0; k < 12; k++) twin.profiled().invokeExact(x, r.doubles(4 + k % 3, -1, 1).toArray(), new double[1000]);
        assertTrue(twin.profile().text().contains("iterations per entry (4..6)"), twin.profile().text());
        var compiled = CompilerDriver.shared().compile(m, twin.profile());
        String typed = compiled.inspection().typedIr();
        assertTrue(typed.matches("(?s).*if eq %taps, null then .*if le %\\d+, 6 then .*"), "no guard taps.length <= 6:\n" + typed);
        assertTrue(typed.matches("(?s).*= min %\\d+, 6\n.*"), "no copy bounded by min(taps.length, 6):\n" + typed);
        MethodHandle h = compiled.handle();
        java.util.List<Object[]> cases = new java.util.ArrayList<>();
        for (int taps : new int[] {0, 1, 4, 5, 6, 7, 8, 9, 64, 101}) cases.add(new Object[] {x, r.doubles(taps, -1, 1).toArray(), new double[1000]});
        cases.add(new Object[] {x, null, new double[1000]});     // NullPointerException at the first taps.length
        cases.add(new Object[] {x, null, new double[0]});        // no row: the null filter is never read
        cases.add(new Object[] {new double[1003], r.doubles(6, -1, 1).toArray(), new double[1000]}); // x[1003] throws at i = 998
        cases.add(new Object[] {x, x, new double[3]});           // the filter is the input: 1100 taps
        cases.add(new Object[] {x, r.doubles(5, -1, 1).toArray(), null});
        for (Object[] c : cases) {
            for (int setting = 0; setting < 4; setting++) { // the first calls go through the switch's settings (VersionChoice)
                double[] taps = (double[]) c[1];
                double[] y1 = copy((double[]) c[2]), y2 = copy((double[]) c[2]);
                double[] x1 = (double[]) c[0], x2 = c[0] == c[1] ? x1 : (double[]) c[0];
                String expected = outcome(() -> Kernels.convolveVaried(x1, taps, y1));
                String actual = outcome(() -> { h.invokeExact(x2, taps, y2); });
                String what = "taps " + len(taps) + ", x " + len(x1) + ", y " + len(c[2]);
                assertEquals(expected, actual, what);
                assertTrue(java.util.Arrays.equals(y1, y2), "y after " + what);
            }
        }
    }

    /**
     * A loop whose bound is loaded from an array: in the outer loop and always 5 in one profile (a copy for exactly 5
     * trips, guarded by {@code e == 5}), in the inner loop's own test and 2 to 7 in another (a copy bounded by
     * {@code min(ends[j], 7)}, {@code ends[j]} read in the guard); both against the JVM with bounds at the edges of
     * {@code int} and arrays too short, where the exception comes after some of the sums.
     */
    @Test void exactTripCountsAndBoundsLoadedOutsideTheLoop() throws Throwable {
        int[] a = new Random(4).ints(64, -1000, 1000).toArray();
        ProfiledTwin exact = ProfiledTwin.define(Kernels.lookup(), "prefixSums", "([I[I)J", null, Long.MAX_VALUE);
        ProfiledTwin upTo = ProfiledTwin.define(Kernels.lookup(), "prefixSumsUpTo", "([I[I)J", null, Long.MAX_VALUE);
        for (int k = 0; k < 10; k++) {
            assertEquals(Kernels.prefixSums(a, new int[] {5, 5, 5}), (long) exact.profiled().invokeExact(a, new int[] {5, 5, 5}));
            assertEquals(Kernels.prefixSums(a, new int[] {2, 7, 3}), (long) upTo.profiled().invokeExact(a, new int[] {2, 7, 3}));
        }
        var compiledExact = CompilerDriver.shared().compile(Kernels.class.getDeclaredMethod("prefixSums", int[].class, int[].class),
                exact.profile());
        var compiledUpTo = CompilerDriver.shared().compile(Kernels.class.getDeclaredMethod("prefixSumsUpTo", int[].class, int[].class),
                upTo.profile());
        assertTrue(compiledExact.inspection().typedIr().matches("(?s).*if eq %\\d+, 5 then .*"), compiledExact.inspection().typedIr());
        assertTrue(compiledUpTo.inspection().typedIr().matches("(?s).*= min %\\d+, 7\n.*"), compiledUpTo.inspection().typedIr());
        int[][] ends = {{5, 5, 5}, {5, 4, 6}, {0, 5, -1}, {7, 8, 2}, {Integer.MIN_VALUE, 5}, {5, Integer.MAX_VALUE}, {64, 65, 5},
            {}, null, {5, 5, 5, 5, 5, 5, 5, 5}};
        for (int[] e : ends) {
            for (int[] arr : new int[][] {a, new int[3], null}) {
                for (int setting = 0; setting < 4; setting++) { // each of the switch's settings (VersionChoice)
                    String expected = outcome(() -> throwResult(Kernels.prefixSums(arr, e)));
                    assertEquals(expected, outcome(() -> { long v = (long) compiledExact.handle().invokeExact(arr, e); throwResult(v); }),
                            "exact, ends " + java.util.Arrays.toString(e) + ", a " + (arr == null ? "null" : arr.length));
                    assertEquals(expected, outcome(() -> { long v = (long) compiledUpTo.handle().invokeExact(arr, e); throwResult(v); }),
                            "up to 7, ends " + java.util.Arrays.toString(e) + ", a " + (arr == null ? "null" : arr.length));
                }
            }
        }
    }

    /** Carries a result into {@link #outcome}'s text, so that values and exceptions compare alike. */
    private static void throwResult(long v) throws Throwable { throw new Result(v); }

    private static final class Result extends Throwable {
        Result(long v) { super(Long.toString(v), null, false, false); }
    }
}
