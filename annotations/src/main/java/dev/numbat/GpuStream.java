package dev.numbat;

import java.lang.reflect.Method;

/**
 * An ordered queue of asynchronous launches (a CUDA stream). Launches return at once; {@link #synchronize()}
 * waits for all of them and throws the first exception a kernel raised. Java arrays passed to a launch on a
 * stream must not be touched until then (the copies back happen on the stream); {@link GpuArray}s avoid
 * the copies altogether.
 */
public final class GpuStream implements AutoCloseable {
    private final GpuRuntime runtime;
    private final Object handle;
    private boolean closed;

    GpuStream(GpuRuntime runtime) {
        this.runtime = runtime;
        this.handle = runtime.createStream();
    }

    /** Queues a launch of the kernel {@code owner.name} (see {@link Gpu#launch(Class, String, GpuGrid, Object...)}). */
    public GpuStream launch(Class<?> owner, String name, GpuGrid grid, Object... args) {
        Method kernel = KernelLookup.find(owner, name, args);
        runtime.launch(kernel, grid, Gpu.checkArguments(runtime, kernel, args), open());
        return this;
    }

    /** Queues an offloaded parallel loop (see {@link Gpu#offload(Class, String, Object...)}). */
    public GpuStream offload(Class<?> owner, String name, Object... args) {
        Method method = KernelLookup.find(owner, name, args);
        runtime.offload(method, Gpu.checkArguments(runtime, method, args), open());
        return this;
    }

    /** Waits for every queued launch; throws the first exception one raised. */
    public void synchronize() {
        runtime.synchronize(open());
    }

    private Object open() {
        if (closed) throw new IllegalStateException("stream closed");
        return handle;
    }

    /** Waits for the queued launches (their exceptions are thrown here) and releases the stream. */
    @Override public void close() {
        if (closed) return;
        try {
            runtime.synchronize(handle);
        } finally {
            closed = true;
            runtime.closeStream(handle);
        }
    }
}
