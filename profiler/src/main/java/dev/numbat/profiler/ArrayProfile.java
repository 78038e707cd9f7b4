package dev.numbat.profiler;

import java.util.concurrent.atomic.LongAccumulator;

/**
 * The lengths seen for one array parameter: smallest and largest, nulls, and a histogram by powers of two
 * (bucket 0 holds length 0, bucket k lengths 2^(k-1) to 2^k - 1), which is what loop versioning and the
 * policy's "shape" need, at the cost of a plain addition per call.
 */
public record ArrayProfile(int parameter, String descriptor, LongAccumulator minLength, LongAccumulator maxLength,
                           Counter nulls, Counter[] buckets) {
    ArrayProfile(int parameter, String descriptor) {
        this(parameter, descriptor, new LongAccumulator(Math::min, Long.MAX_VALUE), new LongAccumulator(Math::max, -1),
                new Counter(), newBuckets());
    }

    private static Counter[] newBuckets() {
        Counter[] b = new Counter[32];
        for (int i = 0; i < b.length; i++) b[i] = new Counter();
        return b;
    }

    /** One call's length, counted in this thread's {@code block}; the extremes change (atomically) only when exceeded. */
    void record(long[] block, int length) {
        if (length < minLength.get()) minLength.accumulate(length);
        if (length > maxLength.get()) maxLength.accumulate(length);
        block[buckets[32 - Integer.numberOfLeadingZeros(length)].index()]++;
    }

    /** Smallest length seen, -1 if none was (only nulls, or never called). */
    public long smallest() {
        long v = minLength.get();
        return v == Long.MAX_VALUE ? -1 : v;
    }

    public long largest() { return maxLength.get(); }

    public long nullCount() { return nulls.sum(); }

    /** Calls whose length fell in {@code [2^(k-1), 2^k)} ({@code k = 0}: length 0). */
    public long bucket(int k) { return buckets[k].sum(); }
}
