package dev.numbat.ir;

import java.util.Objects;

/**
 * The Java type of an IR value: a primitive, {@code void}, an array of a primitive (one or two dimensions),
 * a {@code java.lang.foreign.MemorySegment}, or the {@code ValueLayout} constant that a segment access names.
 * Sub-int primitives ({@code boolean byte short char}) only appear where Java keeps them apart from
 * {@code int}: parameters, return values, array elements and the narrowing conversions; arithmetic
 * is always on {@code int long float double}, as on the JVM operand stack.
 */
public final class Type {
    public enum Kind { VOID, BOOLEAN, BYTE, SHORT, CHAR, INT, LONG, FLOAT, DOUBLE, ARRAY, NULL, SEGMENT, LAYOUT }

    public static final Type VOID = new Type(Kind.VOID, null, "void", 'V');
    public static final Type BOOLEAN = new Type(Kind.BOOLEAN, null, "boolean", 'Z');
    public static final Type BYTE = new Type(Kind.BYTE, null, "byte", 'B');
    public static final Type SHORT = new Type(Kind.SHORT, null, "short", 'S');
    public static final Type CHAR = new Type(Kind.CHAR, null, "char", 'C');
    public static final Type INT = new Type(Kind.INT, null, "int", 'I');
    public static final Type LONG = new Type(Kind.LONG, null, "long", 'J');
    public static final Type FLOAT = new Type(Kind.FLOAT, null, "float", 'F');
    public static final Type DOUBLE = new Type(Kind.DOUBLE, null, "double", 'D');
    /** The type of the {@code null} constant before it meets an array type. */
    public static final Type NULL = new Type(Kind.NULL, null, "null", '?');
    /** A {@code java.lang.foreign.MemorySegment}: off-heap or heap memory with a size, accessed through layouts. */
    public static final Type SEGMENT = new Type(Kind.SEGMENT, null, "MemorySegment", 'L');
    /**
     * A {@code ValueLayout} constant ({@code JAVA_DOUBLE} ...): only ever a {@link Constant} operand of a segment
     * access, naming the element type, size and alignment; see {@link SegmentLayout}.
     */
    public static final Type LAYOUT = new Type(Kind.LAYOUT, null, "layout", 'L');
    static final String SEGMENT_DESCRIPTOR = "Ljava/lang/foreign/MemorySegment;";
    private static final String LAYOUT_DESCRIPTOR_PREFIX = "Ljava/lang/foreign/ValueLayout$Of";

    private static final Type[] PRIMITIVES = {BOOLEAN, BYTE, SHORT, CHAR, INT, LONG, FLOAT, DOUBLE};
    private static final Type[] ARRAYS = new Type[PRIMITIVES.length];
    /** Arrays of primitive arrays ({@code double[][]}): parameters whose rows are passed as (data, length) pairs. */
    private static final Type[] ARRAYS_OF_ARRAYS = new Type[PRIMITIVES.length];
    static {
        for (int i = 0; i < PRIMITIVES.length; i++) {
            Type e = PRIMITIVES[i];
            ARRAYS[i] = new Type(Kind.ARRAY, e, e.name + "[]", '[');
            ARRAYS_OF_ARRAYS[i] = new Type(Kind.ARRAY, ARRAYS[i], e.name + "[][]", '[');
        }
    }

    private final Kind kind;
    private final Type element;
    private final String name;
    private final char descriptor;

    private Type(Kind kind, Type element, String name, char descriptor) {
        this.kind = kind;
        this.element = element;
        this.name = name;
        this.descriptor = descriptor;
    }

    /** The array type whose elements are {@code element}: a primitive, or a one-dimensional primitive array. */
    public static Type arrayOf(Type element) {
        for (int i = 0; i < PRIMITIVES.length; i++) {
            if (PRIMITIVES[i] == element) return ARRAYS[i];
            if (ARRAYS[i] == element) return ARRAYS_OF_ARRAYS[i];
        }
        throw new IllegalArgumentException("no array of " + element);
    }

    /** An array whose elements are arrays ({@code double[][]}). */
    public boolean isArrayOfArrays() { return kind == Kind.ARRAY && element.kind == Kind.ARRAY; }

    /** Parses the text form ({@code int}, {@code double[]}, ...); null when the text names no type. */
    public static Type parse(String text) {
        if (text.endsWith("[]")) {
            Type e = parse(text.substring(0, text.length() - 2));
            return e == null || !(e.isPrimitive() || e.isArray() && !e.isArrayOfArrays()) ? null : arrayOf(e);
        }
        for (Type t : new Type[] {VOID, NULL, BOOLEAN, BYTE, SHORT, CHAR, INT, LONG, FLOAT, DOUBLE, SEGMENT, LAYOUT}) {
            if (t.name.equals(text)) return t;
        }
        return null;
    }

    /** The type for a JVM field descriptor such as {@code I} or {@code [D}; null when unsupported. */
    public static Type fromDescriptor(String desc) {
        if ((desc.length() == 2 || desc.length() == 3) && desc.charAt(0) == '[') {
            Type e = fromDescriptor(desc.substring(1));
            return e == null || !(e.isPrimitive() || e.isArray() && !e.isArrayOfArrays()) ? null : arrayOf(e);
        }
        if (desc.equals(SEGMENT_DESCRIPTOR)) return SEGMENT;
        if (desc.startsWith(LAYOUT_DESCRIPTOR_PREFIX)) return LAYOUT;
        if (desc.length() != 1) return null;
        for (Type t : new Type[] {VOID, BOOLEAN, BYTE, SHORT, CHAR, INT, LONG, FLOAT, DOUBLE}) {
            if (t.descriptor == desc.charAt(0)) return t;
        }
        return null;
    }

    public Kind kind() { return kind; }
    public Type element() { return Objects.requireNonNull(element, () -> this + " is not an array"); }
    public boolean isArray() { return kind == Kind.ARRAY; }
    public boolean isSegment() { return kind == Kind.SEGMENT; }
    public boolean isReference() { return kind == Kind.ARRAY || kind == Kind.NULL; }
    public boolean isPrimitive() { return kind.ordinal() >= Kind.BOOLEAN.ordinal() && kind.ordinal() <= Kind.DOUBLE.ordinal(); }
    public boolean isFloating() { return kind == Kind.FLOAT || kind == Kind.DOUBLE; }
    /** int or long: the types that integer arithmetic, shifts and bitwise operations work on. */
    public boolean isIntegral() { return kind == Kind.INT || kind == Kind.LONG; }
    /** The four types arithmetic works on. */
    public boolean isArithmetic() { return isIntegral() || isFloating(); }
    /** boolean, byte, short or char: held in an int on the operand stack. */
    public boolean isSubInt() { return kind.ordinal() >= Kind.BOOLEAN.ordinal() && kind.ordinal() <= Kind.CHAR.ordinal(); }
    /** The type a value of this type has on the JVM operand stack. */
    public Type stackType() { return isSubInt() ? INT : this; }
    /** Size in bytes of one value in an array. */
    public int byteSize() {
        return switch (kind) {
            case BOOLEAN, BYTE -> 1;
            case SHORT, CHAR -> 2;
            case INT, FLOAT -> 4;
            case LONG, DOUBLE -> 8;
            default -> throw new IllegalStateException(this + " has no element size");
        };
    }
    /** The JVM descriptor letter(s): {@code I}, {@code [D}. */
    public String descriptor() {
        if (kind == Kind.SEGMENT) return SEGMENT_DESCRIPTOR;
        if (kind == Kind.LAYOUT) throw new IllegalStateException("a layout has several descriptors");
        return kind == Kind.ARRAY ? "[" + element.descriptor() : String.valueOf(descriptor);
    }
    /** One letter for conversion names ({@code i2l}): z b s c i l f d. */
    public char letter() { return "vzbscilfd".charAt(kind.ordinal()); }

    @Override public String toString() { return name; }
}
