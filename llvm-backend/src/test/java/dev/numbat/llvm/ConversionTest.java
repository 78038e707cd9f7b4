package dev.numbat.llvm;

import dev.numbat.ir.Type;
import org.junit.jupiter.api.Test;

import static dev.numbat.llvm.Values.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every JVM conversion, at the values where rounding, saturation and narrowing show. */
class ConversionTest {

    /** static TO f(FROM x) { return (TO) x; } */
    private static Jit conversion(Type from, Type to) {
        TestIr f = TestIr.fn(from.letter() + "2" + to.letter(), to, from);
        f.ret(f.convert(f.p(0), to));
        return Jit.compile(f);
    }

    @Test
    void fromInt() {
        Jit i2l = conversion(Type.INT, Type.LONG), i2f = conversion(Type.INT, Type.FLOAT), i2d = conversion(Type.INT, Type.DOUBLE);
        Jit i2b = conversion(Type.INT, Type.BYTE), i2s = conversion(Type.INT, Type.SHORT), i2c = conversion(Type.INT, Type.CHAR);
        Jit i2z = conversion(Type.INT, Type.BOOLEAN);
        int[] extra = {127, 128, 255, 256, -128, -129, 32767, 32768, 65535, 65536, -32768, -32769, 16777217, -16777217, 0x7fffffc0};
        for (int[] values : new int[][] {INTS, extra}) {
            for (int x : values) {
                assertEquals((long) x, i2l.callLong(x));
                assertEquals(Float.floatToIntBits((float) x), Float.floatToIntBits(i2f.callFloat(x)), "i2f " + x);
                assertEquals((double) x, i2d.callDouble(x));
                assertEquals((byte) x, i2b.callInt(x), "i2b " + x);
                assertEquals((short) x, i2s.callInt(x), "i2s " + x);
                assertEquals((char) x, i2c.callInt(x), "i2c " + x);
                assertEquals(x & 1, i2z.callInt(x), "i2z " + x);
            }
        }
    }

    @Test
    void fromLong() {
        Jit l2i = conversion(Type.LONG, Type.INT), l2f = conversion(Type.LONG, Type.FLOAT), l2d = conversion(Type.LONG, Type.DOUBLE);
        // Values whose conversion rounds, where a double rounding through double would differ.
        long[] extra = {(1L << 53) + 1, (1L << 24) + 1, 0x20000020000001L, -0x20000020000001L, (1L << 62) + (1L << 38) + 1,
                Long.MAX_VALUE - 512, Long.MIN_VALUE + 1};
        for (long[] values : new long[][] {LONGS, extra}) {
            for (long x : values) {
                assertEquals((int) x, l2i.callInt(x));
                assertEquals(Float.floatToIntBits((float) x), Float.floatToIntBits(l2f.callFloat(x)), "l2f " + x);
                assertEquals(Double.doubleToLongBits((double) x), Double.doubleToLongBits(l2d.callDouble(x)), "l2d " + x);
            }
        }
    }

    @Test
    void fromFloatSaturates() {
        Jit f2i = conversion(Type.FLOAT, Type.INT), f2l = conversion(Type.FLOAT, Type.LONG), f2d = conversion(Type.FLOAT, Type.DOUBLE);
        for (float x : FLOATS) {
            assertEquals((int) x, f2i.callInt(x), "f2i " + x);
            assertEquals((long) x, f2l.callLong(x), "f2l " + x);
            assertEquals(Double.doubleToLongBits((double) x), Double.doubleToLongBits(f2d.callDouble(x)), "f2d " + x);
        }
    }

    @Test
    void fromDoubleSaturates() {
        Jit d2i = conversion(Type.DOUBLE, Type.INT), d2l = conversion(Type.DOUBLE, Type.LONG), d2f = conversion(Type.DOUBLE, Type.FLOAT);
        // Double-to-float rounding: halfway cases, subnormal results, overflow to infinity.
        double[] extra = {1.0000000596046448, 1.0000001788139343, 3.4028235677973366E38, 3.4028236e38, 1e-45, 7e-46, 1.401298464324817E-45};
        for (double[] values : new double[][] {DOUBLES, extra}) {
            for (double x : values) {
                assertEquals((int) x, d2i.callInt(x), "d2i " + x);
                assertEquals((long) x, d2l.callLong(x), "d2l " + x);
                assertEquals(Float.floatToIntBits((float) x), Float.floatToIntBits(d2f.callFloat(x)), "d2f " + x);
            }
        }
    }

    @Test
    void subIntToIntIsIdentityOnTheNarrowedValue() {
        // static int b2i(byte x) { return x; } and likewise for short, char, boolean
        Jit b2i = conversion(Type.BYTE, Type.INT), s2i = conversion(Type.SHORT, Type.INT);
        Jit c2i = conversion(Type.CHAR, Type.INT), z2i = conversion(Type.BOOLEAN, Type.INT);
        for (byte x : new byte[] {0, 1, -1, Byte.MIN_VALUE, Byte.MAX_VALUE}) assertEquals(x, b2i.callInt(x));
        for (short x : new short[] {0, 1, -1, Short.MIN_VALUE, Short.MAX_VALUE}) assertEquals(x, s2i.callInt(x));
        for (char x : new char[] {0, 1, 0x7fff, 0x8000, 0xffff}) assertEquals(x, c2i.callInt(x));
        assertEquals(1, z2i.callInt(true));
        assertEquals(0, z2i.callInt(false));
    }

    @Test
    void narrowingChains() {
        // static int f(int x) { return (char) (byte) x; }: i2b then b2i then i2c
        TestIr f = TestIr.fn("chain", Type.INT, Type.INT);
        var b = f.convert(f.p(0), Type.BYTE);
        var c = f.convert(f.convert(b, Type.INT), Type.CHAR);
        f.ret(f.convert(c, Type.INT));
        Jit jit = Jit.compile(f);
        for (int x : INTS) assertEquals((char) (byte) x, jit.callInt(x));
    }
}
