package dev.numbat.runtime.policy;

import dev.numbat.profiler.Profile;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the runtime knows of one profiled or measured method, for {@code Numbat.statistics()} and the periodic
 * JFR event: its calls (counted by the profile while profiled, every call while measured, then estimated from
 * the sampled calls), those that ran native code, their time, and the policy's decision and figures.
 */
public final class MethodRecord {
    private static final Map<String, MethodRecord> RECORDS = new ConcurrentHashMap<>();

    private final String method;
    private volatile Profile profile;
    private final LongAdder calls = new LongAdder();
    private final LongAdder nativeCalls = new LongAdder();
    private final LongAdder nativeNanos = new LongAdder();
    private volatile String decision = "profiling";
    private volatile double nativeMedianNanos = Double.NaN;
    private volatile double bytecodeMedianNanos = Double.NaN;
    private volatile long arrayElements = -1;

    private MethodRecord(String method) { this.method = method; }

    /** The record of {@code method} ({@code com.example.K.f([D)D}), made on first use. */
    public static MethodRecord of(String method) { return RECORDS.computeIfAbsent(method, MethodRecord::new); }

    /** Every record, in no particular order. */
    public static List<MethodRecord> all() { return List.copyOf(RECORDS.values()); }

    public String method() { return method; }

    public void profiledBy(Profile p) { this.profile = p; }

    /** Calls so far: exact while profiled or measured, an estimate (sampled calls times the rate) afterwards. */
    public long calls() {
        Profile p = profile;
        return calls.sum() + (p == null ? 0 : p.invocations());
    }

    public long nativeCalls() { return nativeCalls.sum(); }

    /** Time spent in native code, in nanoseconds: measured while measuring, estimated from samples afterwards. */
    public long nativeNanos() { return nativeNanos.sum(); }

    /** {@code profiling}, {@code compiling}, {@code measuring}, {@code native}, {@code bytecode} or {@code not compiled}. */
    public String decision() { return decision; }

    public double nativeMedianNanos() { return nativeMedianNanos; }

    public double bytecodeMedianNanos() { return bytecodeMedianNanos; }

    /** Total array length of the calls the last decision was measured on; -1 before one. */
    public long arrayElements() { return arrayElements; }

    public void state(String decision) { this.decision = decision; }

    void count(boolean nativeCode, long nanos, long weight) {
        calls.add(weight);
        if (nativeCode) {
            nativeCalls.add(weight);
            nativeNanos.add(nanos * weight);
        }
    }

    void decided(String decision, double nativeMedian, double bytecodeMedian, long elements) {
        this.nativeMedianNanos = nativeMedian;
        this.bytecodeMedianNanos = bytecodeMedian;
        this.arrayElements = elements;
        this.decision = decision;
    }
}
