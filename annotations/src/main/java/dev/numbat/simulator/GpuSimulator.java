package dev.numbat.simulator;

import dev.numbat.GpuArray;
import dev.numbat.GpuException;
import dev.numbat.GpuGrid;
import dev.numbat.GpuRuntime;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs kernels on the CPU, as Numba's CUDA simulator does: the kernel's own bytecode, one Java thread per
 * GPU thread (virtual threads where the JDK has them), a block at a time in batches, with the block's
 * barrier and shared arrays. Arrays are passed as they are, so the kernel's writes land in them directly;
 * device arrays are plain Java arrays of their own. The exception of the lowest-numbered failing thread is
 * thrown after the launch; the other threads run to their end, as on a GPU.
 */
public final class GpuSimulator implements GpuRuntime {
    public static final GpuSimulator INSTANCE = new GpuSimulator();
    /** Threads started at once: whole blocks, at least one. */
    private static final int BATCH_THREADS = 4096;

    private GpuSimulator() {}

    @Override public String description() { return "simulator"; }

    @Override public void launch(Method kernel, GpuGrid grid, Object[] args, Object stream) {
        Object[] plain = unwrap(args);
        Runnable run = () -> run(kernel, grid, plain);
        if (stream == null) run.run(); else ((SimulatedStream) stream).submit(run);
    }

    @Override public void offload(Method method, Object[] args, Object stream) {
        Object[] plain = unwrap(args);
        // The loop's iterations are independent (parallel = true says so), so running them in order gives
        // one of the results a GPU may give, and the JVM's exceptions exactly.
        Runnable run = () -> {
            try {
                method.invoke(null, plain);
            } catch (InvocationTargetException e) {
                throw rethrow(e.getCause());
            } catch (IllegalAccessException e) {
                throw new GpuException(method.getName() + ": " + e.getMessage(), e);
            }
        };
        if (stream == null) run.run(); else ((SimulatedStream) stream).submit(run);
    }

    private static void run(Method kernel, GpuGrid grid, Object[] args) {
        int perBlock = grid.threadsPerGroup();
        int blocksPerBatch = Math.max(1, BATCH_THREADS / perBlock);
        Failure first = new Failure();
        List<int[]> blocks = new ArrayList<>();
        for (int z = 0; z < grid.groups(2); z++) {
            for (int y = 0; y < grid.groups(1); y++) {
                for (int x = 0; x < grid.groups(0); x++) {
                    blocks.add(new int[] {x, y, z});
                    if (blocks.size() == blocksPerBatch) runBatch(kernel, grid, args, blocks, first);
                }
            }
        }
        if (!blocks.isEmpty()) runBatch(kernel, grid, args, blocks, first);
        if (first.error != null) throw rethrow(first.error);
    }

    private static void runBatch(Method kernel, GpuGrid grid, Object[] args, List<int[]> blocks, Failure first) {
        int perBlock = grid.threadsPerGroup();
        List<Thread> threads = new ArrayList<>();
        for (int[] groupId : blocks) {
            SimulatedBlock block = new SimulatedBlock(groupId, perBlock);
            long blockNumber = groupId[0] + (long) grid.groups(0) * (groupId[1] + (long) grid.groups(1) * groupId[2]);
            for (int t = 0; t < perBlock; t++) {
                int[] local = {t % grid.threads(0), t / grid.threads(0) % grid.threads(1), t / (grid.threads(0) * grid.threads(1))};
                long number = blockNumber * perBlock + t;
                SimulatedThread st = new SimulatedThread(grid, block, local);
                threads.add(SimulatorThreads.start(() -> {
                    st.enter();
                    try {
                        kernel.invoke(null, args);
                    } catch (InvocationTargetException e) {
                        first.record(number, e.getCause());
                    } catch (IllegalAccessException | RuntimeException e) {
                        first.record(number, e);
                    } finally {
                        SimulatedThread.leave();
                        block.leave();
                    }
                }));
            }
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GpuException("interrupted while simulating " + kernel.getName());
            }
        }
        blocks.clear();
    }

    /** The failure of the thread with the lowest number: deterministic, unlike a GPU's first one. */
    private static final class Failure {
        long thread = Long.MAX_VALUE;
        Throwable error;

        synchronized void record(long number, Throwable t) {
            if (number < thread) {
                thread = number;
                error = t;
            }
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw new GpuException("kernel threw " + t, t);
    }

    private static Object[] unwrap(Object[] args) {
        Object[] plain = args.clone();
        for (int k = 0; k < plain.length; k++) if (plain[k] instanceof GpuArray g) plain[k] = g.handle();
        return plain;
    }

    @Override public Object allocate(Class<?> elementType, int length) { return Array.newInstance(elementType, length); }
    @Override public void copyToDevice(Object array, Object hostArray) { System.arraycopy(hostArray, 0, array, 0, Array.getLength(array)); }
    @Override public void copyToHost(Object array, Object hostArray) { System.arraycopy(array, 0, hostArray, 0, Array.getLength(array)); }
    @Override public void free(Object array) {}

    @Override public Object createStream() { return new SimulatedStream(); }
    @Override public void synchronize(Object stream) { ((SimulatedStream) stream).synchronize(); }
    @Override public void closeStream(Object stream) { ((SimulatedStream) stream).close(); }
}
