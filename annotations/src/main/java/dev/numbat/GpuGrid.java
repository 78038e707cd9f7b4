package dev.numbat;

import java.util.Arrays;

/**
 * The shape of a kernel launch: how many thread blocks (CUDA's grid, OpenCL's work groups) and how many
 * threads in each (CUDA's block), in up to three dimensions. Immutable; made with {@link Gpu#grid(int...)}
 * and {@link #block(int...)}: {@code Gpu.grid(n / 256).block(256)}.
 */
public final class GpuGrid {
    /** CUDA's limit on the threads of one block, on every device since compute capability 2.0. */
    public static final int MAX_THREADS_PER_BLOCK = 1024;

    private final int[] groups;
    private final int[] threads;

    private GpuGrid(int[] groups, int[] threads) {
        this.groups = groups;
        this.threads = threads;
    }

    static GpuGrid of(int[] groups) {
        return new GpuGrid(dims("grid", groups), new int[] {1, 1, 1});
    }

    /** The same grid with blocks of this many threads in x, y, z (missing dimensions are 1). */
    public GpuGrid block(int... threadsPerBlock) {
        int[] t = dims("block", threadsPerBlock);
        long total = (long) t[0] * t[1] * t[2];
        if (total > MAX_THREADS_PER_BLOCK) {
            throw new IllegalArgumentException("a block of " + total + " threads (at most " + MAX_THREADS_PER_BLOCK + ")");
        }
        return new GpuGrid(groups, t);
    }

    private static int[] dims(String what, int[] d) {
        if (d.length < 1 || d.length > 3) throw new IllegalArgumentException(what + " needs 1 to 3 dimensions, not " + d.length);
        int[] r = {1, 1, 1};
        for (int k = 0; k < d.length; k++) {
            if (d[k] < 1) throw new IllegalArgumentException(what + " dimension " + k + " is " + d[k] + " (must be at least 1)");
            r[k] = d[k];
        }
        return r;
    }

    /** Blocks in dimension {@code dim} (0 = x, 1 = y, 2 = z). */
    public int groups(int dim) { return groups[dim]; }
    /** Threads per block in dimension {@code dim}. */
    public int threads(int dim) { return threads[dim]; }
    public long totalGroups() { return (long) groups[0] * groups[1] * groups[2]; }
    public int threadsPerGroup() { return threads[0] * threads[1] * threads[2]; }

    @Override public String toString() {
        return "grid " + Arrays.toString(groups) + " x block " + Arrays.toString(threads);
    }
}
