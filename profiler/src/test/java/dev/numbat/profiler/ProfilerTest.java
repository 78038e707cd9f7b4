package dev.numbat.profiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The instrumented twin against the JVM running the original method (results, exceptions, array writes), and the
 * profile's counts against counts worked out by hand.
 */
class ProfilerTest {

    static ProfiledTwin twin(String name, long threshold) throws Exception {
        Method m = method(name);
        return ProfiledTwin.define(Kernels.lookup(), name, descriptorOf(m), null, threshold);
    }

    static Method method(String name) {
        for (Method m : Kernels.class.getDeclaredMethods()) if (m.getName().equals(name)) return m;
        throw new AssertionError(name);
    }

    static String descriptorOf(Method m) {
        return java.lang.invoke.MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString();
    }

    /** Calls the original (reflection), the profiled and the plain copy with copies of {@code args}; all must agree. */
    static void agree(ProfiledTwin t, String name, Object... args) throws Throwable {
        Method m = method(name);
        m.setAccessible(true);
        Object[] a1 = deepCopy(args), a2 = deepCopy(args), a3 = deepCopy(args);
        String expected;
        try {
            expected = show(m.invoke(null, a1));
        } catch (InvocationTargetException e) {
            expected = "threw " + e.getCause();
        }
        for (var h : List.of(t.profiled(), t.plain())) {
            Object[] a = h == t.profiled() ? a2 : a3;
            String actual;
            try {
                actual = show(h.invokeWithArguments(a));
            } catch (Throwable e) {
                actual = "threw " + e;
            }
            assertEquals(expected, actual, name + Arrays.deepToString(args));
            assertEquals(Arrays.deepToString(a1), Arrays.deepToString(a), "arrays after " + name);
        }
    }

    private static String show(Object o) { return o instanceof Double d ? Double.doubleToRawLongBits(d) + "" : Objects.toString(o); }

    private static Object[] deepCopy(Object[] args) {
        Object[] c = args.clone();
        for (int i = 0; i < c.length; i++) {
            if (c[i] instanceof double[] d) c[i] = d.clone();
            else if (c[i] instanceof int[] d) c[i] = d.clone();
            else if (c[i] instanceof float[] d) c[i] = d.clone();
        }
        return c;
    }

    @Test void loopAndBranchCounts() throws Throwable {
        ProfiledTwin t = twin("signedSum", Long.MAX_VALUE);
        double[] a = {1, -2, 3, 0, 5, 6, -7, 8, 9, 10};
        for (int k = 0; k < 5; k++) agree(t, "signedSum", a);
        agree(t, "signedSum", new double[0]);
        Profile p = t.profile();
        assertEquals(6, p.invocations());
        assertEquals(1, p.loops().size());
        LoopProfile loop = p.loops().get(0);
        assertEquals(50, loop.backEdges());
        assertEquals(6, loop.entries());
        // One way back, one way out: the test's fall-throughs are the back-edges, the goto back counts nothing.
        assertEquals(List.of(), loop.backwardGotos());
        assertEquals(1, loop.countingTests().size());
        // Trip counts per entry: 10 in five calls, 0 in the one with an empty array.
        assertEquals(0, loop.minTripCount());
        assertEquals(10, loop.maxTripCount());
        // The branch that jumps past "s += a[i]" when a[i] > 0 fails: taken for the 3 non-positive elements.
        BranchProfile positive = p.branches().stream().filter(b -> b.loopHeader() < 0 && b.executions() == 50).findFirst().orElseThrow();
        assertEquals(15, positive.taken());
        assertEquals(35, positive.fallThrough());
        // It runs once per iteration, first in the body: only its fall-through is counted, its jumps are derived.
        assertEquals(1, positive.executionsFrom().size());
        // The loop test: falls through into the body 50 times, jumps out 6 times.
        BranchProfile test = p.branches().stream().filter(b -> b.executions() == 56).findFirst().orElseThrow();
        assertEquals(6, test.taken());
        assertEquals(1, p.arrays().size());
        assertEquals(0, p.arrays().get(0).smallest());
        assertEquals(10, p.arrays().get(0).largest());
        assertEquals(5, p.arrays().get(0).bucket(4)); // 10 is in [8, 16)
        assertEquals(1, p.arrays().get(0).bucket(0));
        String text = p.text();
        assertTrue(text.startsWith("profile dev.numbat.profiler.Kernels.signedSum([D)D: 6 invocations, 50 back-edges"), text);
        assertTrue(text.contains("loop @"), text);
        assertTrue(text.contains("6 entries, 50 back-edges, 8.3 iterations per entry (0..10)"), text);
        assertTrue(text.contains("taken 15, not taken 35 (30.0% taken)"), text);
        assertTrue(text.contains("array parameter 0 ([D): lengths 0..10, 0 null (0: 1, <16: 5)"), text);
    }

    /** Which integral arguments always had one value: the long, the char and the boolean did; the int did not. */
    @Test void integralArgumentValues() throws Throwable {
        ProfiledTwin t = twin("mixed", Long.MAX_VALUE);
        for (int k = 0; k < 4; k++) {
            agree(t, "mixed", 1.5f, Long.MIN_VALUE, 2.0, (byte) (k - 2), 'x', (short) -7, true, new float[] {1, 2});
        }
        Profile p = t.profile();
        List<String> seen = new ArrayList<>();
        for (ScalarProfile v : p.scalars()) seen.add(v.parameter() + v.descriptor() + "=" + (v.isConstant() ? v.value() : v.varied() ? "varied" : "none"));
        // Parameters 0 (float) and 2 (double) are not recorded; byte 3 had -2..1; char 4 is 'x' = 120.
        assertEquals(List.of("1J=" + Long.MIN_VALUE, "3B=varied", "4C=120", "5S=-7", "6Z=1"), seen);
        assertTrue(p.text().contains("parameter 1 (J): always " + Long.MIN_VALUE), p.text());
        assertTrue(p.text().contains("parameter 3 (B): varied"), p.text());
        ProfiledTwin fresh = twin("triangle", Long.MAX_VALUE);
        assertTrue(fresh.profile().text().contains("parameter 1 (I): not seen"), fresh.profile().text());
    }

    @Test void offsetsAreThoseOfTheClassFile() throws Throwable {
        ProfiledTwin t = twin("signedSum", Long.MAX_VALUE);
        // javac: 0 dconst_0, 1 dstore_1, 2 iconst_0, 3 istore_3, 4 iload_3, 5 aload_0, 6 arraylength, 7 if_icmpge
        assertNotNull(t.profile().branchAt(7), t.profile().text());
        assertEquals("if_icmpge", t.profile().branchAt(7).opcode());
        assertEquals(4, t.profile().loops().get(0).headerOffset());
        assertTrue(t.profile().branchAt(7).line() > 0);
    }

    @Test void switchFrequencies() throws Throwable {
        ProfiledTwin t = twin("classify", Long.MAX_VALUE);
        agree(t, "classify", new int[] {0, 1, 2, 2, 7, 7, 7, 9, -1, 0});
        SwitchProfile s = t.profile().switches().get(0);
        assertEquals(2, s.timesFor(0));
        assertEquals(3, s.timesFor(1)); // 1 and 2 share a target
        assertEquals(3, s.timesFor(7));
        assertEquals(2, s.timesFor(12345));
        assertEquals(10, s.executions());
        ProfiledTwin sparse = twin("sparse", Long.MAX_VALUE);
        for (int k : new int[] {-100000, 5, 5, 1 << 20, 3, 4, 6}) agree(sparse, "sparse", k);
        SwitchProfile w = sparse.profile().switches().get(0);
        assertEquals(1, w.timesFor(-100000));
        assertEquals(2, w.timesFor(5));
        assertEquals(1, w.timesFor(1 << 20));
        assertEquals(3, w.timesFor(0));
        assertTrue(sparse.profile().text().contains("case 5: 2;"), sparse.profile().text());
    }

    @Test void exceptionsAreTheJvmsAndTheirCallsAreCounted() throws Throwable {
        ProfiledTwin t = twin("writeThenRead", Long.MAX_VALUE);
        agree(t, "writeThenRead", new int[] {1, 2, 3}, 1);
        agree(t, "writeThenRead", new int[] {1, 2, 3}, 5);   // AIOOBE after the write
        agree(t, "writeThenRead", null, 0);                 // NPE with the helpful message
        agree(t, "writeThenRead", new int[8], 7);           // ArithmeticException
        Profile p = t.profile();
        assertEquals(4, p.invocations());
        // Every call that reached the loop ran it 3 times, the ones that threw included (the NPE came before it).
        assertEquals(9, p.loops().get(0).backEdges());
        assertEquals(1, p.arrays().get(0).nullCount());
    }

    @Test void aliasingAndMixedParameters() throws Throwable {
        ProfiledTwin t = twin("axpy", Long.MAX_VALUE);
        double[] x = {1, 2, 3};
        agree(t, "axpy", 2.0, x, new double[] {4, 5, 6});
        Method m = method("axpy");
        m.setAccessible(true);
        double[] same = {1, 2, 3}, sameCopy = same.clone();
        t.profiled().invoke(2.0, same, same);
        m.invoke(null, 2.0, sameCopy, sameCopy);
        assertEquals(Arrays.toString(sameCopy), Arrays.toString(same));
        assertEquals(1, t.profile().aliases().size());
        assertEquals(1, t.profile().aliases().get(0).first());
        assertEquals(2, t.profile().aliases().get(0).second());
        assertEquals(1, t.profile().aliases().get(0).times());
        assertTrue(t.profile().text().contains("array parameters 1 and 2: the same array in 1 calls"), t.profile().text());
        ProfiledTwin mixed = twin("mixed", Long.MAX_VALUE);
        agree(mixed, "mixed", 1.5f, 1L << 40, -0.0, (byte) -3, 'x', (short) 7, true, new float[] {1, 2});
        agree(mixed, "mixed", Float.NaN, 0L, 1e300, (byte) 0, '\0', (short) 0, false, null);
    }

    @Test void nestedLoopsDoWhileRecursionAndPrivateAccess() throws Throwable {
        ProfiledTwin t = twin("triangle", Long.MAX_VALUE);
        agree(t, "triangle", 12345L, 10);
        List<LoopProfile> loops = t.profile().loops();
        assertEquals(2, loops.size());
        // Outer: 10 iterations in 1 entry; inner: 1 + 2 + ... + 10 = 55 iterations in 10 entries.
        assertEquals(10, loops.get(0).backEdges());
        assertEquals(1, loops.get(0).entries());
        assertEquals(55, loops.get(1).backEdges());
        assertEquals(10, loops.get(1).entries());
        // The inner loop's trip counts are 1, 2, ..., 10; the outer loop's one entry had 10.
        assertEquals(1, loops.get(1).minTripCount(), t.profile().text());
        assertEquals(10, loops.get(1).maxTripCount(), t.profile().text());
        assertEquals(10, loops.get(0).minTripCount());
        assertEquals(10, loops.get(0).maxTripCount());
        ProfiledTwin d = twin("doWhile", Long.MAX_VALUE);
        agree(d, "doWhile", 0b1011);
        agree(d, "doWhile", -1);
        assertEquals(3 + 31, d.profile().loops().get(0).backEdges());
        assertEquals(2, d.profile().loops().get(0).entries());
        // A do-while loop's back-edge is its test's taken jump: 3 of them for 0b1011, 31 for -1.
        assertEquals(3, d.profile().loops().get(0).minTripCount(), d.profile().text());
        assertEquals(31, d.profile().loops().get(0).maxTripCount(), d.profile().text());
        // Entries are counted on the edges into the header: a forward goto (c true) and the fall-through (c false).
        ProfiledTwin fe = twin("forwardEntry", Long.MAX_VALUE);
        for (int k = 0; k < 3; k++) agree(fe, "forwardEntry", 5, true);
        for (int k = 0; k < 4; k++) agree(fe, "forwardEntry", 5, false);
        agree(fe, "forwardEntry", 0, true);
        assertEquals(8, fe.profile().loops().get(0).entries(), fe.profile().text());
        assertEquals(7 * 5, fe.profile().loops().get(0).backEdges(), fe.profile().text());
        assertEquals(0, fe.profile().loops().get(0).minTripCount(), fe.profile().text());
        assertEquals(5, fe.profile().loops().get(0).maxTripCount(), fe.profile().text());
        // A return inside the loop: its goto back is counted, and the test's fall-throughs are not taken for back-edges.
        ProfiledTwin fn = twin("firstNegative", Long.MAX_VALUE);
        agree(fn, "firstNegative", new double[] {1, 2, -3, 4});
        agree(fn, "firstNegative", new double[] {1, 2});
        LoopProfile early = fn.profile().loops().get(0);
        assertEquals(List.of(), early.countingTests());
        assertEquals(2 + 2, early.backEdges(), fn.profile().text()); // 2 before the return at i = 2, 2 in the other call
        assertEquals(2, early.minTripCount(), fn.profile().text());
        assertEquals(2, early.maxTripCount(), fn.profile().text());
        ProfiledTwin f = twin("fib", Long.MAX_VALUE);
        agree(f, "fib", 15);
        assertEquals(1, f.profile().invocations()); // the recursive calls go to the original method
        agree(twin("callsPrivate", Long.MAX_VALUE), "callsPrivate", 7);
    }

    @Test void hotOnceAtTheThreshold() throws Throwable {
        ProfiledTwin t = twin("signedSum", 100);
        AtomicInteger fired = new AtomicInteger();
        List<Long> heatWhenFired = new ArrayList<>();
        t.profile().whenHot(() -> {
            fired.incrementAndGet();
            heatWhenFired.add(t.profile().invocations() + t.profile().backEdges());
        });
        double[] a = new double[9];
        for (int k = 0; k < 9; k++) {
            double r = (double) t.profiled().invokeExact(a);
            assertEquals(-9.0, r);
        }
        assertEquals(0, fired.get()); // 9 invocations + 81 back-edges
        double r = (double) t.profiled().invokeExact(a);
        assertEquals(1, fired.get());
        assertTrue(heatWhenFired.get(0) >= 100, heatWhenFired.toString());
        for (int k = 0; k < 100; k++) r += (double) t.profiled().invokeExact(a);
        assertEquals(1, fired.get());
        assertTrue(t.profile().isHot());
    }

    @Test void manyThreadsAtOnce() throws Throwable {
        ProfiledTwin t = twin("classify", Long.MAX_VALUE);
        int threads = 8, calls = 20_000;
        int[] keys = {0, 1, 7, 9, 2};
        List<Thread> ts = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int n = 0; n < threads; n++) {
            Thread th = new Thread(() -> {
                try {
                    for (int c = 0; c < calls; c++) {
                        int r = (int) t.profiled().invokeExact(keys);
                        if (r != 1 + 10 + 100 + 1000 + 10) throw new AssertionError(r);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) th.join();
        assertEquals(List.of(), failures);
        Profile p = t.profile();
        long total = (long) threads * calls;
        assertEquals(total, p.invocations());
        assertEquals(5 * total, p.loops().get(0).backEdges());
        assertEquals(total, p.loops().get(0).entries());
        assertEquals(5, p.loops().get(0).minTripCount());
        assertEquals(5, p.loops().get(0).maxTripCount());
        SwitchProfile s = p.switches().get(0);
        assertEquals(total, s.timesFor(0));
        assertEquals(2 * total, s.timesFor(1));
        assertEquals(total, s.timesFor(9));
        assertEquals(total * 5, p.arrays().get(0).bucket(3) * 5);
    }

    @Test void differentialOnRandomInputs() throws Throwable {
        Random r = new Random(5);
        ProfiledTwin s = twin("signedSum", 1000), c = twin("classify", 1000), w = twin("writeThenRead", 1000);
        for (int k = 0; k < 300; k++) {
            double[] a = r.doubles(r.nextInt(20), -5, 5).toArray();
            if (r.nextInt(10) == 0) a[0 % Math.max(1, a.length)] = Double.NaN;
            agree(s, "signedSum", a);
            agree(c, "classify", r.ints(r.nextInt(10), -2, 10).toArray());
            agree(w, "writeThenRead", new int[r.nextInt(4) + 1], r.nextInt(10) - 1);
        }
    }

    @Test void refusesWhatItCannotCopy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProfiledTwin.define(Kernels.lookup(), "noSuchMethod", "()V", null, 10));
        assertTrue(e.getMessage().contains("no method noSuchMethod()V"), e.getMessage());
    }
}
