package dev.numbat.ptx;

import static org.bytedeco.llvm.global.LLVM.*;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.llvm.LLVM.LLVMErrorRef;
import org.bytedeco.llvm.LLVM.LLVMMemoryBufferRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMOrcLLJITRef;
import org.bytedeco.llvm.LLVM.LLVMOrcThreadSafeContextRef;

/**
 * Runs the NVPTX LLVM IR the back end writes on the host CPU, one GPU thread after another, so that its
 * Java semantics (arithmetic, checks, the error buffer, copy-back analysis, the grid-stride loop) can be
 * checked where there is no GPU. The special registers become loads from a host global that this class
 * sets before each thread; address spaces 1 and 0 are the same memory on x86. Kernels with barriers,
 * shared memory or libdevice calls cannot run this way and are refused.
 */
final class HostEmulator implements AutoCloseable {
    private static final String[] REGISTERS = {"tid", "ntid", "ctaid", "nctaid"};
    private static final String[] DIMS = {"x", "y", "z"};

    private final PtxKernel kernel;
    private final LLVMOrcLLJITRef jit = new LLVMOrcLLJITRef();
    private final MemorySegment registers;
    private final MethodHandle entry;
    private final Class<?>[] types;

    HostEmulator(PtxKernel kernel, Method method) {
        this.kernel = kernel;
        this.types = method.getParameterTypes();
        String ir = kernel.llvmIr();
        if (ir.contains("llvm.nvvm.barrier0") || ir.contains("addrspace(3)") || ir.contains("@__nv_")) {
            throw new IllegalArgumentException(kernel.javaName() + " uses barriers, shared memory or libdevice");
        }
        LLVMInitializeNativeTarget();
        LLVMInitializeNativeAsmPrinter();
        check(LLVMOrcCreateLLJIT(jit, LLVMOrcCreateLLJITBuilder()));
        LLVMOrcThreadSafeContextRef context = LLVMOrcCreateNewThreadSafeContext();
        LLVMModuleRef module = parse(LLVMOrcThreadSafeContextGetContext(context), forHost(ir));
        check(LLVMOrcLLJITAddLLVMIRModule(jit, LLVMOrcLLJITGetMainJITDylib(jit), LLVMOrcCreateNewThreadSafeModule(module, context)));
        LLVMOrcDisposeThreadSafeContext(context);
        registers = lookup("host.regs").reinterpret(4 * 12);
        List<MemoryLayout> params = new ArrayList<>(List.of(ValueLayout.ADDRESS));
        for (Class<?> t : types) {
            if (t.isArray()) {
                params.add(ValueLayout.ADDRESS);
                params.add(ValueLayout.JAVA_INT);
            } else {
                params.add(t == long.class ? ValueLayout.JAVA_LONG : t == float.class ? ValueLayout.JAVA_FLOAT
                        : t == double.class ? ValueLayout.JAVA_DOUBLE : ValueLayout.JAVA_INT);
            }
        }
        entry = Linker.nativeLinker().downcallHandle(lookup(kernel.entryName()),
                FunctionDescriptor.ofVoid(params.toArray(MemoryLayout[]::new)));
    }

    static String forHost(String ir) {
        StringBuilder b = new StringBuilder();
        for (String line : ir.split("\n")) {
            if (line.startsWith("target ") || line.startsWith("declare i32 @llvm.nvvm.read.ptx.sreg.")) continue;
            b.append(line.replace("define ptx_kernel void", "define void")
                    .replace("@llvm.nvvm.read.ptx.sreg.", "@host.sreg.")).append('\n');
        }
        b.append("@host.regs = global [12 x i32] zeroinitializer\n");
        for (int r = 0; r < REGISTERS.length; r++) {
            for (int d = 0; d < 3; d++) {
                b.append("define internal i32 @host.sreg.").append(REGISTERS[r]).append('.').append(DIMS[d]).append("() {\n")
                        .append("  %p = getelementptr [12 x i32], ptr @host.regs, i64 0, i64 ").append(r * 3 + d).append('\n')
                        .append("  %v = load i32, ptr %p\n  ret i32 %v\n}\n");
            }
        }
        return b.toString();
    }

    /**
     * Runs every thread of a grid of {@code groups} x {@code threads} (one dimension) in order, with the arguments
     * copied to native memory and back, and returns the kernel's exception (from its error buffer) or null.
     */
    RuntimeException run(int groups, int threads, Object... args) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errors = arena.allocate(4 * KernelErrors.SLOTS);
            List<Object> call = new ArrayList<>(List.of(errors));
            List<MemorySegment> copies = new ArrayList<>();
            for (int k = 0; k < args.length; k++) {
                Object a = args[k];
                if (types[k].isArray()) {
                    MemorySegment host = a == null ? MemorySegment.NULL : heap(a);
                    MemorySegment native_ = a == null ? MemorySegment.NULL : arena.allocate(Math.max(1, host.byteSize()), 8);
                    if (a != null) native_.copyFrom(host);
                    copies.add(native_);
                    call.add(native_);
                    call.add(a == null ? 0 : Array.getLength(a));
                } else {
                    copies.add(null);
                    Object v = a;
                    if (a instanceof Boolean z) v = z ? 1 : 0;
                    if (a instanceof Byte || a instanceof Short) v = ((Number) a).intValue();
                    if (a instanceof Character c) v = (int) c;
                    call.add(v);
                }
            }
            for (int g = 0; g < groups; g++) {
                for (int t = 0; t < threads; t++) {
                    set(0, t, 1, threads, 2, g, 3, groups);
                    entry.invokeWithArguments(call);
                }
            }
            for (int k = 0; k < args.length; k++) {
                if (types[k].isArray() && args[k] != null && kernel.writesParameter()[k]) {
                    heap(args[k]).copyFrom(copies.get(k).reinterpret(heap(args[k]).byteSize()));
                }
            }
            int[] buffer = new int[KernelErrors.SLOTS];
            MemorySegment.ofArray(buffer).copyFrom(errors);
            return kernel.exception(buffer);
        }
    }

    private static MemorySegment heap(Object a) {
        if (a instanceof float[] x) return MemorySegment.ofArray(x);
        if (a instanceof double[] x) return MemorySegment.ofArray(x);
        if (a instanceof int[] x) return MemorySegment.ofArray(x);
        if (a instanceof long[] x) return MemorySegment.ofArray(x);
        if (a instanceof byte[] x) return MemorySegment.ofArray(x);
        if (a instanceof short[] x) return MemorySegment.ofArray(x);
        if (a instanceof char[] x) return MemorySegment.ofArray(x);
        throw new IllegalArgumentException(a.getClass().getName());
    }

    private void set(int... registerValue) {
        for (int k = 0; k < registers.byteSize() / 4; k++) registers.setAtIndex(ValueLayout.JAVA_INT, k, 1);
        for (int k = 0; k < registerValue.length; k += 2) registers.setAtIndex(ValueLayout.JAVA_INT, registerValue[k] * 3L, registerValue[k + 1]);
    }

    private MemorySegment lookup(String symbol) {
        try (LongPointer address = new LongPointer(1)) {
            check(LLVMOrcLLJITLookup(jit, address, symbol));
            return MemorySegment.ofAddress(address.get());
        }
    }

    private static LLVMModuleRef parse(org.bytedeco.llvm.LLVM.LLVMContextRef context, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        LLVMMemoryBufferRef buffer = LLVMCreateMemoryBufferWithMemoryRangeCopy(new BytePointer(bytes), bytes.length, new BytePointer("host"));
        LLVMModuleRef module = new LLVMModuleRef();
        BytePointer error = new BytePointer((Pointer) null);
        if (LLVMParseIRInContext(context, buffer, module, error) != 0) throw new IllegalStateException(error.getString() + "\n" + text);
        return module;
    }

    private static void check(LLVMErrorRef error) {
        if (error != null && !error.isNull()) throw new IllegalStateException(LLVMGetErrorMessage(error).getString());
    }

    @Override public void close() { LLVMOrcDisposeLLJIT(jit); }
}
