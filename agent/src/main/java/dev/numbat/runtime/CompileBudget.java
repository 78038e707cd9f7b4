package dev.numbat.runtime;

import dev.numbat.NotCompiledException;
import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Function;
import dev.numbat.ir.Module;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * The compile-time budget of one method ({@code -Dnumbat.compileBudgetMs}, default {@value #DEFAULT_MILLIS} ms; 0 or
 * less turns it off), so that a monster method costs its caller a quick refusal instead of a long wait (lazy mode
 * blocks the first call). Java code cannot interrupt LLVM once it runs, so the budget is enforced twice: the driver
 * checks the time spent between stages (after lifting, after each function's IR passes), and before LLVM it refuses
 * a module whose estimated LLVM time does not fit in what is left. The estimate is the size guard: linear in the IR
 * instructions, plus a term quadratic in each basic block's size, since LLVM's code generation is superlinear in the
 * length of a block (a 65,000-byte straight-line method, 19,500 IR instructions in one block, took 14 s at -O3
 * where a 58,000-byte one of 9,300 blocks took 1.8 s). The constants were fitted on a 2-core AMD EPYC; on a faster
 * machine the estimate errs on the side of refusing.
 *
 * <p>Time is the compiling thread's CPU time (LLVM runs on that thread too), or wall-clock time where the JVM cannot
 * measure it: a busy machine must not make a method refused, or whether it compiles would depend on the load (in
 * the agent's stress test, 32 busy threads on 2 cores stretch a 0.4 s first compilation to 4-6 s of wall time).
 */
final class CompileBudget {
    static final long DEFAULT_MILLIS = 5_000;
    static final String PROPERTY = "numbat.compileBudgetMs";
    /** LLVM milliseconds per IR instruction, and per squared instruction count of a basic block. */
    private static final double MS_PER_INSTRUCTION = 0.05, MS_PER_BLOCK_INSTRUCTION_SQUARED = 3.3e-5;

    private static final ThreadMXBean THREADS = threads();

    private final String method;
    private final long budgetMillis;
    private final long start = now();

    CompileBudget(String method) {
        this.method = method;
        this.budgetMillis = Long.getLong(PROPERTY, DEFAULT_MILLIS); // per compilation: a property read costs nothing here
    }

    private static ThreadMXBean threads() {
        try {
            ThreadMXBean t = ManagementFactory.getThreadMXBean();
            return t.isCurrentThreadCpuTimeSupported() && t.isThreadCpuTimeEnabled() ? t : null;
        } catch (RuntimeException | LinkageError e) {
            return null; // a runtime image without java.management: wall-clock time
        }
    }

    private static long now() {
        return THREADS != null ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** Milliseconds of this compilation so far: CPU time of the compiling thread where the JVM measures it. */
    long elapsedMillis() { return (now() - start) / 1_000_000; }

    /** Refuses the method when the time spent so far, up to the end of {@code stage}, is over the budget. */
    void check(String stage) {
        long spent = elapsedMillis();
        if (budgetMillis > 0 && spent > budgetMillis) {
            throw refused(String.format(Locale.ROOT, "%,d ms spent by the end of %s", spent, stage));
        }
    }

    /** The size guard: refuses {@code module} when LLVM's estimated time for it does not fit in what is left. */
    void checkBeforeLlvm(Module module) {
        check("the IR passes");
        if (budgetMillis <= 0) return;
        long instructions = 0, largestBlock = 0;
        double squares = 0;
        for (Function f : module.functions().values()) {
            for (BasicBlock b : f.blocks()) {
                long n = b.instructions().size() + b.phis().size() + 1;
                instructions += n;
                largestBlock = Math.max(largestBlock, n);
                squares += (double) n * n;
            }
        }
        long estimate = Math.round(MS_PER_INSTRUCTION * instructions + MS_PER_BLOCK_INSTRUCTION_SQUARED * squares);
        long left = budgetMillis - elapsedMillis();
        if (estimate > left) {
            throw refused(String.format(Locale.ROOT, "LLVM would take about %,d ms for %,d IR instructions (%,d in the largest"
                    + " block), more than the %,d ms left", estimate, instructions, largestBlock, Math.max(left, 0)));
        }
    }

    private NotCompiledException refused(String why) {
        return new NotCompiledException(method, String.format(Locale.ROOT, "compile-time budget: %s of the %,d ms budget"
                + " (-D%s)", why, budgetMillis, PROPERTY), null);
    }
}
