package dev.numbat.differential;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The values where compilers get Java semantics wrong, per primitive type, plus a few random ones from a
 * fixed seed ({@code -Dnumbat.seed=N} to vary it; the seed is in every failure's values anyway).
 * Floating-point lists hold NaNs with other payloads and signs too; results are compared by NaN-ness.
 */
public final class EdgeValues {
    public static final long SEED = Long.getLong("numbat.seed", 0x5EED_2025L);
    private static final int RANDOM = 3;

    private EdgeValues() {}

    public static final int[] INTS = ints();
    public static final long[] LONGS = longs();
    public static final float[] FLOATS = floats();
    public static final double[] DOUBLES = doubles();
    public static final byte[] BYTES = {0, 1, -1, 2, 63, 64, 127, -128, -127, 126, 0x55, (byte) 0xAA};
    public static final short[] SHORTS = {0, 1, -1, 2, 255, 256, -256, Short.MAX_VALUE, Short.MIN_VALUE,
            Short.MIN_VALUE + 1, Short.MAX_VALUE - 1, 0x5555, (short) 0xAAAA};
    public static final char[] CHARS = {0, 1, 2, 'A', 'z', '0', 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000,
            Character.MAX_VALUE, Character.MAX_VALUE - 1, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0x5555};
    public static final boolean[] BOOLEANS = {false, true};

    /** Small ints for loop counts and indices: -40..40 and the int edges. */
    public static final int[] SMALL_AND_EDGE_INTS = smallAndEdge();

    private static int[] ints() {
        Random r = new Random(SEED);
        Set<Integer> s = new LinkedHashSet<>(List.of(0, 1, -1, 2, -2, 3, 7, 31, 32, 33, 63, 64, 65, -31, -32, -33,
                Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE + 1, Integer.MAX_VALUE - 1,
                0x55555555, 0xAAAAAAAA, 0x80000001, 1 << 16, 46341, -46341));
        for (int i = 0; i < RANDOM; i++) s.add(r.nextInt());
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    private static long[] longs() {
        Random r = new Random(SEED + 1);
        Set<Long> s = new LinkedHashSet<>(List.of(0L, 1L, -1L, 2L, -2L, 3L, 7L, 31L, 32L, 33L, 63L, 64L, 65L, -64L,
                Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1,
                0x5555555555555555L, 0xAAAAAAAAAAAAAAAAL, (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE,
                0xFFFFFFFFL, 0x1_0000_0000L, 0x1_0000_0001L, 3037000500L, 1L << 53, (1L << 53) + 1));
        for (int i = 0; i < RANDOM; i++) s.add(r.nextLong());
        return s.stream().mapToLong(Long::longValue).toArray();
    }

    private static float[] floats() {
        Random r = new Random(SEED + 2);
        float two31 = 0x1p31f, two63 = 0x1p63f;
        List<Float> s = new ArrayList<>(List.of(0.0f, -0.0f, Float.NaN, Float.intBitsToFloat(0xffc00000),
                Float.intBitsToFloat(0x7fc00001), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-40f,
                0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 1.0f, -1.0f, 3.0f, 0.49999997f, 8388609.0f,
                two31, Math.nextDown(two31), -two31, Math.nextDown(-two31), two63, -two63, Math.nextDown(two63),
                65536.0f, (float) Math.PI));
        for (int i = 0; i < RANDOM; i++) s.add((float) ((r.nextDouble() - 0.5) * Math.pow(2, r.nextInt(80) - 40)));
        float[] a = new float[s.size()];
        for (int i = 0; i < a.length; i++) a[i] = s.get(i);
        return a;
    }

    private static double[] doubles() {
        Random r = new Random(SEED + 3);
        double two31 = 0x1p31, two63 = 0x1p63;
        List<Double> s = new ArrayList<>(List.of(0.0, -0.0, Double.NaN, Double.longBitsToDouble(0xfff8000000000000L),
                Double.longBitsToDouble(0x7ff8000000000001L), Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-310,
                0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 1.0, -1.0, 3.0, 0.49999999999999994, 4503599627370497.0,
                two31, two31 - 0.5, two31 - 1, -two31, -two31 - 0.5, -two31 - 1, two63, -two63, Math.nextDown(two63),
                Math.PI, 1e300, -1e-300));
        for (int i = 0; i < RANDOM; i++) s.add((r.nextDouble() - 0.5) * Math.pow(2, r.nextInt(200) - 100));
        return s.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static int[] smallAndEdge() {
        Set<Integer> s = new LinkedHashSet<>();
        for (int i = -40; i <= 40; i++) s.add(i);
        for (int v : ints()) s.add(v);
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The edge values of a primitive type, boxed as reflection wants them. */
    public static List<Object> of(Class<?> type) {
        List<Object> out = new ArrayList<>();
        if (type == int.class) for (int v : INTS) out.add(v);
        else if (type == long.class) for (long v : LONGS) out.add(v);
        else if (type == float.class) for (float v : FLOATS) out.add(v);
        else if (type == double.class) for (double v : DOUBLES) out.add(v);
        else if (type == byte.class) for (byte v : BYTES) out.add(v);
        else if (type == short.class) for (short v : SHORTS) out.add(v);
        else if (type == char.class) for (char v : CHARS) out.add(v);
        else if (type == boolean.class) for (boolean v : BOOLEANS) out.add(v);
        else throw new IllegalArgumentException("no edge values for " + type);
        return out;
    }

    public static List<Object> ints(int... values) {
        List<Object> out = new ArrayList<>();
        for (int v : values) out.add(v);
        return out;
    }

    /** Every combination of edge values for the method's parameter types (all pairs for binary operations). */
    public static List<Object[]> tuples(Method m) {
        return tuples(m.getParameterTypes());
    }

    public static List<Object[]> tuples(Class<?>... types) {
        List<List<Object>> axes = new ArrayList<>();
        for (Class<?> t : types) axes.add(of(t));
        return product(axes);
    }

    /** The cartesian product of value lists. */
    public static List<Object[]> product(List<List<Object>> axes) {
        List<Object[]> out = new ArrayList<>();
        out.add(new Object[0]);
        for (List<Object> axis : axes) {
            List<Object[]> next = new ArrayList<>(out.size() * axis.size());
            for (Object[] prefix : out) {
                for (Object v : axis) {
                    Object[] t = Arrays.copyOf(prefix, prefix.length + 1);
                    t[prefix.length] = v;
                    next.add(t);
                }
            }
            out = next;
        }
        return out;
    }

    @SafeVarargs
    public static List<Object[]> product(List<Object>... axes) {
        return product(Arrays.asList(axes));
    }
}
