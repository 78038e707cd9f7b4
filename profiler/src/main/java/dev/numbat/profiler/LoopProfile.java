package dev.numbat.profiler;

import java.util.List;

/**
 * One loop of the profiled method, identified by its header: the instruction that backward jumps return to.
 * Entries are counted on the edges into the header from outside (the fall-through from the instruction before it,
 * forward jumps and switch cases to it), so an iteration pays no count of its own for them; the back-edges are the
 * backward {@code goto}s and the taken backward conditional jumps that reach it. Back-edges per entry is the mean
 * trip count (for a loop that tests before each iteration, as javac compiles {@code for} and {@code while}).
 *
 * <p>The range of trip counts is kept as two running maxima ({@link Counter#max}): {@code tripMax}, the most
 * back-edges of one entry, and {@code tripMinFlipped}, {@code Integer.MAX_VALUE} minus the fewest, so that both merge
 * across calls and threads by taking the larger value, and 0 (a counter's start) means "no entry finished".
 */
public record LoopProfile(int headerOffset, int line, Counter entryCount, List<Counter> backwardGotos,
                          List<BranchProfile> backwardBranches, List<BranchProfile> countingTests, Counter tripMax,
                          Counter tripMinFlipped) {

    /**
     * Back-edges: the backward {@code goto}s counted, the backward jumps taken, and for a loop whose test counts them
     * ({@link CountedByTheirTest}: one way back, one way out) its test's fall-throughs.
     */
    public long backEdges() {
        long n = 0;
        for (Counter g : backwardGotos) n += g.sum();
        for (BranchProfile b : backwardBranches) n += b.taken();
        for (BranchProfile t : countingTests) n += t.fallThrough();
        return n;
    }

    /** How often the loop was entered from outside (each entry counted once, however many iterations). */
    public long entries() { return entryCount.sum(); }

    /** Back-edges taken per entry: the mean trip count; NaN if never entered. */
    public double meanTripCount() {
        long e = entries();
        return e == 0 ? Double.NaN : (double) backEdges() / e;
    }

    /** Whether the range of trip counts is known: at least one entry of the loop has been recorded. */
    public boolean hasTripRange() { return tripMinFlipped.max() > 0; }

    /** The fewest back-edges taken in one entry of the loop; -1 if none is recorded. */
    public long minTripCount() { return hasTripRange() ? Integer.MAX_VALUE - tripMinFlipped.max() : -1; }

    /** The most back-edges taken in one entry of the loop; -1 if none is recorded. */
    public long maxTripCount() { return hasTripRange() ? tripMax.max() : -1; }
}
