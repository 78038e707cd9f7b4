/**
 * IR to NVPTX LLVM IR to PTX, launched with JCuda, with a CPU simulator for machines without a GPU.
 * Empty until the GPU issue; it will read the same IR as the LLVM backend.
 */
package dev.numbat.ptx;
