package dev.numbat.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * Library functions the backends lower directly rather than by compiling the JDK's bytecode for them.
 * Each names the JVM signatures it accepts, written as parameter letters, '>', the result letter
 * (z b s c i l f d, as in descriptors but with l for long; a for an array of any primitive type).
 *
 * <p>Only {@code Math} functions (whose results may differ from {@code StrictMath} by the ulp bound
 * of their Javadoc) and functions whose JDK body is native, throws, or has a better machine
 * instruction are here; everything else in the JDK is compiled from its bytecode, so it is exact.
 */
public enum Intrinsic {
    SQRT("d>d"), CBRT("d>d"), FLOOR("d>d"), CEIL("d>d"), RINT("d>d"),
    SIN("d>d"), COS("d>d"), TAN("d>d"), ASIN("d>d"), ACOS("d>d"), ATAN("d>d"),
    SINH("d>d"), COSH("d>d"), TANH("d>d"), EXP("d>d"), EXPM1("d>d"), LOG("d>d"), LOG10("d>d"), LOG1P("d>d"),
    ATAN2("dd>d"), POW("dd>d"), HYPOT("dd>d"),
    ABS("i>i", "l>l", "f>f", "d>d"), MIN("ii>i", "ll>l", "ff>f", "dd>d"), MAX("ii>i", "ll>l", "ff>f", "dd>d"),
    SIGNUM("f>f", "d>d"), COPY_SIGN("ff>f", "dd>d"), FMA("fff>f", "ddd>d"),
    ROUND("f>i", "d>l"),
    BIT_COUNT("i>i", "l>i"), NUMBER_OF_LEADING_ZEROS("i>i", "l>i"), NUMBER_OF_TRAILING_ZEROS("i>i", "l>i"),
    ROTATE_LEFT("ii>i", "li>l"), ROTATE_RIGHT("ii>i", "li>l"), REVERSE("i>i", "l>l"), REVERSE_BYTES("i>i", "l>l"),
    FLOAT_TO_RAW_INT_BITS("f>i"), INT_BITS_TO_FLOAT("i>f"), DOUBLE_TO_RAW_LONG_BITS("d>l"), LONG_BITS_TO_DOUBLE("l>d"),
    /**
     * Numbat's own, never lifted from bytecode: the compiled method's switch for the code specialised to its profile,
     * a bit set of {@link #SWITCH_ENTRY_COPY} and {@link #SWITCH_LOOP_VERSIONS}, all on at first; the runtime times the
     * settings and keeps the fastest. Versions added inside a function ({@code TripCountVersioning}) test their bit.
     */
    PROFILE_VERSIONS(">i"),
    /**
     * Numbat's own, never lifted from bytecode: {@code inRange(index, length)} is {@code index}, which a guard before
     * the loop proved to lie in {@code [0, length)} ({@code RangeCheckVersioning}), where {@code length} is an
     * {@code alength} of the array the index reaches: an access to that array through it needs no bounds check.
     */
    IN_RANGE("ii>i"),
    /**
     * Numbat's own, never lifted from bytecode: {@code addNoWrap(counter, shift)} is {@code counter + shift}, which a
     * guard before the loop proved to stay within int wherever it runs ({@code RangeCheckVersioning}): LLVM's
     * {@code add nsw}, so that an index {@code row + x} steps with the counter where LLVM can see it.
     */
    ADD_NO_WRAP("ii>i"),
    /** Numbat's own, never lifted from bytecode: {@code mulNoWrap(a, b)}, as {@link #ADD_NO_WRAP} for a product ({@code y * w}). */
    MUL_NO_WRAP("ii>i"),
    /**
     * Numbat's own, never lifted from bytecode: {@code alignPeel(array, index)} is how many elements, from 0 to one
     * less than the elements in 64 bytes, lie between {@code array[index]} and the first element at or after it whose
     * address is a multiple of 64 ({@code AlignmentPeeling}). It reads nothing (the array may be null and the index
     * out of range) and depends on where the array lies, so it may differ from call to call; only how many iterations
     * run in which copy of a loop depends on it, never what they compute. 0 where addresses mean nothing (PTX).
     */
    ALIGN_PEEL("ai>i"),
    /** Math.addExact and friends: ArithmeticException("integer overflow" / "long overflow"). */
    ADD_EXACT("ii>i", "ll>l"), SUBTRACT_EXACT("ii>i", "ll>l"), MULTIPLY_EXACT("ii>i", "ll>l"),
    NEGATE_EXACT("i>i", "l>l"), INCREMENT_EXACT("i>i", "l>l"), DECREMENT_EXACT("i>i", "l>l"),
    TO_INT_EXACT("l>i");

    /** {@link #PROFILE_VERSIONS}'s bit for the entry's copy specialised to the arguments seen ({@code EntryVersions}). */
    public static final int SWITCH_ENTRY_COPY = 1;
    /** {@link #PROFILE_VERSIONS}'s bit for the loops versioned by the trip counts seen ({@code TripCountVersioning}). */
    public static final int SWITCH_LOOP_VERSIONS = 2;

    private final List<Type[]> signatures = new ArrayList<>();

    Intrinsic(String... sigs) {
        for (String s : sigs) {
            int gt = s.indexOf('>');
            Type[] t = new Type[gt + 1];
            for (int i = 0; i < gt; i++) t[i] = letter(s.charAt(i));
            t[gt] = letter(s.charAt(gt + 1));
            signatures.add(t);
        }
    }

    private static Type letter(char c) {
        return switch (c) {
            case 'i' -> Type.INT; case 'l' -> Type.LONG; case 'f' -> Type.FLOAT; case 'd' -> Type.DOUBLE;
            case 'a' -> null; // any array of primitives: see accepts()
            default -> throw new IllegalArgumentException(String.valueOf(c));
        };
    }

    /** The text-form name: {@code sqrt}, {@code numberOfLeadingZeros}, ... */
    public String text() {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char c : name().toCharArray()) {
            if (c == '_') { upper = true; continue; }
            b.append(upper ? c : Character.toLowerCase(c));
            upper = false;
        }
        return b.toString();
    }

    public static Intrinsic byText(String text) {
        for (Intrinsic i : values()) if (i.text().equals(text)) return i;
        return null;
    }

    /** The result type for these operand types, or null when no signature accepts them. */
    public Type resultType(List<Type> operands) {
        for (Type[] sig : signatures) {
            if (sig.length - 1 != operands.size()) continue;
            boolean ok = true;
            for (int i = 0; i < operands.size(); i++) ok &= accepts(sig[i], operands.get(i));
            if (ok) return sig[sig.length - 1];
        }
        return null;
    }

    private static boolean accepts(Type parameter, Type operand) {
        return parameter == null ? operand.isArray() && operand.element().isPrimitive() : parameter == operand;
    }

    /** May throw ArithmeticException. */
    public boolean mayThrow() { return ordinal() >= ADD_EXACT.ordinal(); }
}
