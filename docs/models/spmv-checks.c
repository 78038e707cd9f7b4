/*
 * A C model of Numbat's CSR product (docs/performance.md, "the CSR row loop"): the clang twin (no checks), the JVM's
 * check of x[cols[p]] (checked), the same with Numbat's guard of each row's start (checked_guard), and the check
 * deferred to the end of the row (deferredmax: clamp, note the largest index, redo the row checked if it was out of
 * range), and the checked loop unrolled 4 times with each copy's exit test kept (checked_unrolled). 16 entries a row,
 * random columns, as jmh's SpmvBenchmark.
 *
 *   clang -O3 -march=native -ffp-contract=off -o spmv-checks spmv-checks.c && ./spmv-checks 128
 *
 * (the clang of org.bytedeco:llvm's artifact, as the benchmarks use). Prints ns per call, three rounds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
__attribute__((noinline)) void twin(const int32_t *rp, const int32_t *cols, const double *vals, const double *x, double *y, int rows) {
    for (int r = 0; r < rows; r++) { double s = 0.0;
        for (int p = rp[r]; p < rp[r+1]; p++) s += vals[p] * x[cols[p]];
        y[r] = s; }
}
__attribute__((noinline,cold)) void fail(int i) { printf("oob %d\n", i); exit(1); }
__attribute__((noinline)) void checked(const int32_t *rp, const int32_t *cols, const double *vals, const double *x, uint32_t nx, double *y, int rows) {
    for (int r = 0; r < rows; r++) { double s = 0.0;
        for (int p = rp[r]; p < rp[r+1]; p++) { uint32_t c = cols[p]; if (__builtin_expect(c >= nx, 0)) fail(c); s += vals[p] * x[c]; }
        y[r] = s; }
}
__attribute__((noinline)) void checked_guard(const int32_t *rp, const int32_t *cols, const double *vals, const double *x, uint32_t nx, double *y, int rows) {
    for (int r = 0; r < rows; r++) { double s = 0.0; int start = rp[r], end = rp[r+1];
        if (start < 0) fail(start);
        for (int p = start; p < end; p++) { uint32_t c = cols[p]; if (__builtin_expect(c >= nx, 0)) fail(c); s += vals[p] * x[c]; }
        y[r] = s; }
}
__attribute__((noinline)) void checked_unrolled(const int32_t *rp, const int32_t *cols, const double *vals, const double *x, uint32_t nx, double *y, int rows) {
    for (int r = 0; r < rows; r++) { double s = 0.0;
        #pragma clang loop unroll_count(4)
        for (int p = rp[r]; p < rp[r+1]; p++) { uint32_t c = cols[p]; if (__builtin_expect(c >= nx, 0)) fail(c); s += vals[p] * x[c]; }
        y[r] = s; }
}
__attribute__((noinline)) void deferredmax(const int32_t *rp, const int32_t *cols, const double *vals, const double *x, uint32_t nx, double *y, int rows) {
    for (int r = 0; r < rows; r++) { double s = 0.0; uint32_t mx = 0;
        int start = rp[r], end = rp[r+1];
        for (int p = start; p < end; p++) { uint32_t c = cols[p]; mx = mx > c ? mx : c; c = c < nx ? c : 0; s += vals[p] * x[c]; }
        if (__builtin_expect(mx >= nx, 0)) { s = 0.0; for (int p = start; p < end; p++) { uint32_t c = cols[p]; if (c >= nx) fail(c); s += vals[p] * x[c]; } }
        y[r] = s; }
}
static double now() { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e9 + t.tv_nsec; }
int main(int argc, char **argv) {
    int rows = argc > 1 ? atoi(argv[1]) : 128, per = 16, n = rows;
    int32_t *rp = malloc(4 * (rows + 1)); int32_t *cols = malloc(4 * rows * per); double *vals = malloc(8 * rows * per), *x = malloc(8 * n), *y = malloc(8 * rows);
    srand(42); for (int r = 0; r <= rows; r++) rp[r] = r * per;
    for (int i = 0; i < rows * per; i++) { cols[i] = rand() % n; vals[i] = rand() / (double) RAND_MAX; }
    for (int i = 0; i < n; i++) x[i] = rand() / (double) RAND_MAX;
    int reps = (int)(2e8 / (rows * per)); if (reps < 5) reps = 5;
    for (int round = 0; round < 3; round++) {
        double t0 = now(); for (int k = 0; k < reps; k++) twin(rp, cols, vals, x, y, rows); double t1 = now();
        for (int k = 0; k < reps; k++) checked(rp, cols, vals, x, n, y, rows); double t2 = now();
        for (int k = 0; k < reps; k++) checked_guard(rp, cols, vals, x, n, y, rows); double t3 = now();
        for (int k = 0; k < reps; k++) deferredmax(rp, cols, vals, x, n, y, rows); double t4 = now();
        for (int k = 0; k < reps; k++) checked_unrolled(rp, cols, vals, x, n, y, rows); double t5 = now();
        printf("rows %d: twin %.1f checked %.1f checked_guard %.1f deferredmax %.1f checked_unrolled %.1f ns/call\n", rows,
               (t1-t0)/reps, (t2-t1)/reps, (t3-t2)/reps, (t4-t3)/reps, (t5-t4)/reps);
    }
    return 0;
}
