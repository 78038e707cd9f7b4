package dev.numbat.bench.suite;

import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The implementations the suite measures for each kernel. A benchmark method is named {@code <kernel><suffix>}
 * ({@code dotHotSpot}, {@code dotNumbatFastMath}, ...): the suffix says which variant it measures, and
 * {@code jmh/bench_report.py} reads it back from the results.
 */
public enum Variant {
    /** The strict Java method, called directly: HotSpot's C2 compiles it. */
    HOTSPOT("HotSpot"),
    /** The strict method compiled by {@code Numbat.compile}: must give HotSpot's results bit for bit. */
    NUMBAT("Numbat"),
    /** The {@code @Jit(fastMath = true)} copy: results within a tolerance of HotSpot's. */
    FAST_MATH("NumbatFastMath"),
    /** The {@code @Jit(parallel = true)} copy: its loop's iterations are independent, so results are exact too. */
    PARALLEL("NumbatParallel"),
    /** The C twin compiled by clang at {@code -O3 -march=native}, called through FFM. */
    CLANG("Clang");

    /** The end of the benchmark method's name. */
    public final String suffix;

    Variant(String suffix) {
        this.suffix = suffix;
    }

    /** The variant a JMH benchmark measures, from its method's name. */
    public static Variant of(BenchmarkParams params) {
        return ofMethod(params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1));
    }

    /** The variant of a benchmark method name: the longest suffix that matches. */
    public static Variant ofMethod(String method) {
        Variant best = null;
        for (Variant v : values()) {
            if (method.endsWith(v.suffix) && (best == null || v.suffix.length() > best.suffix.length())) best = v;
        }
        if (best == null) throw new IllegalArgumentException("benchmark " + method + " names no variant");
        return best;
    }
}
