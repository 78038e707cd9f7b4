package dev.numbat.ir;

/**
 * The {@code java.lang.foreign.ValueLayout} constants a segment access may name, by their field names. All are
 * in the platform's byte order; the aligned ones require the accessed address to be a multiple of their size
 * (the JDK checks that, and so does compiled code), the {@code _UNALIGNED} ones do not.
 * {@code JAVA_BOOLEAN} and {@code ADDRESS} are not among them.
 */
public enum SegmentLayout {
    JAVA_BYTE(Type.BYTE, 1), JAVA_CHAR(Type.CHAR, 2), JAVA_SHORT(Type.SHORT, 2), JAVA_INT(Type.INT, 4),
    JAVA_LONG(Type.LONG, 8), JAVA_FLOAT(Type.FLOAT, 4), JAVA_DOUBLE(Type.DOUBLE, 8),
    JAVA_CHAR_UNALIGNED(Type.CHAR, 1), JAVA_SHORT_UNALIGNED(Type.SHORT, 1), JAVA_INT_UNALIGNED(Type.INT, 1),
    JAVA_LONG_UNALIGNED(Type.LONG, 1), JAVA_FLOAT_UNALIGNED(Type.FLOAT, 1), JAVA_DOUBLE_UNALIGNED(Type.DOUBLE, 1);

    private final Type element;
    private final int alignment;

    SegmentLayout(Type element, int alignment) {
        this.element = element;
        this.alignment = alignment;
    }

    /** The Java type read and written: get returns it, set takes it. */
    public Type element() { return element; }
    public int byteSize() { return element.byteSize(); }
    /** The byte alignment the access requires: the size for aligned layouts, 1 for unaligned ones. */
    public int alignment() { return alignment; }

    /** The JDK's {@code ValueLayout} constant of the same name. */
    public java.lang.foreign.ValueLayout valueLayout() {
        try {
            return (java.lang.foreign.ValueLayout) java.lang.foreign.ValueLayout.class.getField(name()).get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the JDK has no ValueLayout." + name(), e);
        }
    }

    /** The layout of this {@code ValueLayout} field name, or null. */
    public static SegmentLayout byFieldName(String name) {
        for (SegmentLayout l : values()) if (l.name().equals(name)) return l;
        return null;
    }
}
