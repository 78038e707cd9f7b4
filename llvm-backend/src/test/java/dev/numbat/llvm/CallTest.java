package dev.numbat.llvm;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Condition;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Type;
import org.junit.jupiter.api.Test;

import static dev.numbat.llvm.TestIr.i;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Calls between functions of a module: results, arrays both ways, exceptions and stack overflow. */
class CallTest {

    @Test
    void recursiveFibonacci() {
        // static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
        TestIr f = TestIr.fn("fib", Type.INT, Type.INT);
        BasicBlock small = f.block(), big = f.block();
        f.branch(Condition.LT, f.p(0), i(2), small, big);
        f.at(small);
        f.ret(f.p(0));
        f.at(big);
        Instruction a = f.call(f, f.sub(f.p(0), i(1)));
        Instruction b = f.call(f, f.sub(f.p(0), i(2)));
        f.ret(f.add(a, b));
        Jit jit = Jit.compile(f);
        int[] expected = {0, 1, 1, 2, 3, 5, 8, 13, 21, 34};
        for (int n = 0; n < expected.length; n++) assertEquals(expected[n], jit.callInt(n));
        assertEquals(75025, jit.callInt(25));
        assertEquals(0, jit.kind());
    }

    /** static int depth(int n) { if (n == 0) return 0; return depth(n - 1) + 1; } */
    private static TestIr depth() {
        TestIr f = TestIr.fn("depth", Type.INT, Type.INT);
        BasicBlock done = f.block(), deeper = f.block();
        f.branch(Condition.EQ, f.p(0), i(0), done, deeper);
        f.at(done);
        f.ret(i(0));
        f.at(deeper);
        f.ret(f.add(f.call(f, f.sub(f.p(0), i(1))), i(1)));
        return f;
    }

    @Test
    void deepRecursionRaisesStackOverflowInsteadOfCrashing() {
        TestIr f = depth();
        Instruction call = f.function.blocks().get(2).instructions().stream().filter(x -> x.opcode() == Opcode.CALL).findFirst().orElseThrow();
        Jit jit = Jit.compile(f);
        assertEquals(1000, jit.callInt(1000));
        assertEquals(0, jit.kind());
        jit.call(10_000_000);
        assertEquals(NativeAbi.STACK_OVERFLOW, jit.kind());
        assertEquals(call.site().bytecodeOffset(), jit.raisedAt(), "blamed on the call that could not be made");
        // The thread is fine afterwards.
        assertEquals(5000, jit.callInt(5000));
        assertEquals(0, jit.kind());
    }

    @Test
    void theStackLimitFollowsTheOptions() {
        Jit small = Jit.compile(depth(), new CompileOptions(false, 16 * 1024));
        small.call(100_000);
        assertEquals(NativeAbi.STACK_OVERFLOW, small.kind());
        Jit large = Jit.compile(depth(), new CompileOptions(false, 2 * 1024 * 1024));
        assertEquals(20_000, large.callInt(20_000));
    }

    @Test
    void exceptionsPropagateFromCallees() {
        // static void outer(int[] a, int d) { a[0] = 1; a[1] = inner(d); a[2] = 3; }
        // static int inner(int d) { return 100 / d; }
        TestIr outer = TestIr.fn("outer", Type.VOID, Type.arrayOf(Type.INT), Type.INT);
        TestIr inner = outer.also("inner", Type.INT, Type.INT);
        Instruction div = inner.op(Opcode.DIV, i(100), inner.p(0));
        inner.ret(div);
        outer.store(outer.p(0), i(0), i(1));
        outer.store(outer.p(0), i(1), outer.call(inner, outer.p(1)));
        outer.store(outer.p(0), i(2), i(3));
        outer.ret();
        Jit jit = Jit.compile(outer);

        int[] a = new int[3];
        jit.call(a, 5);
        assertArrayEquals(new int[] {1, 20, 3}, a);
        a = new int[3];
        jit.call(a, 0);
        assertEquals(NativeAbi.DIVISION_BY_ZERO, jit.kind());
        assertEquals(div.site().bytecodeOffset(), jit.raisedAt(), "the callee's site, not the call's");
        assertArrayEquals(new int[] {1, 0, 0}, a, "the store before the call stays, none after it happens");
    }

    @Test
    void arraysPassAndReturnBetweenFunctions() {
        // static long outer(int n) { long[] a = make(n); fill(a); return a[n - 1] + a.length; }
        // static long[] make(int n) { return new long[n]; }
        // static void fill(long[] a) { for (int i = 0; i < a.length; i++) a[i] = i * 10L; }
        TestIr outer = TestIr.fn("outer", Type.LONG, Type.INT);
        TestIr make = outer.also("make", Type.arrayOf(Type.LONG), Type.INT);
        TestIr fill = outer.also("fill", Type.VOID, Type.arrayOf(Type.LONG));
        make.ret(make.newArray(Type.LONG, make.p(0)));

        BasicBlock entry = fill.current(), head = fill.block(), body = fill.block(), exit = fill.block();
        Instruction n = fill.length(fill.p(0));
        fill.jump(head);
        fill.at(head);
        Instruction idx = fill.phi(head, Type.INT);
        fill.branch(Condition.GE, idx, n, exit, body);
        fill.at(body);
        fill.store(fill.p(0), idx, fill.mul(fill.convert(idx, Type.LONG), TestIr.l(10)));
        Instruction next = fill.add(idx, i(1));
        fill.jump(head);
        fill.incoming(idx, entry, i(0));
        fill.incoming(idx, body, next);
        fill.at(exit);
        fill.ret();

        Instruction a = outer.call(make, outer.p(0));
        outer.call(fill, a);
        Instruction last = outer.load(a, outer.sub(outer.p(0), i(1)));
        outer.ret(outer.add(last, outer.convert(outer.length(a), Type.LONG)));
        Jit jit = Jit.compile(outer);

        assertEquals(90 + 10, jit.callLong(10));
        assertEquals(0, jit.ctx[NativeAbi.SLOT_ALLOCATIONS]);
        jit.call(-1);
        assertEquals(NativeAbi.NEGATIVE_ARRAY_SIZE, jit.kind());
        assertEquals(-1, jit.ctx[NativeAbi.SLOT_INDEX]);
    }

    @Test
    void nullArraysPassThroughCalls() {
        // static int outer(int[] a) { return len(a) + len(null); }  static int len(int[] a) { return a == null ? -1 : a.length; }
        TestIr outer = TestIr.fn("outer", Type.INT, Type.arrayOf(Type.INT));
        TestIr len = outer.also("len", Type.INT, Type.arrayOf(Type.INT));
        BasicBlock isNull = len.block(), notNull = len.block();
        len.branch(Condition.EQ, len.p(0), TestIr.nullArray(Type.INT), isNull, notNull);
        len.at(isNull);
        len.ret(i(-1));
        len.at(notNull);
        len.ret(len.length(len.p(0)));
        outer.ret(outer.add(outer.call(len, outer.p(0)), outer.call(len, TestIr.nullArray(Type.INT))));
        Jit jit = Jit.compile(outer);
        assertEquals(6, jit.callInt((Object) new int[7]));
        assertEquals(-2, jit.callInt((Object) null));
        assertTrue(jit.code.sites().size() >= 3);
    }
}
