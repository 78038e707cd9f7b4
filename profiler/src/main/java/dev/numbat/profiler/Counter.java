package dev.numbat.profiler;

/**
 * One count of a {@link Profile}: a slot of its {@link StripedCounters}, summed over the threads that counted.
 * Made unbound while the instrumenter finds the sites; the profile binds every counter to its slot.
 */
public final class Counter {
    private StripedCounters stripes;
    private int index = -1;

    void bind(StripedCounters s, int i) {
        if (stripes != null) throw new IllegalStateException("counter bound twice");
        stripes = s;
        index = i;
    }

    int index() { return index; }

    /** The count so far (exact for the threads that have stopped counting, see {@link StripedCounters}). */
    public long sum() { return stripes == null ? 0 : stripes.sum(index); }

    /** For a counter that keeps a running maximum instead of a count: the largest value any thread saw (0 if none). */
    public long max() { return stripes == null ? 0 : stripes.max(index); }

    @Override public String toString() { return Long.toString(sum()); }
}
