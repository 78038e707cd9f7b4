package dev.numbat.llvm;

import dev.numbat.ir.Site;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A compiled module, callable through its entry symbol (see {@link NativeAbi} for the calling convention).
 * The code stays mapped for the life of the {@link LlvmBackend} that made it.
 *
 * @param entryAddress    address of the exported entry function
 * @param symbol          its name in the JIT
 * @param sites           where each instruction that may throw came from, indexed by the site number the
 *                        code stores in the context when it raises an exception
 * @param optimizedLlvmIr the LLVM module after optimisation, as text
 * @param assembly        the host assembly generated from it
 * @param target          the target it was compiled for ({@link LlvmBackend#targetDescription()})
 */
public record NativeCode(MemorySegment entryAddress, String symbol, List<Site> sites,
                         String optimizedLlvmIr, String assembly, String target) {
    public NativeCode {
        sites = List.copyOf(sites);
    }
}
