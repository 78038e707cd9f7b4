package dev.numbat.ptx;

import static dev.numbat.ptx.LlvmTypes.memory;
import static dev.numbat.ptx.LlvmTypes.scalar;

import dev.numbat.ir.Constant;
import dev.numbat.ir.Function;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Type;

/**
 * Calls to {@code dev.numbat.Gpu} (lifted from {@link GpuClassBytes}'s stub) in NVPTX LLVM IR: thread and
 * block indices are PTX special registers ({@code %tid}, {@code %ctaid}, {@code %ntid}, {@code %nctaid}),
 * {@code barrier()} is {@code bar.sync 0}, atomic adds are relaxed {@code atom.add} on the element after the
 * JVM's null and bounds checks. Shared-array calls only mark their NEW_ARRAY (see {@link FunctionWriter}).
 */
final class GpuCalls {
    private static final String[] DIMS = {"x", "y", "z"};
    private final FunctionWriter w;

    GpuCalls(FunctionWriter w) { this.w = w; }

    static boolean isGpu(Function f) { return f.owner().equals(GpuClassBytes.GPU); }

    static boolean isShared(Function f) { return isGpu(f) && GpuClassBytes.SHARED.containsKey(f.methodName()); }

    void lower(Instruction i) throws PtxCompileException {
        String name = i.callee().methodName();
        String v = w.val(i);
        switch (name) {
            case "localId" -> w.emit(v + " = add i32 " + register("tid", dim(i)) + ", 0");
            case "groupId" -> w.emit(v + " = add i32 " + register("ctaid", dim(i)) + ", 0");
            case "groupSize" -> w.emit(v + " = add i32 " + register("ntid", dim(i)) + ", 0");
            case "groupCount" -> w.emit(v + " = add i32 " + register("nctaid", dim(i)) + ", 0");
            // The same int arithmetic as the simulator's Java: it wraps, though no launch is that large.
            case "globalId" -> {
                String d = dim(i);
                w.emit(v + " = add i32 " + w.let("mul i32 " + register("ctaid", d) + ", " + register("ntid", d)) + ", " + register("tid", d));
            }
            case "globalSize" -> {
                String d = dim(i);
                w.emit(v + " = mul i32 " + register("nctaid", d) + ", " + register("ntid", d));
            }
            case "barrier" -> {
                w.module().declare("declare void @llvm.nvvm.barrier0()");
                w.emit("call void @llvm.nvvm.barrier0()");
            }
            case "atomicAdd" -> atomicAdd(i);
            default -> {
                if (!GpuClassBytes.SHARED.containsKey(name)) throw w.module().refuse(i, "call to Gpu." + name);
                // The size is read by the NEW_ARRAY that uses this call; the call itself is no code.
                w.emit(v + " = add i32 " + w.val(i.operand(0)) + ", 0");
            }
        }
    }

    private String dim(Instruction i) throws PtxCompileException {
        if (i.operand(0) instanceof Constant c && c.intValue() >= 0 && c.intValue() <= 2) return DIMS[c.intValue()];
        throw w.module().refuse(i, "Gpu." + i.callee().methodName() + " with a dimension that is not the constant 0, 1 or 2");
    }

    /** Reads {@code %<name>.<dim>}; LLVM folds repeated reads. */
    String register(String name, String dim) {
        String intrinsic = "llvm.nvvm.read.ptx.sreg." + name + "." + dim;
        w.module().declare("declare i32 @" + intrinsic + "()");
        return w.let("call i32 @" + intrinsic + "()");
    }

    private void atomicAdd(Instruction i) {
        Type element = i.operand(0).type().element();
        String p = w.address(i.operand(0), i.operand(1), i);
        String op = element.isFloating() ? "fadd" : "add";
        // Relaxed ordering, as CUDA's atomicAdd: only the update itself is atomic.
        w.emit(w.val(i) + " = atomicrmw " + op + " ptr " + p + ", " + memory(element) + " " + w.val(i.operand(2)) + " monotonic");
        if (!scalar(element).equals(memory(element))) throw new IllegalStateException("atomicAdd on " + element);
    }
}
