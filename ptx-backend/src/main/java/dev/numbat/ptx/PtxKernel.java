package dev.numbat.ptx;

import java.util.List;

/**
 * A compiled kernel: its PTX for one compute capability, the entry's name in it, and what the launcher
 * needs to call it: which array parameters the kernel may write (only those are copied back), and the
 * helpful NullPointerException message of each throwing site (by site number, null where none).
 * The first kernel parameter is always the error buffer ({@link KernelErrors#SLOTS} ints in global memory);
 * then each Java parameter, arrays as a global pointer and an i32 length, sub-int values as i32.
 *
 * @param javaName   {@code com.example.Kernels.saxpy(F[F[F)V}
 * @param llvmIr     the NVPTX LLVM IR Numbat wrote, before LLVM's optimisation
 * @param optimisedIr the same after {@code default<O3>} (and libdevice)
 */
public record PtxKernel(String javaName, String entryName, String arch, String ptx, String llvmIr, String optimisedIr,
                        boolean[] writesParameter, List<String> nullPointerMessages, boolean parallelLoop) {

    /** The exception a launch's error buffer describes, or null. */
    public RuntimeException exception(int[] errorBuffer) {
        return KernelErrors.exception(errorBuffer, nullPointerMessages);
    }
}
