package dev.numbat.runtime.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy's timed calls change nothing of what a call returns, throws or writes, whatever its type. */
class CallTimerTest {
    static double scale(double[] a, double k) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] *= k;
        return s;
    }

    static void fill(int[] a, int v) { java.util.Arrays.fill(a, v); }

    static long divide(long x, int d) { return x / d; }

    record Seen(Throwable thrown, long elements) {}

    @Test void timedCallsAreTransparent() throws Throwable {
        List<Seen> seen = new ArrayList<>();
        CallTimer.Observer o = (t, t0, args) -> {
            assertTrue(System.nanoTime() >= t0);
            seen.add(new Seen(t, CallTimer.arrayElements(args)));
        };
        MethodHandles.Lookup l = MethodHandles.lookup();
        MethodHandle scale = CallTimer.timed(l.findStatic(CallTimerTest.class, "scale",
                MethodType.methodType(double.class, double[].class, double.class)), o);
        double[] a = {1, 2, 3};
        assertEquals(12.0, (double) scale.invokeExact(a, 2.0));
        assertEquals(4.0, a[1]);
        MethodHandle fill = CallTimer.timed(l.findStatic(CallTimerTest.class, "fill", MethodType.methodType(void.class, int[].class, int.class)), o);
        int[] b = new int[5];
        fill.invokeExact(b, 7);
        assertEquals(7, b[4]);
        MethodHandle divide = CallTimer.timed(l.findStatic(CallTimerTest.class, "divide", MethodType.methodType(long.class, long.class, int.class)), o);
        assertEquals(-3L, (long) divide.invokeExact(7L, -2));
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> { long r = (long) divide.invokeExact(7L, 0); });
        assertEquals("/ by zero", e.getMessage());
        assertEquals(4, seen.size());
        assertEquals(3, seen.get(0).elements());
        assertEquals(5, seen.get(1).elements());
        assertEquals(null, seen.get(2).thrown());
        assertSame(e, seen.get(3).thrown());
    }

    @Test void sometimesRunsBothAndReturnsTheSame() throws Throwable {
        int[] timed = {0};
        MethodHandle d = MethodHandles.lookup().findStatic(CallTimerTest.class, "divide", MethodType.methodType(long.class, long.class, int.class));
        MethodHandle h = CallTimer.sometimes(CallTimer.timed(d, (t, t0, args) -> timed[0]++), d);
        for (int i = 0; i < 64 * 200; i++) assertEquals(i / 3, (long) h.invokeExact((long) i, 3));
        // One call in 64 on average: 200 expected; zero or all would mean the switch is broken.
        assertTrue(timed[0] > 50 && timed[0] < 1000, "timed " + timed[0]);
    }
}
