package dev.numbat.ir;

/**
 * A constant of a primitive type, or {@code null}. Floating-point constants keep their raw bits,
 * so NaN payloads and the sign of zero survive the text form.
 */
public final class Constant extends Value {
    private final long bits;

    private Constant(Type type, long bits) {
        super(type);
        this.bits = bits;
    }

    public static Constant ofInt(int v) { return new Constant(Type.INT, v); }
    public static Constant ofLong(long v) { return new Constant(Type.LONG, v); }
    public static Constant ofFloat(float v) { return new Constant(Type.FLOAT, Float.floatToRawIntBits(v)); }
    public static Constant ofDouble(double v) { return new Constant(Type.DOUBLE, Double.doubleToRawLongBits(v)); }
    public static Constant nullOf(Type type) { return new Constant(type, 0); }
    /** The {@code ValueLayout} constant a segment access names. */
    public static Constant ofLayout(SegmentLayout layout) { return new Constant(Type.LAYOUT, layout.ordinal()); }
    /** A constant of {@code type} with the given raw bits (sign-extended for sub-int types). */
    public static Constant ofBits(Type type, long bits) { return new Constant(type, bits); }

    /** Raw bits: the value for integral types, IEEE bits for floating point, 0 for null. */
    public long bits() { return bits; }
    public int intValue() { return (int) bits; }
    public long longValue() { return bits; }
    public float floatValue() { return Float.intBitsToFloat((int) bits); }
    public double doubleValue() { return Double.longBitsToDouble(bits); }
    public boolean isNull() { return type().isReference(); }
    public SegmentLayout layout() {
        if (type() != Type.LAYOUT) throw new IllegalStateException(this + " is not a layout");
        return SegmentLayout.values()[(int) bits];
    }

    @Override
    public String reference() {
        return switch (type().kind()) {
            case INT -> Integer.toString((int) bits);
            case LONG -> bits + "L";
            case FLOAT -> {
                float f = floatValue();
                yield Float.isNaN(f) && (int) bits != Float.floatToRawIntBits(Float.NaN)
                        ? String.format("f#%08x", (int) bits) : f + "f";
            }
            case DOUBLE -> {
                double d = doubleValue();
                yield Double.isNaN(d) && bits != Double.doubleToRawLongBits(Double.NaN)
                        ? String.format("d#%016x", bits) : d + "d";
            }
            case BOOLEAN, BYTE, SHORT, CHAR -> type() + " " + bits;
            case LAYOUT -> "layout " + layout().name();
            default -> "null";
        };
    }

    @Override public boolean equals(Object o) {
        return o instanceof Constant c && c.type() == type() && c.bits == bits;
    }
    @Override public int hashCode() { return Long.hashCode(bits) * 31 + type().hashCode(); }
    @Override public String toString() { return reference(); }
}
