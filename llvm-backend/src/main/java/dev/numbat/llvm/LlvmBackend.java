package dev.numbat.llvm;

import dev.numbat.ir.Instruction;
import dev.numbat.ir.IrVerifier;
import dev.numbat.ir.Module;
import dev.numbat.ir.Site;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMMemoryBufferRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMPassBuilderOptionsRef;
import org.bytedeco.llvm.LLVM.LLVMTargetDataRef;
import org.bytedeco.llvm.LLVM.LLVMTargetMachineRef;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * Compiles IR modules to native code for the CPU this process runs on, with LLVM at O3, and keeps the code
 * in an ORC JIT. Thread-safe: each compilation works in its own LLVM context and target machine, and only
 * the JIT, which locks for itself, is shared.
 *
 * <p>The object code of a compilation ({@link NativeCode#objectCode()}) can be kept, for example on disk, and
 * {@linkplain #load linked} into the JIT of a later process on the same target without compiling again.
 * Entry symbols carry a tag of the process that compiled them ({@code numbat_<tag>_<n>_<method>}), so objects
 * compiled by different processes never define the same symbol; the only other symbols an object defines
 * are local to it.
 */
public final class LlvmBackend {
    private static final class Shared {
        static final LlvmBackend HOST = new LlvmBackend();
    }

    private final TargetMachines.Host host;
    private final String description;
    private final OrcJit jit;
    private final String processTag = processTag();
    private final AtomicLong compilations = new AtomicLong();
    private volatile String llvmVersion;
    /** Every entry symbol defined in the JIT, with the object that defines it. Guarded by itself. */
    private final Map<String, byte[]> defined = new HashMap<>();

    /** A backend with a JIT of its own; {@link #host()} is the one to use outside tests. */
    LlvmBackend() {
        NativeLlvm.ensureInitialised();
        host = TargetMachines.detectHost();
        description = TargetMachines.describe(host);
        jit = new OrcJit(TargetMachines.create(host));
        jit.addIrModule(ThreadPool.source(host.arch(), ThreadPool.defaultWorkers()), "numbat-thread-pool");
    }

    /**
     * Tells this process apart from every other that may compile objects loaded into the same JIT: its pid
     * (unique among the processes running on a host) mixed with the clocks at start-up (different across
     * hosts sharing a cache). Not from SecureRandom, whose start-up would cost every first compilation
     * tens of milliseconds. Should two tags ever coincide, the JIT refuses the second definition of the
     * symbol and the object is compiled again: a clash can cost time, never run the wrong code.
     */
    private static String processTag() {
        long pid = ProcessHandle.current().pid();
        long clocks = mix(System.nanoTime()) ^ mix(System.currentTimeMillis() + 0x9E3779B97F4A7C15L);
        return Long.toString(pid, 36) + "x" + Long.toUnsignedString(clocks, 36);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The backend for this machine, made on first use and shared by the process: its JIT holds every
     * compiled module for as long as the process runs.
     *
     * @throws BackendUnavailableException when LLVM cannot be loaded or has no target for this host
     */
    public static LlvmBackend host() {
        NativeLlvm.ensureInitialised();
        try {
            return Shared.HOST;
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            throw new BackendUnavailableException("the LLVM backend could not start: " + e, e);
        }
    }

    /** The CPU and its vector features, such as {@code x86_64 znver4 +avx2,+avx512f}. */
    public String targetDescription() { return description; }

    /**
     * Everything about the target that code generation depends on: the triple, the CPU name and every one
     * of its features as LLVM detected them ({@code x86_64-unknown-linux-gnu znver4 +64bit,+adx,-amx-bf16,...}).
     * Object code is only valid on a target with the same identity.
     */
    public String targetIdentity() { return host.triple() + " " + host.cpu() + " " + host.features(); }

    /**
     * The version of the LLVM library that generates the code, such as {@code LLVM 20.1.7 (JavaCPP presets
     * 20.1.7-1.5.12)}; the presets' version is left out where their Maven metadata is missing.
     */
    public String llvmVersion() {
        String v = llvmVersion;
        if (v == null) {
            int[] major = new int[1], minor = new int[1], patch = new int[1];
            LLVMGetVersion(major, minor, patch);
            v = "LLVM " + major[0] + "." + minor[0] + "." + patch[0];
            try {
                String presets = Loader.getVersion("org.bytedeco", "llvm", LlvmBackend.class);
                if (presets != null) v += " (JavaCPP presets " + presets + ")";
            } catch (IOException | RuntimeException e) {
                // Only a finer distinction lost: the LLVM version itself is what determines the code.
            }
            llvmVersion = v;
        }
        return v;
    }

    /**
     * The sites of {@code module} as {@link #compile} numbers them (see {@link NativeCode#sites()}): for code
     * {@linkplain #load loaded} from an object compiled from a module with the same IR text, whose site numbers
     * are the same, with the details (such as NullPointerException messages, which depend on local variable
     * names the IR text leaves out) taken from the current bytecode.
     */
    public static List<Site> sitesOf(Module module) {
        Objects.requireNonNull(module, "module");
        List<Site> sites = new ArrayList<>();
        for (Instruction i : ModuleLowering.throwingInstructions(module)) sites.add(i.site());
        return sites;
    }

    /**
     * Compiles {@code module} with its entry function exported (see {@link NativeAbi}).
     *
     * @throws BackendException when the module is malformed or LLVM rejects it
     */
    public NativeCode compile(Module module, CompileOptions options) { return compile(module, options, BranchWeights.NONE); }

    /** {@link #compile(Module, CompileOptions)}, with the entry's branches weighed by a run-time profile. */
    public NativeCode compile(Module module, CompileOptions options, BranchWeights weights) {
        return compile(module, options, weights, EntrySpecialisation.NONE);
    }

    /**
     * {@link #compile(Module, CompileOptions, BranchWeights)}, with a version of the entry specialised to what the
     * profile says its arguments always were, behind a guard that checks it on every call.
     */
    public NativeCode compile(Module module, CompileOptions options, BranchWeights weights, EntrySpecialisation specialisation) {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(options, "options");
        try {
            IrVerifier.verify(module);
        } catch (IllegalStateException e) {
            throw new BackendException("malformed IR", e);
        }
        String prefix = "numbat_" + processTag + "_" + compilations.incrementAndGet();
        LLVMContextRef context = LLVMContextCreate();
        try (Codegen cg = new Codegen(context, prefix, options.fastMath(), host.arch().equals("x86_64"))) {
            ModuleLowering lowering = new ModuleLowering(cg, module, prefix, options, host.hasAvx(), weights, specialisation);
            String symbol = lowering.lower();
            verify(cg.module);
            LLVMTargetMachineRef tm = TargetMachines.create(host);
            try {
                configure(cg.module, tm);
                optimise(cg.module, tm);
                if (cg.trig != null) {
                    cg.trig.defineCalledVectorVersions(tm);
                    verify(cg.module);
                }
                String ir = NativeLlvm.takeMessage(LLVMPrintModuleToString(cg.module));
                byte[] object = bytes(emit(cg.module, tm, LLVMObjectFile));
                MemorySegment address = link(object, symbol);
                MemorySegment versionSwitch = lowering.versionParts() != 0
                        ? jit.lookup(symbol + EntryVersions.SWITCH_SUFFIX).reinterpret(Integer.BYTES) : MemorySegment.NULL;
                return new NativeCode(address, symbol, lowering.sites(), ir, listingOf(ir), description, object, versionSwitch,
                        lowering.versionParts());
            } finally {
                LLVMDisposeTargetMachine(tm);
            }
        } catch (BackendException | BackendUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BackendException("cannot compile " + module.entry() + ": " + e, e);
        } finally {
            LLVMContextDispose(context);
        }
    }

    /**
     * Links object code that {@link #compile} made, in this process or another, into the JIT without
     * compiling: {@code objectCode} and {@code symbol} as {@link NativeCode#objectCode()} and
     * {@link NativeCode#symbol()} gave them, {@code sites} as {@link #sitesOf} gives them for the module it was
     * compiled from. The object must have been compiled for this target ({@link #targetIdentity()}) by this
     * LLVM ({@link #llvmVersion()}) and this version of the backend: it is native code, so only objects from
     * a trusted source may be loaded; nothing here can check what the code does. Loading the same object
     * again returns the code already linked. The result has no LLVM IR or assembly listing (empty strings);
     * {@link NativeCode#withListings} puts back what the caller kept of them.
     *
     * @throws BackendException when the symbol is already defined by a different object, or the JIT cannot
     *                          link the object or finds no such symbol in it
     */
    public NativeCode load(byte[] objectCode, String symbol, List<Site> sites) {
        Objects.requireNonNull(objectCode, "objectCode");
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(sites, "sites");
        if (symbol.isEmpty()) throw new BackendException("no entry symbol");
        byte[] object = objectCode.clone();
        try {
            MemorySegment address = link(object, symbol);
            return new NativeCode(address, symbol, sites, "", AssemblyListing.NONE, description, object, MemorySegment.NULL, 0);
        } catch (BackendException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BackendException("cannot load " + symbol + ": " + e, e);
        }
    }

    /**
     * Adds {@code object} to the JIT unless the same object already defines {@code symbol} there, and returns
     * the symbol's address. A symbol defined by another object is refused before the JIT sees the new one.
     */
    private MemorySegment link(byte[] object, String symbol) {
        synchronized (defined) {
            byte[] previous = defined.get(symbol);
            if (previous == null) {
                jit.addObject(buffer(object));
                defined.put(symbol, object);
            } else if (!Arrays.equals(previous, object)) {
                throw new BackendException("cannot load " + symbol + ": another object already defines it");
            }
        }
        return jit.lookup(symbol);
    }

    private static byte[] bytes(LLVMMemoryBufferRef buffer) {
        try {
            BytePointer start = LLVMGetBufferStart(buffer);
            byte[] bytes = new byte[Math.toIntExact(LLVMGetBufferSize(buffer))];
            start.get(bytes);
            return bytes;
        } finally {
            LLVMDisposeMemoryBuffer(buffer);
        }
    }

    private static LLVMMemoryBufferRef buffer(byte[] object) {
        try (BytePointer data = new BytePointer(object); BytePointer name = new BytePointer("numbat-object")) {
            // A copy: the JIT owns the buffer and outlives both pointers.
            return LLVMCreateMemoryBufferWithMemoryRangeCopy(data, object.length, name);
        }
    }

    private static void verify(LLVMModuleRef module) {
        BytePointer message = new BytePointer((Pointer) null);
        boolean broken = LLVMVerifyModule(module, LLVMReturnStatusAction, message) != 0;
        String text = NativeLlvm.takeMessage(message);
        if (broken) throw new BackendException("the lowered LLVM module is invalid: " + text);
    }

    private static void configure(LLVMModuleRef module, LLVMTargetMachineRef tm) {
        LLVMTargetDataRef layout = LLVMCreateTargetDataLayout(tm);
        try {
            LLVMSetModuleDataLayout(module, layout);
        } finally {
            LLVMDisposeTargetData(layout);
        }
        LLVMSetTarget(module, NativeLlvm.takeMessage(LLVMGetTargetMachineTriple(tm)));
    }

    private static void optimise(LLVMModuleRef module, LLVMTargetMachineRef tm) {
        LLVMPassBuilderOptionsRef options = LLVMCreatePassBuilderOptions();
        try {
            NativeLlvm.check(LLVMRunPasses(module, "default<O3>", tm, options), "optimisation failed");
        } finally {
            LLVMDisposePassBuilderOptions(options);
        }
    }

    /**
     * The host assembly of {@code optimizedLlvmIr} ({@link NativeCode#optimizedLlvmIr}, of this target), generated
     * when first asked for: the IR parsed again into a context of its own and given to code generation, as it was
     * for the object. A failure is the listing's text, not an exception: inspection never stops the code.
     */
    public AssemblyListing listingOf(String optimizedLlvmIr) {
        Objects.requireNonNull(optimizedLlvmIr, "optimizedLlvmIr");
        if (optimizedLlvmIr.isEmpty()) return AssemblyListing.NONE;
        return AssemblyListing.generatedBy(() -> {
            LLVMContextRef context = LLVMContextCreate();
            try {
                LLVMModuleRef module = NativeLlvm.parseIr(context, optimizedLlvmIr, "listing");
                LLVMTargetMachineRef tm = TargetMachines.create(host);
                try {
                    LLVMMemoryBufferRef buffer = emit(module, tm, LLVMAssemblyFile);
                    try {
                        return LLVMGetBufferStart(buffer).limit(LLVMGetBufferSize(buffer)).getString();
                    } finally {
                        LLVMDisposeMemoryBuffer(buffer);
                    }
                } finally {
                    LLVMDisposeTargetMachine(tm);
                }
            } catch (RuntimeException e) {
                return "; no assembly: " + e.getMessage() + "\n";
            } finally {
                LLVMContextDispose(context);
            }
        });
    }

    private static LLVMMemoryBufferRef emit(LLVMModuleRef module, LLVMTargetMachineRef tm, int kind) {
        BytePointer error = new BytePointer((Pointer) null);
        LLVMMemoryBufferRef buffer = new LLVMMemoryBufferRef();
        if (LLVMTargetMachineEmitToMemoryBuffer(tm, module, kind, error, buffer) != 0) {
            throw new BackendException("code generation failed: " + NativeLlvm.takeMessage(error));
        }
        return buffer;
    }
}
