package dev.numbat.profiler;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The counts of one profile, striped by thread: each thread that runs the profiled code adds to a block of its own
 * with plain additions (no atomic instruction, no shared cache line: a {@code LongAdder} costs a locked
 * compare-and-swap per addition even uncontended, and a profiled call adds to a dozen counts), and a count is the
 * sum over the blocks. A thread's block outlives it, so nothing it counted is lost. Reading while threads count
 * sees each thread's additions as its memory becomes visible; counts are exact once the counting threads are
 * joined (or have otherwise synchronised with the reader), and never torn on the 64-bit JVMs Numbat runs on.
 */
final class StripedCounters {
    private final int size;
    private final List<long[]> blocks = new CopyOnWriteArrayList<>();
    private final ThreadLocal<long[]> mine;

    StripedCounters(int size) {
        this.size = size;
        this.mine = ThreadLocal.withInitial(this::newBlock);
    }

    private long[] newBlock() {
        long[] b = new long[size];
        blocks.add(b);
        return b;
    }

    /** This thread's block, for plain additions by slot. */
    long[] block() { return mine.get(); }

    long sum(int slot) {
        long s = 0;
        for (long[] b : blocks) s += b[slot];
        return s;
    }

    /** The largest value of a slot kept as a running maximum (every block starts at 0). */
    long max(int slot) {
        long m = 0;
        for (long[] b : blocks) m = Math.max(m, b[slot]);
        return m;
    }
}
