package dev.numbat.llvm;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMErrorRef;
import org.bytedeco.llvm.LLVM.LLVMMemoryBufferRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;

import java.nio.charset.StandardCharsets;

import static org.bytedeco.llvm.global.LLVM.LLVMCreateMemoryBufferWithMemoryRangeCopy;
import static org.bytedeco.llvm.global.LLVM.LLVMDisposeErrorMessage;
import static org.bytedeco.llvm.global.LLVM.LLVMDisposeMessage;
import static org.bytedeco.llvm.global.LLVM.LLVMGetErrorMessage;
import static org.bytedeco.llvm.global.LLVM.LLVMInitializeNativeAsmPrinter;
import static org.bytedeco.llvm.global.LLVM.LLVMInitializeNativeTarget;
import static org.bytedeco.llvm.global.LLVM.LLVMParseCommandLineOptions;
import static org.bytedeco.llvm.global.LLVM.LLVMParseIRInContext;

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
                setOptions();
                initialised = true;
            } catch (LinkageError e) {
                // Missing or incompatible natives surface as UnsatisfiedLinkError, NoClassDefFoundError or
                // ExceptionInInitializerError from the class initialiser of org.bytedeco.llvm.global.LLVM.
                failure = new BackendUnavailableException("the LLVM native library could not be loaded: " + e, e);
                throw failure;
            }
        }
    }

    /**
     * LLVM's process-wide options, set once before anything is compiled (LLVM ends the process on an option it
     * does not know or one given twice, so this list only holds options of the LLVM version Numbat ships with, and
     * this runs once per process under the lock).
     *
     * <p>{@code -force-ordered-reductions}: the loop vectoriser may vectorise a loop whose floating-point sum must
     * stay in order (Java's strict {@code s += a[i] * b[i]}), doing everything else in vectors and the additions
     * one lane after the other, in the original order: the result is bit for bit the serial one. x86 leaves it
     * off by default; HotSpot's C2 does the same thing (an in-order vector reduction), which is why it beat LLVM
     * on loops such as n-body's, where the work besides the sum (square roots, divisions) is what costs.
     *
     * <p>{@code -unroll-runtime-other-exit-predictable}: a loop with one exit besides its test may still be
     * unrolled by a count known only at run time. LLVM allows that only where the other exit is an
     * {@code llvm.experimental.deoptimize} call, which Numbat's code has none of; its other exits are the
     * JVM's exceptions ({@code counts[b]++} with a data-dependent {@code b} must check each access), taken at
     * most once per call, so as predictable. Without it such loops ran one element per iteration, 1.5x
     * slower than the unrolled C loop (histogram).
     */
    private static void setOptions() {
        String[] args = {"numbat", "-force-ordered-reductions", "-unroll-runtime-other-exit-predictable"};
        try (PointerPointer<BytePointer> argv = new PointerPointer<>(args)) {
            LLVMParseCommandLineOptions(args.length, argv, new BytePointer("numbat"));
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

    /** Parses LLVM IR in text form into a new module of {@code context}; {@code name} names it in the error. */
    static LLVMModuleRef parseIr(LLVMContextRef context, String ir, String name) {
        byte[] bytes = ir.getBytes(StandardCharsets.UTF_8);
        LLVMMemoryBufferRef text;
        try (BytePointer data = new BytePointer(bytes); BytePointer bufferName = new BytePointer(name)) {
            text = LLVMCreateMemoryBufferWithMemoryRangeCopy(data, bytes.length, bufferName);
        }
        LLVMModuleRef module = new LLVMModuleRef();
        BytePointer message = new BytePointer((Pointer) null);
        // The parser takes the buffer, whatever happens.
        if (LLVMParseIRInContext(context, text, module, message) != 0) {
            throw new BackendException("cannot parse " + name + ": " + takeMessage(message));
        }
        return module;
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
