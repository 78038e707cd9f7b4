package dev.numbat.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.numbat.Jit;
import dev.numbat.differential.Differential;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A thread's calls share one context block ({@code ArrayArguments.context}): after a call that raised an exception,
 * the next call on the same thread must start from a clean block, neither raising the old exception again nor
 * reporting the old details with a new one.
 */
class ContextReuseTest {
    static final class Kernels {
        /** Raises, depending on its arguments, ArrayIndexOutOfBounds (a[i]), NullPointer (b.length) or / by zero. */
        @Jit
        static int pick(int[] a, int i, int[] b, int d) {
            int v = a[i];
            return (v + b.length) / d;
        }
    }

    private static final int[] A = {10, 20, 30};
    private static final int[] B = {1, 2};

    /** Calls that throw, in turn, with calls that return between them, all on this thread. */
    @Test
    void everyCallStartsFromACleanBlock() {
        Differential d = Differential.of(Kernels.class, "pick");
        for (int round = 0; round < 3; round++) {
            d.check(A, 7, B, 1)     // index 7 out of bounds for length 3
             .check(A, 1, B, 1)     // returns: the out-of-bounds status of the call before must not come back
             .check(A, 0, null, 1)  // null b: its own message, not the index and length of the first call
             .check(A, 2, B, 3)
             .check(A, 1, B, 0)     // / by zero
             .check(A, -1, B, 1)
             .check(A, 2, B, 2);
        }
    }

    /** Threads that alternate throwing and returning calls each see their own results. */
    @Test
    void threadsKeepTheirOwnBlocks() throws Exception {
        Differential d = Differential.of(Kernels.class, "pick");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                Callable<Integer> work = () -> {
                    for (int k = 0; k < 500; k++) {
                        int i = (k + seed) % 5 - 1; // -1..3: out of bounds at both ends
                        d.check(A, i, (k & 1) == 0 ? B : null, k % 3);
                    }
                    return seed;
                };
                results.add(pool.submit(work));
            }
            for (int t = 0; t < 4; t++) assertEquals(t, results.get(t).get());
        } finally {
            pool.shutdownNow();
        }
    }
}
