package dev.numbat.llvm;

/**
 * How one module is compiled.
 *
 * @param fastMath         allow reassociation, contraction into FMA, reciprocals and approximate library
 *                         functions on floating-point arithmetic; results may then differ from the JVM's.
 *                         NaN and infinities keep their meaning (no nnan/ninf).
 * @param nativeStackBytes how much of the calling thread's stack native code may use before it raises
 *                         StackOverflowError instead of overflowing the real stack
 */
public record CompileOptions(boolean fastMath, int nativeStackBytes) {
    public CompileOptions {
        if (nativeStackBytes <= 0) throw new IllegalArgumentException("nativeStackBytes must be positive: " + nativeStackBytes);
    }

    public static CompileOptions defaults() { return new CompileOptions(false, 256 * 1024); }

    public CompileOptions withFastMath(boolean on) { return new CompileOptions(on, nativeStackBytes); }
}
