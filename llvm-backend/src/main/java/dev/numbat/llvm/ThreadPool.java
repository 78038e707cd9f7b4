package dev.numbat.llvm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The threads that parallel loops run on ({@link ParallelLowering}): one pool per JIT, shared by every
 * compiled method, started by the first parallel call that has more than one chunk and kept for the life of
 * the process. Its code is LLVM IR ({@code thread-pool.ll}, next to this class) that the JIT compiles only
 * when an object calling {@link #ENTRY} is linked, so a process without parallel loops neither compiles it
 * nor starts a thread.
 *
 * <p>Why a pool: starting and joining a POSIX thread per call cost 33-68 µs on the benchmark machine, which
 * made loops of less than a few hundred thousand instructions slower in parallel than serially. A pool's
 * thread that is still spinning takes a new job in well under a microsecond; one asleep takes a wake-up
 * (11-15 µs there). Idle threads spin for {@link #SPIN_NANOS} after each job, so a method called in a loop
 * finds them awake, then sleep on a condition variable and cost nothing.
 */
final class ThreadPool {
    /** {@code void numbat_parallel_for(ptr fn, ptr tasks, i64 stride, i64 count)}: runs every {@code fn(task)}. */
    static final String ENTRY = "numbat_parallel_for";
    /**
     * How long an idle thread spins before it sleeps: a tenth of a millisecond, about one wake-up's worth
     * ten times over, and short enough that a pool nobody calls gives its cores back at once.
     */
    static final long SPIN_NANOS = 100_000;
    /** Chunks a job may have: the ticket's low 16 bits count the chunks claimed, up to the count itself. */
    static final int MAX_CHUNKS = (1 << 16) - 1;

    private ThreadPool() {}

    /** The pool's IR for {@code arch} (LLVM's architecture name) with {@code workers} threads besides the caller. */
    static String source(String arch, int workers) {
        if (workers < 0) throw new IllegalArgumentException("workers must not be negative: " + workers);
        String pause;
        String declarations = "";
        switch (arch) {
            case "x86_64", "x86" -> {
                pause = "call void @llvm.x86.sse2.pause()";
                declarations = "\ndeclare void @llvm.x86.sse2.pause() nounwind\n";
            }
            case "aarch64" -> pause = "call void asm sideeffect \"yield\", \"\"()";
            default -> pause = "";
        }
        return template().replace("@WORKERS@", Integer.toString(workers))
                .replace("@SPIN_NANOS@", Long.toString(SPIN_NANOS))
                .replace("@PAUSE@", pause) + declarations;
    }

    /** Threads besides the caller: one per further processor the JVM sees. */
    static int defaultWorkers() {
        return Math.max(0, Runtime.getRuntime().availableProcessors() - 1);
    }

    private static String template() {
        try (InputStream in = ThreadPool.class.getResourceAsStream("thread-pool.ll")) {
            if (in == null) throw new IllegalStateException("thread-pool.ll is missing from the backend's jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read thread-pool.ll", e);
        }
    }
}
