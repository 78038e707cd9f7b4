package dev.numbat.bench.suite;

import java.util.SplittableRandom;

/** Deterministic inputs: the same seed gives the same arrays in every fork and every test. */
public final class TestData {
    private TestData() {}

    public static double[] doubles(int n, long seed, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = r.nextDouble(lo, hi);
        return a;
    }

    public static float[] floats(int n, long seed, float lo, float hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * (float) r.nextDouble();
        return a;
    }
}
