package dev.numbat.ptx.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;

import dev.numbat.ptx.KernelErrors;
import java.util.concurrent.ConcurrentLinkedQueue;
import jcuda.driver.CUdeviceptr;

/**
 * Device error buffers kept for reuse: a cuMemAlloc and cuMemFree per launch would cost tens of microseconds,
 * several percent of a millisecond kernel. Each launch clears the one it takes on its stream.
 */
final class ErrorBuffers {
    private final ConcurrentLinkedQueue<CUdeviceptr> free = new ConcurrentLinkedQueue<>();

    CUdeviceptr take(String kernel) {
        CUdeviceptr p = free.poll();
        if (p != null) return p;
        p = new CUdeviceptr();
        CudaCalls.check(cuMemAlloc(p, KernelErrors.SLOTS * 4L), "allocating the error buffer", kernel);
        return p;
    }

    void give(CUdeviceptr p) { free.add(p); }
}
