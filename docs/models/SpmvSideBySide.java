import dev.numbat.Numbat;
import dev.numbat.bench.suite.KernelHandles;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The suite's spmv (16 entries a row, random columns) timed side by side in one JVM: Numbat compiled twice, with a
 * system property of the compiler set to true (A) and to false (B), HotSpot, and the clang twin, all on the same
 * arrays. Each round times every variant once, for about 0.1 s, in an order that rotates from round to round, and the
 * ratios are taken round by round: on this host only ratios taken side by side are steady (docs/performance.md, the
 * CSR row loop). A property no pass reads makes A and B the same code, which shows the harness's own error.
 *
 * <pre>
 *   mvn -q -Pbench -DskipTests -pl jmh -am package
 *   java --enable-native-access=ALL-UNNAMED -cp jmh/target/benchmarks.jar docs/models/SpmvSideBySide.java ROWS ROUNDS [PROPERTY]
 * </pre>
 * (JDK 25; the twin is built by the clang of org.bytedeco:llvm, as in the suite.) Not a benchmark of record: the
 * published figures are JMH's (docs/benchmarks.md); this is for deciding between two builds of the compiler.
 */
public class SpmvSideBySide {
    static final int PER_ROW = 16;

    // Three copies of SparseKernels.spmv: Numbat compiles a method once, and HotSpot's copy must not share its profile.
    public static void a(int[] rowPtr, int[] cols, double[] vals, double[] x, double[] y) {
        for (int r = 0; r < y.length; r++) {
            double s = 0.0;
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) s += vals[p] * x[cols[p]];
            y[r] = s;
        }
    }

    public static void b(int[] rowPtr, int[] cols, double[] vals, double[] x, double[] y) {
        for (int r = 0; r < y.length; r++) {
            double s = 0.0;
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) s += vals[p] * x[cols[p]];
            y[r] = s;
        }
    }

    public static void hotSpot(int[] rowPtr, int[] cols, double[] vals, double[] x, double[] y) {
        for (int r = 0; r < y.length; r++) {
            double s = 0.0;
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) s += vals[p] * x[cols[p]];
            y[r] = s;
        }
    }

    interface Kernel { void run(int[] rowPtr, int[] cols, double[] vals, double[] x, double[] y) throws Throwable; }

    public static void main(String[] args) throws Throwable {
        int rows = Integer.parseInt(args[0]), rounds = Integer.parseInt(args[1]);
        if (rounds < 2) throw new IllegalArgumentException("two rounds or more");
        String property = args.length > 2 ? args[2] : "numbat.sideBySide.unused";
        Class<?> I = int[].class, D = double[].class;
        System.setProperty(property, "true");
        MethodHandle a = Numbat.compile(SpmvSideBySide.class.getMethod("a", I, I, D, D, D));
        System.setProperty(property, "false");
        MethodHandle b = Numbat.compile(SpmvSideBySide.class.getMethod("b", I, I, D, D, D));
        MethodHandle twin = KernelHandles.clang("spmv", void.class, I, I, D, D, D);

        SplittableRandom random = new SplittableRandom(22);
        int[] rowPtr = new int[rows + 1], cols = new int[rows * PER_ROW];
        for (int r = 0; r < rows; r++) {
            rowPtr[r + 1] = rowPtr[r] + PER_ROW;
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) cols[p] = random.nextInt(rows);
        }
        double[] vals = random.doubles(cols.length, -1, 1).toArray(), x = random.doubles(rows, -1, 1).toArray();
        double[] y = new double[rows], expected = new double[rows];
        hotSpot(rowPtr, cols, vals, x, expected);

        String[] names = {"A (" + property + "=true)", "B (" + property + "=false)", "HotSpot", "clang twin"};
        Kernel[] kernels = {
                (rp, c, v, xs, ys) -> { a.invokeExact(rp, c, v, xs, ys); },
                (rp, c, v, xs, ys) -> { b.invokeExact(rp, c, v, xs, ys); },
                SpmvSideBySide::hotSpot,
                (rp, c, v, xs, ys) -> { twin.invokeExact(rp, c, v, xs, ys); }};
        for (int k = 0; k < kernels.length; k++) {
            Arrays.fill(y, 0.0);
            kernels[k].run(rowPtr, cols, vals, x, y);
            if (!Arrays.equals(expected, y)) throw new AssertionError(names[k] + " differs from the JVM's result");
        }
        int calls = (int) Math.max(1, 20_000_000L / cols.length); // some 0.1 s a variant
        double[][] times = new double[kernels.length][rounds];
        for (int warm = 0; warm < 3; warm++) for (Kernel k : kernels) time(k, calls, rowPtr, cols, vals, x, y);
        for (int round = 0; round < rounds; round++) {
            for (int j = 0; j < kernels.length; j++) {
                int k = (j + round) % kernels.length;
                times[k][round] = time(kernels[k], calls, rowPtr, cols, vals, x, y);
            }
        }
        System.out.printf("spmv, %d rows, %d rounds of %d calls per variant:%n", rows, rounds, calls);
        for (int k = 0; k < kernels.length; k++) System.out.printf("  %-40s median %10.1f ns%n", names[k], median(times[k]));
        for (int k = 0; k < kernels.length; k++) {
            for (int j = 0; j < k; j++) {
                double[] r = new double[rounds];
                for (int round = 0; round < rounds; round++) r[round] = times[k][round] / times[j][round];
                double mean = Arrays.stream(r).average().orElseThrow();
                double sd = Math.sqrt(Arrays.stream(r).map(v -> (v - mean) * (v - mean)).sum() / (rounds - 1));
                System.out.printf("  %s / %s: %.3f +- %.3f (95%%), median %.3f%n", names[k], names[j], mean,
                        t975(rounds - 1) * sd / Math.sqrt(rounds), median(r));
            }
        }
    }

    static double time(Kernel k, int calls, int[] rowPtr, int[] cols, double[] vals, double[] x, double[] y) throws Throwable {
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) k.run(rowPtr, cols, vals, x, y);
        return (System.nanoTime() - start) / (double) calls;
    }

    /** Student's t, two-sided 95%, for {@code df} degrees of freedom (the normal's beyond 30). */
    static double t975(int df) {
        double[] t = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
                2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
        return df >= 1 && df <= t.length ? t[df - 1] : 1.960;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
