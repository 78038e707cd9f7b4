package dev.numbat.llvm;

import dev.numbat.ir.Site;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A compiled module, callable through its entry symbol (see {@link NativeAbi} for the calling convention).
 * The code stays mapped for the life of the {@link LlvmBackend} that made it.
 *
 * @param entryAddress    address of the exported entry function
 * @param symbol          its name in the JIT, and in {@code objectCode}
 * @param sites           where each instruction that may throw came from, indexed by the site number the
 *                        code stores in the context when it raises an exception
 * @param optimizedLlvmIr the LLVM module after optimisation, as text (empty for code
 *                        {@linkplain LlvmBackend#load loaded} without it)
 * @param listing         the host assembly generated from it, made when first asked for ({@link #assembly()});
 *                        {@link AssemblyListing#NONE} likewise
 * @param target          the target it was compiled for ({@link LlvmBackend#targetDescription()})
 * @param objectCode      the relocatable object file the JIT linked, which {@link LlvmBackend#load} can link
 *                        again in another process on the same target; the accessor returns a copy
 * @param versionSwitch   the {@code int} whose bits turn the parts of the code specialised to a profile on or off,
 *                        for the runtime to keep the fastest setting; {@link MemorySegment#NULL} when there are none
 * @param versionParts    the bits that mean something in it: {@code Intrinsic.SWITCH_ENTRY_COPY} (the entry's copy
 *                        for the arguments seen), {@code Intrinsic.SWITCH_LOOP_VERSIONS} (loops versioned by their
 *                        trip counts); all set at first
 */
public record NativeCode(MemorySegment entryAddress, String symbol, List<Site> sites,
                         String optimizedLlvmIr, AssemblyListing listing, String target, byte[] objectCode,
                         MemorySegment versionSwitch, int versionParts) {
    public NativeCode {
        sites = List.copyOf(sites);
        objectCode = objectCode.clone();
    }

    /** The host assembly, generated now from {@link #optimizedLlvmIr} if nobody asked for it before. */
    public String assembly() { return listing.text(); }

    /** A copy of the relocatable object file (ELF on Linux, Mach-O on macOS, COFF on Windows). */
    @Override
    public byte[] objectCode() { return objectCode.clone(); }

    /**
     * The same code with the listings that {@link LlvmBackend#load} cannot recover from the object
     * ({@link LlvmBackend#listingOf} makes one from the IR alone).
     */
    public NativeCode withListings(String optimizedLlvmIr, AssemblyListing listing) {
        return new NativeCode(entryAddress, symbol, sites, optimizedLlvmIr, listing, target, objectCode, versionSwitch, versionParts);
    }
}
