package dev.numbat.llvm;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Condition;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Type;
import org.junit.jupiter.api.Test;

import static dev.numbat.llvm.TestIr.i;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Branches, switches, phis (of arrays too) and blocks the entry cannot reach. */
class ControlFlowTest {

    @Test
    void signedIntComparisons() {
        // static int f(int a, int b) { return a OP b ? 1 : 0; } for each condition
        for (Condition c : Condition.values()) {
            TestIr f = TestIr.fn("cmp" + c.text(), Type.INT, Type.INT, Type.INT);
            BasicBlock yes = f.block(), no = f.block();
            f.branch(c, f.p(0), f.p(1), yes, no);
            f.at(yes);
            f.ret(i(1));
            f.at(no);
            f.ret(i(0));
            Jit jit = Jit.compile(f);
            for (int a : Values.INTS) {
                for (int b : Values.INTS) {
                    boolean expected = switch (c) {
                        case EQ -> a == b; case NE -> a != b; case LT -> a < b; case GE -> a >= b; case GT -> a > b; case LE -> a <= b;
                    };
                    assertEquals(expected ? 1 : 0, jit.callInt(a, b), a + " " + c.text() + " " + b);
                }
            }
        }
    }

    @Test
    void switchWithDefault() {
        // static int f(int x) { switch (x) { case 1: return 10; case 5: return 50; case -3: case 7: return 7; default: return 0; } }
        TestIr f = TestIr.fn("sw", Type.INT, Type.INT);
        BasicBlock one = f.block(), five = f.block(), seven = f.block(), other = f.block();
        f.switchOn(f.p(0), new int[] {1, 5, -3, 7}, one, five, seven, seven, other);
        f.at(one);
        f.ret(i(10));
        f.at(five);
        f.ret(i(50));
        f.at(seven);
        f.ret(i(7));
        f.at(other);
        f.ret(i(0));
        Jit jit = Jit.compile(f);
        int[][] cases = {{1, 10}, {5, 50}, {-3, 7}, {7, 7}, {0, 0}, {2, 0}, {Integer.MIN_VALUE, 0}, {Integer.MAX_VALUE, 0}};
        for (int[] c : cases) assertEquals(c[1], jit.callInt(c[0]), "switch " + c[0]);
    }

    @Test
    void referencesCompareByIdentity() {
        // static int same(int[] a, int[] b) { return a == b ? 1 : a == null ? 2 : 0; }
        TestIr f = TestIr.fn("same", Type.INT, Type.arrayOf(Type.INT), Type.arrayOf(Type.INT));
        BasicBlock yes = f.block(), no = f.block(), aNull = f.block(), other = f.block();
        f.branch(Condition.EQ, f.p(0), f.p(1), yes, no);
        f.at(yes);
        f.ret(i(1));
        f.at(no);
        f.branch(Condition.NE, f.p(0), TestIr.nullArray(Type.INT), other, aNull);
        f.at(aNull);
        f.ret(i(2));
        f.at(other);
        f.ret(i(0));
        Jit jit = Jit.compile(f);
        int[] a = {1, 2}, b = {1, 2};
        assertEquals(1, jit.callInt(a, a));
        assertEquals(0, jit.callInt(a, b));
        assertEquals(1, jit.callInt(null, null));
        assertEquals(2, jit.callInt(null, b));
        assertEquals(0, jit.callInt(a, null));
    }

    @Test
    void phisOfArraysAndNull() {
        // static int pick(int c, int[] a, int[] b) { int[] x = c > 0 ? a : c < 0 ? b : null; return x == null ? -1 : x.length * 100 + x[0]; }
        TestIr f = TestIr.fn("pick", Type.INT, Type.INT, Type.arrayOf(Type.INT), Type.arrayOf(Type.INT));
        BasicBlock entry = f.current(), notPositive = f.block(), negative = f.block(), join = f.block(), isNull = f.block(), use = f.block();
        f.branch(Condition.GT, f.p(0), i(0), join, notPositive);
        f.at(notPositive);
        f.branch(Condition.LT, f.p(0), i(0), negative, join);
        f.at(negative);
        f.jump(join);
        f.at(join);
        Instruction x = f.phi(join, Type.arrayOf(Type.INT));
        f.incoming(x, entry, f.p(1));
        f.incoming(x, notPositive, TestIr.nullArray(Type.INT));
        f.incoming(x, negative, f.p(2));
        f.branch(Condition.EQ, x, TestIr.nullArray(Type.INT), isNull, use);
        f.at(isNull);
        f.ret(i(-1));
        f.at(use);
        f.ret(f.add(f.mul(f.length(x), i(100)), f.load(x, i(0))));
        Jit jit = Jit.compile(f);
        int[] a = {7, 0, 0}, b = {9};
        assertEquals(307, jit.callInt(1, a, b));
        assertEquals(109, jit.callInt(-1, a, b));
        assertEquals(-1, jit.callInt(0, a, b));
    }

    @Test
    void nestedLoopsWithLongAndDoubleCarriedValues() {
        // static double f(int n) { double s = 0; long k = 0; for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) { k += j; s += 0.5 * k; } return s + k; }
        TestIr f = TestIr.fn("nest", Type.DOUBLE, Type.INT);
        BasicBlock entry = f.current(), outer = f.block(), innerInit = f.block(), inner = f.block(), body = f.block(),
                outerNext = f.block(), exit = f.block();
        f.jump(outer);
        f.at(outer);
        Instruction iv = f.phi(outer, Type.INT), s = f.phi(outer, Type.DOUBLE), k = f.phi(outer, Type.LONG);
        f.branch(Condition.GE, iv, f.p(0), exit, innerInit);
        f.at(innerInit);
        f.jump(inner);
        f.at(inner);
        Instruction jv = f.phi(inner, Type.INT), s2 = f.phi(inner, Type.DOUBLE), k2 = f.phi(inner, Type.LONG);
        f.branch(Condition.GE, jv, iv, outerNext, body);
        f.at(body);
        Instruction k3 = f.add(k2, f.convert(jv, Type.LONG));
        Instruction s3 = f.add(s2, f.mul(TestIr.d(0.5), f.convert(k3, Type.DOUBLE)));
        Instruction j2 = f.add(jv, i(1));
        f.jump(inner);
        f.at(outerNext);
        Instruction i2 = f.add(iv, i(1));
        f.jump(outer);
        f.incoming(iv, entry, i(0));
        f.incoming(iv, outerNext, i2);
        f.incoming(s, entry, TestIr.d(0));
        f.incoming(s, outerNext, s2);
        f.incoming(k, entry, TestIr.l(0));
        f.incoming(k, outerNext, k2);
        f.incoming(jv, innerInit, i(0));
        f.incoming(jv, body, j2);
        f.incoming(s2, innerInit, s);
        f.incoming(s2, body, s3);
        f.incoming(k2, innerInit, k);
        f.incoming(k2, body, k3);
        f.at(exit);
        f.ret(f.add(s, f.convert(k, Type.DOUBLE)));
        Jit jit = Jit.compile(f);
        for (int n : new int[] {0, 1, 2, 10, 300}) {
            double sj = 0;
            long kj = 0;
            for (int a = 0; a < n; a++) for (int c = 0; c < a; c++) { kj += c; sj += 0.5 * kj; }
            assertEquals(Double.doubleToLongBits(sj + kj), Double.doubleToLongBits(jit.callDouble(n)), "n = " + n);
        }
    }

    @Test
    void phisWithOneOperandPerEdge() {
        // A switch whose cases share a target, and an if whose two edges lead to the same block: the phi
        // there has one operand per edge, as LLVM wants too.
        // static int f(int x) { int y; switch (x) { case 1: case 2: y = 5; break; default: y = 9; } return x > 0 ? y : y; }
        TestIr f = TestIr.fn("edges", Type.INT, Type.INT);
        BasicBlock entry = f.current(), join = f.block(), other = f.block(), end = f.block();
        f.switchOn(f.p(0), new int[] {1, 2}, join, join, other);
        f.at(other);
        f.jump(join);
        f.at(join);
        Instruction y = f.phi(join, Type.INT);
        f.incoming(y, entry, i(5));
        f.incoming(y, entry, i(5));
        f.incoming(y, other, i(9));
        f.branch(Condition.GT, f.p(0), i(0), end, end);
        f.at(end);
        Instruction z = f.phi(end, Type.INT);
        f.incoming(z, join, y);
        f.incoming(z, join, y);
        f.ret(z);
        Jit jit = Jit.compile(f);
        assertEquals(5, jit.callInt(1));
        assertEquals(5, jit.callInt(2));
        assertEquals(9, jit.callInt(3));
        assertEquals(9, jit.callInt(-1));
    }

    @Test
    void unreachableBlocksAreDropped() {
        // A block nothing branches to, as a frontend may leave behind after folding a branch.
        TestIr f = TestIr.fn("dead", Type.INT, Type.INT);
        BasicBlock live = f.block(), dead = f.block();
        f.jump(live);
        f.at(dead);
        Instruction x = f.add(f.p(0), i(1));
        f.jump(live);
        f.at(live);
        Instruction p = f.phi(live, Type.INT);
        f.incoming(p, f.function.entry(), f.p(0));
        f.incoming(p, dead, x);
        f.ret(f.mul(p, i(2)));
        assertEquals(42, Jit.compile(f).callInt(21));
    }
}
