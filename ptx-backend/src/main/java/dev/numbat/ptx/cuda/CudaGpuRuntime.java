package dev.numbat.ptx.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD8;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import dev.numbat.Gpu;
import dev.numbat.GpuArray;
import dev.numbat.GpuGrid;
import dev.numbat.GpuRuntime;
import dev.numbat.ptx.PtxBackend;
import dev.numbat.ptx.PtxCompileException;
import dev.numbat.ptx.PtxKernel;
import dev.numbat.simulator.GpuSimulator;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;

/**
 * Runs kernels on one CUDA device: compiles each kernel once with {@link PtxBackend} for the device's
 * compute capability, has the driver load the PTX (it compiles it for the GPU), and launches it with its
 * arguments copied in and the written ones copied back. A kernel the back end refuses runs on the simulator
 * after one line on standard error, as a refused {@code @Jit} method stays bytecode. CUDA failures are
 * {@link dev.numbat.GpuException}s naming the kernel; the kernel's own Java exceptions are thrown as such.
 */
final class CudaGpuRuntime implements GpuRuntime {
    private static final int OFFLOAD_BLOCK = 256;
    /** Enough blocks to fill any current GPU; the grid-stride loop covers the rest. */
    private static final int OFFLOAD_MAX_BLOCKS = 65535;

    private final CUcontext context;
    private final String deviceName;
    private final String arch;
    /** Per method and mode: a method may be both launched as a kernel and offloaded. */
    private final Map<java.util.List<Object>, Object> kernels = new ConcurrentHashMap<>();
    private final ErrorBuffers errorBuffers = new ErrorBuffers();

    private record Loaded(PtxKernel kernel, CUfunction function) {}
    private record Refused(String reason) {}

    CudaGpuRuntime(CUcontext context, String deviceName, String arch) {
        this.context = context;
        this.deviceName = deviceName;
        this.arch = arch;
    }

    @Override public String description() { return "CUDA: " + deviceName + " (" + arch + ")"; }

    private void current() { CudaCalls.check(cuCtxSetCurrent(context), "making the CUDA context current"); }

    /** The loaded kernel, or a Refused with the back end's reason; compiled once per method. */
    private Object kernel(Method m, boolean parallel) {
        return kernels.computeIfAbsent(java.util.List.of(m, parallel), key -> {
            try {
                PtxKernel k = PtxBackend.compile(m, arch, PtxBackend.Options.of(m).withParallelLoop(parallel));
                current();
                CUmodule module = new CUmodule();
                CudaCalls.check(cuModuleLoadData(module, k.ptx()), "loading the PTX", k.javaName());
                CUfunction f = new CUfunction();
                CudaCalls.check(cuModuleGetFunction(f, module, k.entryName()), "finding the entry", k.javaName());
                return new Loaded(k, f);
            } catch (PtxCompileException e) {
                System.err.println("numbat: " + m.getDeclaringClass().getName() + "." + m.getName()
                        + " not compiled for the GPU (" + e.getMessage() + "); it runs on the CPU simulator");
                return new Refused(e.getMessage());
            }
        });
    }

    @Override public void launch(Method kernel, GpuGrid grid, Object[] args, Object stream) {
        Object k = kernel(kernel, false);
        if (k instanceof Refused) {
            GpuSimulator.INSTANCE.launch(kernel, grid, hostCopies(args), null);
            return;
        }
        run((Loaded) k, kernel, grid, args, (StreamHandle) stream);
    }

    @Override public void offload(Method method, Object[] args, Object stream) {
        Object k = kernel(method, true);
        if (k instanceof Refused) {
            GpuSimulator.INSTANCE.offload(method, hostCopies(args), null);
            return;
        }
        long longest = 1;
        for (Object a : args) {
            if (a instanceof GpuArray g) longest = Math.max(longest, g.length());
            else if (a != null && a.getClass().isArray()) longest = Math.max(longest, Array.getLength(a));
        }
        int blocks = (int) Math.min(OFFLOAD_MAX_BLOCKS, (longest + OFFLOAD_BLOCK - 1) / OFFLOAD_BLOCK);
        run((Loaded) k, method, Gpu.grid(Math.max(1, blocks)).block(OFFLOAD_BLOCK), args, (StreamHandle) stream);
    }

    private void run(Loaded k, Method m, GpuGrid grid, Object[] args, StreamHandle stream) {
        current();
        CUstream s = stream == null ? null : stream.stream;
        KernelArguments launch = new KernelArguments(k.kernel(), m.getParameterTypes(), args, s, errorBuffers);
        try {
            CudaCalls.check(cuLaunchKernel(k.function(), grid.groups(0), grid.groups(1), grid.groups(2),
                    grid.threads(0), grid.threads(1), grid.threads(2), 0, s, launch.parameterBlock(), null),
                    "launching " + grid, k.kernel().javaName());
        } catch (RuntimeException e) {
            launch.free();
            throw e;
        }
        if (stream != null) {
            stream.add(launch);
            return;
        }
        int done = cuStreamSynchronize(null);
        if (done != 0) {
            launch.free();
            CudaCalls.check(done, "running", k.kernel().javaName());
        }
        RuntimeException thrown = launch.finish();
        if (thrown != null) throw thrown;
    }

    /** A refused kernel runs on the simulator, which cannot read device arrays: they are copied to the host and back. */
    private Object[] hostCopies(Object[] args) {
        for (Object a : args) {
            if (a instanceof GpuArray) {
                throw new dev.numbat.GpuException("a kernel the PTX back end refused cannot take device arrays; see the line above");
            }
        }
        return args;
    }

    // ---- device arrays ----

    @Override public Object allocate(Class<?> elementType, int length) {
        current();
        DeviceArray a = new DeviceArray(new CUdeviceptr(), elementType, length);
        CudaCalls.check(cuMemAlloc(a.pointer(), Math.max(1, a.bytes())), "allocating a device array of " + a.bytes() + " bytes");
        CudaCalls.check(cuMemsetD8(a.pointer(), (byte) 0, Math.max(1, a.bytes())), "zeroing a device array");
        return a;
    }

    @Override public void copyToDevice(Object array, Object hostArray) {
        current();
        DeviceArray a = (DeviceArray) array;
        if (a.bytes() > 0) CudaCalls.check(cuMemcpyHtoD(a.pointer(), HostArrays.pointer(hostArray), a.bytes()), "copying to a device array");
    }

    @Override public void copyToHost(Object array, Object hostArray) {
        current();
        DeviceArray a = (DeviceArray) array;
        if (a.bytes() > 0) CudaCalls.check(cuMemcpyDtoH(HostArrays.pointer(hostArray), a.pointer(), a.bytes()), "copying from a device array");
    }

    @Override public void free(Object array) {
        current();
        cuMemFree(((DeviceArray) array).pointer());
    }

    // ---- streams ----

    @Override public Object createStream() {
        current();
        StreamHandle h = new StreamHandle();
        CudaCalls.check(cuStreamCreate(h.stream, 0), "creating a stream");
        return h;
    }

    @Override public void synchronize(Object stream) {
        current();
        StreamHandle h = (StreamHandle) stream;
        int done = cuStreamSynchronize(h.stream);
        RuntimeException first = null;
        for (KernelArguments launch : h.drain()) {
            if (done != 0) {
                launch.free();
                continue;
            }
            RuntimeException e = launch.finish();
            if (first == null) first = e;
        }
        CudaCalls.check(done, "synchronising a stream");
        if (first != null) throw first;
    }

    @Override public void closeStream(Object stream) {
        current();
        cuStreamDestroy(((StreamHandle) stream).stream);
    }
}
