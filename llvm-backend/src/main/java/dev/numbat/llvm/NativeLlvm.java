package dev.numbat.llvm;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.llvm.LLVM.LLVMErrorRef;

import static org.bytedeco.llvm.global.LLVM.LLVMDisposeErrorMessage;
import static org.bytedeco.llvm.global.LLVM.LLVMDisposeMessage;
import static org.bytedeco.llvm.global.LLVM.LLVMGetErrorMessage;
import static org.bytedeco.llvm.global.LLVM.LLVMInitializeNativeAsmPrinter;
import static org.bytedeco.llvm.global.LLVM.LLVMInitializeNativeTarget;

/** Loading and one-time initialisation of the LLVM library, and turning its errors into Java strings. */
final class NativeLlvm {
    private static final Object LOCK = new Object();
    private static volatile boolean initialised;
    private static BackendUnavailableException failure;

    private NativeLlvm() {}

    /**
     * Loads the native library and registers the host target, once per process. LLVM's target registry is
     * global and not safe to initialise from two threads at a time, hence the lock.
     */
    static void ensureInitialised() {
        if (initialised) return;
        synchronized (LOCK) {
            if (initialised) return;
            if (failure != null) throw failure;
            try {
                if (LLVMInitializeNativeTarget() != 0 || LLVMInitializeNativeAsmPrinter() != 0) {
                    failure = new BackendUnavailableException("LLVM has no native target for this host", null);
                    throw failure;
                }
                initialised = true;
            } catch (LinkageError e) {
                // Missing or incompatible natives surface as UnsatisfiedLinkError, NoClassDefFoundError or
                // ExceptionInInitializerError from the class initialiser of org.bytedeco.llvm.global.LLVM.
                failure = new BackendUnavailableException("the LLVM native library could not be loaded: " + e, e);
                throw failure;
            }
        }
    }

    static boolean isNull(Pointer p) { return p == null || p.isNull(); }

    /** Throws a BackendException with LLVM's message when {@code error} is set; consumes the error. */
    static void check(LLVMErrorRef error, String what) {
        if (isNull(error)) return;
        BytePointer message = LLVMGetErrorMessage(error);
        String text;
        try {
            text = message.getString();
        } finally {
            LLVMDisposeErrorMessage(message);
        }
        throw new BackendException(what + ": " + text);
    }

    /** Copies a string LLVM allocated with malloc (LLVMPrint*, LLVMGetHost*, out-messages) and frees it. */
    static String takeMessage(BytePointer message) {
        if (isNull(message)) return "";
        try {
            return message.getString();
        } finally {
            LLVMDisposeMessage(message);
        }
    }
}
