package dev.numbat.ptx;

import static org.bytedeco.llvm.global.LLVM.*;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import dev.numbat.GpuGrid;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Phaser;
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
import org.bytedeco.llvm.LLVM.LLVMOrcDefinitionGeneratorRef;
import org.bytedeco.llvm.LLVM.LLVMOrcLLJITRef;
import org.bytedeco.llvm.LLVM.LLVMOrcThreadSafeContextRef;

/**
 * Runs the NVPTX LLVM IR the back end writes on the host CPU, so that its Java semantics (arithmetic, checks,
 * the error buffer, copy-back analysis, the grid-stride loop, shared memory and barriers) can be checked where
 * there is no GPU. Each GPU thread of a block is a platform thread calling the JIT-compiled kernel; blocks run
 * one after another, so the shared-memory globals (addrspace 3, plain memory on x86, as addrspace 1 is) belong
 * to one block at a time. Special registers and {@code barrier0} become calls, through function pointers in
 * host globals, to upcalls reading this thread's place and waiting on the block's {@link Phaser}. libdevice's
 * {@code __nv_sin}, {@code __nv_fmod} ... become the C library's functions of the same names (found in the
 * process), which have the same contracts: exact for fmod, within a few ulps for the others.
 */
@SuppressWarnings("restricted")   // running native code is the point
final class HostEmulator implements AutoCloseable {
    private static final String[] REGISTERS = {"tid", "ntid", "ctaid", "nctaid"};
    private static final String[] DIMS = {"x", "y", "z"};

    private final PtxKernel kernel;
    private final LLVMOrcLLJITRef jit = new LLVMOrcLLJITRef();
    private static final ThreadLocal<int[]> PLACE = new ThreadLocal<>();
    private static final ThreadLocal<Phaser> BLOCK = new ThreadLocal<>();
    private static final MemorySegment UPCALL_SREG, UPCALL_BARRIER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            UPCALL_SREG = Linker.nativeLinker().upcallStub(l.findStatic(HostEmulator.class, "register",
                    MethodType.methodType(int.class, int.class)), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Arena.global());
            UPCALL_BARRIER = Linker.nativeLinker().upcallStub(l.findStatic(HostEmulator.class, "barrier",
                    MethodType.methodType(void.class)), FunctionDescriptor.ofVoid(), Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Register r (tid, ntid, ctaid, nctaid) in dimension d, as code 3 * r + d. */
    private static int register(int code) { return PLACE.get()[code]; }

    private static void barrier() { BLOCK.get().arriveAndAwaitAdvance(); }
    private final MethodHandle entry;
    private final Class<?>[] types;

    HostEmulator(PtxKernel kernel, Method method) {
        this.kernel = kernel;
        this.types = method.getParameterTypes();
        String ir = kernel.llvmIr();
        LLVMInitializeNativeTarget();
        LLVMInitializeNativeAsmPrinter();
        check(LLVMOrcCreateLLJIT(jit, LLVMOrcCreateLLJITBuilder()));
        LLVMOrcDefinitionGeneratorRef process = new LLVMOrcDefinitionGeneratorRef();
        check(LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(process, LLVMOrcLLJITGetGlobalPrefix(jit), null, null));
        LLVMOrcJITDylibAddGenerator(LLVMOrcLLJITGetMainJITDylib(jit), process);
        LLVMOrcThreadSafeContextRef context = LLVMOrcCreateNewThreadSafeContext();
        LLVMModuleRef module = parse(LLVMOrcThreadSafeContextGetContext(context), forHost(ir));
        check(LLVMOrcLLJITAddLLVMIRModule(jit, LLVMOrcLLJITGetMainJITDylib(jit), LLVMOrcCreateNewThreadSafeModule(module, context)));
        LLVMOrcDisposeThreadSafeContext(context);
        lookup("host.sregfn").reinterpret(8).set(ValueLayout.ADDRESS, 0, UPCALL_SREG);
        lookup("host.barrierfn").reinterpret(8).set(ValueLayout.ADDRESS, 0, UPCALL_BARRIER);
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
            if (line.startsWith("target ") || line.startsWith("declare i32 @llvm.nvvm.read.ptx.sreg.")
                    || line.startsWith("declare void @llvm.nvvm.barrier0")) continue;
            b.append(line.replace("define ptx_kernel void", "define void")
                    .replace("@llvm.nvvm.read.ptx.sreg.", "@host.sreg.")
                    .replace("@llvm.nvvm.barrier0", "@host.barrier")
                    .replace("@__nv_", "@")).append('\n');
        }
        b.append("@host.sregfn = global ptr null\n@host.barrierfn = global ptr null\n");
        b.append("define internal void @host.barrier() {\n  %f = load ptr, ptr @host.barrierfn\n  call void %f()\n  ret void\n}\n");
        for (int r = 0; r < REGISTERS.length; r++) {
            for (int d = 0; d < 3; d++) {
                b.append("define internal i32 @host.sreg.").append(REGISTERS[r]).append('.').append(DIMS[d]).append("() {\n")
                        .append("  %f = load ptr, ptr @host.sregfn\n")
                        .append("  %v = call i32 %f(i32 ").append(r * 3 + d).append(")\n  ret i32 %v\n}\n");
            }
        }
        return b.toString();
    }

    /**
     * Runs every thread of {@code grid}, a block at a time, with the arguments copied to native memory and the
     * written ones back, and returns the kernel's exception (from its error buffer) or null.
     */
    RuntimeException run(GpuGrid grid, Object... args) throws Throwable {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment errors = arena.allocate(4 * KernelErrors.SLOTS);
            List<Object> call = new ArrayList<>(List.of(errors));
            List<MemorySegment> copies = new ArrayList<>();
            for (int k = 0; k < args.length; k++) {
                Object a = args[k];
                if (types[k].isArray()) {
                    MemorySegment native_ = a == null ? MemorySegment.NULL : arena.allocate(Math.max(1, heap(a).byteSize()), 8);
                    if (a != null) native_.copyFrom(heap(a));
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
            for (int gz = 0; gz < grid.groups(2); gz++) {
                for (int gy = 0; gy < grid.groups(1); gy++) {
                    for (int gx = 0; gx < grid.groups(0); gx++) runBlock(grid, new int[] {gx, gy, gz}, call);
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

    private void runBlock(GpuGrid grid, int[] group, List<Object> call) throws Throwable {
        int n = grid.threadsPerGroup();
        Phaser phaser = new Phaser(n);
        Throwable[] failure = new Throwable[1];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            int[] place = new int[12];
            int[] local = {t % grid.threads(0), t / grid.threads(0) % grid.threads(1), t / (grid.threads(0) * grid.threads(1))};
            for (int d = 0; d < 3; d++) {
                place[d] = local[d];
                place[3 + d] = grid.threads(d);
                place[6 + d] = group[d];
                place[9 + d] = grid.groups(d);
            }
            Thread th = new Thread(() -> {
                PLACE.set(place);
                BLOCK.set(phaser);
                try {
                    entry.invokeWithArguments(call);
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                } finally {
                    phaser.arriveAndDeregister();
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) th.join();
        if (failure[0] != null) throw failure[0];
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
