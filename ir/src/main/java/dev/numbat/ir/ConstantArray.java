package dev.numbat.ir;

/**
 * A read-only table of primitive constants: a {@code private static final} array of a JDK class
 * (such as the coefficients of {@code java.lang.FdLibm}) whose contents the frontend read from the
 * class's static initializer. Elements keep their raw bits, as {@link Constant} does. Its text form
 * is {@code @owner.field}, declared once per module with its elements.
 */
public final class ConstantArray extends Value {
    private final String name;
    private final long[] bits;

    private ConstantArray(Type arrayType, String name, long[] bits) {
        super(arrayType);
        this.name = name;
        this.bits = bits.clone();
    }

    /** A table of {@code arrayType} named {@code owner.field}, with raw element bits. */
    public static ConstantArray of(Type arrayType, String name, long[] bits) {
        if (!arrayType.isArray()) throw new IllegalArgumentException(arrayType + " is not an array type");
        return new ConstantArray(arrayType, name, bits);
    }

    public String name() { return name; }
    public int length() { return bits.length; }
    /** Raw bits of element {@code k}: the value for integral types, IEEE bits for floating point. */
    public long bits(int k) { return bits[k]; }
    public Constant element(int k) { return Constant.ofBits(type().element(), bits[k]); }

    /** The declaration line of the text form: {@code table @name: double[] = [1.0d, 2.0d]}. */
    public String declaration() {
        StringBuilder b = new StringBuilder("table ").append(reference()).append(": ").append(type()).append(" = [");
        for (int k = 0; k < bits.length; k++) b.append(k == 0 ? "" : ", ").append(element(k).reference());
        return b.append(']').toString();
    }

    @Override public String reference() { return "@" + name; }
    @Override public String toString() { return reference(); }
}
