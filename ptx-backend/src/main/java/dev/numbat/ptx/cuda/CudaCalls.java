package dev.numbat.ptx.cuda;

import dev.numbat.GpuException;
import jcuda.driver.CUresult;

/** Turns CUDA driver result codes into {@link GpuException}s that say what was being done, and for which kernel. */
final class CudaCalls {
    private CudaCalls() {}

    static void check(int result, String what) {
        if (result != CUresult.CUDA_SUCCESS) throw new GpuException("CUDA error " + CUresult.stringFor(result) + " in " + what);
    }

    static void check(int result, String what, String kernel) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new GpuException("CUDA error " + CUresult.stringFor(result) + " in " + what + " of kernel " + kernel);
        }
    }
}
