/* Not a twin: where two Java arrays' elements lie, for the benchmarks that report or pin their layout
 * (dev.numbat.bench.suite.ArrayLayout). Called through FFM with critical(true), so the pointers are the arrays'
 * own elements on the Java heap, at the moment of the call. */
#include "twins.h"

TWIN int64_t twin_distance(const float *a, int32_t na, const float *b, int32_t nb) {
    (void) na; (void) nb;
    return (int64_t) ((intptr_t) b - (intptr_t) a);
}
