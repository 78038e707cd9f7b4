package dev.numbat.llvm;

/**
 * How one module is compiled.
 *
 * @param fastMath         allow reassociation, contraction into FMA, reciprocals and approximate library
 *                         functions on floating-point arithmetic; results may then differ from the JVM's.
 *                         NaN and infinities keep their meaning (no nnan/ninf).
 * @param nativeStackBytes how much of the calling thread's stack native code may use before it raises
 *                         StackOverflowError instead of overflowing the real stack
 * @param threads          how many threads a parallel loop is split across (the calling thread included)
 */
public record CompileOptions(boolean fastMath, int nativeStackBytes, int threads) {
    public CompileOptions {
        if (nativeStackBytes <= 0) throw new IllegalArgumentException("nativeStackBytes must be positive: " + nativeStackBytes);
        if (threads < 1 || threads > 1024) throw new IllegalArgumentException("threads must be in 1..1024: " + threads);
    }

    /** Parallel loops use every processor the JVM sees. */
    public CompileOptions(boolean fastMath, int nativeStackBytes) {
        this(fastMath, nativeStackBytes, Runtime.getRuntime().availableProcessors());
    }

    public static CompileOptions defaults() { return new CompileOptions(false, 256 * 1024); }

    public CompileOptions withFastMath(boolean on) { return new CompileOptions(on, nativeStackBytes, threads); }

    public CompileOptions withThreads(int n) { return new CompileOptions(fastMath, nativeStackBytes, n); }
}
