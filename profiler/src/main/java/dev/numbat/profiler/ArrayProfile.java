package dev.numbat.profiler;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The lengths seen for one array parameter: smallest and largest, nulls, and a histogram by powers of two
 * (bucket 0 holds length 0, bucket k lengths 2^(k-1) to 2^k - 1), which is what loop versioning and the
 * policy's "shape" need, at the cost of a few uncontended additions per call.
 */
public record ArrayProfile(int parameter, String descriptor, LongAccumulator minLength, LongAccumulator maxLength,
                           LongAdder nulls, LongAdder[] buckets) {
    ArrayProfile(int parameter, String descriptor) {
        this(parameter, descriptor, new LongAccumulator(Math::min, Long.MAX_VALUE), new LongAccumulator(Math::max, -1),
                new LongAdder(), newBuckets());
    }

    private static LongAdder[] newBuckets() {
        LongAdder[] b = new LongAdder[32];
        for (int i = 0; i < b.length; i++) b[i] = new LongAdder();
        return b;
    }

    void record(int length) {
        minLength.accumulate(length);
        maxLength.accumulate(length);
        buckets[32 - Integer.numberOfLeadingZeros(length)].increment();
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
