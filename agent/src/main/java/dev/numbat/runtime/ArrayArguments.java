package dev.numbat.runtime;

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

    static long[] newContext() { return new long[dev.numbat.llvm.NativeAbi.CONTEXT_SLOTS]; }
}
