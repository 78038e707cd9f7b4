package dev.numbat.fuzz;

import dev.numbat.differential.EdgeValues;
import dev.numbat.fuzz.Ast.Param;
import dev.numbat.fuzz.Ast.Prim;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Argument tuples for generated methods, and their text form in saved regression programs.
 *
 * <p>Scalars come from {@link EdgeValues} (MIN/MAX, -1, 0, ±0.0, NaNs, infinities, subnormals, rounding
 * boundaries), small numbers, or random bits; a {@code depth} parameter gets -1..8. Arrays mostly have 0 to 12 elements
 * drawn the same way, or up to 70 (long enough for vectorised loop bodies to run); now and then an array is null,
 * and often (one in four) the same array as an earlier parameter of its type.
 *
 * <p>Text form, one tuple per line, arguments separated by {@code " | "}: {@code I:5}, {@code J:-1},
 * {@code Z:true}, {@code B:-3}, {@code S:7}, {@code C:65} (the char's number), {@code F:7fc00000} and
 * {@code D:3ff0000000000000} (raw bits in hex), arrays as {@code [I:1,2,3} (elements the same way, {@code [D:} for
 * an empty double[]), {@code null}, and {@code @2} for the same array as argument 2.
 */
final class Inputs {
    private Inputs() {}

    static final int MAX_LENGTH = 70;

    static List<Object[]> generate(List<Param> params, Random r, int count) {
        List<Object[]> out = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            Object[] args = new Object[params.size()];
            for (int i = 0; i < args.length; i++) {
                Param p = params.get(i);
                if (p.name().equals("depth")) {
                    args[i] = r.nextInt(10) - 1;
                } else if (p.type().array()) {
                    args[i] = array(p.type().prim(), r);
                    if (r.nextInt(4) == 0) {
                        for (int j = 0; j < i; j++) {
                            if (params.get(j).type().equals(p.type()) && args[j] != null) {
                                args[i] = args[j];
                                break;
                            }
                        }
                    }
                } else {
                    args[i] = scalar(p.type().prim(), r);
                }
            }
            out.add(args);
        }
        return out;
    }

    private static Object array(Prim p, Random r) {
        if (r.nextInt(25) == 0) return null;
        int k = r.nextInt(10);
        int n = k < 6 ? 8 + r.nextInt(5) : k < 8 ? r.nextInt(8) : 13 + r.nextInt(MAX_LENGTH - 12);
        Object a = Array.newInstance(p.cls, n);
        for (int i = 0; i < n; i++) Array.set(a, i, scalar(p, r));
        return a;
    }

    static Object scalar(Prim p, Random r) {
        int k = r.nextInt(20);
        return switch (p) {
            case BOOLEAN -> r.nextBoolean();
            case BYTE -> k < 12 ? EdgeValues.BYTES[r.nextInt(EdgeValues.BYTES.length)] : (byte) r.nextInt();
            case SHORT -> k < 12 ? EdgeValues.SHORTS[r.nextInt(EdgeValues.SHORTS.length)] : (short) r.nextInt();
            case CHAR -> k < 12 ? EdgeValues.CHARS[r.nextInt(EdgeValues.CHARS.length)] : (char) r.nextInt();
            case INT -> k < 8 ? EdgeValues.INTS[r.nextInt(EdgeValues.INTS.length)] : k < 15 ? r.nextInt(20) - 3 : r.nextInt();
            case LONG -> k < 8 ? EdgeValues.LONGS[r.nextInt(EdgeValues.LONGS.length)] : k < 15 ? (long) (r.nextInt(20) - 3) : r.nextLong();
            case FLOAT -> k < 9 ? EdgeValues.FLOATS[r.nextInt(EdgeValues.FLOATS.length)]
                    : k < 15 ? (r.nextInt(40) - 10) / 2.0f
                    : k < 18 ? (float) ((r.nextDouble() - 0.5) * Math.pow(2, r.nextInt(60) - 30))
                    : Float.intBitsToFloat(r.nextInt());
            case DOUBLE -> k < 9 ? EdgeValues.DOUBLES[r.nextInt(EdgeValues.DOUBLES.length)]
                    : k < 15 ? (r.nextInt(40) - 10) / 2.0
                    : k < 18 ? (r.nextDouble() - 0.5) * Math.pow(2, r.nextInt(120) - 60)
                    : Double.longBitsToDouble(r.nextLong());
        };
    }

    // ---- text form --------------------------------------------------------------------------------

    static String encode(Object[] args) {
        StringBuilder sb = new StringBuilder();
        Map<Object, Integer> seen = new IdentityHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (i > 0) sb.append(" | ");
            Object a = args[i];
            if (a == null) {
                sb.append("null");
            } else if (a.getClass().isArray()) {
                Integer first = seen.putIfAbsent(a, i);
                if (first != null) {
                    sb.append('@').append(first);
                    continue;
                }
                Prim p = Prim.of(a.getClass().getComponentType());
                sb.append('[').append(p.code).append(':');
                for (int j = 0; j < Array.getLength(a); j++) {
                    if (j > 0) sb.append(',');
                    sb.append(scalarText(p, Array.get(a, j)));
                }
            } else {
                Prim p = Prim.of(primitive(a.getClass()));
                sb.append(p.code).append(':').append(scalarText(p, a));
            }
        }
        return sb.toString();
    }

    private static Class<?> primitive(Class<?> box) {
        for (Prim p : Prim.values()) {
            if (java.lang.invoke.MethodType.methodType(p.cls).wrap().returnType() == box) return p.cls;
        }
        throw new IllegalArgumentException(box.toString());
    }

    private static String scalarText(Prim p, Object v) {
        return switch (p) {
            case CHAR -> Integer.toString((Character) v);
            case FLOAT -> Integer.toHexString(Float.floatToRawIntBits((Float) v));
            case DOUBLE -> Long.toHexString(Double.doubleToRawLongBits((Double) v));
            default -> v.toString();
        };
    }

    static Object[] decode(String line) {
        String[] parts = line.trim().isEmpty() ? new String[0] : line.split(" \\| ", -1);
        Object[] out = new Object[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String s = parts[i].trim();
            if (s.equals("null")) {
                out[i] = null;
            } else if (s.startsWith("@")) {
                out[i] = out[Integer.parseInt(s.substring(1))];
            } else if (s.startsWith("[")) {
                Prim p = code(s.substring(1, 2));
                String body = s.substring(3);
                String[] es = body.isEmpty() ? new String[0] : body.split(",");
                Object a = Array.newInstance(p.cls, es.length);
                for (int j = 0; j < es.length; j++) Array.set(a, j, parseScalar(p, es[j]));
                out[i] = a;
            } else {
                out[i] = parseScalar(code(s.substring(0, 1)), s.substring(2));
            }
        }
        return out;
    }

    private static Prim code(String c) {
        for (Prim p : Prim.values()) if (p.code.equals(c)) return p;
        throw new IllegalArgumentException("no type code " + c);
    }

    private static Object parseScalar(Prim p, String s) {
        return switch (p) {
            case BOOLEAN -> Boolean.parseBoolean(s);
            case BYTE -> Byte.parseByte(s);
            case SHORT -> Short.parseShort(s);
            case CHAR -> (char) Integer.parseInt(s);
            case INT -> Integer.parseInt(s);
            case LONG -> Long.parseLong(s);
            case FLOAT -> Float.intBitsToFloat(Integer.parseUnsignedInt(s, 16));
            case DOUBLE -> Double.longBitsToDouble(Long.parseUnsignedLong(s, 16));
        };
    }

    /** A copy in which arrays are copied too, the same array staying one array. */
    static Object[] copy(Object[] args) {
        Map<Object, Object> copies = new IdentityHashMap<>();
        Object[] out = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a != null && a.getClass().isArray()) {
                out[i] = copies.computeIfAbsent(a, x -> {
                    int n = Array.getLength(x);
                    Object c = Array.newInstance(x.getClass().getComponentType(), n);
                    System.arraycopy(x, 0, c, 0, n);
                    return c;
                });
            } else {
                out[i] = a;
            }
        }
        return out;
    }
}
