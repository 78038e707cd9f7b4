package dev.numbat.kernels;

import dev.numbat.Jit;

/**
 * One time step of the direct O(n²) gravitational n-body problem (issue 4's benchmark suite), on separate
 * coordinate arrays: all accelerations from the current positions (softened, so a body's pull on itself is zero
 * and no pair needs a branch), then velocities, then positions. C twin: {@code jmh/src/main/c/nbody_kernels.c}.
 */
public final class NBodyKernels {
    private NBodyKernels() {}

    /** The square of the softening length, added to every squared distance. */
    public static final double SOFTENING2 = 1.0e-3;

    /** Advances the {@code x.length} bodies by {@code dt}: velocities from the accelerations, then positions. */
    @Jit
    public static void step(double[] x, double[] y, double[] z, double[] vx, double[] vy, double[] vz,
                            double[] m, double dt) {
        int n = x.length;
        for (int i = 0; i < n; i++) {
            double xi = x[i], yi = y[i], zi = z[i];
            double ax = 0.0, ay = 0.0, az = 0.0;
            for (int j = 0; j < n; j++) {
                double dx = x[j] - xi, dy = y[j] - yi, dz = z[j] - zi;
                double d2 = dx * dx + dy * dy + dz * dz + SOFTENING2;
                double s = m[j] / (d2 * Math.sqrt(d2));
                ax += dx * s;
                ay += dy * s;
                az += dz * s;
            }
            vx[i] += ax * dt;
            vy[i] += ay * dt;
            vz[i] += az * dt;
        }
        for (int i = 0; i < n; i++) {
            x[i] += vx[i] * dt;
            y[i] += vy[i] * dt;
            z[i] += vz[i] * dt;
        }
    }

    /** {@link #step} with {@code fastMath}: the acceleration sums may be reassociated (vectorised). */
    @Jit(fastMath = true)
    public static void stepFastMath(double[] x, double[] y, double[] z, double[] vx, double[] vy, double[] vz,
                                    double[] m, double dt) {
        int n = x.length;
        for (int i = 0; i < n; i++) {
            double xi = x[i], yi = y[i], zi = z[i];
            double ax = 0.0, ay = 0.0, az = 0.0;
            for (int j = 0; j < n; j++) {
                double dx = x[j] - xi, dy = y[j] - yi, dz = z[j] - zi;
                double d2 = dx * dx + dy * dy + dz * dz + SOFTENING2;
                double s = m[j] / (d2 * Math.sqrt(d2));
                ax += dx * s;
                ay += dy * s;
                az += dz * s;
            }
            vx[i] += ax * dt;
            vy[i] += ay * dt;
            vz[i] += az * dt;
        }
        for (int i = 0; i < n; i++) {
            x[i] += vx[i] * dt;
            y[i] += vy[i] * dt;
            z[i] += vz[i] * dt;
        }
    }

    /**
     * {@link #step} marked parallel: both loops over bodies are independent (the first reads positions and
     * writes velocities, the second the reverse), and the first holds nearly all the work.
     */
    @Jit(parallel = true)
    public static void stepParallel(double[] x, double[] y, double[] z, double[] vx, double[] vy, double[] vz,
                                    double[] m, double dt) {
        int n = x.length;
        for (int i = 0; i < n; i++) {
            double xi = x[i], yi = y[i], zi = z[i];
            double ax = 0.0, ay = 0.0, az = 0.0;
            for (int j = 0; j < n; j++) {
                double dx = x[j] - xi, dy = y[j] - yi, dz = z[j] - zi;
                double d2 = dx * dx + dy * dy + dz * dz + SOFTENING2;
                double s = m[j] / (d2 * Math.sqrt(d2));
                ax += dx * s;
                ay += dy * s;
                az += dz * s;
            }
            vx[i] += ax * dt;
            vy[i] += ay * dt;
            vz[i] += az * dt;
        }
        for (int i = 0; i < n; i++) {
            x[i] += vx[i] * dt;
            y[i] += vy[i] * dt;
            z[i] += vz[i] * dt;
        }
    }
}
