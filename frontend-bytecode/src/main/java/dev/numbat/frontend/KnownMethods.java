package dev.numbat.frontend;

import dev.numbat.ir.Intrinsic;
import java.util.HashMap;
import java.util.Map;

/**
 * JDK static methods lowered as IR intrinsics instead of being compiled from their bytecode. Only
 * {@code Math} (not {@code StrictMath}) gets the transcendental functions, since {@code StrictMath}
 * must be bit-exact with fdlibm and is compiled from the JDK's own Java port of it; functions whose
 * result is exactly specified (sqrt, floor, abs, min, ...) map for both.
 */
final class KnownMethods {
    private static final Map<String, Intrinsic> BY_METHOD = new HashMap<>();

    static {
        for (String owner : new String[] {"java/lang/Math", "java/lang/StrictMath"}) {
            add(owner, "sqrt", Intrinsic.SQRT, "(D)D");
            add(owner, "floor", Intrinsic.FLOOR, "(D)D");
            add(owner, "ceil", Intrinsic.CEIL, "(D)D");
            add(owner, "rint", Intrinsic.RINT, "(D)D");
            add(owner, "abs", Intrinsic.ABS, "(I)I", "(J)J", "(F)F", "(D)D");
            add(owner, "min", Intrinsic.MIN, "(II)I", "(JJ)J", "(FF)F", "(DD)D");
            add(owner, "max", Intrinsic.MAX, "(II)I", "(JJ)J", "(FF)F", "(DD)D");
            add(owner, "signum", Intrinsic.SIGNUM, "(F)F", "(D)D");
            add(owner, "fma", Intrinsic.FMA, "(FFF)F", "(DDD)D");
            add(owner, "round", Intrinsic.ROUND, "(F)I", "(D)J");
            add(owner, "addExact", Intrinsic.ADD_EXACT, "(II)I", "(JJ)J");
            add(owner, "subtractExact", Intrinsic.SUBTRACT_EXACT, "(II)I", "(JJ)J");
            add(owner, "multiplyExact", Intrinsic.MULTIPLY_EXACT, "(II)I", "(JJ)J");
            add(owner, "negateExact", Intrinsic.NEGATE_EXACT, "(I)I", "(J)J");
            add(owner, "incrementExact", Intrinsic.INCREMENT_EXACT, "(I)I", "(J)J");
            add(owner, "decrementExact", Intrinsic.DECREMENT_EXACT, "(I)I", "(J)J");
            add(owner, "toIntExact", Intrinsic.TO_INT_EXACT, "(J)I");
        }
        String math = "java/lang/Math";
        // StrictMath.copySign treats the sign of a NaN as positive; Math's may not: only Math's is the instruction.
        add(math, "copySign", Intrinsic.COPY_SIGN, "(FF)F", "(DD)D");
        add(math, "cbrt", Intrinsic.CBRT, "(D)D");
        add(math, "sin", Intrinsic.SIN, "(D)D");
        add(math, "cos", Intrinsic.COS, "(D)D");
        add(math, "tan", Intrinsic.TAN, "(D)D");
        add(math, "asin", Intrinsic.ASIN, "(D)D");
        add(math, "acos", Intrinsic.ACOS, "(D)D");
        add(math, "atan", Intrinsic.ATAN, "(D)D");
        add(math, "sinh", Intrinsic.SINH, "(D)D");
        add(math, "cosh", Intrinsic.COSH, "(D)D");
        add(math, "tanh", Intrinsic.TANH, "(D)D");
        add(math, "exp", Intrinsic.EXP, "(D)D");
        add(math, "expm1", Intrinsic.EXPM1, "(D)D");
        add(math, "log", Intrinsic.LOG, "(D)D");
        add(math, "log10", Intrinsic.LOG10, "(D)D");
        add(math, "log1p", Intrinsic.LOG1P, "(D)D");
        add(math, "atan2", Intrinsic.ATAN2, "(DD)D");
        add(math, "pow", Intrinsic.POW, "(DD)D");
        add(math, "hypot", Intrinsic.HYPOT, "(DD)D");
        add("java/lang/Integer", "bitCount", Intrinsic.BIT_COUNT, "(I)I");
        add("java/lang/Long", "bitCount", Intrinsic.BIT_COUNT, "(J)I");
        add("java/lang/Integer", "numberOfLeadingZeros", Intrinsic.NUMBER_OF_LEADING_ZEROS, "(I)I");
        add("java/lang/Long", "numberOfLeadingZeros", Intrinsic.NUMBER_OF_LEADING_ZEROS, "(J)I");
        add("java/lang/Integer", "numberOfTrailingZeros", Intrinsic.NUMBER_OF_TRAILING_ZEROS, "(I)I");
        add("java/lang/Long", "numberOfTrailingZeros", Intrinsic.NUMBER_OF_TRAILING_ZEROS, "(J)I");
        add("java/lang/Integer", "rotateLeft", Intrinsic.ROTATE_LEFT, "(II)I");
        add("java/lang/Long", "rotateLeft", Intrinsic.ROTATE_LEFT, "(JI)J");
        add("java/lang/Integer", "rotateRight", Intrinsic.ROTATE_RIGHT, "(II)I");
        add("java/lang/Long", "rotateRight", Intrinsic.ROTATE_RIGHT, "(JI)J");
        add("java/lang/Integer", "reverse", Intrinsic.REVERSE, "(I)I");
        add("java/lang/Long", "reverse", Intrinsic.REVERSE, "(J)J");
        add("java/lang/Integer", "reverseBytes", Intrinsic.REVERSE_BYTES, "(I)I");
        add("java/lang/Long", "reverseBytes", Intrinsic.REVERSE_BYTES, "(J)J");
        add("java/lang/Float", "floatToRawIntBits", Intrinsic.FLOAT_TO_RAW_INT_BITS, "(F)I");
        add("java/lang/Float", "intBitsToFloat", Intrinsic.INT_BITS_TO_FLOAT, "(I)F");
        add("java/lang/Double", "doubleToRawLongBits", Intrinsic.DOUBLE_TO_RAW_LONG_BITS, "(D)J");
        add("java/lang/Double", "longBitsToDouble", Intrinsic.LONG_BITS_TO_DOUBLE, "(J)D");
    }

    private static void add(String owner, String name, Intrinsic intrinsic, String... descriptors) {
        for (String d : descriptors) BY_METHOD.put(owner + "." + name + d, intrinsic);
    }

    private KnownMethods() {}

    /** The intrinsic for {@code owner.name(desc)}, or null to compile the method's bytecode. */
    static Intrinsic intrinsic(String owner, String name, String descriptor) {
        return BY_METHOD.get(owner + "." + name + descriptor);
    }
}
