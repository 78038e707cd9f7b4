package dev.numbat.ptx;

import static org.bytedeco.llvm.global.LLVM.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMErrorRef;
import org.bytedeco.llvm.LLVM.LLVMMemoryBufferRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMPassBuilderOptionsRef;
import org.bytedeco.llvm.LLVM.LLVMTargetMachineRef;
import org.bytedeco.llvm.LLVM.LLVMTargetRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * NVPTX LLVM IR text to PTX text, with the LLVM of org.bytedeco:llvm: parse and verify, link libdevice when
 * the kernel calls it (then make every function but the kernel internal, so unused ones go), optimise with
 * {@code default<O3>} for the GPU (which runs NVVMReflect for libdevice), and print PTX with the NVPTX
 * target machine for {@code sm_XX}. The target machine's default floating-point options never contract a
 * multiply and an add into an FMA, and divisions and square roots stay correctly rounded, as Java's are.
 */
final class NvptxCompiler {
    private static final Object LOCK = new Object();
    private static volatile boolean initialised;

    private NvptxCompiler() {}

    private static void initialise() throws PtxCompileException {
        if (initialised) return;
        synchronized (LOCK) {
            if (initialised) return;
            try {
                LLVMInitializeNVPTXTargetInfo();
                LLVMInitializeNVPTXTarget();
                LLVMInitializeNVPTXTargetMC();
                LLVMInitializeNVPTXAsmPrinter();
            } catch (LinkageError e) {
                throw new PtxCompileException("the LLVM native library could not be loaded: " + e);
            }
            initialised = true;
        }
    }

    /** PTX for {@code arch} (sm_80, sm_90 ...); also returns the optimised LLVM IR when {@code optimised} is given. */
    static String compile(String llvmIr, String arch, Path libdevice, String kernelName, StringBuilder optimised)
            throws PtxCompileException {
        initialise();
        LLVMContextRef context = LLVMContextCreate();
        LLVMTargetMachineRef tm = null;
        LLVMModuleRef module = null;
        try {
            module = parse(context, llvmIr);
            verify(module, "the NVPTX LLVM IR Numbat wrote is invalid");
            if (libdevice != null) link(context, module, libdevice, kernelName);
            tm = targetMachine(arch);
            check(runPasses(module, tm), "optimisation failed");
            if (optimised != null) optimised.append(takeMessage(LLVMPrintModuleToString(module)));
            return emit(module, tm);
        } finally {
            if (module != null) LLVMDisposeModule(module);
            if (tm != null) LLVMDisposeTargetMachine(tm);
            LLVMContextDispose(context);
        }
    }

    private static LLVMModuleRef parse(LLVMContextRef context, String text) throws PtxCompileException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        LLVMMemoryBufferRef buffer;
        try (BytePointer data = new BytePointer(bytes); BytePointer name = new BytePointer("numbat-kernel")) {
            buffer = LLVMCreateMemoryBufferWithMemoryRangeCopy(data, bytes.length, name);
        }
        LLVMModuleRef module = new LLVMModuleRef();
        BytePointer error = new BytePointer((Pointer) null);
        // The parser takes the buffer, whatever the outcome.
        if (LLVMParseIRInContext(context, buffer, module, error) != 0) {
            throw new PtxCompileException("the NVPTX LLVM IR Numbat wrote does not parse: " + takeMessage(error));
        }
        return module;
    }

    private static void link(LLVMContextRef context, LLVMModuleRef module, Path libdevice, String kernelName)
            throws PtxCompileException {
        LLVMMemoryBufferRef buffer = new LLVMMemoryBufferRef();
        BytePointer error = new BytePointer((Pointer) null);
        if (LLVMCreateMemoryBufferWithContentsOfFile(new BytePointer(libdevice.toString()), buffer, error) != 0) {
            throw new PtxCompileException("cannot read libdevice " + libdevice + ": " + takeMessage(error));
        }
        LLVMModuleRef library = new LLVMModuleRef();
        boolean failed = LLVMParseBitcodeInContext2(context, buffer, library) != 0;
        LLVMDisposeMemoryBuffer(buffer);
        if (failed) throw new PtxCompileException("libdevice " + libdevice + " is not LLVM bitcode this LLVM reads");
        // libdevice says nvptx64-nvidia-gpulibs; make it agree with the kernel so the linker does not warn.
        LLVMSetTarget(library, KernelModuleWriter.TRIPLE);
        LLVMSetDataLayout(library, KernelModuleWriter.DATA_LAYOUT);
        if (LLVMLinkModules2(module, library) != 0) throw new PtxCompileException("linking libdevice " + libdevice + " failed");
        for (LLVMValueRef f = LLVMGetFirstFunction(module); f != null && !f.isNull(); f = LLVMGetNextFunction(f)) {
            if (LLVMIsDeclaration(f) == 0 && !LLVMGetValueName(f).getString().equals(kernelName)) {
                LLVMSetLinkage(f, LLVMInternalLinkage);
            }
        }
    }

    private static LLVMTargetMachineRef targetMachine(String arch) throws PtxCompileException {
        LLVMTargetRef target = new LLVMTargetRef();
        BytePointer error = new BytePointer((Pointer) null);
        if (LLVMGetTargetFromTriple(new BytePointer(KernelModuleWriter.TRIPLE), target, error) != 0) {
            throw new PtxCompileException("this LLVM has no NVPTX target: " + takeMessage(error));
        }
        LLVMTargetMachineRef tm = LLVMCreateTargetMachine(target, KernelModuleWriter.TRIPLE, arch, "",
                LLVMCodeGenLevelAggressive, LLVMRelocDefault, LLVMCodeModelDefault);
        if (tm == null || tm.isNull()) throw new PtxCompileException("LLVM refused an NVPTX target machine for " + arch);
        return tm;
    }

    private static LLVMErrorRef runPasses(LLVMModuleRef module, LLVMTargetMachineRef tm) {
        LLVMPassBuilderOptionsRef options = LLVMCreatePassBuilderOptions();
        try {
            return LLVMRunPasses(module, "default<O3>", tm, options);
        } finally {
            LLVMDisposePassBuilderOptions(options);
        }
    }

    private static String emit(LLVMModuleRef module, LLVMTargetMachineRef tm) throws PtxCompileException {
        BytePointer error = new BytePointer((Pointer) null);
        LLVMMemoryBufferRef buffer = new LLVMMemoryBufferRef();
        if (LLVMTargetMachineEmitToMemoryBuffer(tm, module, LLVMAssemblyFile, error, buffer) != 0) {
            throw new PtxCompileException("PTX generation failed: " + takeMessage(error));
        }
        try {
            BytePointer start = LLVMGetBufferStart(buffer);
            return start.limit(LLVMGetBufferSize(buffer)).getString();
        } finally {
            LLVMDisposeMemoryBuffer(buffer);
        }
    }

    private static void verify(LLVMModuleRef module, String what) throws PtxCompileException {
        BytePointer message = new BytePointer((Pointer) null);
        boolean broken = LLVMVerifyModule(module, LLVMReturnStatusAction, message) != 0;
        String text = takeMessage(message);
        if (broken) throw new PtxCompileException(what + ": " + text.strip().replace('\n', ' '));
    }

    private static void check(LLVMErrorRef error, String what) throws PtxCompileException {
        if (error == null || error.isNull()) return;
        BytePointer message = LLVMGetErrorMessage(error);
        try {
            throw new PtxCompileException(what + ": " + message.getString());
        } finally {
            LLVMDisposeErrorMessage(message);
        }
    }

    private static String takeMessage(BytePointer message) {
        if (message == null || message.isNull()) return "";
        try {
            return message.getString();
        } finally {
            LLVMDisposeMessage(message);
        }
    }
}
