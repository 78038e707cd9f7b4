package dev.numbat.llvm;

import dev.numbat.ir.Opcode;
import dev.numbat.ir.Type;
import org.junit.jupiter.api.Test;

import java.util.function.DoubleBinaryOperator;
import java.util.function.IntBinaryOperator;
import java.util.function.LongBinaryOperator;

import static dev.numbat.ir.Opcode.*;
import static dev.numbat.llvm.Values.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every arithmetic opcode per type, against the same operation in Java at edge values. */
class ArithmeticTest {

    /** static int op(int a, int b) { return a OP b; } */
    private static void intOp(Opcode op, IntBinaryOperator java, int[] rights) {
        TestIr f = TestIr.fn(op.text, Type.INT, Type.INT, Type.INT);
        f.ret(f.op(op, f.p(0), f.p(1)));
        Jit jit = Jit.compile(f);
        for (int a : INTS) {
            for (int b : rights) {
                if ((op == DIV || op == REM) && b == 0) {
                    jit.callInt(a, b);
                    assertEquals(NativeAbi.DIVISION_BY_ZERO, jit.kind(), a + " " + op.text + " 0");
                    assertEquals(10, jit.raisedAt());
                    continue;
                }
                int got = jit.callInt(a, b);
                assertEquals(0, jit.kind());
                assertEquals(java.applyAsInt(a, b), got, a + " " + op.text + " " + b);
            }
        }
    }

    /** static long op(long a, long b) { return a OP b; } (shifts take an int count) */
    private static void longOp(Opcode op, LongBinaryOperator java) {
        boolean shift = op == SHL || op == SHR || op == USHR;
        TestIr f = TestIr.fn(op.text, Type.LONG, Type.LONG, shift ? Type.INT : Type.LONG);
        f.ret(f.op(op, f.p(0), f.p(1)));
        Jit jit = Jit.compile(f);
        for (long a : LONGS) {
            if (shift) {
                for (int s : SHIFTS) assertEquals(java.applyAsLong(a, s), jit.callLong(a, s), a + " " + op.text + " " + s);
                continue;
            }
            for (long b : LONGS) {
                if ((op == DIV || op == REM) && b == 0) {
                    jit.callLong(a, b);
                    assertEquals(NativeAbi.DIVISION_BY_ZERO, jit.kind());
                    continue;
                }
                long got = jit.callLong(a, b);
                assertEquals(0, jit.kind());
                assertEquals(java.applyAsLong(a, b), got, a + " " + op.text + " " + b);
            }
        }
    }

    /** static float op(float a, float b) { return a OP b; } */
    private static void floatOp(Opcode op, DoubleBinaryOperator java) {
        TestIr f = TestIr.fn(op.text, Type.FLOAT, Type.FLOAT, Type.FLOAT);
        f.ret(f.op(op, f.p(0), f.p(1)));
        Jit jit = Jit.compile(f);
        for (float a : FLOATS) {
            for (float b : FLOATS) {
                float expected = (float) java.applyAsDouble(a, b);
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(jit.callFloat(a, b)), a + " " + op.text + " " + b);
                assertEquals(0, jit.kind());
            }
        }
    }

    /** static double op(double a, double b) { return a OP b; } */
    private static void doubleOp(Opcode op, DoubleBinaryOperator java) {
        TestIr f = TestIr.fn(op.text, Type.DOUBLE, Type.DOUBLE, Type.DOUBLE);
        f.ret(f.op(op, f.p(0), f.p(1)));
        Jit jit = Jit.compile(f);
        for (double a : DOUBLES) {
            for (double b : DOUBLES) {
                assertEquals(Double.doubleToLongBits(java.applyAsDouble(a, b)), Double.doubleToLongBits(jit.callDouble(a, b)),
                        a + " " + op.text + " " + b);
            }
        }
    }

    @Test void intAdd() { intOp(ADD, (a, b) -> a + b, INTS); }
    @Test void intSub() { intOp(SUB, (a, b) -> a - b, INTS); }
    @Test void intMul() { intOp(MUL, (a, b) -> a * b, INTS); }
    @Test void intDiv() { intOp(DIV, (a, b) -> a / b, INTS); }
    @Test void intRem() { intOp(REM, (a, b) -> a % b, INTS); }
    @Test void intAnd() { intOp(AND, (a, b) -> a & b, INTS); }
    @Test void intOr() { intOp(OR, (a, b) -> a | b, INTS); }
    @Test void intXor() { intOp(XOR, (a, b) -> a ^ b, INTS); }
    @Test void intShl() { intOp(SHL, (a, b) -> a << b, SHIFTS); }
    @Test void intShr() { intOp(SHR, (a, b) -> a >> b, SHIFTS); }
    @Test void intUshr() { intOp(USHR, (a, b) -> a >>> b, SHIFTS); }

    @Test void longAdd() { longOp(ADD, (a, b) -> a + b); }
    @Test void longSub() { longOp(SUB, (a, b) -> a - b); }
    @Test void longMul() { longOp(MUL, (a, b) -> a * b); }
    @Test void longDiv() { longOp(DIV, (a, b) -> a / b); }
    @Test void longRem() { longOp(REM, (a, b) -> a % b); }
    @Test void longAnd() { longOp(AND, (a, b) -> a & b); }
    @Test void longOr() { longOp(OR, (a, b) -> a | b); }
    @Test void longXor() { longOp(XOR, (a, b) -> a ^ b); }
    @Test void longShl() { longOp(SHL, (a, b) -> a << b); }
    @Test void longShr() { longOp(SHR, (a, b) -> a >> b); }
    @Test void longUshr() { longOp(USHR, (a, b) -> a >>> b); }

    @Test void floatAdd() { floatOp(ADD, (a, b) -> (float) a + (float) b); }
    @Test void floatSub() { floatOp(SUB, (a, b) -> (float) a - (float) b); }
    @Test void floatMul() { floatOp(MUL, (a, b) -> (float) a * (float) b); }
    @Test void floatDiv() { floatOp(DIV, (a, b) -> (float) a / (float) b); }
    @Test void floatRem() { floatOp(REM, (a, b) -> (float) a % (float) b); }

    @Test void doubleAdd() { doubleOp(ADD, (a, b) -> a + b); }
    @Test void doubleSub() { doubleOp(SUB, (a, b) -> a - b); }
    @Test void doubleMul() { doubleOp(MUL, (a, b) -> a * b); }
    @Test void doubleDiv() { doubleOp(DIV, (a, b) -> a / b); }
    @Test void doubleRem() { doubleOp(REM, (a, b) -> a % b); }

    @Test
    void divisionOfMinByMinusOneWraps() {
        // static int q(int a, int b) { return a / b; } with a constant -1 divisor, which LLVM sees through
        TestIr f = TestIr.fn("q", Type.INT, Type.INT);
        f.ret(f.op(DIV, f.p(0), TestIr.i(-1)));
        assertEquals(Integer.MIN_VALUE, Jit.compile(f).callInt(Integer.MIN_VALUE));
        TestIr g = TestIr.fn("r", Type.LONG, Type.LONG);
        g.ret(g.op(REM, g.p(0), TestIr.l(-1)));
        assertEquals(0L, Jit.compile(g).callLong(Long.MIN_VALUE));
    }

    @Test
    void negation() {
        // static int neg(int a) { return -a; } and the same for long, float, double
        TestIr fi = TestIr.fn("negI", Type.INT, Type.INT);
        fi.ret(fi.neg(fi.p(0)));
        Jit ji = Jit.compile(fi);
        for (int a : INTS) assertEquals(-a, ji.callInt(a));
        TestIr fl = TestIr.fn("negL", Type.LONG, Type.LONG);
        fl.ret(fl.neg(fl.p(0)));
        Jit jl = Jit.compile(fl);
        for (long a : LONGS) assertEquals(-a, jl.callLong(a));
        TestIr ff = TestIr.fn("negF", Type.FLOAT, Type.FLOAT);
        ff.ret(ff.neg(ff.p(0)));
        Jit jf = Jit.compile(ff);
        // Negation only flips the sign bit, NaN payload included.
        for (float a : FLOATS) assertEquals(Float.floatToRawIntBits(-a), Float.floatToRawIntBits(jf.callFloat(a)), "-" + a);
        TestIr fd = TestIr.fn("negD", Type.DOUBLE, Type.DOUBLE);
        fd.ret(fd.neg(fd.p(0)));
        Jit jd = Jit.compile(fd);
        for (double a : DOUBLES) assertEquals(Double.doubleToRawLongBits(-a), Double.doubleToRawLongBits(jd.callDouble(a)), "-" + a);
    }

    @Test
    void longCompare() {
        // static int cmp(long a, long b) { return Long.compare(a, b); }   (lcmp)
        TestIr f = TestIr.fn("cmp", Type.INT, Type.LONG, Type.LONG);
        f.ret(f.op(CMP, f.p(0), f.p(1)));
        Jit jit = Jit.compile(f);
        for (long a : LONGS) for (long b : LONGS) assertEquals(Long.compare(a, b), jit.callInt(a, b), a + " cmp " + b);
    }

    @Test
    void floatCompareWithNaN() {
        // fcmpl and fcmpg: equal to Float.compare except for NaN (-1 and +1) and -0.0 == 0.0
        for (Opcode op : new Opcode[] {CMPL, CMPG}) {
            int nan = op == CMPL ? -1 : 1;
            TestIr f = TestIr.fn(op.text, Type.INT, Type.FLOAT, Type.FLOAT);
            f.ret(f.op(op, f.p(0), f.p(1)));
            Jit jit = Jit.compile(f);
            for (float a : FLOATS) {
                for (float b : FLOATS) {
                    int expected = a > b ? 1 : a == b ? 0 : a < b ? -1 : nan;
                    assertEquals(expected, jit.callInt(a, b), a + " " + op.text + " " + b);
                }
            }
            TestIr g = TestIr.fn(op.text, Type.INT, Type.DOUBLE, Type.DOUBLE);
            g.ret(g.op(op, g.p(0), g.p(1)));
            Jit jg = Jit.compile(g);
            for (double a : DOUBLES) {
                for (double b : DOUBLES) {
                    int expected = a > b ? 1 : a == b ? 0 : a < b ? -1 : nan;
                    assertEquals(expected, jg.callInt(a, b), a + " " + op.text + " " + b);
                }
            }
        }
    }
}
