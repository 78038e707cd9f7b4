package dev.numbat;

import dev.numbat.simulator.GpuSimulator;
import dev.numbat.simulator.SimulatedThread;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * GPU kernels in Java: the intrinsics a {@code @Jit(target = PTX)} kernel calls to find its place in the
 * launch, and the API that launches it.
 *
 * <p>Numbat's PTX back end compiles each intrinsic to its CUDA instruction ({@code globalId(0)} is
 * {@code blockIdx.x * blockDim.x + threadIdx.x}). Their Java bodies read the thread's place from the CPU
 * simulator, which runs the kernel's own bytecode with one Java thread per GPU thread, so the same method
 * runs, and can be debugged, without a GPU. Outside a launch they throw {@link IllegalStateException}.
 *
 * <p>Dimensions are numbered 0 (x), 1 (y), 2 (z) and must be constants in kernels.
 *
 * <pre>{@code
 * @Jit(target = Jit.Target.PTX)
 * static void saxpy(float a, float[] x, float[] y) {
 *     int i = Gpu.globalId(0);
 *     if (i < y.length) y[i] = a * x[i] + y[i];
 * }
 * Gpu.launch(Kernels.class, "saxpy", Gpu.grid((n + 255) / 256).block(256), 2f, x, y);
 * }</pre>
 *
 * <p>Where kernels run: {@code -Dnumbat.gpu=simulate} always on the simulator; {@code cuda} or
 * {@code auto} (the default) on the first CUDA device when Numbat's PTX runtime and a CUDA driver are
 * there, else on the simulator after one line on standard error saying why. See docs/gpu.md.
 */
public final class Gpu {
    private static final String CUDA_RUNTIME = "dev.numbat.ptx.cuda.CudaRuntimeProvider";
    private static volatile GpuRuntime runtime;

    private Gpu() {}

    // ---- intrinsics (compiled to PTX instructions; run by the simulator on the CPU) ----

    /** This thread's index in the whole grid: {@code groupId(dim) * groupSize(dim) + localId(dim)}. */
    public static int globalId(int dim) { return SimulatedThread.current().globalId(dim); }
    /** This thread's index in its block (CUDA's {@code threadIdx}). */
    public static int localId(int dim) { return SimulatedThread.current().localId(dim); }
    /** This thread's block's index in the grid (CUDA's {@code blockIdx}). */
    public static int groupId(int dim) { return SimulatedThread.current().groupId(dim); }
    /** Threads per block (CUDA's {@code blockDim}). */
    public static int groupSize(int dim) { return SimulatedThread.current().groupSize(dim); }
    /** Blocks in the grid (CUDA's {@code gridDim}). */
    public static int groupCount(int dim) { return SimulatedThread.current().groupCount(dim); }
    /** Threads in the grid: {@code groupCount(dim) * groupSize(dim)}. */
    public static int globalSize(int dim) { return SimulatedThread.current().globalSize(dim); }

    /**
     * Waits until every thread of the block has reached a barrier; writes to shared arrays made before it
     * are then visible to the whole block ({@code __syncthreads()}). Every thread of the block that has
     * not returned must reach the same barrier.
     */
    public static void barrier() { SimulatedThread.current().barrier(); }

    /**
     * An array shared by the threads of a block ({@code __shared__ float s[n]}). {@code n} must be a
     * constant. Each call site gives one array per block: every thread of the block gets the same one. As
     * in CUDA its contents are undefined until written (the simulator starts them at zero): write, then
     * {@link #barrier()}, then read.
     */
    public static float[] sharedFloats(int n) { return SimulatedThread.current().shared(float.class, n); }
    public static double[] sharedDoubles(int n) { return SimulatedThread.current().shared(double.class, n); }
    public static int[] sharedInts(int n) { return SimulatedThread.current().shared(int.class, n); }
    public static long[] sharedLongs(int n) { return SimulatedThread.current().shared(long.class, n); }

    /** Adds {@code v} to {@code a[i]} atomically and returns the old value ({@code atomicAdd}). */
    public static int atomicAdd(int[] a, int i, int v) { return SimulatedThread.atomicAdd(a, i, v); }
    public static long atomicAdd(long[] a, int i, long v) { return SimulatedThread.atomicAdd(a, i, v); }
    public static float atomicAdd(float[] a, int i, float v) { return SimulatedThread.atomicAdd(a, i, v); }
    public static double atomicAdd(double[] a, int i, double v) { return SimulatedThread.atomicAdd(a, i, v); }

    // ---- launching ----

    /** A launch of this many blocks in x (and y, z); add the block size with {@link GpuGrid#block(int...)}. */
    public static GpuGrid grid(int... groups) { return GpuGrid.of(groups); }

    /**
     * Runs the static {@code @Jit(target = PTX)} method {@code owner.name} once per thread of {@code grid}
     * and returns when it has finished. Arguments are boxed primitives, primitive arrays (copied to the
     * device and, if the kernel may write them, back) and {@link GpuArray}s. An exception raised by a
     * thread (the first one recorded) is thrown after the launch, with the JVM's class and message.
     */
    public static void launch(Class<?> owner, String name, GpuGrid grid, Object... args) {
        GpuRuntime r = runtime();
        Method kernel = KernelLookup.find(owner, name, args);
        if (kernel.getReturnType() != void.class) throw new IllegalArgumentException(kernel + ": a kernel returns void");
        r.launch(kernel, grid, checkArguments(r, kernel, args), null);
    }

    /**
     * Runs a {@code @Jit(parallel = true, target = PTX)} method with its outermost counted loop spread over
     * the GPU's threads (its iterations must be independent, as {@code parallel} promises). The simulator,
     * which has no such promise to rely on, runs the method's bytecode as is.
     */
    public static void offload(Class<?> owner, String name, Object... args) {
        GpuRuntime r = runtime();
        Method method = KernelLookup.find(owner, name, args);
        r.offload(method, checkArguments(r, method, args), null);
    }

    /** A stream for asynchronous launches on the current runtime. */
    public static GpuStream stream() { return new GpuStream(runtime()); }

    /** What kernels run on: {@code "CUDA: <device>"} or {@code "simulator"}. */
    public static String device() { return runtime().description(); }

    static Object[] checkArguments(GpuRuntime r, Method m, Object[] args) {
        for (Object a : args) {
            if (a instanceof GpuArray g && g.runtime() != r) {
                throw new IllegalArgumentException(g + " belongs to another runtime than " + r.description());
            }
        }
        return args.clone();
    }

    /** The runtime kernels run on, chosen once (see the class comment). */
    public static GpuRuntime runtime() {
        GpuRuntime r = runtime;
        if (r != null) return r;
        synchronized (Gpu.class) {
            if (runtime == null) runtime = choose(System.getProperty("numbat.gpu", "auto"));
            return runtime;
        }
    }

    private static GpuRuntime choose(String mode) {
        if (mode.equals("simulate")) return GpuSimulator.INSTANCE;
        if (!mode.equals("auto") && !mode.equals("cuda")) {
            System.err.println("numbat: -Dnumbat.gpu=" + mode + " is not simulate, cuda or auto; using auto");
        }
        String why;
        try {
            Class<?> provider = Class.forName(CUDA_RUNTIME, true, Gpu.class.getClassLoader());
            return (GpuRuntime) provider.getMethod("open").invoke(null);
        } catch (ClassNotFoundException e) {
            why = "Numbat's PTX runtime (numbat-ptx-backend) is not on the class path";
        } catch (InvocationTargetException e) {
            why = String.valueOf(e.getCause().getMessage());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            why = e.toString();
        }
        System.err.println("numbat: no CUDA device for GPU kernels (" + why + "); they run on the CPU simulator");
        return GpuSimulator.INSTANCE;
    }
}
