package dev.numbat;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static numeric method for compilation to native code by Numbat.
 *
 * <p>The compiled method behaves exactly like the bytecode it replaces: same results (bit for bit,
 * except transcendental {@code Math} functions, which stay within the ulp bound the {@code Math}
 * Javadoc allows), same exceptions with the same messages, and every array write made before an
 * exception stays visible. A method that cannot be compiled keeps running as bytecode and Numbat
 * prints one line saying why.
 *
 * <p>This annotation has no dependencies and is compiled for Java 17, so any application can
 * depend on it; Numbat itself runs on Java 25.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Jit {

    /**
     * Permission to relax strict IEEE semantics: reassociate floating-point additions and
     * multiplications (so reductions vectorise), contract {@code a * b + c} into fused
     * multiply-adds, and assume no NaN or infinity where LLVM's fast-math flags allow it.
     * Results may then differ from the JVM's in the last bits. Off by default: Java's floating
     * point is strict, and so is Numbat's unless asked.
     */
    boolean fastMath() default false;

    /**
     * Run the outermost counted loop whose iterations are independent on all cores, as Numba's
     * {@code parallel=True}. Accepted now; loops are parallelised by later versions, and until then
     * a {@code parallel} method compiles serially with a diagnostic.
     */
    boolean parallel() default false;

    /** Compile when the declaring class is initialised rather than at the first call. */
    boolean eager() default false;
}
