package dev.numbat.llvm;

import static org.bytedeco.llvm.global.LLVM.LLVMMetadataReplaceAllUsesWith;
import static org.bytedeco.llvm.global.LLVM.LLVMTemporaryMDNode;
import static org.bytedeco.llvm.global.LLVM.LLVMValueAsMetadata;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.Function;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Intrinsic;
import dev.numbat.ir.loop.Loop;
import dev.numbat.ir.loop.LoopForest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
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
 * partial sums, which does pay, so nothing is marked.
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
     * Finds the loops of {@code f} to leave scalar (none under {@code fastMath}). A loop's back edges are marked, and
     * its header, whose exit test LLVM's loop rotation copies into the new latch (a mark on an unconditional back
     * edge alone did not survive the passes before the vectoriser).
     */
    StrictReductionLoops(Codegen cg, Function f) {
        this.cg = cg;
        if (cg.fastMath) return;
        Deque<Loop> loops = new ArrayDeque<>(LoopForest.of(f, Dominators.of(f)).topLevel());
        while (!loops.isEmpty()) {
            Loop loop = loops.pop();
            loops.addAll(loop.children());
            if (loop.children().isEmpty() && hasFloatingPhi(loop.header()) && allCheap(loop)) {
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
