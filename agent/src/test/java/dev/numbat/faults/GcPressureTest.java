package dev.numbat.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.numbat.Numbat;
import java.lang.invoke.MethodHandle;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Native calls while the heap churns: 4 threads call compiled kernels that write every element of large arrays
 * (two 16 MiB {@code double[]} and an 8 MiB {@code int[]} each, kept for the whole run) and of fresh 256 KiB arrays
 * (young objects, which the collector moves between calls), while 3 other threads allocate some 100 MiB/s of
 * garbage, keep a window of it alive and call {@code System.gc()} every 50 ms. After every call each element is
 * checked against its formula in Java: every write must be there, also those made before an
 * ArrayIndexOutOfBoundsException. Runs {@link LoadTests#seconds()}.
 */
class GcPressureTest {
    static final int CALLERS = 4, ALLOCATORS = 3;
    static final int LARGE = 2 << 20, MEDIUM = 32 << 10;

    final Queue<String> failures = new ConcurrentLinkedQueue<>();
    final AtomicLong nativeCalls = new AtomicLong(), elementsChecked = new AtomicLong();

    @Test
    void nativeWritesToLargeArraysSurviveGarbageCollections() throws Exception {
        MethodHandle fill = Numbat.compile(LoadTests.kernel("fill"));
        MethodHandle axpy = Numbat.compile(LoadTests.kernel("axpy"));
        MethodHandle fillUntil = Numbat.compile(LoadTests.kernel("fillUntil"));
        long seconds = LoadTests.seconds();
        long gcBefore = collections();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> allocators = new ArrayList<>();
        for (int t = 0; t < ALLOCATORS; t++) {
            int id = t;
            allocators.add(Thread.ofPlatform().name("allocator-" + t).daemon().start(() -> allocate(id, stop)));
        }
        List<Thread> callers = new ArrayList<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        for (int t = 0; t < CALLERS; t++) {
            int id = t;
            callers.add(Thread.ofPlatform().name("caller-" + t).start(() -> {
                try {
                    call(id, end, fill, axpy, fillUntil);
                } catch (Throwable e) {
                    failures.add(Thread.currentThread().getName() + ": " + e);
                }
            }));
        }
        for (Thread t : callers) t.join((seconds + 300) * 1000);
        stop.set(true);
        for (Thread t : allocators) t.join(60_000);
        for (Thread t : callers) assertTrue(!t.isAlive(), t.getName() + " still running: a hang");
        long gcs = collections() - gcBefore;
        assertTrue(failures.isEmpty(), () -> failures.size() + " failures:\n" + String.join("\n", failures.stream().limit(20).toList()));
        System.out.printf("numbat faults: %d s of GC pressure: %d native calls, %,d elements checked, %d collections, every write there%n",
                seconds, nativeCalls.get(), elementsChecked.get(), gcs);
        assertTrue(nativeCalls.get() >= CALLERS * 10L, "only " + nativeCalls.get() + " native calls");
        assertTrue(gcs >= seconds * 5, "only " + gcs + " collections during the run");
    }

    private void call(int id, long end, MethodHandle fill, MethodHandle axpy, MethodHandle fillUntil) throws Throwable {
        Random r = new Random(id);
        double[] x = new double[LARGE], y = new double[LARGE];
        int[] z = new int[LARGE / 2];
        while (System.nanoTime() < end && failures.isEmpty()) {
            boolean large = r.nextInt(4) == 0;
            double[] a = large ? x : new double[MEDIUM], b = large ? y : new double[MEDIUM];
            int[] c = large ? z : new int[MEDIUM / 2];
            int seed = r.nextInt(1 << 20);
            double alpha = r.nextDouble() * 8 - 4;
            fill.invokeExact(a, seed);
            fill.invokeExact(b, seed + 1);
            axpy.invokeExact(alpha, a, b, b.length);
            for (int i = 0; i < a.length; i++) {
                double ai = seed * 0.5 + (i ^ seed);
                double bi = (seed + 1) * 0.5 + (i ^ (seed + 1)) + alpha * ai;
                if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(ai) || Double.doubleToRawLongBits(b[i]) != Double.doubleToRawLongBits(bi)) {
                    failures.add("element " + i + " of a " + a.length + "-element array: " + a[i] + "/" + b[i] + ", expected " + ai + "/" + bi);
                    return;
                }
            }
            int v = r.nextInt();
            try {
                fillUntil.invokeExact(c, c.length + 1, v);
                failures.add("fillUntil past the end returned");
            } catch (ArrayIndexOutOfBoundsException e) {
                assertEquals("Index " + c.length + " out of bounds for length " + c.length, e.getMessage());
            }
            for (int i = 0; i < c.length; i++) {
                if (c[i] != v + i) {
                    failures.add("write " + i + " before the exception lost: " + c[i] + ", expected " + (v + i));
                    return;
                }
            }
            nativeCalls.addAndGet(4);
            elementsChecked.addAndGet(2L * a.length + c.length);
        }
    }

    /** Allocates arrays of up to 1 MiB, keeps the last 48 alive (some survive to the old generation), and collects. */
    private static void allocate(int id, AtomicBoolean stop) {
        Random r = new Random(100 + id);
        Object[] window = new Object[48];
        long lastGc = System.nanoTime();
        for (int i = 0; !stop.get(); i++) {
            window[i % window.length] = r.nextBoolean() ? new byte[r.nextInt(1 << 20)] : new long[r.nextInt(1 << 14)];
            if (id == 0 && System.nanoTime() - lastGc > 50_000_000L) {
                System.gc();
                lastGc = System.nanoTime();
            }
            if (i % 64 == 0) Thread.onSpinWait();
        }
    }

    private static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) n += Math.max(0, gc.getCollectionCount());
        return n;
    }
}
