package dev.numbat.ir;

/**
 * How the partial results of a {@link Opcode#PARALLEL} loop's chunks combine. Each is associative and
 * commutative on the values it is used for (integer add and multiply wrap; min and max follow
 * {@code Math.min}/{@code max}, NaN and signed zeros included), so the order of chunks does not matter;
 * floating-point add and multiply only under fastMath, where reassociation is allowed.
 */
public enum Reduction {
    NONE("none"), ADD("add"), MUL("mul"), MIN("min"), MAX("max");

    public final String text;

    Reduction(String text) { this.text = text; }

    /** The value a chunk's accumulator starts from: combining it with any x gives x. */
    public Constant identity(Type t) {
        return switch (this) {
            case ADD -> zero(t);
            case MUL -> switch (t.kind()) {
                case INT -> Constant.ofInt(1); case LONG -> Constant.ofLong(1);
                case FLOAT -> Constant.ofFloat(1f); default -> Constant.ofDouble(1.0);
            };
            case MIN -> switch (t.kind()) {
                case INT -> Constant.ofInt(Integer.MAX_VALUE); case LONG -> Constant.ofLong(Long.MAX_VALUE);
                case FLOAT -> Constant.ofFloat(Float.POSITIVE_INFINITY); default -> Constant.ofDouble(Double.POSITIVE_INFINITY);
            };
            case MAX -> switch (t.kind()) {
                case INT -> Constant.ofInt(Integer.MIN_VALUE); case LONG -> Constant.ofLong(Long.MIN_VALUE);
                case FLOAT -> Constant.ofFloat(Float.NEGATIVE_INFINITY); default -> Constant.ofDouble(Double.NEGATIVE_INFINITY);
            };
            case NONE -> throw new IllegalStateException("no reduction");
        };
    }

    private static Constant zero(Type t) {
        return switch (t.kind()) {
            case INT -> Constant.ofInt(0); case LONG -> Constant.ofLong(0);
            case FLOAT -> Constant.ofFloat(0f); default -> Constant.ofDouble(0.0);
        };
    }

    public static Reduction byText(String text) {
        for (Reduction r : values()) if (r.text.equals(text)) return r;
        throw new IllegalArgumentException("unknown reduction " + text);
    }
}
