/* Twin of dev.numbat.kernels.SparseKernels (see twins.h for the conventions). */
#include "twins.h"

TWIN void twin_spmv(const int32_t *rowPtr, int32_t nrowPtr, const int32_t *cols, int32_t ncols,
                    const double *vals, int32_t nvals, const double *x, int32_t nx, double *y, int32_t rows) {
    (void) nrowPtr; (void) ncols; (void) nvals; (void) nx;
    for (int32_t r = 0; r < rows; r++) {
        double s = 0.0;
        for (int32_t p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
            s += vals[p] * x[cols[p]];
        }
        y[r] = s;
    }
}
