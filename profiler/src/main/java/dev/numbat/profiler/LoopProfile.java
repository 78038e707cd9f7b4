package dev.numbat.profiler;

import java.util.List;

/**
 * One loop of the profiled method, identified by its header: the instruction that backward jumps return to.
 * The header counts its executions; the back-edges are the backward {@code goto}s and the taken backward
 * conditional jumps that reach it. Every entry from outside runs the header once more than the back-edges
 * that follow it, so entries are executions minus back-edges, and back-edges per entry is the mean trip
 * count (for a loop that tests before each iteration, as javac compiles {@code for} and {@code while}).
 */
public record LoopProfile(int headerOffset, int line, Counter headerExecutions, List<Counter> backwardGotos,
                          List<BranchProfile> backwardBranches) {

    public long backEdges() {
        long n = 0;
        for (Counter g : backwardGotos) n += g.sum();
        for (BranchProfile b : backwardBranches) n += b.taken();
        return n;
    }

    /** How often the loop was entered from outside (each entry counted once, however many iterations). */
    public long entries() {
        long back = backEdges();
        return Math.max(0, headerExecutions.sum() - back);
    }

    /** Back-edges taken per entry: the mean trip count; NaN if never entered. */
    public double meanTripCount() {
        long e = entries();
        return e == 0 ? Double.NaN : (double) backEdges() / e;
    }
}
