package dev.numbat.llvm;

/**
 * The calling convention of compiled entry points, shared with the runtime that calls them.
 *
 * <p>{@code RET entry(int64_t *ctx, params...)}: boolean, byte, short, char and int travel as a 32-bit int
 * (already in range), long as 64-bit, float and double as themselves, and each array as two parameters,
 * a pointer to element 0 (null for a null reference) and an int length, and each {@code MemorySegment} as
 * four: its base pointer, its {@code byteSize()}, the base its alignment is checked against and an info word
 * (see {@link #SEGMENT_NULL}). The result is void, a 32-bit int
 * for boolean..int (already narrowed, booleans 0 or 1), a long, a float or a double.
 *
 * <p>{@code ctx} points at {@link #CONTEXT_SLOTS} longs, slot {@link #SLOT_KIND} holding {@link #NONE}; the others may
 * hold anything (the runtime reuses one block per thread). When the code raises a Java exception it stores its kind
 * in slot {@link #SLOT_KIND}, the details that kind has in {@link #SLOT_INDEX}, {@link #SLOT_LENGTH} and
 * {@link #SLOT_VALUE}, the site number in {@link #SLOT_SITE} (an index into {@link NativeCode#sites()}, or -1 when
 * no instruction is to blame), and returns at once with a meaningless result: every slot read for a kind is written
 * with it. Stores to arrays made before the exception stay. The remaining slots are private to the compiled code,
 * which sets them at entry.
 */
public final class NativeAbi {
    public static final int CONTEXT_SLOTS = 8;

    public static final int SLOT_KIND = 0;
    /** The index of an ArrayIndexOutOfBoundsException, or the size of a NegativeArraySizeException. */
    public static final int SLOT_INDEX = 1;
    /** The array length of an ArrayIndexOutOfBoundsException. */
    public static final int SLOT_LENGTH = 2;
    public static final int SLOT_SITE = 3;
    /** Private: the lowest stack address native frames may reach. */
    static final int SLOT_STACK_LIMIT = 4;
    /** Private: head of the list of arrays allocated during this call, freed when it returns. */
    static final int SLOT_ALLOCATIONS = 5;
    /** For {@link #SEGMENT_ACCESS}: the bits of the value a set would have stored. */
    public static final int SLOT_VALUE = 6;

    // The info word of a MemorySegment argument. Its low 32 bits are the segment's alignment mask as the JDK
    // checks it (0 for native segments, the array's element size for heap segments): an access with alignment
    // a is aligned when ((alignment base + offset) | mask) & (a - 1) is 0.
    /** The segment reference is null: any access throws NullPointerException. */
    public static final long SEGMENT_NULL = 1L << 32;
    /** The segment is read-only: a set fails. */
    public static final long SEGMENT_READ_ONLY = 1L << 33;
    /** The segment's arena is closed, or confined to another thread: every access fails (the base is null). */
    public static final long SEGMENT_INACCESSIBLE = 1L << 34;
    /** Bits 40 to 55 of the info word hold the index of the Java parameter the segment came from. */
    public static final int SEGMENT_PARAMETER_SHIFT = 40;

    public static final int NONE = 0;
    public static final int ARRAY_INDEX_OUT_OF_BOUNDS = 1;
    /** ArithmeticException("/ by zero"). */
    public static final int DIVISION_BY_ZERO = 2;
    public static final int NULL_POINTER = 3;
    public static final int NEGATIVE_ARRAY_SIZE = 4;
    /** OutOfMemoryError: calloc failed. */
    public static final int OUT_OF_MEMORY = 5;
    public static final int STACK_OVERFLOW = 6;
    /** ArithmeticException("integer overflow"). */
    public static final int INTEGER_OVERFLOW = 7;
    /** ArithmeticException("long overflow"). */
    public static final int LONG_OVERFLOW = 8;
    /**
     * A MemorySegment access the JDK would refuse (closed or foreign-thread segment, read-only, out of bounds or
     * misaligned): the runtime repeats it in Java to throw the JDK's own exception. {@link #SLOT_INDEX} holds the
     * offset or index, {@link #SLOT_LENGTH} the access ({@link #segmentAccess}), {@link #SLOT_VALUE} a set's value.
     */
    public static final int SEGMENT_ACCESS = 9;

    /** The access code in {@link #SLOT_LENGTH}: parameter index, kind (0 get, 1 set, 2 getAtIndex, 3 setAtIndex), layout. */
    public static long segmentAccess(int parameter, int kind, int layoutOrdinal) {
        return ((long) parameter << 16) | (kind << 8) | layoutOrdinal;
    }

    private NativeAbi() {}
}
