package dev.numbat.differential;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Function;

/**
 * MemorySegment arguments in differential tests: each run gets its own copy of the same kind (native at the same
 * address modulo 64, or a slice of a copied array at the same offset; read-only, closed or owned by another
 * thread as the original), and the JDK's messages, which print the segment, name the argument instead.
 */
public final class Segments {
    private Segments() {}

    static MemorySegment copy(MemorySegment s) {
        if (!s.scope().isAlive()) {
            Arena arena = Arena.ofConfined();
            MemorySegment closed = nativeLike(s, arena);
            arena.close();
            return closed;
        }
        if (!s.isAccessibleBy(Thread.currentThread())) return ownedByAnotherThread(arena -> nativeLike(s, arena));
        MemorySegment c;
        if (s.isNative()) {
            c = nativeLike(s, Arena.ofAuto());
        } else {
            // A read-only heap segment does not give its array: one of the same element size (all the JDK's
            // alignment rules look at) and length does as well.
            Object array = s.heapBase().orElse(null);
            long elementSize = Math.min(8, s.maxByteAlignment());
            int length = (int) ((s.address() + s.byteSize() + elementSize - 1) / elementSize);
            c = switch (array) {
                case byte[] a -> MemorySegment.ofArray(a.clone());
                case short[] a -> MemorySegment.ofArray(a.clone());
                case char[] a -> MemorySegment.ofArray(a.clone());
                case int[] a -> MemorySegment.ofArray(a.clone());
                case long[] a -> MemorySegment.ofArray(a.clone());
                case float[] a -> MemorySegment.ofArray(a.clone());
                case double[] a -> MemorySegment.ofArray(a.clone());
                case null -> switch ((int) elementSize) {
                    case 8 -> MemorySegment.ofArray(new long[length]);
                    case 4 -> MemorySegment.ofArray(new int[length]);
                    case 2 -> MemorySegment.ofArray(new short[length]);
                    default -> MemorySegment.ofArray(new byte[length]);
                };
                default -> throw new IllegalArgumentException("heap segment over " + array);
            };
            c = c.asSlice(s.address(), s.byteSize());
        }
        MemorySegment.copy(s, 0, c, 0, s.byteSize());
        return s.isReadOnly() ? c.asReadOnly() : c;
    }

    private static MemorySegment nativeLike(MemorySegment s, Arena arena) {
        return arena.allocate(s.byteSize() + 64, 64).asSlice(s.address() & 63, s.byteSize());
    }

    /** A segment of a confined arena whose owner thread has ended: no other thread may use it. */
    public static MemorySegment ownedByAnotherThread(Function<Arena, MemorySegment> allocate) {
        MemorySegment[] made = new MemorySegment[1];
        Thread t = new Thread(() -> made[0] = allocate.apply(Arena.ofConfined()));
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return made[0];
    }

    static boolean sameContents(Object a, Object b) { return firstDifference(a, b) < 0; }

    /** -1 when equal (or when neither can be read from this thread). */
    static long firstDifference(Object a, Object b) {
        MemorySegment x = (MemorySegment) a, y = (MemorySegment) b;
        boolean readable = x.scope().isAlive() && x.isAccessibleBy(Thread.currentThread());
        return readable ? x.mismatch(y) : -1;
    }

    /** The throwable with each segment argument's text replaced by its name, for comparing messages. */
    static Throwable named(Throwable t, Object[] args) {
        if (t == null || t.getMessage() == null) return t;
        String m = t.getMessage();
        boolean changed = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof MemorySegment s && m.contains(s.toString())) {
                m = m.replace(s.toString(), "<segment argument " + i + ">");
                changed = true;
            }
        }
        if (!changed) return t;
        try {
            return t.getClass().getConstructor(String.class).newInstance(m);
        } catch (ReflectiveOperationException e) {
            return new RuntimeException(t.getClass().getName() + ": " + m);
        }
    }
}
