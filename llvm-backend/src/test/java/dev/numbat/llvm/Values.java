package dev.numbat.llvm;

/** Edge values the tests feed to every operation. */
final class Values {
    static final int[] INTS = {0, 1, -1, 2, -2, 3, -3, 7, -7, 10, 31, 32, 33, 63, 64, 65, 100, -100, 0x12345678,
            0xDEADBEEF, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE + 1, Integer.MAX_VALUE - 1, 1 << 16, -(1 << 16)};

    static final long[] LONGS = {0, 1, -1, 2, -2, 3, -3, 7, -7, 31, 32, 33, 63, 64, 65, -100,
            Integer.MIN_VALUE, Integer.MAX_VALUE, 1L << 32, -(1L << 32), 0x123456789ABCDEFL, 0xDEADBEEFCAFEBABEL,
            Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1};

    static final int[] SHIFTS = {0, 1, 5, 31, 32, 33, 63, 64, 65, 100, -1, -31, -32, -33, -64, Integer.MIN_VALUE, Integer.MAX_VALUE};

    static final float[] FLOATS = {0f, -0f, 1f, -1f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f, 0.1f, 1f / 3, 3f, -7f,
            0.49999997f, -0.49999997f, 8388607.5f, 16777216f, 16777217f,
            Float.NaN, Float.intBitsToFloat(0x7fc12345), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
            2147483520f, 2147483648f, -2147483648f, -2147483904f, 1e10f, -1e10f,
            9.2233715e18f, 9.223372e18f, -9.223372e18f, 1e20f, -1e20f};

    static final double[] DOUBLES = {0d, -0d, 1d, -1d, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.1, 1d / 3, 3d, -7d,
            0.49999999999999994, -0.49999999999999994, 4503599627370495.5, 4503599627370497d, 9007199254740993d,
            Double.NaN, Double.longBitsToDouble(0x7ff8000000012345L), Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE,
            2147483647d, 2147483647.5, 2147483648d, -2147483648d, -2147483648.5, -2147483649d, 1e10, -1e10,
            9.223372036854775E18, 9.223372036854776E18, -9.223372036854776E18, -9.223372036854778E18, 1e300, -1e300};

    private Values() {}
}
