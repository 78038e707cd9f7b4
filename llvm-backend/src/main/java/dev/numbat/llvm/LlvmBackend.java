package dev.numbat.llvm;

import dev.numbat.ir.IrVerifier;
import dev.numbat.ir.Module;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMMemoryBufferRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMPassBuilderOptionsRef;
import org.bytedeco.llvm.LLVM.LLVMTargetDataRef;
import org.bytedeco.llvm.LLVM.LLVMTargetMachineRef;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * Compiles IR modules to native code for the CPU this process runs on, with LLVM at O3, and keeps the code
 * in an ORC JIT. Thread-safe: each compilation works in its own LLVM context and target machine, and only
 * the JIT, which locks for itself, is shared.
 */
public final class LlvmBackend {
    private static final class Shared {
        static final LlvmBackend HOST = new LlvmBackend();
    }

    private final TargetMachines.Host host;
    private final String description;
    private final OrcJit jit;
    private final AtomicLong compilations = new AtomicLong();

    private LlvmBackend() {
        NativeLlvm.ensureInitialised();
        host = TargetMachines.detectHost();
        description = TargetMachines.describe(host);
        jit = new OrcJit(TargetMachines.create(host));
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
     * Compiles {@code module} with its entry function exported (see {@link NativeAbi}).
     *
     * @throws BackendException when the module is malformed or LLVM rejects it
     */
    public NativeCode compile(Module module, CompileOptions options) {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(options, "options");
        try {
            IrVerifier.verify(module);
        } catch (IllegalStateException e) {
            throw new BackendException("malformed IR", e);
        }
        String prefix = "numbat" + compilations.incrementAndGet();
        LLVMContextRef context = LLVMContextCreate();
        try (Codegen cg = new Codegen(context, prefix, options.fastMath())) {
            ModuleLowering lowering = new ModuleLowering(cg, module, prefix, options);
            String symbol = lowering.lower();
            verify(cg.module);
            LLVMTargetMachineRef tm = TargetMachines.create(host);
            try {
                configure(cg.module, tm);
                optimise(cg.module, tm);
                String ir = NativeLlvm.takeMessage(LLVMPrintModuleToString(cg.module));
                String assembly = assembly(cg.module, tm);
                jit.addObject(emit(cg.module, tm, LLVMObjectFile));
                MemorySegment address = jit.lookup(symbol);
                return new NativeCode(address, symbol, lowering.sites(), ir, assembly, description);
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

    /** Assembly from a copy: code generation rewrites the IR it runs on, and the original still goes to the JIT. */
    private static String assembly(LLVMModuleRef module, LLVMTargetMachineRef tm) {
        LLVMModuleRef copy = LLVMCloneModule(module);
        try {
            LLVMMemoryBufferRef buffer = emit(copy, tm, LLVMAssemblyFile);
            try {
                BytePointer start = LLVMGetBufferStart(buffer);
                return start.limit(LLVMGetBufferSize(buffer)).getString();
            } finally {
                LLVMDisposeMemoryBuffer(buffer);
            }
        } finally {
            LLVMDisposeModule(copy);
        }
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
