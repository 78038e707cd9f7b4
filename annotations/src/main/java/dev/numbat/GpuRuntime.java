package dev.numbat;

import java.lang.reflect.Method;

/**
 * What runs kernels: Numbat's CUDA runtime (module numbat-ptx-backend, found by name when it is on the
 * class path) or the CPU simulator ({@code dev.numbat.simulator.GpuSimulator}). Applications do not call
 * this: they use {@link Gpu}, {@link GpuArray} and {@link GpuStream}, which pick the runtime. Handles
 * returned here (device arrays, streams) are opaque to everyone but the runtime that made them.
 */
public interface GpuRuntime {
    /** One line: {@code "CUDA: NVIDIA H100 (sm_90)"} or {@code "simulator"}. */
    String description();

    /**
     * Runs {@code kernel} (a static {@code @Jit(target = PTX)} method) once per thread of {@code grid}.
     * {@code args} are boxed primitives, primitive arrays (copied in, and back out when the kernel may
     * write them) and {@link GpuArray}s. With a stream the launch may still be running on return;
     * without one it has finished and its exceptions are thrown.
     */
    void launch(Method kernel, GpuGrid grid, Object[] args, Object stream);

    /** Runs a {@code @Jit(parallel = true, target = PTX)} method, its outermost loop as the grid. */
    void offload(Method method, Object[] args, Object stream);

    Object allocate(Class<?> elementType, int length);
    void copyToDevice(Object array, Object hostArray);
    void copyToHost(Object array, Object hostArray);
    void free(Object array);

    Object createStream();
    /** Waits for every launch on the stream and throws the first exception one of them raised. */
    void synchronize(Object stream);
    void closeStream(Object stream);
}
