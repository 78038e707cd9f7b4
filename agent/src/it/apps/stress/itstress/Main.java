package itstress;

import dev.numbat.Jit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stress test's application: {@code THREADS} threads, released together, call five {@code @Jit}
 * kernels (array writes, exceptions, recursion) in a loop for the given number of seconds, so that the
 * first calls race with the kernels' compilation (lazy mode: they wait for it; background mode: they run
 * bytecode meanwhile). Every call is checked against a plain copy of the kernel, without {@code @Jit},
 * run by HotSpot in the same JVM on a copy of the same arguments: the result (doubles by raw bits), the
 * exception's class and message, and the arrays afterwards. Prints one summary line and exits with 1 if
 * any call differed.
 *
 * <p>Arguments: seconds to run (default 3), threads (default 32). With {@code -Ditstress.awaitCompiled=K} the
 * threads go on past those seconds until the agent has printed K {@code numbat: compiled} lines (it must run
 * with {@code -Dnumbat.verbose=true}) and then one more second, so that in background mode, where 32 busy
 * threads leave the compiler thread little of the CPU, every kernel is seen switching to native code.
 * Never longer than 120 s.
 */
public final class Main {
    private Main() {}

    // ---- the kernels, with @Jit, and their plain copies (same bodies) ----

    /** Prefix sums in place over a[0..n): throws AIOOBE with n past the end, after its writes. */
    @Jit
    public static long prefix(long[] a, int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += a[i];
            a[i] = s;
        }
        return s;
    }

    public static long prefixPlain(long[] a, int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += a[i];
            a[i] = s;
        }
        return s;
    }

    /** y[i] = alpha * x[i] + y[i] for i < n: AIOOBE on either array, NPE on null. */
    @Jit
    public static void axpy(double alpha, double[] x, double[] y, int n) {
        for (int i = 0; i < n; i++) y[i] = alpha * x[i] + y[i];
    }

    public static void axpyPlain(double alpha, double[] x, double[] y, int n) {
        for (int i = 0; i < n; i++) y[i] = alpha * x[i] + y[i];
    }

    /** Integer division and remainder by every element: ArithmeticException at the first zero. */
    @Jit
    public static int divideAll(int[] a, int d) {
        int s = 0;
        for (int i = 0; i < a.length; i++) {
            a[i] = d / a[i] + a[i] % 7;
            s += a[i];
        }
        return s;
    }

    public static int divideAllPlain(int[] a, int d) {
        int s = 0;
        for (int i = 0; i < a.length; i++) {
            a[i] = d / a[i] + a[i] % 7;
            s += a[i];
        }
        return s;
    }

    /** Recursion through a static helper; a local array; NegativeArraySizeException for n < 0. */
    @Jit
    public static double series(int n, double x) {
        double[] terms = new double[n];
        for (int i = 0; i < n; i++) terms[i] = power(x, i) / (i + 1);
        double s = 0;
        for (int i = n - 1; i >= 0; i--) s += terms[i];
        return s;
    }

    public static double seriesPlain(int n, double x) {
        double[] terms = new double[n];
        for (int i = 0; i < n; i++) terms[i] = power(x, i) / (i + 1);
        double s = 0;
        for (int i = n - 1; i >= 0; i--) s += terms[i];
        return s;
    }

    static double power(double x, int k) {
        return k == 0 ? 1.0 : x * power(x, k - 1);
    }

    /** Bytes and shorts: narrowing stores, sign extension, a checked index from the data. */
    @Jit
    public static int histogram(byte[] data, short[] counts) {
        int max = 0;
        for (byte b : data) {
            int k = b & 0x0f;
            counts[k]++;
            if (counts[k] > max) max = counts[k];
        }
        return max;
    }

    public static int histogramPlain(byte[] data, short[] counts) {
        int max = 0;
        for (byte b : data) {
            int k = b & 0x0f;
            counts[k]++;
            if (counts[k] > max) max = counts[k];
        }
        return max;
    }

    // ---- the checking harness ----

    private static final AtomicLong CALLS = new AtomicLong(), THROWN = new AtomicLong(), MISMATCHES = new AtomicLong();
    private static final List<String> REPORTS = new ArrayList<>();

    /** What one call did: its result (as a string of raw bits), its exception, its arrays afterwards. */
    private record Outcome(String result, String exception, String arrays) {}

    private interface Call { Object run(Object[] args); }

    private static Outcome outcome(Call call, Object[] args) {
        String result = null, exception = null;
        try {
            result = bits(call.run(args));
        } catch (RuntimeException e) {
            exception = e.getClass().getName() + ": " + e.getMessage();
            THROWN.incrementAndGet();
        }
        StringBuilder arrays = new StringBuilder();
        for (Object a : args) arrays.append(bits(a)).append(';');
        return new Outcome(result, exception, arrays.toString());
    }

    private static String bits(Object v) {
        if (v == null) return "null";
        if (v instanceof Double d) return "D" + Long.toHexString(Double.doubleToRawLongBits(d));
        if (v instanceof double[] a) {
            long[] b = new long[a.length];
            for (int i = 0; i < a.length; i++) b[i] = Double.doubleToRawLongBits(a[i]);
            return "D" + Arrays.toString(b);
        }
        if (v instanceof long[] a) return "J" + Arrays.toString(a);
        if (v instanceof int[] a) return "I" + Arrays.toString(a);
        if (v instanceof short[] a) return "S" + Arrays.toString(a);
        if (v instanceof byte[] a) return "B" + Arrays.toString(a);
        return String.valueOf(v);
    }

    private static Object[] copy(Object[] args) {
        Object[] c = args.clone();
        for (int i = 0; i < c.length; i++) {
            if (c[i] instanceof double[] a) c[i] = a.clone();
            else if (c[i] instanceof long[] a) c[i] = a.clone();
            else if (c[i] instanceof int[] a) c[i] = a.clone();
            else if (c[i] instanceof short[] a) c[i] = a.clone();
            else if (c[i] instanceof byte[] a) c[i] = a.clone();
        }
        return c;
    }

    private static void check(String kernel, Call jit, Call plain, Object[] args) {
        Outcome expected = outcome(plain, copy(args));
        Outcome actual = outcome(jit, copy(args));
        CALLS.incrementAndGet();
        if (!Objects.equals(expected, actual)) {
            MISMATCHES.incrementAndGet();
            synchronized (REPORTS) {
                if (REPORTS.size() < 10) REPORTS.add(kernel + " on " + bits(Arrays.asList(args)) + ": expected " + expected + ", got " + actual);
            }
        }
    }

    private static void oneCall(int kernel, SplittableRandom r) {
        // Inputs are in bounds most of the time; now and then an index, a length, a divisor or a reference is off.
        switch (kernel) {
            case 0 -> {
                long[] a = r.longs(r.nextInt(0, 32), -1000, 1000).toArray();
                int n = r.nextInt(0, a.length + 3);
                check("prefix", x -> prefix((long[]) x[0], (int) x[1]), x -> prefixPlain((long[]) x[0], (int) x[1]), new Object[] {a, n});
            }
            case 1 -> {
                double[] x = r.nextInt(20) == 0 ? null : r.doubles(r.nextInt(0, 32), -1e3, 1e3).toArray();
                double[] y = r.doubles(r.nextInt(0, 32), -1e3, 1e3).toArray();
                int n = r.nextInt(0, Math.min(x == null ? 4 : x.length, y.length) + 3);
                double alpha = r.nextInt(10) == 0 ? Double.NaN : r.nextDouble(-4, 4);
                check("axpy", v -> { axpy((double) v[0], (double[]) v[1], (double[]) v[2], (int) v[3]); return null; },
                        v -> { axpyPlain((double) v[0], (double[]) v[1], (double[]) v[2], (int) v[3]); return null; },
                        new Object[] {alpha, x, y, n});
            }
            case 2 -> {
                int[] a = r.ints(r.nextInt(0, 24), -200, 200).toArray(); // a zero now and then
                int d = r.nextInt();
                check("divideAll", v -> divideAll((int[]) v[0], (int) v[1]), v -> divideAllPlain((int[]) v[0], (int) v[1]), new Object[] {a, d});
            }
            case 3 -> {
                int m = r.nextInt(-2, 30);
                double x = r.nextDouble(-1.5, 1.5);
                check("series", v -> series((int) v[0], (double) v[1]), v -> seriesPlain((int) v[0], (double) v[1]), new Object[] {m, x});
            }
            default -> {
                byte[] data = new byte[r.nextInt(0, 64)];
                r.nextBytes(data);
                short[] counts = new short[r.nextInt(8) == 0 ? r.nextInt(0, 16) : 16]; // too short now and then
                check("histogram", v -> histogram((byte[]) v[0], (short[]) v[1]), v -> histogramPlain((byte[]) v[0], (short[]) v[1]), new Object[] {data, counts});
            }
        }
    }

    /** Counts the agent's "numbat: compiled" lines on their way to standard error. */
    private static final class CompiledLines extends java.io.PrintStream {
        final AtomicLong count = new AtomicLong();

        CompiledLines(java.io.PrintStream err) { super(err, true); }

        @Override
        public void println(String line) {
            super.println(line);
            if (line != null && line.startsWith("numbat: compiled ")) count.incrementAndGet();
        }
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int awaitCompiled = Integer.getInteger("itstress.awaitCompiled", 0);
        CompiledLines err = new CompiledLines(System.err);
        System.setErr(err);
        long begin = System.nanoTime(), minimum = begin + (long) (seconds * 1e9), cap = begin + 120_000_000_000L;
        AtomicLong allCompiledAt = new AtomicLong(); // nanoTime when the last awaited line came, 0 before
        java.util.function.BooleanSupplier running = () -> {
            long now = System.nanoTime();
            if (now >= cap) return false;
            if (awaitCompiled > 0 && allCompiledAt.get() == 0) {
                if (err.count.get() < awaitCompiled) return true;
                allCompiledAt.compareAndSet(0, now);
            }
            return now < minimum || (awaitCompiled > 0 && now < allCompiledAt.get() + 1_000_000_000L);
        };
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> crashes = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                SplittableRandom r = new SplittableRandom(0x5eed + id);
                try {
                    start.await();
                    // The first calls of every kernel happen at once from all threads, while it compiles.
                    for (int k = 0; k < 5; k++) oneCall((k + id) % 5, r);
                    while (running.getAsBoolean()) oneCall(r.nextInt(5), r);
                } catch (Throwable e) {
                    synchronized (crashes) { crashes.add(e); }
                }
            }, "stress-" + t);
            workers.add(w);
            w.start();
        }
        start.countDown();
        for (Thread w : workers) w.join();
        for (Throwable e : crashes) e.printStackTrace(System.out);
        for (String s : REPORTS) System.out.println("MISMATCH " + s);
        System.out.println("itstress: threads=" + threads + " calls=" + CALLS.get() + " thrown=" + THROWN.get()
                + " mismatches=" + MISMATCHES.get() + " crashes=" + crashes.size()
                + (awaitCompiled > 0 ? " compiled=" + err.count.get() + "/" + awaitCompiled : ""));
        if (awaitCompiled > 0) {
            long at = allCompiledAt.get();
            System.err.println("itstress: " + (at == 0 ? "gave up waiting for the compiled lines" : "all compiled after "
                    + (at - begin) / 1_000_000 + " ms") + ", ran " + (System.nanoTime() - begin) / 1_000_000 + " ms");
        }
        System.exit(MISMATCHES.get() == 0 && crashes.isEmpty() ? 0 : 1);
    }
}
