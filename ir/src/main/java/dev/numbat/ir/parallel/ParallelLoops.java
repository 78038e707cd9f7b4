package dev.numbat.ir.parallel;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.Function;
import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.Module;
import dev.numbat.ir.loop.Loop;
import dev.numbat.ir.loop.LoopForest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code @Jit(parallel = true)}: every top-level loop of a function whose iterations are independent is
 * outlined and run on several threads, behind run-time checks that fall back to the original loop (see
 * {@link ParallelLoopAnalysis} for what qualifies, {@link ParallelLoopRewriter} for the rewrite). Loops
 * that do not qualify stay serial, each with the reason. Needs: verified SSA without unreachable blocks.
 * Invalidates: control flow, dominators and loops; adds functions to the module.
 */
public final class ParallelLoops {
    /** What happened to each top-level loop, by source line, in order. */
    public record Outcome(List<String> parallelised, List<String> serial) {}

    /**
     * How much work, in IR instructions, a loop must have for its threads to pay (the default of
     * {@code -Dnumbat.parallel.minimumWork}). The threads are a pool's, awake for a while after each job
     * (llvm-backend's {@code ThreadPool}): on the benchmark machine (2 vCPUs, KVM; JMH, the parallel path forced
     * with {@code -Dnumbat.parallel.minimumWork=1}) a parallel call cost about 1 µs more than the work: saxpy over
     * 2,048 floats 1.34 against 0.07 µs serially, the stencil at 32² 1.16 against 0.55, matmul at 32 1.96 against
     * 1.99, while the stencil at 256² took 13.4 against 21.1 µs and Mandelbrot at 64² 34.5 against 62.8. 2^15 sends
     * the last two to threads and keeps the first three serial; Black-Scholes (41 instructions an option, 15 µs at
     * 1,024 options serially) takes threads from 799 options, saxpy (a cheap body,
     * {@code ParallelLoopRewriter.CHEAP_DISCOUNT}) from 52,428 floats. With threads started per call (33-68 µs)
     * it was 2^18.
     */
    public static final long DEFAULT_MINIMUM_WORK = 1 << 15;

    private ParallelLoops() {}

    public static Outcome run(Module module, Function f, boolean fastMath) {
        return run(module, f, fastMath, DEFAULT_MINIMUM_WORK);
    }

    /** {@code minimumWork}: below it (see {@link #DEFAULT_MINIMUM_WORK}) a loop's run-time checks choose the serial loop. */
    public static Outcome run(Module module, Function f, boolean fastMath, long minimumWork) {
        List<String> parallel = new ArrayList<>(), serial = new ArrayList<>();
        Set<BasicBlock> done = new HashSet<>();
        int index = 0;
        while (true) {
            Dominators dom = Dominators.of(f);
            LoopForest forest = LoopForest.of(f, dom);
            Loop next = null;
            for (Loop l : forest.topLevel()) {
                if (!done.contains(l.header())) {
                    next = l;
                    break;
                }
            }
            if (next == null) break;
            done.add(next.header());
            String where = "the loop";
            try {
                ParallelLoopAnalysis analysis = new ParallelLoopAnalysis(next, forest, dom, fastMath);
                int line = analysis.firstLine();
                where = line >= 0 ? "the loop at line " + line : where;
                new ParallelLoopRewriter(module, f, analysis, minimumWork).rewrite(index++);
                parallel.add(where);
            } catch (ParallelLoopAnalysis.NotParallel e) {
                int line = firstLine(next);
                serial.add((line >= 0 ? "the loop at line " + line : where) + " stays serial: " + e.getMessage());
            }
        }
        if (!parallel.isEmpty()) new FunctionBuilder(f).renumber();
        if (done.isEmpty()) serial.add("it has no loop to run in parallel");
        return new Outcome(parallel, serial);
    }

    private static int firstLine(Loop loop) {
        int best = -1;
        for (BasicBlock b : loop.blocks()) {
            for (var i : b.instructions()) {
                int l = i.site().line();
                if (l >= 0 && (best < 0 || l < best)) best = l;
            }
        }
        return best;
    }
}
