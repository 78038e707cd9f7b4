package dev.numbat.runtime;

import static dev.numbat.llvm.NativeAbi.*;

import dev.numbat.ir.SegmentLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * MemorySegment parameters: the four values native code gets for each (see {@link dev.numbat.llvm.NativeAbi}),
 * and the replay of an access compiled code refused, so that the exception is the JDK's own.
 *
 * <p>A segment whose arena is closed, or confined to another thread, is passed with a null base and marked
 * inaccessible: the method still runs, and its first access of that segment throws there, as in Java, after the
 * writes before it. Were it passed as it is, the downcall itself would refuse it before the method began.
 * Native code never reads through a segment after its arena was closed by another thread: the downcall keeps
 * the arena of every segment it passes alive until it returns.
 */
final class SegmentArguments {
    private SegmentArguments() {}

    static MemorySegment base(MemorySegment s) { return s == null || !accessible(s) ? MemorySegment.NULL : s; }

    static long size(MemorySegment s) { return s == null ? 0 : s.byteSize(); }

    /** What alignment is checked against: the address of a native segment, the offset into the array of a heap one. */
    static long alignBase(MemorySegment s) { return s == null ? 0 : s.address(); }

    static long info(int parameter, MemorySegment s) {
        long info = (long) parameter << SEGMENT_PARAMETER_SHIFT;
        if (s == null) return info | SEGMENT_NULL;
        if (!accessible(s)) info |= SEGMENT_INACCESSIBLE;
        if (s.isReadOnly()) info |= SEGMENT_READ_ONLY;
        // As the JDK: a heap segment is aligned at most to its array's element size (an array's elements start at
        // an offset that is a multiple of it), so a wider alignment always fails.
        if (!s.isNative()) info |= heapElementSize(s);
        return info;
    }

    /**
     * The element size of a heap segment's array. A read-only heap segment does not hand out its array; the JDK
     * keeps one implementation class per element type ({@code HeapMemorySegmentImpl.OfLong} ...), and failing
     * that, {@code maxByteAlignment()} is the element size whenever the segment starts at an element-aligned offset.
     */
    private static long heapElementSize(MemorySegment s) {
        Object array = s.heapBase().orElse(null);
        if (array != null) return heapElementSize(array);
        return switch (s.getClass().getSimpleName()) {
            case "OfLong", "OfDouble" -> 8;
            case "OfInt", "OfFloat" -> 4;
            case "OfShort", "OfChar" -> 2;
            case "OfByte" -> 1;
            default -> Math.min(8, s.maxByteAlignment());
        };
    }

    private static boolean accessible(MemorySegment s) {
        return s.scope().isAlive() && s.isAccessibleBy(Thread.currentThread());
    }

    private static long heapElementSize(Object array) {
        return switch (array) {
            case long[] a -> 8;
            case double[] a -> 8;
            case int[] a -> 4;
            case float[] a -> 4;
            case short[] a -> 2;
            case char[] a -> 2;
            case null, default -> 1;
        };
    }

    /**
     * Wraps a native status check {@code (Throwable, [R], long[] ctx) -> R} into one that also receives the Java
     * arguments {@code javaParams} (which follow ctx in the target) and replays a refused segment access. The
     * arguments are gathered only on that path; {@code positions[k]} is where Java parameter k lies among them.
     */
    static MethodHandle checkWithReplay(MethodHandle check, Class<?> ret, List<Class<?>> javaParams, int[] positions)
            throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        int lead = ret == void.class ? 1 : 2;
        MethodHandle normal = MethodHandles.dropArguments(check, lead + 1, javaParams);
        MethodHandle test = lookup.findStatic(SegmentArguments.class, "isRefusedAccess",
                MethodType.methodType(boolean.class, Throwable.class, long[].class));
        if (ret != void.class) test = MethodHandles.dropArguments(test, 1, ret);
        test = MethodHandles.dropArguments(test, lead + 1, javaParams);
        MethodHandle replay = MethodHandles.insertArguments(lookup.findStatic(SegmentArguments.class, "replay",
                MethodType.methodType(Object.class, int[].class, long[].class, Object[].class)), 0, (Object) positions);
        replay = replay.asCollector(Object[].class, javaParams.size());
        replay = replay.asType(MethodType.methodType(ret, long[].class).appendParameterTypes(javaParams));
        replay = MethodHandles.dropArguments(replay, 0, ret == void.class ? List.of(Throwable.class) : List.of(Throwable.class, ret));
        return MethodHandles.guardWithTest(test, replay, normal);
    }

    static boolean isRefusedAccess(Throwable t, long[] ctx) { return t == null && ctx[SLOT_KIND] == SEGMENT_ACCESS; }

    /** Repeats the access in Java: the JDK throws, with its message. */
    static Object replay(int[] positions, long[] ctx, Object[] args) {
        long access = ctx[SLOT_LENGTH];
        int parameter = (int) (access >>> 16) & 0xFFFF, kind = (int) (access >>> 8) & 0xFF;
        SegmentLayout layout = SegmentLayout.values()[(int) access & 0xFF];
        MemorySegment s = (MemorySegment) args[positions[parameter]];
        long at = ctx[SLOT_INDEX], bits = ctx[SLOT_VALUE];
        ValueLayout l = layout.valueLayout();
        switch (kind) {
            case 0 -> get(s, l, at, false);
            case 1 -> set(s, l, at, bits, false);
            case 2 -> get(s, l, at, true);
            default -> set(s, l, at, bits, true);
        }
        throw new InternalError("numbat: compiled code refused " + layout + " access " + at + " of " + s
                + ", which the JDK allows");
    }

    private static void get(MemorySegment s, ValueLayout l, long at, boolean indexed) {
        switch (l) {
            case ValueLayout.OfByte b -> { if (indexed) s.getAtIndex(b, at); else s.get(b, at); }
            case ValueLayout.OfChar c -> { if (indexed) s.getAtIndex(c, at); else s.get(c, at); }
            case ValueLayout.OfShort h -> { if (indexed) s.getAtIndex(h, at); else s.get(h, at); }
            case ValueLayout.OfInt i -> { if (indexed) s.getAtIndex(i, at); else s.get(i, at); }
            case ValueLayout.OfLong j -> { if (indexed) s.getAtIndex(j, at); else s.get(j, at); }
            case ValueLayout.OfFloat f -> { if (indexed) s.getAtIndex(f, at); else s.get(f, at); }
            case ValueLayout.OfDouble d -> { if (indexed) s.getAtIndex(d, at); else s.get(d, at); }
            default -> throw new InternalError("layout " + l);
        }
    }

    /** The value is the one compiled code was storing, so should the JDK not throw, memory is as Java would leave it. */
    private static void set(MemorySegment s, ValueLayout l, long at, long bits, boolean indexed) {
        switch (l) {
            case ValueLayout.OfByte b -> { if (indexed) s.setAtIndex(b, at, (byte) bits); else s.set(b, at, (byte) bits); }
            case ValueLayout.OfChar c -> { if (indexed) s.setAtIndex(c, at, (char) bits); else s.set(c, at, (char) bits); }
            case ValueLayout.OfShort h -> { if (indexed) s.setAtIndex(h, at, (short) bits); else s.set(h, at, (short) bits); }
            case ValueLayout.OfInt i -> { if (indexed) s.setAtIndex(i, at, (int) bits); else s.set(i, at, (int) bits); }
            case ValueLayout.OfLong j -> { if (indexed) s.setAtIndex(j, at, bits); else s.set(j, at, bits); }
            case ValueLayout.OfFloat f -> {
                float v = Float.intBitsToFloat((int) bits);
                if (indexed) s.setAtIndex(f, at, v); else s.set(f, at, v);
            }
            case ValueLayout.OfDouble d -> {
                double v = Double.longBitsToDouble(bits);
                if (indexed) s.setAtIndex(d, at, v); else s.set(d, at, v);
            }
            default -> throw new InternalError("layout " + l);
        }
    }
}
