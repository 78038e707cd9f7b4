package dev.numbat.runtime;

import dev.numbat.llvm.NativeAbi;
import java.lang.foreign.MemorySegment;

/** Argument and result adapters used by {@link NativeBinding}'s method-handle chain. */
final class ArrayArguments {
    private ArrayArguments() {}

    // A null array is passed as a null pointer: native code throws the NullPointerException where the
    // bytecode would, after the writes that precede it.
    static MemorySegment segment(byte[] a) { return a == null ? MemorySegment.NULL : MemorySegment.ofArray(a); }
    static MemorySegment segment(short[] a) { return a == null ? MemorySegment.NULL : MemorySegment.ofArray(a); }
    static MemorySegment segment(char[] a) { return a == null ? MemorySegment.NULL : MemorySegment.ofArray(a); }
    static MemorySegment segment(int[] a) { return a == null ? MemorySegment.NULL : MemorySegment.ofArray(a); }
    static MemorySegment segment(long[] a) { return a == null ? MemorySegment.NULL : MemorySegment.ofArray(a); }
    static MemorySegment segment(float[] a) { return a == null ? MemorySegment.NULL : MemorySegment.ofArray(a); }
    static MemorySegment segment(double[] a) { return a == null ? MemorySegment.NULL : MemorySegment.ofArray(a); }

    static int length(byte[] a) { return a == null ? 0 : a.length; }
    static int length(short[] a) { return a == null ? 0 : a.length; }
    static int length(char[] a) { return a == null ? 0 : a.length; }
    static int length(int[] a) { return a == null ? 0 : a.length; }
    static int length(long[] a) { return a == null ? 0 : a.length; }
    static int length(float[] a) { return a == null ? 0 : a.length; }
    static int length(double[] a) { return a == null ? 0 : a.length; }

    static int booleanToInt(boolean z) { return z ? 1 : 0; }
    static boolean intToBoolean(int v) { return v != 0; }
    static byte intToByte(int v) { return (byte) v; }
    static short intToShort(int v) { return (short) v; }
    static char intToChar(int v) { return (char) v; }

    /**
     * The calling thread's context block, its kind slot cleared. One array per thread, not one per call: a call that
     * allocated its own made every caller allocate 80 bytes, and the collections that followed moved the caller's
     * arrays between forks of a benchmark and within one (spmv at 128 rows: 0.55 ns per entry before the first
     * collection, 0.8-1.0 after; HotSpot and the clang twin, which allocate nothing, never saw one). Reuse is safe
     * because a block lives only from here to the check after the native call, and nothing in between runs Java
     * code that could call compiled code again on the same thread. Only the kind needs clearing ({@link NativeAbi}):
     * clearing all eight slots made a call 1.5 ns slower, and {@code Arrays.fill} 4 ns.
     */
    static long[] context() {
        long[] ctx = CONTEXT.get();
        ctx[NativeAbi.SLOT_KIND] = NativeAbi.NONE;
        return ctx;
    }

    private static final ThreadLocal<long[]> CONTEXT = ThreadLocal.withInitial(() -> new long[NativeAbi.CONTEXT_SLOTS]);
}
