/* Twin of dev.numbat.kernels.BlackScholesKernels (see twins.h for the conventions). */
#include "twins.h"

/* BlackScholesKernels.cnd: Abramowitz-Stegun 26.2.17. */
static double cnd(double x) {
    double l = fabs(x);
    double k = 1.0 / (1.0 + 0.2316419 * l);
    double poly = k * (0.319381530 + k * (-0.356563782 + k * (1.781477937 + k * (-1.821255978 + k * 1.330274429))));
    double w = 1.0 - 0.3989422804014327 * exp(-0.5 * l * l) * poly;
    return x < 0.0 ? 1.0 - w : w;
}

TWIN void twin_price(const double *s, int32_t n, const double *k, int32_t nk, const double *t, int32_t nt,
                     double r, double v, double *call, int32_t ncall, double *put, int32_t nput) {
    (void) nk; (void) nt; (void) ncall; (void) nput;
    for (int32_t i = 0; i < n; i++) {
        double sqrtT = sqrt(t[i]);
        double d1 = (log(s[i] / k[i]) + (r + 0.5 * v * v) * t[i]) / (v * sqrtT);
        double d2 = d1 - v * sqrtT;
        double discounted = k[i] * exp(-r * t[i]);
        double n1 = cnd(d1), n2 = cnd(d2);
        call[i] = s[i] * n1 - discounted * n2;
        put[i] = discounted * (1.0 - n2) - s[i] * (1.0 - n1);
    }
}
