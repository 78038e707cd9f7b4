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

    /**
     * Profile first (under the agent): the method runs as instrumented bytecode that records how it runs
     * (invocations, loop trip counts, branch and switch frequencies, array lengths, aliasing) until it is hot
     * ({@code -Dnumbat.profile.threshold}, default 10,000 invocations plus loop back-edges), is then compiled on a
     * background thread with that profile, and native code takes over while the application runs. Afterwards
     * the agent times sampled calls of both versions and keeps the faster (docs/profiler.md). Ignored by
     * {@code Numbat.compile}.
     */
    boolean profile() default false;

    /**
     * Where the method runs. {@link Target#CPU} (the default) is the host, as everything above
     * describes. {@link Target#PTX} makes the method a GPU kernel: launched with
     * {@link Gpu#launch(Class, String, GpuGrid, Object...)} (an explicit kernel reading its thread's
     * position from {@link Gpu#globalId(int)} and the other intrinsics), or, with
     * {@code parallel = true}, offloaded with {@link Gpu#offload(Class, String, Object...)} so that
     * its outermost loop becomes the grid. Such methods are compiled by Numbat's PTX back end and
     * run on a CUDA device, or on Numbat's CPU simulator where there is none (docs/gpu.md).
     */
    Target target() default Target.CPU;

    /**
     * For {@link Target#PTX} kernels only: keep the bounds checks of array accesses (an index out of
     * bounds stops the thread and is raised as {@code ArrayIndexOutOfBoundsException} after the
     * launch). Turning them off saves a compare and a branch per access; an out-of-bounds access then
     * reads or writes whatever memory is there, as CUDA C does. CPU code is always checked.
     */
    boolean checkBounds() default true;

    /** The processors a {@code @Jit} method can be compiled for. */
    enum Target {
        /** The host CPU, through LLVM's native back end. */
        CPU,
        /** An NVIDIA GPU, through LLVM's NVPTX back end and the CUDA driver (or the simulator). */
        PTX
    }
}
