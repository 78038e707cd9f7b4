/**
 * The LLVM backend: compiles a Numbat IR {@link dev.numbat.ir.Module} to native code for the host CPU.
 *
 * <p>{@link dev.numbat.llvm.LlvmBackend} is the entry point; {@link dev.numbat.llvm.NativeAbi} describes how
 * compiled code is called and how it reports Java exceptions. Inside, {@code ModuleLowering} and
 * {@code FunctionLowering} translate the IR with the JVM's exact semantics, helped by
 * {@code ArithmeticLowering}, {@code ArrayLowering}, {@code IntrinsicLowering} (with
 * {@code FdlibmLowering}) and {@code ExceptionLowering}; {@code ParallelLowering} hands parallel loops to the
 * process's {@code ThreadPool}; {@code TargetMachines} and {@code OrcJit} wrap LLVM's code generation and ORC JIT.
 */
package dev.numbat.llvm;
