package dev.numbat.profiled;

import dev.numbat.Jit;
import dev.numbat.MethodStatistics;
import dev.numbat.Numbat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Recording;

/**
 * Runs in a child JVM under the agent ({@link ProfiledModeTest}): threads call three {@code @Jit(profile = true)}
 * kernels with random inputs, before, during and after each switches from profiled bytecode to native code (or
 * back to bytecode), and check every call against an unannotated copy of the kernel (results by raw bits,
 * exceptions by class and message, arrays afterwards). It stops when every kernel's policy has decided and a
 * while after, or after a time limit, prints its statistics and exits 1 on any difference. With an argument, it
 * records the run with JFR into that file.
 */
public final class ProfiledApp {
    private ProfiledApp() {}

    /** A loop whose rare branch is heavy (a profile says: keep it out of the hot path). */
    @Jit(profile = true)
    public static double branchy(double[] a, int every) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            if (i % every == 0) {
                double t = a[i];
                for (int k = 0; k < 20; k++) t = Math.sqrt(t * t + k);
                s += t;
            } else {
                s += a[i] * 0.5;
            }
        }
        return s;
    }

    public static double branchyRef(double[] a, int every) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            if (i % every == 0) {
                double t = a[i];
                for (int k = 0; k < 20; k++) t = Math.sqrt(t * t + k);
                s += t;
            } else {
                s += a[i] * 0.5;
            }
        }
        return s;
    }

    /** Writes, then throws for a zero divisor or a short array, with the switch in the middle. */
    @Jit(profile = true)
    public static int divideAll(int[] a, int d, int n) {
        int s = 0;
        for (int i = 0; i < n; i++) {
            switch (a[i] & 3) {
                case 0 -> a[i] = a[i] / d;
                case 1 -> a[i] = a[i] * d;
                default -> a[i] = a[i] - d;
            }
            s += a[i];
        }
        return s;
    }

    public static int divideAllRef(int[] a, int d, int n) {
        int s = 0;
        for (int i = 0; i < n; i++) {
            switch (a[i] & 3) {
                case 0 -> a[i] = a[i] / d;
                case 1 -> a[i] = a[i] * d;
                default -> a[i] = a[i] - d;
            }
            s += a[i];
        }
        return s;
    }

    /** Tiny: no loop, no array; HotSpot inlines it, so the policy should keep its bytecode. */
    @Jit(profile = true)
    public static long tiny(long x, int y) {
        return (x * 31 + y) ^ (x >>> 7);
    }

    public static long tinyRef(long x, int y) {
        return (x * 31 + y) ^ (x >>> 7);
    }

    static volatile boolean bigArrays;

    public static void main(String[] args) throws Exception {
        Recording recording = null;
        if (args.length > 0) {
            recording = new Recording();
            recording.enable("dev.numbat.Compilation");
            recording.enable("dev.numbat.PolicyDecision");
            recording.enable("dev.numbat.MethodStatistics").withPeriod(java.time.Duration.ofMillis(100));
            recording.start();
        }
        long limit = System.nanoTime() + Long.getLong("app.seconds", 60) * 1_000_000_000L;
        AtomicLong calls = new AtomicLong(), differences = new AtomicLong();
        List<String> firstDifferences = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int seed = t;
            Thread th = new Thread(() -> {
                Random r = new Random(seed);
                long decidedAt = -1;
                while (System.nanoTime() < limit) {
                    for (int k = 0; k < 100; k++) {
                        String d = oneCall(r);
                        calls.incrementAndGet();
                        if (d != null && differences.incrementAndGet() <= 5) firstDifferences.add(d);
                    }
                    if (decidedAt < 0 && allDecided()) {
                        decidedAt = calls.get();
                    } else if (decidedAt >= 0 && calls.get() > decidedAt + 30_000) {
                        // Then branchy's arrays grow 40-fold: its policy must measure again; stop once it has decided again.
                        if (!bigArrays) {
                            bigArrays = true;
                            decidedAt = -1;
                        } else if (allDecided()) {
                            break;
                        }
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) th.join();
        if (recording != null) {
            Thread.sleep(300); // one more period of the statistics event
            recording.stop();
            recording.dump(Path.of(args[0]));
        }
        for (MethodStatistics s : Numbat.statistics()) {
            System.out.println("statistics " + s.method() + " " + s.decision() + " calls=" + s.calls() + " nativeCalls=" + s.nativeCalls());
        }
        System.out.println("calls " + calls.get() + ", differences " + differences.get() + (allDecided() ? ", all decided" : ", undecided"));
        firstDifferences.forEach(System.out::println);
        System.exit(differences.get() == 0 ? 0 : 1);
    }

    static boolean allDecided() {
        List<MethodStatistics> s = Numbat.statistics();
        return s.size() == 3 && s.stream().allMatch(m -> m.decision().equals("native") || m.decision().equals("bytecode")
                || m.decision().equals("not compiled"));
    }

    /** One call of a random kernel, against its copy; null if they agree, else what differed. */
    static String oneCall(Random r) {
        switch (r.nextInt(3)) {
            case 0 -> {
                double[] a = r.doubles(bigArrays ? 4000 + r.nextInt(4000) : r.nextInt(200), -100, 100).toArray();
                if (a.length > 3 && r.nextInt(10) == 0) a[2] = Double.NaN;
                // 7 while profiled, so the compiled code has a version specialised to it; then any (sometimes 0:
                // ArithmeticException from i % 0), which that version's guard must send to the general code.
                int every = bigArrays ? r.nextInt(40) - 2 : 7;
                return compare("branchy", () -> branchy(a.clone(), every), () -> branchyRef(a.clone(), every), null, null);
            }
            case 1 -> {
                int[] a = r.ints(r.nextInt(50), -1000, 1000).toArray();
                int d = r.nextInt(20) == 0 ? 0 : r.nextInt(9) - 4;
                int n = r.nextInt(30) == 0 ? a.length + 1 : a.length;
                int[] x = a.clone(), y = a.clone();
                return compare("divideAll", () -> divideAll(x, d, n), () -> divideAllRef(y, d, n), x, y);
            }
            default -> {
                long x = r.nextLong();
                int y = r.nextInt();
                return compare("tiny", () -> tiny(x, y), () -> tinyRef(x, y), null, null);
            }
        }
    }

    private static String compare(String name, java.util.concurrent.Callable<Object> jit, java.util.concurrent.Callable<Object> ref,
                                  int[] jitArray, int[] refArray) {
        String a = outcome(jit), b = outcome(ref);
        if (!a.equals(b)) return name + ": " + a + " but the JVM gives " + b;
        if (jitArray != null && !Arrays.equals(jitArray, refArray)) return name + ": arrays differ";
        return null;
    }

    private static String outcome(java.util.concurrent.Callable<Object> c) {
        try {
            Object o = c.call();
            return o instanceof Double d ? "double " + Double.doubleToRawLongBits(d) : String.valueOf(o);
        } catch (Exception e) {
            return "threw " + e;
        }
    }
}
