package dev.numbat.profiler;

import java.util.List;

/**
 * One loop of the profiled method, identified by its header: the instruction that backward jumps return to.
 * Entries are counted on the edges into the header from outside (the fall-through from the instruction before it,
 * forward jumps and switch cases to it), so an iteration pays no count of its own for them; the back-edges are the
 * backward {@code goto}s and the taken backward conditional jumps that reach it. Back-edges per entry is the mean
 * trip count (for a loop that tests before each iteration, as javac compiles {@code for} and {@code while}).
 */
public record LoopProfile(int headerOffset, int line, Counter entryCount, List<Counter> backwardGotos,
                          List<BranchProfile> backwardBranches) {

    public long backEdges() {
        long n = 0;
        for (Counter g : backwardGotos) n += g.sum();
        for (BranchProfile b : backwardBranches) n += b.taken();
        return n;
    }

    /** How often the loop was entered from outside (each entry counted once, however many iterations). */
    public long entries() { return entryCount.sum(); }

    /** Back-edges taken per entry: the mean trip count; NaN if never entered. */
    public double meanTripCount() {
        long e = entries();
        return e == 0 ? Double.NaN : (double) backEdges() / e;
    }
}
