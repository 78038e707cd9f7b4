package dev.numbat.llvm;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.llvm.LLVM.LLVMMemoryBufferRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMOrcDefinitionGeneratorRef;
import org.bytedeco.llvm.LLVM.LLVMOrcJITDylibRef;
import org.bytedeco.llvm.LLVM.LLVMOrcJITTargetMachineBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMOrcLLJITBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMOrcLLJITRef;
import org.bytedeco.llvm.LLVM.LLVMOrcThreadSafeContextRef;
import org.bytedeco.llvm.LLVM.LLVMOrcThreadSafeModuleRef;
import org.bytedeco.llvm.LLVM.LLVMTargetMachineRef;

import java.lang.foreign.MemorySegment;

import static org.bytedeco.llvm.global.LLVM.LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess;
import static org.bytedeco.llvm.global.LLVM.LLVMOrcCreateNewThreadSafeContext;
import static org.bytedeco.llvm.global.LLVM.LLVMOrcCreateNewThreadSafeModule;
import static org.bytedeco.llvm.global.LLVM.LLVMOrcDisposeThreadSafeContext;
import static org.bytedeco.llvm.global.LLVM.LLVMOrcLLJITAddLLVMIRModule;
import static org.bytedeco.llvm.global.LLVM.LLVMOrcLLJITGetDataLayoutStr;
import static org.bytedeco.llvm.global.LLVM.LLVMOrcLLJITGetTripleString;
import static org.bytedeco.llvm.global.LLVM.LLVMOrcThreadSafeContextGetContext;
import static org.bytedeco.llvm.global.LLVM.LLVMSetDataLayout;
import static org.bytedeco.llvm.global.LLVM.LLVMSetTarget;
import static org.bytedeco.llvm.global.LLVM.LLVMOrcCreateLLJIT;
import static org.bytedeco.llvm.global.LLVM.LLVMOrcCreateLLJITBuilder;
import static org.bytedeco.llvm.global.LLVM.LLVMOrcDisposeLLJIT;
import static org.bytedeco.llvm.global.LLVM.LLVMOrcJITDylibAddGenerator;
import static org.bytedeco.llvm.global.LLVM.LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine;
import static org.bytedeco.llvm.global.LLVM.LLVMOrcLLJITAddObjectFile;
import static org.bytedeco.llvm.global.LLVM.LLVMOrcLLJITBuilderSetJITTargetMachineBuilder;
import static org.bytedeco.llvm.global.LLVM.LLVMOrcLLJITGetGlobalPrefix;
import static org.bytedeco.llvm.global.LLVM.LLVMOrcLLJITGetMainJITDylib;
import static org.bytedeco.llvm.global.LLVM.LLVMOrcLLJITLookup;

/**
 * One ORC LLJIT: links object files into its main JITDylib and finds their symbols. Undefined symbols
 * (libm's {@code sin}, {@code fmod}, libc's {@code calloc}, {@code free}) resolve against the process.
 * LLJIT serialises its own state, so objects may be added and looked up from any thread.
 */
final class OrcJit implements AutoCloseable {
    private final LLVMOrcLLJITRef jit;
    private final LLVMOrcJITDylibRef main;

    /** Takes ownership of {@code hostMachine}, which configures the JIT for the exact host CPU. */
    OrcJit(LLVMTargetMachineRef hostMachine) {
        LLVMOrcJITTargetMachineBuilderRef jtmb = LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine(hostMachine);
        LLVMOrcLLJITBuilderRef builder = LLVMOrcCreateLLJITBuilder();
        LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(builder, jtmb);
        jit = new LLVMOrcLLJITRef();
        NativeLlvm.check(LLVMOrcCreateLLJIT(jit, builder), "cannot create an ORC LLJIT");
        main = LLVMOrcLLJITGetMainJITDylib(jit);
        LLVMOrcDefinitionGeneratorRef process = new LLVMOrcDefinitionGeneratorRef();
        NativeLlvm.check(LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(process,
                LLVMOrcLLJITGetGlobalPrefix(jit), null, null), "cannot search the process for symbols");
        LLVMOrcJITDylibAddGenerator(main, process);
    }

    /** Adds a relocatable object; takes ownership of the buffer whatever happens. */
    void addObject(LLVMMemoryBufferRef object) {
        NativeLlvm.check(LLVMOrcLLJITAddObjectFile(jit, main, object), "cannot add the object to the JIT");
    }

    /**
     * Adds LLVM IR in text form, compiled for the host by the JIT only once a symbol it defines is looked up or
     * needed to link another object. Parsed here, so a malformed text fails now.
     */
    void addIrModule(String ir, String name) {
        LLVMOrcThreadSafeContextRef context = LLVMOrcCreateNewThreadSafeContext();
        try {
            LLVMModuleRef module = NativeLlvm.parseIr(LLVMOrcThreadSafeContextGetContext(context), ir, name);
            LLVMSetTarget(module, LLVMOrcLLJITGetTripleString(jit));
            LLVMSetDataLayout(module, LLVMOrcLLJITGetDataLayoutStr(jit));
            LLVMOrcThreadSafeModuleRef owned = LLVMOrcCreateNewThreadSafeModule(module, context);
            // The JIT takes the module whatever happens.
            NativeLlvm.check(LLVMOrcLLJITAddLLVMIRModule(jit, main, owned), "cannot add " + name + " to the JIT");
        } finally {
            // The module holds its own reference to the context.
            LLVMOrcDisposeThreadSafeContext(context);
        }
    }

    /** Links what is pending and returns the address of {@code symbol}. */
    MemorySegment lookup(String symbol) {
        try (LongPointer address = new LongPointer(1)) {
            NativeLlvm.check(LLVMOrcLLJITLookup(jit, address, symbol), "cannot link " + symbol);
            return MemorySegment.ofAddress(address.get());
        }
    }

    /** Unmaps all code the JIT holds; nothing compiled by it may run afterwards. */
    @Override
    public void close() {
        NativeLlvm.check(LLVMOrcDisposeLLJIT(jit), "cannot dispose the JIT");
    }
}
