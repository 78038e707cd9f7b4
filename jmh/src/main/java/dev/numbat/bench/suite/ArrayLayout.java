package dev.numbat.bench.suite;

import java.lang.invoke.MethodHandle;

/**
 * Where two float arrays' elements lie relative to each other, read through a one-line C function
 * ({@code jmh/src/main/c/layout.c}) that FFM hands the arrays' own heap addresses.
 *
 * <p>Why it matters: a loop that stores {@code y[i]} and then loads {@code x[i + k]} stalls when the load's address
 * matches a pending store's in its low 12 bits but not in full (x86's 4 KiB aliasing). Arrays allocated one
 * after the other are a few bytes apart modulo 4,096 whenever their size is a multiple of 4 KiB, and that is
 * where saxpy at 2,048 floats runs at half speed, in HotSpot's code as in Numbat's (docs/performance.md). The
 * layout is the fork's: the order of allocations and garbage collections decides it, so every fork of the
 * suite's saxpy reports it.
 */
public final class ArrayLayout {
    private ArrayLayout() {}

    private static final class Native {
        static final MethodHandle DISTANCE = ClangTwins.bind("distance", long.class, float[].class, float[].class);
    }

    /** {@code y}'s first element's address minus {@code x}'s, in bytes, now (a collection may move either). */
    public static long distance(float[] x, float[] y) {
        try {
            return (long) Native.DISTANCE.invokeExact(x, y);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot read the arrays' addresses", t);
        }
    }

    /** {@code "y - x = d bytes (d mod 4096 = ..., mod 64 = ...)"}, or why it is unknown. */
    public static String describe(float[] x, float[] y) {
        if (!ClangTwins.available()) return "unknown (no clang: " + ClangTwins.unavailableReason().lines().findFirst().orElse("") + ")";
        long d = distance(x, y);
        return "y - x = " + d + " bytes (mod 4096: " + Math.floorMod(d, 4096) + ", mod 64: " + Math.floorMod(d, 64) + ")";
    }
}
