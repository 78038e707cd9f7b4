/* Twins of dev.numbat.kernels.GridKernels (see twins.h for the conventions). */
#include "twins.h"

TWIN void twin_stencil5(const double *in, int32_t nin, double *out, int32_t nout, int32_t w, int32_t h) {
    (void) nin; (void) nout;
    for (int32_t y = 1; y < h - 1; y++) {
        int32_t row = y * w;
        for (int32_t x = 1; x < w - 1; x++) {
            int32_t i = row + x;
            out[i] = 0.2 * (in[i] + in[i - 1] + in[i + 1] + in[i - w] + in[i + w]);
        }
    }
}

/* Java's "3.0 * y / h" is (3.0 * (double) y) / (double) h: the same conversions and order here. */
TWIN int32_t twin_mandelbrot(int32_t w, int32_t h, int32_t maxIter, int32_t *out, int32_t nout) {
    (void) nout;
    int32_t total = 0;
    for (int32_t y = 0; y < h; y++) {
        double ci = -1.5 + 3.0 * (double) y / (double) h;
        for (int32_t x = 0; x < w; x++) {
            double cr = -2.0 + 3.0 * (double) x / (double) w;
            double zr = 0.0, zi = 0.0;
            int32_t n = 0;
            while (n < maxIter && zr * zr + zi * zi <= 4.0) {
                double t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                n++;
            }
            out[y * w + x] = n;
            total += n;
        }
    }
    return total;
}

TWIN void twin_matmul(const double *a, int32_t na, const double *b, int32_t nb, double *c, int32_t nc, int32_t n) {
    (void) na; (void) nb; (void) nc;
    for (int32_t i = 0; i < n; i++) {
        for (int32_t j = 0; j < n; j++) {
            double s = 0.0;
            for (int32_t k = 0; k < n; k++) {
                s += a[i * n + k] * b[k * n + j];
            }
            c[i * n + j] = s;
        }
    }
}
