package dev.numbat.fuzz;

import dev.numbat.fuzz.Ast.Prim;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JDK static methods the generator calls, with their Java signatures. All of them compile (tested by
 * {@code FuzzSelfTest}); all but {@link #TRANSCENDENTAL} are bit-exact, so they may appear anywhere in an
 * expression.
 */
final class Library {
    private Library() {}

    /** One JDK static method: {@code name} as written in source ({@code Math.floorMod}), result, parameters. */
    record Fn(String name, Prim result, Prim... params) {
        @Override public String toString() {
            StringBuilder sb = new StringBuilder(result.java).append(' ').append(name).append('(');
            for (int i = 0; i < params.length; i++) sb.append(i == 0 ? "" : ", ").append(params[i].java);
            return sb.append(')').toString();
        }
    }

    private static final Prim Z = Prim.BOOLEAN, B = Prim.BYTE, S = Prim.SHORT, C = Prim.CHAR, I = Prim.INT,
            J = Prim.LONG, F = Prim.FLOAT, D = Prim.DOUBLE;

    /** Bit-exact functions: exact by specification, pure Java code of the JDK, or StrictMath (fdlibm). */
    static final List<Fn> EXACT = exact();

    /**
     * {@code Math}'s transcendental functions and the ulp bound their Javadoc allows (as in MathTest): a generated
     * method may return one of them applied to exact values, and is then compared within that many ulps.
     */
    static final Map<String, Double> TRANSCENDENTAL = Map.ofEntries(
            Map.entry("Math.sin", 1.0), Map.entry("Math.cos", 1.0), Map.entry("Math.tan", 1.0),
            Map.entry("Math.asin", 1.0), Map.entry("Math.acos", 1.0), Map.entry("Math.atan", 1.0),
            Map.entry("Math.exp", 1.0), Map.entry("Math.expm1", 1.0), Map.entry("Math.log", 1.0),
            Map.entry("Math.log10", 1.0), Map.entry("Math.log1p", 1.0), Map.entry("Math.cbrt", 1.0),
            Map.entry("Math.pow", 1.0), Map.entry("Math.hypot", 1.0), Map.entry("Math.atan2", 2.0),
            Map.entry("Math.sinh", 2.5), Map.entry("Math.cosh", 2.5), Map.entry("Math.tanh", 2.5));

    static int arity(String transcendental) {
        return switch (transcendental) {
            case "Math.pow", "Math.hypot", "Math.atan2" -> 2;
            default -> 1;
        };
    }

    private static List<Fn> exact() {
        List<Fn> l = new ArrayList<>();
        // Math: exactly specified results.
        for (Prim p : new Prim[] {I, J, F, D}) {
            l.add(new Fn("Math.abs", p, p));
            l.add(new Fn("Math.min", p, p, p));
            l.add(new Fn("Math.max", p, p, p));
        }
        for (String f : new String[] {"Math.sqrt", "Math.floor", "Math.ceil", "Math.rint"}) l.add(new Fn(f, D, D));
        l.add(new Fn("Math.round", I, F));
        l.add(new Fn("Math.round", J, D));
        l.add(new Fn("Math.signum", F, F));
        l.add(new Fn("Math.signum", D, D));
        l.add(new Fn("StrictMath.copySign", F, F, F));
        l.add(new Fn("StrictMath.copySign", D, D, D));
        l.add(new Fn("Math.fma", D, D, D, D));
        l.add(new Fn("Math.fma", F, F, F, F));
        for (String f : new String[] {"Math.floorDiv", "Math.ceilDiv"}) {
            l.add(new Fn(f, I, I, I));
            l.add(new Fn(f, J, J, J));
            l.add(new Fn(f, J, J, I));
        }
        for (String f : new String[] {"Math.floorMod", "Math.ceilMod"}) {
            l.add(new Fn(f, I, I, I));
            l.add(new Fn(f, J, J, J));
            l.add(new Fn(f, I, J, I));
        }
        for (String f : new String[] {"Math.addExact", "Math.subtractExact", "Math.multiplyExact"}) {
            l.add(new Fn(f, I, I, I));
            l.add(new Fn(f, J, J, J));
        }
        l.add(new Fn("Math.multiplyExact", J, J, I));
        for (String f : new String[] {"Math.negateExact", "Math.incrementExact", "Math.decrementExact"}) {
            l.add(new Fn(f, I, I));
            l.add(new Fn(f, J, J));
        }
        l.add(new Fn("Math.toIntExact", I, J));
        l.add(new Fn("Math.multiplyHigh", J, J, J));
        l.add(new Fn("Math.unsignedMultiplyHigh", J, J, J));
        l.add(new Fn("Math.multiplyFull", J, I, I));
        l.add(new Fn("Math.nextUp", D, D));
        l.add(new Fn("Math.nextUp", F, F));
        l.add(new Fn("Math.nextDown", D, D));
        l.add(new Fn("Math.nextDown", F, F));
        l.add(new Fn("Math.nextAfter", D, D, D));
        l.add(new Fn("Math.getExponent", I, D));
        l.add(new Fn("Math.getExponent", I, F));
        l.add(new Fn("Math.IEEEremainder", D, D, D));
        // StrictMath: fdlibm's Java port, bit-exact by definition.
        for (String f : new String[] {"sin", "cos", "tan", "asin", "acos", "atan", "exp", "log", "log10", "sqrt", "cbrt",
                "expm1", "log1p", "sinh", "cosh", "tanh", "floor", "ceil", "rint"}) {
            l.add(new Fn("StrictMath." + f, D, D));
        }
        for (String f : new String[] {"atan2", "pow", "IEEEremainder"}) l.add(new Fn("StrictMath." + f, D, D, D));
        // Integer and Long bit functions.
        for (String f : new String[] {"bitCount", "numberOfLeadingZeros", "numberOfTrailingZeros", "signum"}) {
            l.add(new Fn("Integer." + f, I, I));
            l.add(new Fn("Long." + f, I, J));
        }
        for (String f : new String[] {"reverse", "reverseBytes", "highestOneBit", "lowestOneBit"}) {
            l.add(new Fn("Integer." + f, I, I));
            l.add(new Fn("Long." + f, J, J));
        }
        for (String f : new String[] {"rotateLeft", "rotateRight"}) {
            l.add(new Fn("Integer." + f, I, I, I));
            l.add(new Fn("Long." + f, J, J, I));
        }
        for (String f : new String[] {"compare", "compareUnsigned"}) {
            l.add(new Fn("Integer." + f, I, I, I));
            l.add(new Fn("Long." + f, I, J, J));
        }
        for (String f : new String[] {"min", "max", "sum", "divideUnsigned", "remainderUnsigned", "expand", "compress"}) {
            l.add(new Fn("Integer." + f, I, I, I));
            l.add(new Fn("Long." + f, J, J, J));
        }
        l.add(new Fn("Integer.toUnsignedLong", J, I));
        l.add(new Fn("Short.reverseBytes", S, S));
        l.add(new Fn("Short.toUnsignedInt", I, S));
        l.add(new Fn("Short.toUnsignedLong", J, S));
        l.add(new Fn("Short.compare", I, S, S));
        l.add(new Fn("Character.reverseBytes", C, C));
        l.add(new Fn("Character.compare", I, C, C));
        l.add(new Fn("Byte.toUnsignedInt", I, B));
        l.add(new Fn("Byte.toUnsignedLong", J, B));
        l.add(new Fn("Byte.compare", I, B, B));
        l.add(new Fn("Boolean.compare", I, Z, Z));
        l.add(new Fn("Boolean.logicalXor", Z, Z, Z));
        // Float and Double (raw bit conversions of NaN are generated separately, guarded).
        l.add(new Fn("Float.intBitsToFloat", F, I));
        l.add(new Fn("Float.floatToIntBits", I, F));
        l.add(new Fn("Double.longBitsToDouble", D, J));
        l.add(new Fn("Double.doubleToLongBits", J, D));
        for (Prim p : new Prim[] {F, D}) {
            String c = p == F ? "Float." : "Double.";
            l.add(new Fn(c + "isNaN", Z, p));
            l.add(new Fn(c + "isInfinite", Z, p));
            l.add(new Fn(c + "isFinite", Z, p));
            l.add(new Fn(c + "compare", I, p, p));
            l.add(new Fn(c + "min", p, p, p));
            l.add(new Fn(c + "max", p, p, p));
            l.add(new Fn(c + "sum", p, p, p));
        }
        return List.copyOf(l);
    }

    static List<Fn> returning(Prim p) {
        List<Fn> out = new ArrayList<>();
        for (Fn f : EXACT) if (f.result == p) out.add(f);
        return out;
    }
}
