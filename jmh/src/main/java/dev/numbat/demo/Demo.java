package dev.numbat.demo;

import dev.numbat.NotCompiledException;
import dev.numbat.Numbat;
import dev.numbat.kernels.Kernels;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Runs every kernel of {@link Kernels} twice on the same inputs, as bytecode on HotSpot and as native
 * code compiled by {@link Numbat#compile}, checks that the results are bit for bit the same and prints
 * one line per kernel. Exits with status 1 if any result differs or any kernel could not be compiled.
 *
 * <p>The times are the best of a few wall-clock runs after a warm-up: a rough indication, not a
 * benchmark. The JMH benchmarks ({@code jmh/run-benchmarks.sh}, docs/benchmarks.md) are the measurement.
 */
public final class Demo {
    private static final int N = 1 << 22;             // 4,194,304 array elements
    private static final int GRID = 2048;              // stencil grid: 2048 x 2048 = 4,194,304 points
    private static final int MANDEL_W = 1024, MANDEL_H = 768, MANDEL_ITER = 256;
    private static final int FIB_N = 32;

    /** Keeps timed results alive so neither compiler can drop the work. */
    private static volatile double sink;

    private Demo() {}

    /** One line of the report. */
    private record Row(String kernel, String jvm, String numbat, boolean equal, double jvmMs, double numbatMs,
                       double compileMs, String note) {}

    @FunctionalInterface
    private interface Body { void run() throws Throwable; }

    @FunctionalInterface
    private interface Kernel { Row run() throws Throwable; }

    public static void main(String[] args) {
        System.out.println("Numbat demo: " + Runtime.version() + " (" + System.getProperty("java.vm.name") + "), "
                + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        System.out.println("Times: best of several wall-clock runs after warm-up, in ms. A rough demo timing, "
                + "not a benchmark (JMH figures: docs/benchmarks.md).");
        List<Row> rows = new ArrayList<>();
        rows.add(guard("dot", Demo::dot));
        rows.add(guard("saxpy", Demo::saxpy));
        rows.add(guard("sum", Demo::sum));
        rows.add(guard("stencil5", Demo::stencil5));
        rows.add(guard("mandelbrot", Demo::mandelbrot));
        rows.add(guard("fib", Demo::fib));

        String fmt = "%-22s %-24s %-24s %-5s %9s %9s %10s%n";
        System.out.println();
        System.out.printf(Locale.ROOT, fmt, "kernel", "JVM result", "Numbat result", "equal", "JVM ms", "Numbat ms",
                "compile ms");
        int failures = 0;
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, fmt, r.kernel, r.jvm, r.numbat, r.equal ? "yes" : "NO",
                    ms(r.jvmMs), ms(r.numbatMs), ms(r.compileMs));
            if (r.note != null) System.out.println("    " + r.note);
            if (!r.equal) failures++;
        }
        System.out.println();
        if (failures == 0) {
            System.out.println("All " + rows.size() + " kernels: Numbat's results are bit-for-bit the JVM's.");
        } else {
            System.out.println(failures + " of " + rows.size() + " kernels FAILED (result differs or not compiled).");
            System.exit(1);
        }
    }

    // ---- the kernels ----------------------------------------------------------------------------

    private static Row dot() throws Throwable {
        double[] a = randomDoubles(N, 1), b = randomDoubles(N, 2);
        long t0 = System.nanoTime();
        MethodHandle h = Numbat.compile(Kernels.class.getMethod("dot", double[].class, double[].class));
        double compileMs = (System.nanoTime() - t0) / 1e6;
        double jvm = Kernels.dot(a, b);
        double nat = (double) h.invokeExact(a, b);
        double jvmMs = best(20, 10, () -> sink = Kernels.dot(a, b));
        double natMs = best(20, 10, () -> sink = (double) h.invokeExact(a, b));
        return new Row("dot n=" + N, Double.toString(jvm), Double.toString(nat), same(jvm, nat),
                jvmMs, natMs, compileMs, null);
    }

    private static Row saxpy() throws Throwable {
        float[] x = randomFloats(N, 3), y0 = randomFloats(N, 4);
        float a = 1.618034f;
        long t0 = System.nanoTime();
        MethodHandle h = Numbat.compile(Kernels.class.getMethod("saxpy", float.class, float[].class, float[].class));
        double compileMs = (System.nanoTime() - t0) / 1e6;
        float[] yJvm = y0.clone(), yNat = y0.clone();
        Kernels.saxpy(a, x, yJvm);
        h.invokeExact(a, x, yNat);
        int diff = firstDifference(yJvm, yNat);
        // Timing runs work on scratch copies: y grows by a*x per call, which stays far from overflow.
        float[] sJvm = y0.clone(), sNat = y0.clone();
        double jvmMs = best(20, 10, () -> Kernels.saxpy(a, x, sJvm));
        double natMs = best(20, 10, () -> { h.invokeExact(a, x, sNat); });
        return new Row("saxpy n=" + N, digest(yJvm), digest(yNat), diff < 0, jvmMs, natMs, compileMs,
                diff < 0 ? null : "first difference at y[" + diff + "]: JVM " + yJvm[diff] + ", Numbat " + yNat[diff]);
    }

    private static Row sum() throws Throwable {
        double[] a = randomDoubles(N, 5);
        long t0 = System.nanoTime();
        MethodHandle h = Numbat.compile(Kernels.class.getMethod("sum", double[].class));
        double compileMs = (System.nanoTime() - t0) / 1e6;
        double jvm = Kernels.sum(a);
        double nat = (double) h.invokeExact(a);
        double jvmMs = best(20, 10, () -> sink = Kernels.sum(a));
        double natMs = best(20, 10, () -> sink = (double) h.invokeExact(a));
        return new Row("sum n=" + N, Double.toString(jvm), Double.toString(nat), same(jvm, nat),
                jvmMs, natMs, compileMs, null);
    }

    private static Row stencil5() throws Throwable {
        double[] in = randomDoubles(GRID * GRID, 6);
        long t0 = System.nanoTime();
        MethodHandle h = Numbat.compile(Kernels.class.getMethod("stencil5", double[].class, double[].class,
                int.class, int.class));
        double compileMs = (System.nanoTime() - t0) / 1e6;
        double[] outJvm = new double[in.length], outNat = new double[in.length];
        Kernels.stencil5(in, outJvm, GRID, GRID);
        h.invokeExact(in, outNat, GRID, GRID);
        int diff = firstDifference(outJvm, outNat);
        double[] scratch = new double[in.length];
        double jvmMs = best(10, 10, () -> Kernels.stencil5(in, scratch, GRID, GRID));
        double natMs = best(10, 10, () -> { h.invokeExact(in, scratch, GRID, GRID); });
        return new Row("stencil5 " + GRID + "x" + GRID, digest(outJvm), digest(outNat), diff < 0, jvmMs, natMs,
                compileMs, diff < 0 ? null
                        : "first difference at out[" + diff + "]: JVM " + outJvm[diff] + ", Numbat " + outNat[diff]);
    }

    private static Row mandelbrot() throws Throwable {
        long t0 = System.nanoTime();
        MethodHandle h = Numbat.compile(Kernels.class.getMethod("mandelbrot", int.class, int.class, int.class,
                int[].class));
        double compileMs = (System.nanoTime() - t0) / 1e6;
        int[] outJvm = new int[MANDEL_W * MANDEL_H], outNat = new int[MANDEL_W * MANDEL_H];
        int jvm = Kernels.mandelbrot(MANDEL_W, MANDEL_H, MANDEL_ITER, outJvm);
        int nat = (int) h.invokeExact(MANDEL_W, MANDEL_H, MANDEL_ITER, outNat);
        int diff = firstDifference(outJvm, outNat);
        int[] scratch = new int[outJvm.length];
        double jvmMs = best(5, 5, () -> sink = Kernels.mandelbrot(MANDEL_W, MANDEL_H, MANDEL_ITER, scratch));
        double natMs = best(5, 5, () -> sink = (int) h.invokeExact(MANDEL_W, MANDEL_H, MANDEL_ITER, scratch));
        String note = diff >= 0 ? "first difference at out[" + diff + "]: JVM " + outJvm[diff] + ", Numbat " + outNat[diff]
                : jvm != nat ? "totals differ" : null;
        return new Row("mandelbrot " + MANDEL_W + "x" + MANDEL_H, "total=" + jvm, "total=" + nat,
                jvm == nat && diff < 0, jvmMs, natMs, compileMs, note);
    }

    private static Row fib() throws Throwable {
        long t0 = System.nanoTime();
        MethodHandle h = Numbat.compile(Kernels.class.getMethod("fib", int.class));
        double compileMs = (System.nanoTime() - t0) / 1e6;
        int jvm = Kernels.fib(FIB_N);
        int nat = (int) h.invokeExact(FIB_N);
        double jvmMs = best(10, 5, () -> sink = Kernels.fib(FIB_N));
        double natMs = best(10, 5, () -> sink = (int) h.invokeExact(FIB_N));
        return new Row("fib(" + FIB_N + ")", Integer.toString(jvm), Integer.toString(nat), jvm == nat,
                jvmMs, natMs, compileMs, null);
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** Runs one kernel; a kernel Numbat cannot compile, or that throws, becomes a failed row. */
    private static Row guard(String name, Kernel k) {
        try {
            return k.run();
        } catch (NotCompiledException e) {
            return new Row(name, "-", "not compiled", false, Double.NaN, Double.NaN, Double.NaN, e.diagnosticLine());
        } catch (Throwable t) {
            return new Row(name, "-", "failed", false, Double.NaN, Double.NaN, Double.NaN, "threw " + t);
        }
    }

    /** The fastest of {@code reps} timed runs, in milliseconds, after {@code warmups} untimed ones. */
    private static double best(int warmups, int reps, Body body) throws Throwable {
        for (int i = 0; i < warmups; i++) body.run();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            body.run();
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best / 1e6;
    }

    private static boolean same(double a, double b) {
        return Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b);
    }

    /** The first index whose elements differ in their bits, or -1. */
    private static int firstDifference(double[] a, double[] b) {
        if (a.length != b.length) return 0;
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) return i;
        }
        return -1;
    }

    private static int firstDifference(float[] a, float[] b) {
        if (a.length != b.length) return 0;
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) return i;
        }
        return -1;
    }

    private static int firstDifference(int[] a, int[] b) {
        if (a.length != b.length) return 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) return i;
        }
        return -1;
    }

    /** A short fingerprint of an array's bits, to show on the result line. */
    private static String digest(float[] a) {
        return "float[" + a.length + "]#" + String.format("%08x", Arrays.hashCode(a));
    }

    private static String digest(double[] a) {
        return "double[" + a.length + "]#" + String.format("%08x", Arrays.hashCode(a));
    }

    private static double[] randomDoubles(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = r.nextDouble(-1.0, 1.0);
        return a;
    }

    private static float[] randomFloats(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextDouble(-1.0, 1.0);
        return a;
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: the architecture will do
        }
        return System.getProperty("os.arch");
    }
}
