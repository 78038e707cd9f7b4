package dev.numbat.ptx.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD32Async;

import dev.numbat.GpuArray;
import dev.numbat.ptx.KernelErrors;
import dev.numbat.ptx.PtxKernel;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;

/**
 * The device side of one launch: the error buffer, a device copy of each Java array argument (device arrays
 * are passed as they are), and the kernel parameter block in the order {@link PtxKernel} documents. After the
 * launch, {@link #finish()} copies back the arrays the kernel may write, reads the error buffer and frees.
 */
final class KernelArguments {
    private final PtxKernel kernel;
    private final ErrorBuffers errorBuffers;
    private CUdeviceptr errors;
    private final List<CUdeviceptr> owned = new ArrayList<>();
    private final List<Object> copyBackHost = new ArrayList<>();
    private final List<CUdeviceptr> copyBackDevice = new ArrayList<>();
    private final List<NativePointerObject> parameters = new ArrayList<>();

    KernelArguments(PtxKernel kernel, Class<?>[] types, Object[] args, CUstream stream, ErrorBuffers errorBuffers) {
        this.kernel = kernel;
        this.errorBuffers = errorBuffers;
        try {
            errors = errorBuffers.take(kernel.javaName());
            CudaCalls.check(cuMemsetD32Async(errors, 0, KernelErrors.SLOTS, stream), "clearing the error buffer", kernel.javaName());
            parameters.add(Pointer.to(errors));
            for (int k = 0; k < args.length; k++) add(types[k], args[k], kernel.writesParameter()[k], stream);
        } catch (RuntimeException e) {
            free();
            throw e;
        }
    }

    private void allocate(CUdeviceptr p, long bytes) {
        CudaCalls.check(cuMemAlloc(p, Math.max(bytes, 1)), "allocating " + bytes + " bytes", kernel.javaName());
        owned.add(p);
    }

    private void add(Class<?> type, Object arg, boolean written, CUstream stream) {
        if (!type.isArray()) {
            parameters.add(scalar(type, arg));
            return;
        }
        if (arg == null) {
            parameters.add(Pointer.to(new CUdeviceptr()));
            parameters.add(Pointer.to(new int[] {0}));
        } else if (arg instanceof GpuArray g) {
            parameters.add(Pointer.to(((DeviceArray) g.handle()).pointer()));
            parameters.add(Pointer.to(new int[] {g.length()}));
        } else {
            CUdeviceptr p = new CUdeviceptr();
            long bytes = HostArrays.bytes(arg);
            allocate(p, bytes);
            if (bytes > 0) {
                CudaCalls.check(cuMemcpyHtoDAsync(p, HostArrays.pointer(arg), bytes, stream), "copying an argument to the device", kernel.javaName());
            }
            if (written && bytes > 0) {
                copyBackHost.add(arg);
                copyBackDevice.add(p);
            }
            parameters.add(Pointer.to(p));
            parameters.add(Pointer.to(new int[] {Array.getLength(arg)}));
        }
    }

    /** Sub-int values travel as the int the JVM holds them in. */
    private static Pointer scalar(Class<?> type, Object arg) {
        if (type == int.class) return Pointer.to(new int[] {(Integer) arg});
        if (type == long.class) return Pointer.to(new long[] {(Long) arg});
        if (type == float.class) return Pointer.to(new float[] {(Float) arg});
        if (type == double.class) return Pointer.to(new double[] {(Double) arg});
        if (type == boolean.class) return Pointer.to(new int[] {(Boolean) arg ? 1 : 0});
        if (type == byte.class) return Pointer.to(new int[] {(Byte) arg});
        if (type == short.class) return Pointer.to(new int[] {(Short) arg});
        if (type == char.class) return Pointer.to(new int[] {(Character) arg});
        throw new IllegalArgumentException("kernel parameter of type " + type);
    }

    Pointer parameterBlock() { return Pointer.to(parameters.toArray(NativePointerObject[]::new)); }

    /** After the stream is idle: the written arrays' new contents, then the kernel's exception (or null). */
    RuntimeException finish() {
        try {
            for (int k = 0; k < copyBackHost.size(); k++) {
                Object host = copyBackHost.get(k);
                CudaCalls.check(cuMemcpyDtoH(HostArrays.pointer(host), copyBackDevice.get(k), HostArrays.bytes(host)),
                        "copying a result back", kernel.javaName());
            }
            int[] buffer = new int[KernelErrors.SLOTS];
            CudaCalls.check(cuMemcpyDtoH(Pointer.to(buffer), errors, buffer.length * 4L), "reading the error buffer", kernel.javaName());
            return kernel.exception(buffer);
        } finally {
            free();
        }
    }

    void free() {
        for (CUdeviceptr p : owned) cuMemFree(p);
        owned.clear();
        if (errors != null) errorBuffers.give(errors);
        errors = null;
    }
}
