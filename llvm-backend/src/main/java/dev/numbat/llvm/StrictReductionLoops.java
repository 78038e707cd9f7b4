package dev.numbat.llvm;

import static org.bytedeco.llvm.global.LLVM.LLVMMetadataReplaceAllUsesWith;
import static org.bytedeco.llvm.global.LLVM.LLVMTemporaryMDNode;
import static org.bytedeco.llvm.global.LLVM.LLVMValueAsMetadata;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Constant;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.Function;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Intrinsic;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Type;
import dev.numbat.ir.Value;
import dev.numbat.ir.loop.Loop;
import dev.numbat.ir.loop.LoopForest;
import dev.numbat.ir.loop.RangeProof;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMMetadataRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * Innermost loops whose floating-point sum (or product) must stay in source order and whose other work is cheap:
 * loads and additions, multiplications, comparisons, conversions, {@code abs/min/max}, no store, division, square
 * root or call. Numbat lets LLVM vectorise in-order reductions ({@code -force-ordered-reductions}, see
 * {@link NativeLlvm}): the terms are computed in vectors and added lane by lane. That pays where the terms are
 * expensive (n-body's square roots and divisions). Where they are cheap, the chain of in-order additions bounds the
 * loop either way, so vectorising gains nothing on long loops, and on short ones (a 5-tap filter, a small matrix
 * row) its set-up and scalar remainder made the loop about 1.8x slower than scalar code. Such loops get
 * {@code llvm.loop.vectorize.enable = false} on their back edges. Under {@code fastMath} the sum may be split into
 * partial sums, which does pay, so only loops whose sums already sit in lanes are marked: those {@code UnrollAndJam}
 * made, whose sums read neighbours ({@code b[t + j]}, {@code b[t + j + 1]}, ...), which LLVM's SLP vectoriser puts in
 * one vector; its loop vectoriser would instead split each sum along the loop, gathering a column.
 *
 * <p>Needs: the function's IR (read only). Invalidates nothing.
 */
final class StrictReductionLoops {
    private final Codegen cg;
    /** The blocks whose terminator gets the mark, each to its loop's header. */
    private final Map<BasicBlock, BasicBlock> marked = new HashMap<>();
    /** One loop ID per loop, by header. */
    private final Map<BasicBlock, LLVMMetadataRef> loopIds = new HashMap<>();

    /**
     * Finds the loops of {@code f} to leave to the SLP vectoriser. A loop's back edges are marked, and
     * its header, whose exit test LLVM's loop rotation copies into the new latch (a mark on an unconditional back
     * edge alone did not survive the passes before the vectoriser).
     */
    StrictReductionLoops(Codegen cg, Function f) {
        this.cg = cg;
        Deque<Loop> loops = new ArrayDeque<>(LoopForest.of(f, Dominators.of(f)).topLevel());
        while (!loops.isEmpty()) {
            Loop loop = loops.pop();
            loops.addAll(loop.children());
            if (loop.children().isEmpty() && hasFloatingPhi(loop.header()) && allCheap(loop) && (!cg.fastMath || readsInLanes(loop))) {
                for (BasicBlock latch : loop.latches()) marked.put(latch, loop.header());
                marked.put(loop.header(), loop.header());
            }
        }
    }

    /** Marks {@code terminator}, lowered from the end of {@code block}, if the block is one of such a loop's. */
    void mark(BasicBlock block, LLVMValueRef terminator) {
        BasicBlock header = marked.get(block);
        if (header != null) cg.setMetadata(terminator, "llvm.loop", loopIds.computeIfAbsent(header, h -> newLoopId()));
    }

    /** {@code !0 = distinct !{!0, !{"llvm.loop.vectorize.enable", i1 false}}}: LLVM's loop vectoriser leaves the loop alone. */
    private LLVMMetadataRef newLoopId() {
        LLVMMetadataRef hint = cg.mdNode(cg.mdString("llvm.loop.vectorize.enable"), LLVMValueAsMetadata(cg.i1(false)));
        LLVMMetadataRef noRuntimeUnroll = cg.mdNode(cg.mdString("llvm.loop.unroll.runtime.disable"));
        // A loop ID refers to itself: made with a temporary first operand, then replaced by the node.
        LLVMMetadataRef temporary;
        try (PointerPointer<LLVMMetadataRef> none = new PointerPointer<>(0)) {
            temporary = LLVMTemporaryMDNode(cg.context, none, 0);
        }
        LLVMMetadataRef id = cg.mdNode(temporary, hint, noRuntimeUnroll);
        LLVMMetadataReplaceAllUsesWith(temporary, id);
        return id;
    }

    private static boolean hasFloatingPhi(BasicBlock header) {
        for (Instruction phi : header.phis()) if (phi.type().isFloating()) return true;
        return false;
    }

    /**
     * Whether the loop reads at least four neighbours {@code t + v}, {@code t + (v + 1)}, ... of one array, {@code t}
     * computed in the loop and {@code v} outside it: the columns {@code UnrollAndJam} runs together.
     */
    private static boolean readsInLanes(Loop loop) {
        Map<List<Value>, Set<Integer>> lanes = new HashMap<>(); // by array, t and v: the constants added to v
        for (BasicBlock b : loop.blocks()) {
            for (Instruction i : b.instructions()) {
                if (i.opcode() != Opcode.ARRAY_LOAD) continue;
                if (!(RangeProof.unwrap(i.operand(1)) instanceof Instruction add)
                        || !(add.opcode() == Opcode.ADD || isIntrinsic(add, Intrinsic.ADD_NO_WRAP))) continue;
                for (int side = 0; side < 2; side++) {
                    Value t = add.operand(side), v = add.operand(1 - side);
                    if (loop.definedOutside(t) || !loop.definedOutside(v)) continue;
                    int c = 0;
                    if (v instanceof Instruction plus && (plus.opcode() == Opcode.ADD || isIntrinsic(plus, Intrinsic.ADD_NO_WRAP))
                            && plus.operand(1) instanceof Constant k && k.type() == Type.INT) {
                        v = plus.operand(0);
                        c = k.intValue();
                    }
                    lanes.computeIfAbsent(List.of(i.operand(0), t, v), key -> new HashSet<>()).add(c);
                }
            }
        }
        for (Set<Integer> cs : lanes.values()) if (cs.containsAll(List.of(0, 1, 2, 3))) return true;
        return false;
    }

    private static boolean isIntrinsic(Value v, Intrinsic which) {
        return v instanceof Instruction i && i.opcode() == Opcode.INTRINSIC && i.intrinsic() == which;
    }

    private static boolean allCheap(Loop loop) {
        for (BasicBlock b : loop.blocks()) {
            for (Instruction i : b.instructions()) if (!isCheap(i)) return false;
        }
        return true;
    }

    private static boolean isCheap(Instruction i) {
        return switch (i.opcode()) {
            case ADD, SUB, MUL, NEG, AND, OR, XOR, SHL, SHR, USHR, CMP, CMPL, CMPG, CONVERT, ARRAY_LENGTH, ARRAY_LOAD,
                 SEGMENT_SIZE, SEGMENT_GET, SEGMENT_GET_AT_INDEX, PHI, GOTO, IF, SWITCH -> true;
            case INTRINSIC -> i.intrinsic() == Intrinsic.ABS || i.intrinsic() == Intrinsic.MIN || i.intrinsic() == Intrinsic.MAX
                    || i.intrinsic() == Intrinsic.COPY_SIGN || i.intrinsic() == Intrinsic.IN_RANGE
                    || i.intrinsic() == Intrinsic.ADD_NO_WRAP || i.intrinsic() == Intrinsic.MUL_NO_WRAP;
            default -> false;
        };
    }
}
