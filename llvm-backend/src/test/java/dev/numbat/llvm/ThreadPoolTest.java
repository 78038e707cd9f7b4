package dev.numbat.llvm;

import static org.bytedeco.llvm.global.LLVM.*;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pool's IR ({@code thread-pool.ll}) as {@link ThreadPool#source} fills it in, for each architecture it knows a
 * spin-wait hint for and one it does not: every placeholder is replaced, and LLVM parses and verifies the module.
 * That it runs, and runs every chunk, is tested against the JVM by the agent's {@code ThreadPoolTest}.
 */
class ThreadPoolTest {
    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "aarch64", "riscv64"})
    void theSourceParsesAndVerifies(String arch) {
        NativeLlvm.ensureInitialised();
        String ir = ThreadPool.source(arch, 3);
        assertFalse(ir.matches("(?s).*@[A-Z_]+@.*"), "a placeholder is left:\n" + ir);
        assertTrue(ir.contains("define void @" + ThreadPool.ENTRY + "("), ir);
        assertTrue(ir.contains("icmp slt i32 %k, 3"), "the worker count is not in:\n" + ir);
        LLVMContextRef context = LLVMContextCreate();
        try {
            LLVMModuleRef module = NativeLlvm.parseIr(context, ir, "pool"); // throws with LLVM's message
            BytePointer verifyMessage = new BytePointer((Pointer) null);
            boolean broken = LLVMVerifyModule(module, LLVMReturnStatusAction, verifyMessage) != 0;
            String text = NativeLlvm.takeMessage(verifyMessage);
            assertFalse(broken, text);
        } finally {
            LLVMContextDispose(context);
        }
    }
}
