package dev.numbat.llvm;

import static org.bytedeco.llvm.global.LLVM.LLVMValueAsMetadata;

import dev.numbat.ir.Function;
import dev.numbat.ir.Instruction;
import java.util.Map;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * How often each conditional jump of a method's bytecode jumped and fell through at run time (its profile), given
 * to LLVM as {@code !prof !{"branch_weights", i32 jumped, i32 fellThrough}} on the branch lifted from it, so that
 * block placement moves the rare side out of the hot path and the loop passes know which way a branch goes. Only
 * the module's entry is weighed: the profile is the entry method's, and a callee's offsets are of another method.
 * A branch that did not run, or whose jump the IR does not remember (a site of -1), gets no weights.
 */
public final class BranchWeights {
    /** No profile: nothing is weighed. */
    public static final BranchWeights NONE = new BranchWeights(Map.of());
    /** LLVM's weights are 32-bit: larger counts are scaled down together. */
    private static final long MAX_WEIGHT = Integer.MAX_VALUE;

    private final Map<Integer, long[]> byOffset;

    private BranchWeights(Map<Integer, long[]> byOffset) { this.byOffset = byOffset; }

    /** {@code counts}: bytecode offset of a conditional jump to {@code {jumped, fellThrough}}. */
    public static BranchWeights of(Map<Integer, long[]> counts) { return new BranchWeights(Map.copyOf(counts)); }

    public boolean isEmpty() { return byOffset.isEmpty(); }

    /** A pass's guard ({@link dev.numbat.ir.Site#GUARD_FAILURE_FIRST}): its first target, where it fails, is rare. */
    static void rarelyFirst(Codegen cg, LLVMValueRef br) {
        cg.setMetadata(br, "prof", cg.mdNode(cg.mdString("branch_weights"),
                LLVMValueAsMetadata(cg.i32(1)), LLVMValueAsMetadata(cg.i32(1 << 20))));
    }

    /** Weighs {@code br}, the conditional branch {@code branch} of {@code function} was lowered to, if the profile knows it. */
    void attach(Codegen cg, Function function, boolean isEntry, Instruction branch, LLVMValueRef br) {
        if (!isEntry || byOffset.isEmpty()) return;
        long[] counts = byOffset.get(branch.site().bytecodeOffset());
        if (counts == null || counts[0] + counts[1] == 0) return;
        long jumped = counts[0], fellThrough = counts[1];
        long max = Math.max(jumped, fellThrough);
        if (max > MAX_WEIGHT) {
            double scale = (double) MAX_WEIGHT / max;
            jumped = (long) (jumped * scale);
            fellThrough = (long) (fellThrough * scale);
        }
        // The IR branch goes to its first target when the bytecode's jump is taken (the frontend lifts it so).
        cg.setMetadata(br, "prof", cg.mdNode(cg.mdString("branch_weights"),
                LLVMValueAsMetadata(cg.i32((int) jumped)), LLVMValueAsMetadata(cg.i32((int) fellThrough))));
    }
}
