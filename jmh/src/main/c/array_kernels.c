/* Twins of dev.numbat.kernels.ArrayKernels (see twins.h for the conventions). */
#include "twins.h"

TWIN double twin_dot(const double *a, int32_t na, const double *b, int32_t nb) {
    (void) nb;
    double s = 0.0;
    for (int32_t i = 0; i < na; i++) {
        s += a[i] * b[i];
    }
    return s;
}

TWIN double twin_sum(const double *a, int32_t na) {
    double s = 0.0;
    for (int32_t i = 0; i < na; i++) {
        s += a[i];
    }
    return s;
}

TWIN void twin_saxpy(float a, const float *x, int32_t nx, float *y, int32_t ny) {
    (void) ny;
    for (int32_t i = 0; i < nx; i++) {
        y[i] = a * x[i] + y[i];
    }
}

TWIN void twin_prefixSum(const double *a, int32_t na, double *out, int32_t nout) {
    (void) nout;
    double s = 0.0;
    for (int32_t i = 0; i < na; i++) {
        s += a[i];
        out[i] = s;
    }
}

TWIN void twin_histogram(const double *x, int32_t nx, int32_t *counts, int32_t bins) {
    for (int32_t b = 0; b < bins; b++) {
        counts[b] = 0;
    }
    for (int32_t i = 0; i < nx; i++) {
        int32_t b = (int32_t) (x[i] * bins);
        counts[b]++;
    }
}

TWIN void twin_horner(const double *c, int32_t nc, const double *x, int32_t nx, double *y, int32_t ny) {
    (void) ny;
    int32_t d = nc - 1;
    for (int32_t i = 0; i < nx; i++) {
        double xi = x[i];
        double p = c[d];
        for (int32_t k = d - 1; k >= 0; k--) {
            p = p * xi + c[k];
        }
        y[i] = p;
    }
}

TWIN void twin_polar(const double *r, int32_t nr, const double *theta, int32_t nt, double *x, int32_t nx,
                     double *y, int32_t ny) {
    (void) nt; (void) nx; (void) ny;
    for (int32_t i = 0; i < nr; i++) {
        x[i] = r[i] * cos(theta[i]);
        y[i] = r[i] * sin(theta[i]);
    }
}

TWIN void twin_gamma(const double *v, int32_t nv, double g, double *out, int32_t nout) {
    (void) nout;
    for (int32_t i = 0; i < nv; i++) {
        out[i] = pow(v[i], g);
    }
}

TWIN void twin_slopes(const double *angle, int32_t na, double *slope, int32_t ns) {
    (void) ns;
    for (int32_t i = 0; i < na; i++) {
        slope[i] = tan(angle[i]);
    }
}
