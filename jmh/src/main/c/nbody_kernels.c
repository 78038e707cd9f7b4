/* Twin of dev.numbat.kernels.NBodyKernels (see twins.h for the conventions). */
#include "twins.h"

#define SOFTENING2 1.0e-3 /* NBodyKernels.SOFTENING2 */

TWIN void twin_step(double *x, int32_t n, double *y, int32_t ny, double *z, int32_t nz,
                    double *vx, int32_t nvx, double *vy, int32_t nvy, double *vz, int32_t nvz,
                    const double *m, int32_t nm, double dt) {
    (void) ny; (void) nz; (void) nvx; (void) nvy; (void) nvz; (void) nm;
    for (int32_t i = 0; i < n; i++) {
        double xi = x[i], yi = y[i], zi = z[i];
        double ax = 0.0, ay = 0.0, az = 0.0;
        for (int32_t j = 0; j < n; j++) {
            double dx = x[j] - xi, dy = y[j] - yi, dz = z[j] - zi;
            double d2 = dx * dx + dy * dy + dz * dz + SOFTENING2;
            double s = m[j] / (d2 * sqrt(d2));
            ax += dx * s;
            ay += dy * s;
            az += dz * s;
        }
        vx[i] += ax * dt;
        vy[i] += ay * dt;
        vz[i] += az * dt;
    }
    for (int32_t i = 0; i < n; i++) {
        x[i] += vx[i] * dt;
        y[i] += vy[i] * dt;
        z[i] += vz[i] * dt;
    }
}
