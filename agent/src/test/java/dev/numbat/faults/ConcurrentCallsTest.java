package dev.numbat.faults;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.numbat.Numbat;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * 32 threads hammer the kernels of {@link LoadKernels} through {@code Numbat.compile} in this JVM: they all ask for
 * every kernel at once (in different orders, so compilations race and threads wait on each other's), must all get
 * the same handle, then for {@link LoadTests#seconds()} call random kernels with their own random arguments,
 * each call checked against the JVM running the kernel on a copy of the arguments (result bits, exception class
 * and message, every array afterwards). The same through the agent, in lazy and background modes, is
 * {@code dev.numbat.agent.AgentStressIT} ({@code -Dnumbat.it.stressSeconds=60}).
 *
 * <p>HotSpot may throw a preallocated exception without message once C2 has compiled the JVM's copy of a kernel
 * ({@code -XX:+OmitStackTraceInFastThrow}, the default); such an exception, recognised by its empty stack trace, is
 * compared by class only and counted.
 */
class ConcurrentCallsTest {
    static final int THREADS = 32;
    static final List<String> KERNELS = List.of("prefix", "axpy", "divideAll", "series", "histogram", "fib");

    final AtomicLong calls = new AtomicLong(), thrown = new AtomicLong(), fastThrows = new AtomicLong();
    final Queue<String> mismatches = new ConcurrentLinkedQueue<>();
    final Queue<Throwable> crashes = new ConcurrentLinkedQueue<>();

    @Test
    void thirtyTwoThreadsCallKernelsWhileTheyCompile() throws Exception {
        List<Method> methods = KERNELS.stream().map(LoadTests::kernel).toList();
        int n = methods.size();
        MethodHandle[][] handles = new MethodHandle[THREADS][n];
        CyclicBarrier together = new CyclicBarrier(THREADS);
        long seconds = LoadTests.seconds();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().name("hammer-" + t).start(() -> {
                try {
                    together.await();
                    for (int k = 0; k < n; k++) {
                        int which = (k + id) % n;
                        handles[id][which] = Numbat.compile(methods.get(which));
                    }
                    Random r = new Random(id);
                    long end = System.nanoTime() + seconds * 1_000_000_000L;
                    while (System.nanoTime() < end && mismatches.size() < 20) {
                        int k = r.nextInt(n);
                        check(methods.get(k), handles[id][k], arguments(KERNELS.get(k), r));
                    }
                } catch (Throwable e) {
                    crashes.add(e);
                }
            }));
        }
        for (Thread t : threads) t.join((seconds + 300) * 1000);
        for (Thread t : threads) assertTrue(!t.isAlive(), t.getName() + " still running: a hang");
        assertTrue(crashes.isEmpty(), () -> "threads failed: " + crashes.stream().map(Throwable::toString).toList());
        for (int k = 0; k < n; k++) {
            for (int t = 1; t < THREADS; t++) assertSame(handles[0][k], handles[t][k], "the one compilation of " + KERNELS.get(k));
        }
        assertTrue(mismatches.isEmpty(), () -> mismatches.size() + " calls differ from the JVM:\n" + String.join("\n", mismatches));
        long c = calls.get(), x = thrown.get();
        System.out.printf("numbat faults: %d threads, %d s: %d calls checked, %d threw (%d preallocated by HotSpot), 0 mismatches%n",
                THREADS, seconds, c, x, fastThrows.get());
        assertTrue(c >= THREADS * 20L && x > 0 && x < c, "calls " + c + ", thrown " + x);
    }

    private void check(Method m, MethodHandle h, Object[] args) {
        Object[] jvmArgs = copy(args), nativeArgs = copy(args);
        Object jr = null, nr = null;
        Throwable jt = null, nt = null;
        try {
            jr = m.invoke(null, jvmArgs);
        } catch (InvocationTargetException e) {
            jt = e.getCause();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        try {
            nr = h.invokeWithArguments(nativeArgs);
        } catch (Throwable e) {
            nt = e;
        }
        calls.incrementAndGet();
        String diff = null;
        if (jt != null || nt != null) {
            thrown.incrementAndGet();
            boolean preallocated = jt != null && jt.getStackTrace().length == 0;
            if (preallocated) fastThrows.incrementAndGet();
            if (jt == null || nt == null || jt.getClass() != nt.getClass() || (!preallocated && !Objects.equals(jt.getMessage(), nt.getMessage()))) {
                diff = "JVM threw " + jt + ", Numbat " + (nt != null ? "threw " + nt : "returned " + nr);
            }
        } else if (!Arrays.deepEquals(new Object[] {jr}, new Object[] {nr}) && !(jr instanceof Double a && a.isNaN() && nr instanceof Double b && b.isNaN())) {
            diff = "JVM returned " + jr + ", Numbat " + nr;
        }
        for (int i = 0; diff == null && i < args.length; i++) {
            if (jvmArgs[i] != null && jvmArgs[i].getClass().isArray() && !Arrays.deepEquals(new Object[] {jvmArgs[i]}, new Object[] {nativeArgs[i]})) {
                diff = "argument " + i + " differs afterwards";
            }
        }
        if (diff != null) mismatches.add(m.getName() + Arrays.deepToString(args) + ": " + diff);
    }

    private static Object[] copy(Object[] args) {
        Object[] c = args.clone();
        for (int i = 0; i < c.length; i++) {
            c[i] = switch (c[i]) {
                case long[] a -> a.clone();
                case double[] a -> a.clone();
                case int[] a -> a.clone();
                case byte[] a -> a.clone();
                case short[] a -> a.clone();
                case null, default -> c[i];
            };
        }
        return c;
    }

    /** Random arguments for kernel {@code name}: sizes up to some hundreds, indices past the end, zero divisors, nulls. */
    static Object[] arguments(String name, Random r) {
        int len = r.nextInt(300);
        return switch (name) {
            case "prefix" -> {
                long[] a = r.nextInt(40) == 0 ? null : r.longs(len, -1000, 1000).toArray();
                yield new Object[] {a, r.nextInt(len + 3)};
            }
            case "axpy" -> {
                int yLength = Math.max(0, len + r.nextInt(3) - 1); // y one shorter than x, as long, or one longer
                yield new Object[] {r.nextGaussian() * 4, r.doubles(len).toArray(), r.doubles(yLength).toArray(), r.nextInt(len + 2)};
            }
            case "divideAll" -> new Object[] {r.ints(len).toArray(), r.nextInt(5) - 2};
            case "series" -> new Object[] {r.nextInt(40), r.nextDouble() * 10 - 5};
            case "histogram" -> {
                byte[] data = new byte[len];
                r.nextBytes(data);
                yield new Object[] {data, new short[r.nextInt(4) == 0 ? r.nextInt(256) : 256]};
            }
            case "fib" -> new Object[] {r.nextInt(27) - 2};
            default -> throw new IllegalArgumentException(name);
        };
    }
}
