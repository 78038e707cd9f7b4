package dev.numbat.kernels;

import dev.numbat.Jit;

/**
 * European option prices by the Black-Scholes formula (issue 4's benchmark suite), one option per element:
 * {@code Math.log}, {@code Math.sqrt}, {@code Math.exp} and the cumulative normal distribution by the
 * Abramowitz-Stegun polynomial (26.2.17, as in PARSEC's blackscholes). C twin:
 * {@code jmh/src/main/c/blackscholes_kernels.c}.
 *
 * <p>Numbat computes {@code Math.exp/log} as fdlibm does, inline (StrictMath's results, docs/semantics.md), the C twin
 * calls the C library's {@code exp} and {@code log}, and HotSpot uses its own intrinsics: the three may differ in the
 * last bits, each within the {@code Math} Javadoc's 1 ulp.
 */
public final class BlackScholesKernels {
    private BlackScholesKernels() {}

    /**
     * Call and put prices for spot {@code s[i]}, strike {@code k[i]} and years to expiry {@code t[i]}, at the
     * riskless rate {@code r} and volatility {@code v}.
     */
    @Jit
    public static void price(double[] s, double[] k, double[] t, double r, double v, double[] call, double[] put) {
        for (int i = 0; i < s.length; i++) {
            double sqrtT = Math.sqrt(t[i]);
            double d1 = (Math.log(s[i] / k[i]) + (r + 0.5 * v * v) * t[i]) / (v * sqrtT);
            double d2 = d1 - v * sqrtT;
            double discounted = k[i] * Math.exp(-r * t[i]);
            double n1 = cnd(d1), n2 = cnd(d2);
            call[i] = s[i] * n1 - discounted * n2;
            put[i] = discounted * (1.0 - n2) - s[i] * (1.0 - n1);
        }
    }

    /** {@link #price} with {@code fastMath}: the polynomial and products may be fused or reassociated. */
    @Jit(fastMath = true)
    public static void priceFastMath(double[] s, double[] k, double[] t, double r, double v, double[] call, double[] put) {
        for (int i = 0; i < s.length; i++) {
            double sqrtT = Math.sqrt(t[i]);
            double d1 = (Math.log(s[i] / k[i]) + (r + 0.5 * v * v) * t[i]) / (v * sqrtT);
            double d2 = d1 - v * sqrtT;
            double discounted = k[i] * Math.exp(-r * t[i]);
            double n1 = cnd(d1), n2 = cnd(d2);
            call[i] = s[i] * n1 - discounted * n2;
            put[i] = discounted * (1.0 - n2) - s[i] * (1.0 - n1);
        }
    }

    /** {@link #price}, its loop over options marked parallel. */
    @Jit(parallel = true)
    public static void priceParallel(double[] s, double[] k, double[] t, double r, double v, double[] call, double[] put) {
        for (int i = 0; i < s.length; i++) {
            double sqrtT = Math.sqrt(t[i]);
            double d1 = (Math.log(s[i] / k[i]) + (r + 0.5 * v * v) * t[i]) / (v * sqrtT);
            double d2 = d1 - v * sqrtT;
            double discounted = k[i] * Math.exp(-r * t[i]);
            double n1 = cnd(d1), n2 = cnd(d2);
            call[i] = s[i] * n1 - discounted * n2;
            put[i] = discounted * (1.0 - n2) - s[i] * (1.0 - n1);
        }
    }

    /**
     * The standard normal cumulative distribution, Abramowitz and Stegun 26.2.17 (absolute error below 7.5e-8):
     * a degree-5 polynomial in {@code 1 / (1 + 0.2316419 |x|)} times the density. Not annotated: Numbat compiles
     * it into each caller's module (with the caller's options).
     */
    public static double cnd(double x) {
        double l = Math.abs(x);
        double k = 1.0 / (1.0 + 0.2316419 * l);
        double poly = k * (0.319381530 + k * (-0.356563782 + k * (1.781477937 + k * (-1.821255978 + k * 1.330274429))));
        double w = 1.0 - 0.3989422804014327 * Math.exp(-0.5 * l * l) * poly;
        return x < 0.0 ? 1.0 - w : w;
    }
}
