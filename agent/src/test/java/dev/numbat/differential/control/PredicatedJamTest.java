package dev.numbat.differential.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.numbat.Jit;
import dev.numbat.Numbat;
import dev.numbat.differential.Differential;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Loops whose inner loop leaves on what it computes (escape-time loops), which PredicatedJam runs several outer
 * iterations at a time, each lane stopping on its own: every count, sum and store must be the JVM's, at every width
 * around the lanes run together, with iteration limits at their edges, points that escape at once or never, NaN and
 * infinite coordinates, and stores that throw part way through a group of lanes (the JVM's exception after the
 * earlier lanes' writes).
 */
public class PredicatedJamTest {
    static final class Kernels {
        /** The benchmark suite's Mandelbrot, over a window of the plane: the counter tested first. */
        @Jit
        static int mandelbrot(double x0, double y0, double step, int w, int h, int maxIter, int[] out) {
            int total = 0;
            for (int y = 0; y < h; y++) {
                double ci = y0 + step * y;
                for (int x = 0; x < w; x++) {
                    double cr = x0 + step * x;
                    double zr = 0.0, zi = 0.0;
                    int n = 0;
                    while (n < maxIter && zr * zr + zi * zi <= 4.0) {
                        double t = zr * zr - zi * zi + cr;
                        zi = 2.0 * zr * zi + ci;
                        zr = t;
                        n++;
                    }
                    out[y * w + x] = n;
                    total += n;
                }
            }
            return total;
        }

        /** In float, the counter tested last, and a strict double sum of the final |z|^2 carried across the row. */
        @Jit
        static double escapeCountLast(float x0, float ci, float step, int w, int maxIter, float[] out) {
            double sum = 0.0;
            for (int x = 0; x < w; x++) {
                float cr = x0 + step * x;
                float zr = cr, zi = ci;
                int n = 0;
                while (zr * zr + zi * zi < 4.0f && n < maxIter) {
                    float t = zr * zr - zi * zi + cr;
                    zi = 2.0f * zr * zi + ci;
                    zr = t;
                    n++;
                }
                out[x] = n;
                sum += zr * zr + zi * zi;
            }
            return sum;
        }

        /** A for loop with a break, over an inclusive range of points, stored at an offset. */
        @Jit
        static long burningShip(double ci, double step, int x0, int x1, int limit, long[] out) {
            long total = 0;
            for (int x = x0; x <= x1; x++) {
                double cr = step * x;
                double zr = 0.0, zi = 0.0;
                int n;
                for (n = 0; n < limit; n++) {
                    if (!(zr * zr + zi * zi <= 4.0)) break;
                    double t = zr * zr - zi * zi + cr;
                    zi = Math.abs(2.0 * zr * zi) + ci;
                    zr = Math.abs(t);
                }
                out[x - x0] = n;
                total = total * 31 + n;
            }
            return total;
        }

        /** Wrapping long arithmetic in the inner loop: a hash iterated until its top bits clear or the limit. */
        @Jit
        static int hashRuns(long seed, int w, int maxIter, int[] out) {
            int total = 0;
            for (int x = 0; x < w; x++) {
                long v = seed * (x + 1) ^ x * 0x9E3779B97F4A7C15L;
                int n = 0;
                while (n < maxIter && v >>> 60 != 0) {
                    v = v * 6364136223846793005L + 1442695040888963407L;
                    v ^= v >>> 29;
                    n++;
                }
                out[x] = n;
                total += n;
            }
            return total;
        }

        /**
         * Newton's method for the cube root of each element (a per-element solver): each lane reads its element before
         * the earlier lanes store theirs, so out must be another array than a, which the guard tests at run time.
         */
        @Jit
        static void cubeRoots(double[] a, double[] out, int maxIter) {
            for (int i = 0; i < a.length; i++) {
                double c = a[i];
                double x = Math.max(Math.abs(c), 1.0);
                for (int n = 0; n < maxIter; n++) {
                    double dx = (x * x * x - c) / (3.0 * x * x);
                    if (!(Math.abs(dx) > 1e-15 * Math.abs(x))) break;
                    x -= dx;
                }
                out[i] = x;
            }
        }

        /**
         * b[i] replaced by the root of a[i] + b[i]: a lane reads and writes b only at its own element, so no guard for b;
         * a must be another array than b (the guard's test).
         */
        @Jit
        static void cubeRootsInPlace(float[] a, float[] b, int maxIter) {
            for (int i = 0; i < a.length; i++) {
                float c = a[i] + b[i];
                float x = Math.max(Math.abs(c), 1.0f);
                for (int n = 0; n < maxIter; n++) {
                    float dx = (x * x * x - c) / (3.0f * x * x);
                    if (!(Math.abs(dx) > 1e-6f * Math.abs(x))) break;
                    x -= dx;
                }
                b[i] = x;
            }
        }

        /**
         * From two neighbours into another array: a lane reads a[i - 1], which the lane before it stores were out a
         * (and in the jammed loop would store only after the read), so the guard tests that out is another array, else
         * the loop as it was runs.
         */
        @Jit
        static void neighbourRoots(double[] a, double[] out, int maxIter) {
            for (int i = 1; i < out.length; i++) {
                double c = a[i - 1] + a[i];
                double x = Math.max(Math.abs(c), 1.0);
                for (int n = 0; n < maxIter; n++) {
                    double next = x - (x * x * x - c) / (3.0 * x * x);
                    if (next == x) break;
                    x = next;
                }
                out[i] = x;
            }
        }

        /**
         * In place over one array: each lane reads and writes only its own element, so no guard; the jam needs
         * RangeCheckVersioning's proof that a[i] is in range, which it gives this nest for its breaking inner loop.
         */
        @Jit
        static void cubeRootsOfOneArray(double[] a, int maxIter) {
            for (int i = 0; i < a.length; i++) {
                double c = a[i];
                double x = Math.max(Math.abs(c), 1.0);
                for (int n = 0; n < maxIter; n++) {
                    double dx = (x * x * x - c) / (3.0 * x * x);
                    if (!(Math.abs(dx) > 1e-15 * Math.abs(x))) break;
                    x -= dx;
                }
                a[i] = x;
            }
        }

        /** In place from the next element: a lane would read what the lane before it stores, so not jammed. */
        @Jit
        static void shiftedInPlace(double[] a, int maxIter) {
            for (int i = 0; i < a.length - 1; i++) {
                double c = a[i + 1];
                double x = 1.0;
                for (int n = 0; n < maxIter; n++) {
                    double next = 0.5 * (x + c / x);
                    if (next == x) break;
                    x = next;
                }
                a[i] = x;
            }
        }

        /** No limit on the inner loop's trips: a lane might run for ever and hold up the others' stores, so not jammed. */
        @Jit
        static int unboundedHalvings(int w, int[] out) {
            int total = 0;
            for (int x = 0; x < w; x++) {
                int v = x * 7919;
                int n = 0;
                while (v > 1) {
                    v = v >> 1;
                    n++;
                }
                out[x] = n;
                total += n;
            }
            return total;
        }

        /** The inner loop divides ints: a division by zero must throw where the JVM does, so not jammed. */
        @Jit
        static int dividingSteps(int w, int d, int maxIter, int[] out) {
            int total = 0;
            for (int x = 0; x < w; x++) {
                int v = x + 1000;
                int n = 0;
                while (n < maxIter && v > 3) {
                    v = v / d;
                    n++;
                }
                out[x] = n;
                total += n;
            }
            return total;
        }
    }

    /** Widths around the sixteen lanes run together (eight for wider lanes), where those left over run in the loop as it was. */
    private static final int[] WIDTHS = {0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 23, 31, 32, 33, 47};

    private static final double[] ODD_COORDINATES = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            -0.0, Double.MIN_VALUE, Double.MAX_VALUE, -2.0, 0.25};

    @Test
    void mandelbrotOfEveryWidth() {
        List<Object[]> t = new ArrayList<>();
        for (int w : WIDTHS) for (int h : new int[] {0, 1, 3}) t.add(new Object[] {-2.0, -1.5, 3.0 / Math.max(w, 1), w, h, 100, new int[w * h]});
        // Points near the edge of the set, whose counts differ from lane to lane; points that never escape.
        for (int maxIter : new int[] {0, 1, 2, 1000, -1, Integer.MIN_VALUE}) t.add(new Object[] {-0.75, 0.1, 0.001, 17, 2, maxIter, new int[34]});
        t.add(new Object[] {-0.2, -0.2, 0.01, 24, 1, 5000, new int[24]});
        for (double odd : ODD_COORDINATES) {
            t.add(new Object[] {odd, -0.5, 0.125, 16, 1, 50, new int[16]});
            t.add(new Object[] {-1.0, 0.0, odd, 16, 1, 50, new int[16]});
        }
        t.add(new Object[] {-2.0, -1.5, 0.2, 16, 2, 100, new int[27]}); // out ends in the second row's group
        t.add(new Object[] {-2.0, -1.5, 0.2, 32, 1, 100, new int[21]}); // throws at the sixth lane of the second group
        t.add(new Object[] {-2.0, -1.5, 0.2, 16, 1, 100, null});
        t.add(new Object[] {-2.0, -1.5, 0.2, Integer.MAX_VALUE, 1, 10, new int[20]});
        Differential.of(Kernels.class, "mandelbrot").checkAll(t);
    }

    @Test
    void floatEscapeWithTheCounterLast() {
        List<Object[]> t = new ArrayList<>();
        for (int w : WIDTHS) for (int maxIter : new int[] {0, 1, 30}) t.add(new Object[] {-2.0f, 0.3f, 0.1f, w, maxIter, new float[w]});
        for (float odd : new float[] {Float.NaN, Float.POSITIVE_INFINITY, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE}) {
            t.add(new Object[] {odd, 0.0f, 0.05f, 19, 40, new float[19]});
            t.add(new Object[] {-1.5f, odd, 0.05f, 19, 40, new float[19]});
        }
        t.add(new Object[] {-2.0f, 0.3f, 0.1f, 19, 30, new float[10]});
        Differential.of(Kernels.class, "escapeCountLast").checkAll(t);
    }

    /** Inclusive ranges ending exactly at a group's end or one past it, up to MAX_VALUE - 1. */
    @Test
    void burningShipOverInclusiveRanges() {
        List<Object[]> t = new ArrayList<>();
        for (int x0 : new int[] {-40, -1, 0}) for (int count : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33}) {
            t.add(new Object[] {-0.5, 0.05, x0, x0 + count - 1, 60, new long[Math.max(count, 0)]});
        }
        for (int limit : new int[] {Integer.MIN_VALUE, -1, 0, 1, 5000}) t.add(new Object[] {0.0, 0.0001, -5, 11, limit, new long[17]});
        t.add(new Object[] {-0.5, 0.05, Integer.MAX_VALUE - 12, Integer.MAX_VALUE - 1, 60, new long[12]});
        t.add(new Object[] {-0.5, 0.05, Integer.MIN_VALUE, Integer.MIN_VALUE + 10, 60, new long[11]});
        t.add(new Object[] {-0.5, 0.05, 0, 20, 60, new long[13]});
        Differential.of(Kernels.class, "burningShip").checkAll(t);
    }

    @Test
    void wrappingHashRuns() {
        List<Object[]> t = new ArrayList<>();
        for (long seed : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x123456789ABCDEFL}) {
            for (int w : new int[] {0, 5, 8, 19, 33}) t.add(new Object[] {seed, w, 64, new int[w]});
        }
        t.add(new Object[] {7L, 19, 64, new int[18]});
        Differential.of(Kernels.class, "hashRuns").checkAll(t);
    }

    @Test
    void loopsThatDoNotQualifyStayTheJvms() {
        List<Object[]> t = new ArrayList<>();
        for (int w : new int[] {0, 9, 20}) t.add(new Object[] {w, new int[w]});
        t.add(new Object[] {20, new int[12]});
        Differential.of(Kernels.class, "unboundedHalvings").checkAll(t);
        List<Object[]> d = new ArrayList<>();
        for (int divisor : new int[] {2, 3, -1, 0}) d.add(new Object[] {20, divisor, 50, new int[20]});
        Differential.of(Kernels.class, "dividingSteps").checkAll(d);
    }

    private static double[] solverInputs(int n, int seed) {
        double[] edges = {0.0, -0.0, 1.0, -1.0, 8.0, -27.0, 1e-300, Double.MIN_VALUE, 1e300, -1e308, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.001, 123456.789};
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = (i + seed) % 3 == 0 ? edges[(i + seed) % edges.length] : (i * 37 + seed) % 101 - 50.5;
        return a;
    }

    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    @Test
    void perElementSolversReadingTheirArrays() {
        List<Object[]> t = new ArrayList<>();
        for (int n : WIDTHS) for (int maxIter : new int[] {0, 1, 60}) t.add(new Object[] {solverInputs(n, n), new double[n], maxIter});
        double[] same = solverInputs(40, 3);
        t.add(new Object[] {same, same, 60}); // out is a: the guard sends the loop to the copy as it was
        t.add(new Object[] {solverInputs(40, 4), new double[21], 60}); // out short: throws at the sixth lane of the second group
        t.add(new Object[] {null, new double[4], 60});
        t.add(new Object[] {solverInputs(20, 5), null, 60});
        Differential.of(Kernels.class, "cubeRoots").checkAll(t);

        List<Object[]> f = new ArrayList<>();
        for (int n : WIDTHS) f.add(new Object[] {floats(solverInputs(n, n + 1)), floats(solverInputs(n, n + 2)), 40});
        float[] both = floats(solverInputs(33, 6));
        f.add(new Object[] {both, both, 40}); // a is b: a lane would read what an earlier lane stored, so the copy as it was
        f.add(new Object[] {floats(solverInputs(33, 7)), floats(solverInputs(20, 8)), 40}); // b short: throws at i = 20
        f.add(new Object[] {null, new float[3], 40});
        Differential.of(Kernels.class, "cubeRootsInPlace").checkAll(f);

        List<Object[]> one = new ArrayList<>();
        for (int n : WIDTHS) for (int maxIter : new int[] {0, 1, 60}) one.add(new Object[] {solverInputs(n, n + 3), maxIter});
        one.add(new Object[] {null, 60});
        Differential.of(Kernels.class, "cubeRootsOfOneArray").checkAll(one);

        List<Object[]> s = new ArrayList<>();
        for (int n : WIDTHS) s.add(new Object[] {solverInputs(n, 7), 50});
        Differential.of(Kernels.class, "shiftedInPlace").checkAll(s);

        List<Object[]> nb = new ArrayList<>();
        for (int n : WIDTHS) nb.add(new Object[] {solverInputs(n + 1, 9), new double[n], 50});
        double[] shared = solverInputs(34, 10);
        nb.add(new Object[] {shared, shared, 50}); // out is a: each i reads the i - 1 the i before stored
        nb.add(new Object[] {solverInputs(20, 11), new double[33], 50}); // a short: throws at i = 20, inside a group
        Differential.of(Kernels.class, "neighbourRoots").checkAll(nb);
    }

    /** A lane's stop flag, merged from where it went on (1) and where a test failed (0). */
    private static final Pattern LANE_FLAG = Pattern.compile("= phi int \\[b\\d+: 1\\], \\[b\\d+: 0\\]\\n");
    /** The lanes' flags joined, after the last lane's last choice, to decide whether the jammed loop goes on. */
    private static final Pattern LAST_LANE = Pattern.compile("= phi [a-z]+ \\[b\\d+: %\\d+\\], \\[b\\d+: %\\d+\\]\\n\\s+%(\\d+) = or %\\d+, %\\d+\\n\\s+if ne %\\1, 0 then");
    /** The counters of lanes 1 and 2 (a plain add, where UnrollAndJam's columns use addNoWrap). */
    private static final Pattern LANE_COUNTERS = Pattern.compile("= add (%\\d+), 1\\n\\s+%\\d+ = add \\1, 2\\n");

    /** Whether typed IR holds a predicated jam of at least three lanes (the fuzzer counts them). */
    public static boolean hasPredicatedJam(String typedIr) {
        return LANE_FLAG.matcher(typedIr).find() && LAST_LANE.matcher(typedIr).find() && LANE_COUNTERS.matcher(typedIr).find();
    }

    /** Lane 1's counter (a plain add of 1), later an index proven in range that an array read uses. */
    private static final Pattern LANE_READ = Pattern.compile(
            "%(\\d+) = add %\\d+, 1\\n(?s:.*)%(\\d+) = inRange %\\1, %\\d+\\n\\s+%\\d+ = aload %[\\w.]+, %\\2\\s");

    /** Whether typed IR holds a predicated jam whose lanes read arrays (a per-element solver's; the fuzzer counts them). */
    public static boolean hasPredicatedJamReadingArrays(String typedIr) {
        return hasPredicatedJam(typedIr) && LANE_READ.matcher(typedIr).find();
    }

    /** The pass did run where it should, with as many lanes as expected, and only there. */
    @Test
    void theJammedLoopsAreThere() throws Exception {
        for (String name : new String[] {"mandelbrot", "escapeCountLast", "burningShip", "hashRuns", "cubeRoots", "cubeRootsInPlace", "cubeRootsOfOneArray", "neighbourRoots"}) {
            String ir = Numbat.inspect(Differential.method(Kernels.class, name)).typedIr();
            assertTrue(hasPredicatedJam(ir), name + " has no predicated jam:\n" + ir);
        }
        String mandelbrot = Numbat.inspect(Differential.method(Kernels.class, "mandelbrot")).typedIr();
        long lanes = LANE_FLAG.matcher(mandelbrot).results().count();
        assertTrue(lanes == 16, "mandelbrot runs " + lanes + " lanes, not 16:\n" + mandelbrot);
        // Both copies of burningShip's nest, the checked one and the one RangeCheckVersioning proved in range (whose
        // lanes store through inRange at their own counters).
        String ship = Numbat.inspect(Differential.method(Kernels.class, "burningShip")).typedIr();
        long shipLanes = LANE_FLAG.matcher(ship).results().count();
        assertTrue(shipLanes == 32 && ship.contains(" = inRange "), "burningShip runs " + shipLanes + " lanes, not 16 in each copy:\n" + ship);
        for (String name : new String[] {"cubeRoots", "cubeRootsInPlace", "cubeRootsOfOneArray", "neighbourRoots"}) {
            String ir = Numbat.inspect(Differential.method(Kernels.class, name)).typedIr();
            assertTrue(hasPredicatedJamReadingArrays(ir), name + "'s lanes read no array:\n" + ir);
        }
        assertFalse(hasPredicatedJamReadingArrays(mandelbrot), "mandelbrot's lanes read arrays?\n" + mandelbrot);
        for (String name : new String[] {"unboundedHalvings", "dividingSteps", "shiftedInPlace"}) {
            String ir = Numbat.inspect(Differential.method(Kernels.class, name)).typedIr();
            assertFalse(hasPredicatedJam(ir), name + " was jammed:\n" + ir);
        }
    }
}
