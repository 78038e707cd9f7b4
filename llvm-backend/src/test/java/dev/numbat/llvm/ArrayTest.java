package dev.numbat.llvm;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Condition;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Type;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.Optional;

import static dev.numbat.llvm.TestIr.i;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Array length, load, store and allocation with the JVM's null and bounds checks. */
class ArrayTest {
    private static final Type[] ELEMENTS = {Type.BOOLEAN, Type.BYTE, Type.SHORT, Type.CHAR, Type.INT, Type.LONG, Type.FLOAT, Type.DOUBLE};

    private static void assertRaised(Jit jit, int kind, Instruction at) {
        assertEquals(kind, jit.kind(), "exception kind");
        assertEquals(at.site().bytecodeOffset(), jit.raisedAt(), "site");
    }

    private static void assertOutOfBounds(Jit jit, Instruction at, int index, int length) {
        assertRaised(jit, NativeAbi.ARRAY_INDEX_OUT_OF_BOUNDS, at);
        assertEquals(index, jit.ctx[NativeAbi.SLOT_INDEX]);
        assertEquals(length, jit.ctx[NativeAbi.SLOT_LENGTH]);
    }

    @Test
    void sumsAnIntArray() {
        TestIr f = BackendTest.intSum(); // static int sum(int[] a): the loop BackendTest also vectorises
        Instruction n = f.function.entry().instructions().get(0); // a.length, where a null array throws
        Jit jit = Jit.compile(f);

        for (int size : new int[] {0, 1, 3, 7, 8, 15, 16, 17, 100, 1001}) {
            int[] a = new int[size];
            for (int k = 0; k < size; k++) a[k] = k * 0x9E3779B9 + size;
            assertEquals(Arrays.stream(a).sum(), jit.callInt((Object) a), "size " + size);
            assertEquals(0, jit.kind());
        }
        jit.call((Object) null);
        assertRaised(jit, NativeAbi.NULL_POINTER, n);
    }

    /** static T get(T[] a, int i) { return a[i]; } */
    @Test
    void loadsWidenPerElementType() {
        for (Type e : ELEMENTS) {
            TestIr f = TestIr.fn("get", e, Type.arrayOf(e), Type.INT);
            Instruction load = f.load(f.p(0), f.p(1));
            f.ret(load);
            Jit jit = Jit.compile(f);
            Object array = sample(e);
            int length = java.lang.reflect.Array.getLength(array);
            for (int k = 0; k < length; k++) {
                Object got = jit.call(array, k);
                assertEquals(expectedElement(e, array, k), got, e + "[" + k + "]");
                assertEquals(0, jit.kind());
            }
            for (int bad : new int[] {-1, length, length + 1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
                jit.call(array, bad);
                assertOutOfBounds(jit, load, bad, length);
            }
            // Null is checked before the index.
            jit.call(null, -1);
            assertRaised(jit, NativeAbi.NULL_POINTER, load);
        }
    }

    /** static void put(T[] a, int i, T v) { a[i] = v; } */
    @Test
    void storesNarrowPerElementType() {
        for (Type e : ELEMENTS) {
            TestIr f = TestIr.fn("put", Type.VOID, Type.arrayOf(e), Type.INT, e);
            Instruction store = f.store(f.p(0), f.p(1), f.p(2));
            f.ret();
            Jit jit = Jit.compile(f);
            Object source = sample(e);
            int length = java.lang.reflect.Array.getLength(source);
            Object target = java.lang.reflect.Array.newInstance(source.getClass().getComponentType(), length);
            for (int k = 0; k < length; k++) {
                jit.call(target, k, java.lang.reflect.Array.get(source, k));
                assertEquals(0, jit.kind());
            }
            assertTrue(Arrays.deepEquals(new Object[] {source}, new Object[] {target}), e + " stores");
            Object before = clone(target);
            for (int bad : new int[] {-1, length, Integer.MIN_VALUE}) {
                jit.call(target, bad, java.lang.reflect.Array.get(source, 0));
                assertOutOfBounds(jit, store, bad, length);
            }
            assertTrue(Arrays.deepEquals(new Object[] {before}, new Object[] {target}), "an out-of-range store writes nothing");
            jit.call(null, 0, java.lang.reflect.Array.get(source, 0));
            assertRaised(jit, NativeAbi.NULL_POINTER, store);
        }
    }

    @Test
    void storesBeforeAnExceptionStay() {
        // static void fill(int[] a, int n) { for (int i = 0; i < n; i++) a[i] = i + 1; }
        TestIr f = TestIr.fn("fill", Type.VOID, Type.arrayOf(Type.INT), Type.INT);
        BasicBlock entry = f.current(), head = f.block(), body = f.block(), exit = f.block();
        f.jump(head);
        f.at(head);
        Instruction idx = f.phi(head, Type.INT);
        f.branch(Condition.GE, idx, f.p(1), exit, body);
        f.at(body);
        Instruction next = f.add(idx, i(1));
        Instruction store = f.store(f.p(0), idx, next);
        f.jump(head);
        f.incoming(idx, entry, i(0));
        f.incoming(idx, body, next);
        f.at(exit);
        f.ret();
        Jit jit = Jit.compile(f);

        int[] a = new int[5];
        jit.call(a, 8);
        assertOutOfBounds(jit, store, 5, 5);
        assertArrayEquals(new int[] {1, 2, 3, 4, 5}, a);
        int[] b = new int[1000];
        jit.call(b, 1000);
        assertEquals(0, jit.kind());
        assertEquals(1000, b[999]);
    }

    @Test
    void allocatesZeroedArrays() {
        // static long f(int n) { long[] a = new long[n]; a[n - 1] = 5; return a[n - 1] + a.length + a[n / 2]; }
        TestIr f = TestIr.fn("alloc", Type.LONG, Type.INT);
        Instruction a = f.newArray(Type.LONG, f.p(0));
        Instruction last = f.op(dev.numbat.ir.Opcode.SUB, f.p(0), i(1));
        Instruction store = f.store(a, last, TestIr.l(5));
        Instruction sum = f.add(f.load(a, last), f.convert(f.length(a), Type.LONG));
        Instruction half = f.op(dev.numbat.ir.Opcode.DIV, f.p(0), i(2));
        f.ret(f.add(sum, f.load(a, half)));
        Jit jit = Jit.compile(f);

        for (int n : new int[] {1, 2, 10, 1000, 1 << 20}) {
            long[] java = new long[n];
            java[n - 1] = 5;
            assertEquals(java[n - 1] + java.length + java[n / 2], jit.callLong(n), "n = " + n);
            assertEquals(0, jit.kind());
            assertEquals(0, jit.ctx[NativeAbi.SLOT_ALLOCATIONS], "the allocation list is emptied");
        }
        jit.call(-3);
        assertRaised(jit, NativeAbi.NEGATIVE_ARRAY_SIZE, a);
        assertEquals(-3, jit.ctx[NativeAbi.SLOT_INDEX]);
        jit.call(0);
        assertOutOfBounds(jit, store, -1, 0);
        assertEquals(0, jit.ctx[NativeAbi.SLOT_ALLOCATIONS], "freed after an exception too");
    }

    @Test
    @SuppressWarnings("restricted")
    void allocationsAreFreedWhenTheCallReturns() throws Throwable {
        // static int f(int n) { byte[] a = new byte[n]; a[n - 1] = 1; return a[n - 1] + a[0]; }
        Optional<MemorySegment> mallinfo2 = Linker.nativeLinker().defaultLookup().find("mallinfo2");
        Assumptions.assumeTrue(mallinfo2.isPresent(), "glibc mallinfo2 is needed to watch the heap");
        MemoryLayout info = MemoryLayout.sequenceLayout(10, ValueLayout.JAVA_LONG);
        MethodHandle stats = Linker.nativeLinker().downcallHandle(mallinfo2.get(),
                FunctionDescriptor.of(MemoryLayout.structLayout(info)));

        TestIr f = TestIr.fn("big", Type.INT, Type.INT);
        Instruction a = f.newArray(Type.BYTE, f.p(0));
        Instruction last = f.op(dev.numbat.ir.Opcode.SUB, f.p(0), i(1));
        f.store(a, last, dev.numbat.ir.Constant.ofBits(Type.BYTE, 1));
        f.ret(f.add(f.convert(f.load(a, last), Type.INT), f.convert(f.load(a, i(0)), Type.INT)));
        Jit jit = Jit.compile(f);

        int size = 64 << 20;
        try (Arena arena = Arena.ofConfined()) {
            long before = mmapped(stats, arena);
            for (int k = 0; k < 20; k++) {
                assertEquals(1, jit.callInt(size));
                assertEquals(0, jit.kind());
            }
            long after = mmapped(stats, arena);
            // 20 leaked blocks would be 1.3 GB; allow for unrelated allocations of the JVM.
            assertTrue(after - before < size, "mmapped bytes grew from " + before + " to " + after);
        }
    }

    /** mallinfo2().hblkhd: bytes in blocks malloc got from mmap, where large calloc blocks live. */
    private static long mmapped(MethodHandle stats, Arena arena) throws Throwable {
        MemorySegment s = (MemorySegment) stats.invokeExact((java.lang.foreign.SegmentAllocator) arena);
        return s.getAtIndex(ValueLayout.JAVA_LONG, 4);
    }

    private static Object sample(Type e) {
        return switch (e.kind()) {
            case BOOLEAN -> new byte[] {0, 1, 1, 0};
            case BYTE -> new byte[] {0, 1, -1, Byte.MIN_VALUE, Byte.MAX_VALUE};
            case SHORT -> new short[] {0, 1, -1, Short.MIN_VALUE, Short.MAX_VALUE};
            case CHAR -> new char[] {0, 1, 0x7fff, 0x8000, 0xffff};
            case INT -> new int[] {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE};
            case LONG -> new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE};
            case FLOAT -> new float[] {0f, -0f, Float.NaN, Float.MIN_VALUE, Float.NEGATIVE_INFINITY};
            case DOUBLE -> new double[] {0d, -0d, Double.NaN, Double.MIN_VALUE, Double.POSITIVE_INFINITY};
            default -> throw new IllegalArgumentException(e.toString());
        };
    }

    /** The value the native function returns: sub-int elements come back widened to int. */
    private static Object expectedElement(Type e, Object array, int k) {
        return switch (array) {
            case byte[] x -> (int) x[k];
            case short[] x -> (int) x[k];
            case char[] x -> (int) x[k];
            default -> java.lang.reflect.Array.get(array, k);
        };
    }

    private static Object clone(Object array) {
        int n = java.lang.reflect.Array.getLength(array);
        Object copy = java.lang.reflect.Array.newInstance(array.getClass().getComponentType(), n);
        System.arraycopy(array, 0, copy, 0, n);
        return copy;
    }
}
