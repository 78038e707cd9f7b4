package dev.numbat.profiled;

import dev.numbat.Jit;
import dev.numbat.MethodStatistics;
import dev.numbat.Numbat;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Plain {@code @Jit} kernels (no {@code profile}) for the child JVMs of {@link ProfiledModeTest} run with
 * {@code -Dnumbat.policy=measured} or {@code -Dnumbat.mode=profiled}: two threads call them with random inputs and
 * check every call against unannotated copies, until both have a decision and a while after.
 */
public final class MeasuredApp {
    private MeasuredApp() {}

    @Jit
    public static long scaleAll(long[] a, long k) {
        long s = 0;
        for (int i = 0; i < a.length; i++) {
            a[i] = a[i] * k + (a[i] >>> 3);
            s ^= a[i];
        }
        return s;
    }

    public static long scaleAllRef(long[] a, long k) {
        long s = 0;
        for (int i = 0; i < a.length; i++) {
            a[i] = a[i] * k + (a[i] >>> 3);
            s ^= a[i];
        }
        return s;
    }

    @Jit
    public static int collatz(int n) {
        int steps = 0;
        while (n > 1 && steps < 1000) {
            n = (n & 1) == 0 ? n / 2 : 3 * n + 1;
            steps++;
        }
        return steps;
    }

    public static int collatzRef(int n) {
        int steps = 0;
        while (n > 1 && steps < 1000) {
            n = (n & 1) == 0 ? n / 2 : 3 * n + 1;
            steps++;
        }
        return steps;
    }

    public static void main(String[] args) throws Exception {
        long limit = System.nanoTime() + Long.getLong("app.seconds", 60) * 1_000_000_000L;
        long[] differences = new long[2];
        Thread[] threads = new Thread[2];
        for (int t = 0; t < threads.length; t++) {
            int me = t;
            threads[t] = new Thread(() -> {
                Random r = new Random(me);
                long decidedAt = -1, calls = 0;
                while (System.nanoTime() < limit && (decidedAt < 0 || calls < decidedAt + 20_000)) {
                    calls++;
                    long[] a = r.longs(r.nextInt(100)).toArray(), b = a.clone();
                    long k = r.nextLong();
                    if (scaleAll(a, k) != scaleAllRef(b, k) || !Arrays.equals(a, b)) differences[me]++;
                    int n = r.nextInt(100_000);
                    if (collatz(n) != collatzRef(n)) differences[me]++;
                    if (decidedAt < 0 && calls % 100 == 0 && decided()) decidedAt = calls;
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) t.join();
        for (MethodStatistics s : Numbat.statistics()) System.out.println("statistics " + s.method() + " " + s.decision());
        long d = differences[0] + differences[1];
        System.out.println("differences " + d + (decided() ? ", all decided" : ", undecided"));
        System.exit(d == 0 ? 0 : 1);
    }

    static boolean decided() {
        List<MethodStatistics> s = Numbat.statistics();
        return s.size() == 2 && s.stream().allMatch(m -> m.decision().equals("native") || m.decision().equals("bytecode"));
    }
}
