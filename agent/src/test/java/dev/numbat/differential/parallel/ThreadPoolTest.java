package dev.numbat.differential.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.numbat.Jit;
import dev.numbat.Numbat;
import dev.numbat.differential.Differential;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The pool that parallel loops run on (llvm-backend's {@code ThreadPool}): calls back to back, which find its
 * threads still spinning and race each job's start against the end of the one before; calls after it has gone
 * to sleep; calls from several Java threads at once, of which only one at a time gets the pool and the others run
 * their chunks alone. Every call's array and result are checked against the kernels run as bytecode by the JVM; and however
 * many calls, the process has exactly one pool thread per further processor.
 */
class ThreadPoolTest {
    static final class Kernels {
        @Jit(parallel = true)
        static void fill(int[] a, int seed) {
            for (int i = 0; i < a.length; i++) a[i] = i * seed + 1;
        }

        @Jit(parallel = true)
        static long sumOfSquares(int[] a) {
            long s = 0;
            for (int i = 0; i < a.length; i++) s += (long) a[i] * a[i];
            return s;
        }
    }

    static MethodHandle compiled(String name) {
        Method m = Differential.method(Kernels.class, name);
        String llvm = Numbat.inspect(m).optimizedLlvmIr();
        assertTrue(llvm.contains("call void @numbat_parallel_for("), name + " does not use the pool:\n" + llvm);
        return Numbat.compile(m);
    }

    /** The JVM's own result: the kernel's bytecode, called directly. */
    static int[] expectedFill(int n, int seed) {
        int[] a = new int[n];
        Kernels.fill(a, seed);
        return a;
    }

    /** One call of each kernel on {@code n} elements, checked; a message when it differs, else null. */
    static String callAndCheck(MethodHandle fill, MethodHandle sum, int n, int seed) throws Throwable {
        int[] a = new int[n];
        fill.invoke(a, seed);
        if (!java.util.Arrays.equals(a, expectedFill(n, seed))) return "fill of " + n + " with " + seed + " differs";
        long s = (long) sum.invoke(a);
        long want = Kernels.sumOfSquares(a); // the JVM's own result
        return s == want ? null : "sum of squares over " + n + ": " + s + ", Java " + want;
    }

    @Test
    void twentyThousandCallsBackToBack() throws Throwable {
        MethodHandle fill = compiled("fill"), sum = compiled("sumOfSquares");
        SplittableRandom r = new SplittableRandom(7);
        for (int call = 0; call < 20_000; call++) {
            int n = r.nextInt(0, call % 100 == 0 ? 50_000 : 600);
            String wrong = callAndCheck(fill, sum, n, r.nextInt());
            assertEquals(null, wrong, "call " + call);
        }
        assertOnePoolThreadPerFurtherProcessor();
    }

    @Test
    void callsAfterThePoolHasGoneToSleep() throws Throwable {
        MethodHandle fill = compiled("fill"), sum = compiled("sumOfSquares");
        for (int call = 0; call < 12; call++) {
            Thread.sleep(3); // thirty times the spin: the threads are asleep on their condition variable
            assertEquals(null, callAndCheck(fill, sum, 1_000 + call * 997, call * 31 + 5), "call " + call);
        }
        assertOnePoolThreadPerFurtherProcessor();
    }

    @Test
    void sixJavaThreadsCallAtOnce() throws Throwable {
        MethodHandle fill = compiled("fill"), sum = compiled("sumOfSquares");
        int threads = 6;
        CyclicBarrier together = new CyclicBarrier(threads);
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            started.add(Thread.ofPlatform().name("caller-" + t).start(() -> {
                try {
                    together.await();
                    SplittableRandom r = new SplittableRandom(id);
                    for (int call = 0; call < 3_000 && wrong.isEmpty(); call++) {
                        String w = callAndCheck(fill, sum, r.nextInt(0, 3_000), r.nextInt());
                        if (w != null) wrong.add("thread " + id + ", call " + call + ": " + w);
                    }
                } catch (Throwable e) {
                    wrong.add("thread " + id + ": " + e);
                }
            }));
        }
        for (Thread t : started) t.join(120_000);
        for (Thread t : started) assertTrue(!t.isAlive(), t.getName() + " still running: a hang");
        assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong));
        assertOnePoolThreadPerFurtherProcessor();
    }

    /**
     * Counted from /proc, where Linux lists the process's threads with their names and signal masks (skipped
     * elsewhere); each must block SIGQUIT and SIGTERM, which belong to the JVM's threads.
     */
    static void assertOnePoolThreadPerFurtherProcessor() throws IOException {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            System.out.println("ThreadPoolTest: no /proc/self/task here, pool threads not counted");
            return;
        }
        List<Path> pool;
        try (Stream<Path> all = Files.list(tasks)) {
            pool = all.filter(t -> {
                try {
                    return Files.readString(t.resolve("comm")).strip().equals("numbat-pool");
                } catch (IOException e) {
                    return false; // a thread that ended meanwhile
                }
            }).toList();
        }
        assertEquals(Runtime.getRuntime().availableProcessors() - 1, pool.size(), "threads named numbat-pool");
        long sigquit = 1L << (3 - 1), sigterm = 1L << (15 - 1);
        for (Path t : pool) {
            String blocked = Files.readAllLines(t.resolve("status")).stream().filter(l -> l.startsWith("SigBlk:")).findFirst().orElseThrow();
            long mask = Long.parseUnsignedLong(blocked.substring("SigBlk:".length()).strip(), 16);
            assertEquals(sigquit | sigterm, mask & (sigquit | sigterm), t + " does not block SIGQUIT and SIGTERM: " + blocked);
        }
    }
}
