/*
 * A C model of Numbat's CSR product (docs/performance.md, "the CSR row loop"): the clang twin (no checks), the JVM's
 * check of x[cols[p]] (checked), the same with Numbat's guard of each row's start (checked_guard), and the check
 * deferred to the end of the row (deferredmax: clamp, note the largest index, redo the row checked if it was out of
 * range), and the checked loop unrolled 4 times with each copy's exit test kept (checked_unrolled). 16 entries a row,
 * random columns, as jmh's SpmvBenchmark.
 *
 *   clang -O3 -march=native -ffp-contract=off -o spmv-checks spmv-checks.c -lm && ./spmv-checks 128 [rounds]
 *
 * (the clang of org.bytedeco:llvm's artifact, as the benchmarks use). Each round times every variant once, for about
 * 0.1 s, in an order that rotates from round to round; it prints each variant's median ns per call and its time
 * divided by checked's in the same round (mean with a 95% interval, and the median), because this host's speed
 * drifts by up to 2x within minutes and only ratios taken side by side are steady.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
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
typedef void (*variant)(const int32_t *, const int32_t *, const double *, const double *, uint32_t, double *, int);
static void twin_(const int32_t *rp, const int32_t *cols, const double *vals, const double *x, uint32_t nx, double *y, int rows) {
    (void) nx; twin(rp, cols, vals, x, y, rows);
}
/* Student's t, two-sided 95%, for df degrees of freedom (the normal's beyond 30). */
static double t975(int df) {
    static const double t[30] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
        2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
        2.045, 2.042};
    return df >= 1 && df <= 30 ? t[df - 1] : 1.960;
}
static int by_value(const void *a, const void *b) { double d = *(const double *) a - *(const double *) b; return (d > 0) - (d < 0); }
int main(int argc, char **argv) {
    int rows = argc > 1 ? atoi(argv[1]) : 128, rounds = argc > 2 ? atoi(argv[2]) : 21, per = 16, n = rows;
    if (rows < 1 || rounds < 2) { fprintf(stderr, "usage: spmv-checks ROWS [ROUNDS >= 2]\n"); return 2; }
    int32_t *rp = malloc(4 * (rows + 1)); int32_t *cols = malloc(4 * rows * per); double *vals = malloc(8 * rows * per), *x = malloc(8 * n), *y = malloc(8 * rows);
    srand(42); for (int r = 0; r <= rows; r++) rp[r] = r * per;
    for (int i = 0; i < rows * per; i++) { cols[i] = rand() % n; vals[i] = rand() / (double) RAND_MAX; }
    for (int i = 0; i < n; i++) x[i] = rand() / (double) RAND_MAX;
    enum { V = 5 };
    const char *names[V] = {"checked", "twin", "checked_guard", "deferredmax", "checked_unrolled"};
    variant fs[V] = {checked, twin_, checked_guard, deferredmax, checked_unrolled};
    int reps = (int)(2e7 / (rows * per)); if (reps < 5) reps = 5;
    double *t = calloc((size_t) V * rounds, sizeof(double));
    for (int round = -1; round < rounds; round++) { /* round -1 warms up */
        for (int j = 0; j < V; j++) {
            int v = (j + (round < 0 ? 0 : round)) % V;
            double t0 = now(); for (int k = 0; k < reps; k++) fs[v](rp, cols, vals, x, n, y, rows);
            if (round >= 0) t[v * rounds + round] = (now() - t0) / reps;
        }
    }
    printf("rows %d, %d rounds of %d calls each:\n", rows, rounds, reps);
    for (int v = 0; v < V; v++) {
        double s[rounds], r[rounds], mean = 0, var = 0;
        memcpy(s, t + v * rounds, sizeof s); qsort(s, rounds, sizeof(double), by_value);
        for (int k = 0; k < rounds; k++) { r[k] = t[v * rounds + k] / t[k]; mean += r[k] / rounds; }
        for (int k = 0; k < rounds; k++) var += (r[k] - mean) * (r[k] - mean) / (rounds - 1);
        qsort(r, rounds, sizeof(double), by_value);
        printf("  %-17s median %10.1f ns/call   / checked: %.3f +- %.3f, median %.3f\n", names[v], s[rounds / 2], mean,
               t975(rounds - 1) * sqrt(var / rounds), r[rounds / 2]);
    }
    return 0;
}
