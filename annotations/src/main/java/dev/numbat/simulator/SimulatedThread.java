package dev.numbat.simulator;

import dev.numbat.GpuGrid;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The place of one simulated GPU thread in its launch, read by {@link dev.numbat.Gpu}'s intrinsics through
 * a thread-local. Public only so that {@code Gpu}'s bodies can reach it; not an API.
 */
public final class SimulatedThread {
    private static final ThreadLocal<SimulatedThread> CURRENT = new ThreadLocal<>();
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle FLOATS = MethodHandles.arrayElementVarHandle(float[].class);
    private static final VarHandle DOUBLES = MethodHandles.arrayElementVarHandle(double[].class);

    private final GpuGrid grid;
    private final SimulatedBlock block;
    private final int[] local;

    SimulatedThread(GpuGrid grid, SimulatedBlock block, int[] local) {
        this.grid = grid;
        this.block = block;
        this.local = local;
    }

    void enter() { CURRENT.set(this); }
    static void leave() { CURRENT.remove(); }

    /** The calling thread's place; outside a launch there is none. */
    public static SimulatedThread current() {
        SimulatedThread t = CURRENT.get();
        if (t == null) {
            throw new IllegalStateException("Gpu intrinsics only have a value inside a kernel launch (Gpu.launch)");
        }
        return t;
    }

    public int localId(int dim) { return local[check(dim)]; }
    public int groupId(int dim) { return block.groupId()[check(dim)]; }
    public int groupSize(int dim) { return grid.threads(check(dim)); }
    public int groupCount(int dim) { return grid.groups(check(dim)); }
    // int arithmetic wraps exactly as the compiled kernel's does.
    public int globalId(int dim) { return groupId(dim) * groupSize(dim) + localId(dim); }
    public int globalSize(int dim) { return groupCount(dim) * groupSize(dim); }

    public void barrier() { block.barrier(); }

    public <T> T shared(Class<?> element, int n) { return block.shared(element, n); }

    private static int check(int dim) {
        if (dim < 0 || dim > 2) throw new IllegalArgumentException("dimension " + dim + " (0, 1 or 2)");
        return dim;
    }

    // Atomics need no launch: they are atomic on any Java threads. Out-of-range indices throw the JVM's
    // ArrayIndexOutOfBoundsException, as a plain a[i] += v would.
    public static int atomicAdd(int[] a, int i, int v) { return (int) INTS.getAndAdd(a, i, v); }
    public static long atomicAdd(long[] a, int i, long v) { return (long) LONGS.getAndAdd(a, i, v); }

    public static float atomicAdd(float[] a, int i, float v) {
        while (true) {
            float old = (float) FLOATS.getVolatile(a, i);
            // compareAndSet compares floats by their bits, so a NaN element still makes progress.
            if (FLOATS.compareAndSet(a, i, old, old + v)) return old;
        }
    }

    public static double atomicAdd(double[] a, int i, double v) {
        while (true) {
            double old = (double) DOUBLES.getVolatile(a, i);
            if (DOUBLES.compareAndSet(a, i, old, old + v)) return old;
        }
    }
}
