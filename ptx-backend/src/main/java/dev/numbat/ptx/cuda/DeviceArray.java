package dev.numbat.ptx.cuda;

import jcuda.driver.CUdeviceptr;

/** The CUDA runtime's handle of a {@link dev.numbat.GpuArray}: device memory and what it holds. */
record DeviceArray(CUdeviceptr pointer, Class<?> elementType, int length) {
    long bytes() { return (long) length * elementSize(elementType); }

    static int elementSize(Class<?> e) {
        if (e == byte.class || e == boolean.class) return 1;
        if (e == short.class || e == char.class) return 2;
        if (e == int.class || e == float.class) return 4;
        return 8;
    }
}
