package dev.numbat;

/**
 * What the agent knows of one profiled or measured method ({@link Numbat#statistics()}).
 *
 * @param method              {@code com.example.Kernels.dot([D[D)D}
 * @param decision            {@code profiling}, {@code compiling}, {@code measuring}, {@code native}, {@code bytecode}
 *                            or {@code not compiled}
 * @param calls               calls so far: counted while profiled and measured, afterwards estimated from the timed
 *                            sample (one call in 64); calls of a method left to its plain bytecode without array
 *                            parameters are no longer seen
 * @param nativeCalls         of those, calls that ran native code (same counting)
 * @param nativeNanos         time in native code, nanoseconds (measured while measuring, then estimated)
 * @param nativeMedianNanos   median time of a native call at the last decision (NaN before one)
 * @param bytecodeMedianNanos median time of a bytecode call at the last decision (NaN before one)
 * @param arrayElements       total array length of the calls the decision was measured on (-1: none, or no arrays)
 */
public record MethodStatistics(String method, String decision, long calls, long nativeCalls, long nativeNanos,
                               double nativeMedianNanos, double bytecodeMedianNanos, long arrayElements) {}
