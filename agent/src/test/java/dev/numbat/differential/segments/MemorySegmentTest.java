package dev.numbat.differential.segments;

import static java.lang.foreign.ValueLayout.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.numbat.Jit;
import dev.numbat.Numbat;
import dev.numbat.differential.Differential;
import dev.numbat.differential.Segments;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MemorySegment parameters, against the JVM: native and heap segments, reads and writes through every layout,
 * byte offsets and element indices, and every way the JDK refuses an access (null, closed arena, another
 * thread's arena, read-only, out of bounds, misaligned), each after the writes before it, with the JDK's own
 * exception and message. Segment contents are compared afterwards.
 */
class MemorySegmentTest {
    static final ValueLayout.OfLong LONGS = JAVA_LONG;

    static final class Kernels {
        @Jit
        static double sum(MemorySegment s, int n) {
            double t = 0;
            for (int i = 0; i < n; i++) t += s.getAtIndex(JAVA_DOUBLE, i);
            return t;
        }

        @Jit
        static void saxpy(MemorySegment x, MemorySegment y, float a, long n) {
            for (long i = 0; i < n; i++) y.setAtIndex(JAVA_FLOAT, i, a * x.getAtIndex(JAVA_FLOAT, i) + y.getAtIndex(JAVA_FLOAT, i));
        }

        @Jit
        static long mixed(MemorySegment s, long off) {
            s.set(JAVA_INT, off, 7);
            s.set(JAVA_BYTE, off + 4, (byte) -3);
            s.set(JAVA_SHORT_UNALIGNED, off + 5, (short) 0x8001);
            long r = s.get(JAVA_INT, off) + s.get(JAVA_BYTE, off + 4) + s.get(JAVA_SHORT_UNALIGNED, off + 5)
                    + s.get(JAVA_CHAR_UNALIGNED, off + 5);
            return r * 31 + s.byteSize();
        }

        /** A layout held in a static final field of the user's class. */
        @Jit
        static long fill(MemorySegment s, long v) {
            long n = s.byteSize() / 8;
            for (long i = 0; i < n; i++) s.setAtIndex(LONGS, i, v + i);
            return n;
        }

        @Jit
        static double doubles(MemorySegment s, long off, double v) {
            s.set(JAVA_DOUBLE_UNALIGNED, off + 1, v);
            s.set(JAVA_DOUBLE, off, v * 2);
            return s.get(JAVA_DOUBLE_UNALIGNED, off + 1) + s.get(JAVA_DOUBLE, off);
        }

        @Jit
        static int withArray(MemorySegment s, int[] a) {
            for (int i = 0; i < a.length; i++) {
                a[i] = s.getAtIndex(JAVA_INT, i);
                s.setAtIndex(JAVA_INT, i, a[i] * 2 + 1);
            }
            return a.length;
        }

        @Jit
        static float viaHelper(MemorySegment s, long i, float f) {
            store(s, i, f);
            return s.getAtIndex(JAVA_FLOAT, i) + s.byteSize();
        }

        static void store(MemorySegment s, long i, float f) { s.setAtIndex(JAVA_FLOAT, i, f); }

        @Jit
        static double pick(MemorySegment a, MemorySegment b, boolean first, long i) {
            MemorySegment s = first ? a : b;
            return s.getAtIndex(JAVA_DOUBLE, i) + s.byteSize();
        }

        @Jit
        static int narrowTypes(MemorySegment s, int v) {
            s.setAtIndex(JAVA_SHORT, 0, (short) v);
            s.setAtIndex(JAVA_CHAR, 1, (char) v);
            s.set(JAVA_BYTE, 5, (byte) v);
            s.setAtIndex(JAVA_LONG_UNALIGNED, 1, v * 3L);
            s.set(JAVA_FLOAT_UNALIGNED, 3, v);
            s.set(JAVA_INT_UNALIGNED, 17, ~v);
            return s.getAtIndex(JAVA_SHORT, 0) + s.getAtIndex(JAVA_CHAR, 1) + s.get(JAVA_BYTE, 5)
                    + s.get(JAVA_INT_UNALIGNED, 17) + (int) s.get(JAVA_FLOAT_UNALIGNED, 3);
        }
    }

    /** Outside what is compiled: each is refused with one line naming the construct. */
    static final class Refused {
        static double slice(MemorySegment s) { return s.asSlice(8).get(JAVA_DOUBLE, 0); }

        static double layoutInALocal(MemorySegment s, int n) {
            ValueLayout.OfDouble d = JAVA_DOUBLE;
            double t = 0;
            for (int i = 0; i < n; i++) t += s.getAtIndex(d, i);
            return t;
        }

        static boolean same(MemorySegment a, MemorySegment b) { return a == b; }

        static MemorySegment returned(MemorySegment s) { return s; }

        static boolean flag(MemorySegment s) { return s.get(JAVA_BOOLEAN, 0); }
    }

    @Test
    void whatIsNotCompiledIsRefusedWithOneLine() {
        assertRefused("slice", "virtual call (java.lang.foreign.MemorySegment.asSlice(J)Ljava/lang/foreign/MemorySegment;)");
        assertRefused("layoutInALocal", "MemorySegment access whose layout is not a ValueLayout constant named at the call");
        assertRefused("same", "comparison of MemorySegment references");
        assertRefused("returned", "returning a MemorySegment");
        assertRefused("flag", "ValueLayout$OfBoolean");
    }

    private static void assertRefused(String name, String construct) {
        java.lang.reflect.Method m = Differential.method(Refused.class, name);
        dev.numbat.NotCompiledException e = assertThrows(dev.numbat.NotCompiledException.class, () -> Numbat.compile(m));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(construct), name + ": " + e.getMessage());
    }

    private static final Arena AUTO = Arena.ofAuto();

    static MemorySegment nativeDoubles(int n) {
        MemorySegment s = AUTO.allocate(8L * n, 8);
        for (int i = 0; i < n; i++) s.setAtIndex(JAVA_DOUBLE, i, i * 0.75 - 3);
        return s;
    }

    static MemorySegment closed(long size) {
        Arena a = Arena.ofConfined();
        MemorySegment s = a.allocate(size, 8);
        a.close();
        return s;
    }

    static MemorySegment misaligned(long size) { return AUTO.allocate(size + 8, 8).asSlice(1, size); }

    @Test
    void readsEveryKindOfSegmentAndEveryRefusal() {
        List<Object[]> t = new ArrayList<>();
        for (int n : new int[] {0, 1, 7, 64}) t.add(new Object[] {nativeDoubles(n), n});
        t.add(new Object[] {nativeDoubles(4), 5}); // index 4 of 4: out of bounds after the sum of four
        t.add(new Object[] {nativeDoubles(4), -1});
        t.add(new Object[] {MemorySegment.ofArray(new double[] {1.5, -0.0, Double.NaN}), 3});
        t.add(new Object[] {MemorySegment.ofArray(new long[] {1, 2, 3}), 3});
        t.add(new Object[] {MemorySegment.ofArray(new byte[24]), 1}); // byte[]: no 8-byte alignment
        t.add(new Object[] {MemorySegment.ofArray(new int[6]), 2});   // int[]: 4-byte alignment only
        t.add(new Object[] {misaligned(32), 2});
        t.add(new Object[] {nativeDoubles(3).asReadOnly(), 3});
        t.add(new Object[] {MemorySegment.ofArray(new double[] {1, 2, 3, 4}).asSlice(8).asReadOnly(), 3});
        t.add(new Object[] {MemorySegment.ofArray(new long[4]).asSlice(4).asReadOnly(), 1}); // read-only, misaligned
        t.add(new Object[] {closed(32), 0});
        t.add(new Object[] {closed(32), 1});
        t.add(new Object[] {MemorySegment.NULL, 0});
        t.add(new Object[] {MemorySegment.NULL, 1});
        t.add(new Object[] {null, 0});
        t.add(new Object[] {null, 1});
        Differential.of(Kernels.class, "sum").checkAll(t);
    }

    @Test
    void writesStayWhenALaterAccessThrows() {
        List<Object[]> t = new ArrayList<>();
        MemorySegment x = AUTO.allocate(40, 4), y = AUTO.allocate(40, 4);
        for (int i = 0; i < 10; i++) { x.setAtIndex(JAVA_FLOAT, i, i - 4.5f); y.setAtIndex(JAVA_FLOAT, i, 1f / (i + 1)); }
        t.add(new Object[] {x, y, 2.5f, 10L});
        t.add(new Object[] {x, y, -0.0f, 12L});        // out of bounds at 10, after ten writes
        t.add(new Object[] {x, x, 3f, 10L});           // one segment: writes feed later reads
        t.add(new Object[] {x, y.asReadOnly(), 1f, 3L});
        t.add(new Object[] {x, closed(40), 1f, 3L});
        t.add(new Object[] {x, null, 1f, 3L});
        t.add(new Object[] {x, null, 1f, 0L});         // never touched: no exception
        t.add(new Object[] {MemorySegment.ofArray(new float[] {1, 2, Float.NaN}), MemorySegment.ofArray(new float[5]), 2f, 4L});
        t.add(new Object[] {x, Segments.ownedByAnotherThread(arena -> arena.allocate(40, 8)), 1f, 3L});
        Differential.of(Kernels.class, "saxpy").checkAll(t);
    }

    @Test
    void byteOffsetsWithEveryLayout() {
        List<Object[]> t = new ArrayList<>();
        for (long off : new long[] {0, 4, 8, 3, 16, 17, -1, Long.MAX_VALUE, Long.MIN_VALUE, 9, 20}) {
            t.add(new Object[] {AUTO.allocate(32, 8), off});
            t.add(new Object[] {MemorySegment.ofArray(new int[8]), off});
            t.add(new Object[] {MemorySegment.ofArray(new byte[32]), off});
        }
        t.add(new Object[] {misaligned(16), 0L});
        t.add(new Object[] {AUTO.allocate(32, 8).asReadOnly(), 0L});
        Differential.of(Kernels.class, "mixed").checkAll(t);
        List<Object[]> d = new ArrayList<>();
        for (long off : new long[] {0, 8, 16, 4, 1, 24, 23, -8}) {
            for (double v : new double[] {1.25, -0.0, Double.NaN, Double.MIN_VALUE, Double.NEGATIVE_INFINITY}) {
                d.add(new Object[] {AUTO.allocate(40, 8), off, v});
            }
            d.add(new Object[] {MemorySegment.ofArray(new long[5]), off, 2.0});
            d.add(new Object[] {MemorySegment.ofArray(new float[10]), off, 2.0});
            d.add(new Object[] {misaligned(40), off, 2.0});
        }
        Differential.of(Kernels.class, "doubles").checkAll(d);
    }

    @Test
    void layoutsInFieldsHelpersPhisAndNarrowTypes() {
        List<Object[]> f = new ArrayList<>();
        for (long size : new long[] {0, 8, 12, 64}) f.add(new Object[] {AUTO.allocate(size, 8), Long.MIN_VALUE + 3});
        f.add(new Object[] {MemorySegment.ofArray(new double[3]), 7L});
        f.add(new Object[] {misaligned(24), 0L});
        Differential.of(Kernels.class, "fill").checkAll(f);

        List<Object[]> a = new ArrayList<>();
        MemorySegment ints = MemorySegment.ofArray(new int[] {1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE});
        a.add(new Object[] {ints, new int[4]});
        a.add(new Object[] {ints, new int[6]});        // index 4: out of bounds after four reads and writes
        a.add(new Object[] {ints.asReadOnly(), new int[2]});
        a.add(new Object[] {ints, null});
        Differential.of(Kernels.class, "withArray").checkAll(a);

        List<Object[]> h = new ArrayList<>();
        for (long i : new long[] {0, 3, 4, -1}) h.add(new Object[] {AUTO.allocate(16, 4), i, Float.NaN});
        h.add(new Object[] {null, 0L, 1f});
        Differential.of(Kernels.class, "viaHelper").checkAll(h);

        List<Object[]> p = new ArrayList<>();
        p.add(new Object[] {nativeDoubles(3), nativeDoubles(5), true, 2L});
        p.add(new Object[] {nativeDoubles(3), nativeDoubles(5), false, 4L});
        p.add(new Object[] {nativeDoubles(3), null, false, 0L});
        p.add(new Object[] {nativeDoubles(3), closed(8), false, 0L});
        Differential.of(Kernels.class, "pick").checkAll(p);

        List<Object[]> n = new ArrayList<>();
        for (int v : new int[] {0, -1, 0x12345678, Integer.MIN_VALUE, 65535, -32769}) n.add(new Object[] {AUTO.allocate(24, 8), v});
        n.add(new Object[] {AUTO.allocate(20, 8), 5});
        Differential.of(Kernels.class, "narrowTypes").checkAll(n);
    }

    /** Beyond 2 GB: long offsets reach past Integer.MAX_VALUE bytes (the memory is reserved, only one page is touched). */
    @Test
    void offsetsBeyondTwoGigabytes() throws Throwable {
        MethodHandle compiled = Numbat.compile(Kernels.class.getDeclaredMethod("doubles", MemorySegment.class, long.class, double.class));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment big = arena.allocate(3L << 30, 8);
            long off = (5L << 29) + 8;
            double expected = Kernels.doubles(big, off, 0.1);
            byte[] written = big.asSlice(off, 16).toArray(JAVA_BYTE);
            big.asSlice(off, 16).fill((byte) 0);
            double got = (double) compiled.invokeExact(big, off, 0.1);
            assertEquals(expected, got);
            assertArrayEquals(written, big.asSlice(off, 16).toArray(JAVA_BYTE));
            assertEquals(0.2, big.get(JAVA_DOUBLE, off));
            IndexOutOfBoundsException jvm = assertThrows(IndexOutOfBoundsException.class, () -> Kernels.doubles(big, 3L << 30, 1));
            IndexOutOfBoundsException nat = assertThrows(IndexOutOfBoundsException.class,
                    () -> { double r = (double) compiled.invokeExact(big, 3L << 30, 1.0); });
            assertEquals(jvm.getMessage(), nat.getMessage());
        }
    }
}
