package dev.numbat.llvm;

import static org.bytedeco.llvm.global.LLVM.LLVMGetMDKindIDInContext;
import static org.bytedeco.llvm.global.LLVM.LLVMMDNodeInContext2;
import static org.bytedeco.llvm.global.LLVM.LLVMMDStringInContext2;
import static org.bytedeco.llvm.global.LLVM.LLVMMetadataAsValue;
import static org.bytedeco.llvm.global.LLVM.LLVMMetadataReplaceAllUsesWith;
import static org.bytedeco.llvm.global.LLVM.LLVMSetMetadata;
import static org.bytedeco.llvm.global.LLVM.LLVMTemporaryMDNode;
import static org.bytedeco.llvm.global.LLVM.LLVMValueAsMetadata;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.Function;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Intrinsic;
import dev.numbat.ir.Type;
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
    private StrictReductionLoops() {}

    /**
     * The blocks whose terminator gets the mark, each to its loop's header: the back edges, and the header, whose
     * exit test LLVM's loop rotation copies into the new latch (a mark on an unconditional back edge alone did not
     * survive the passes before the vectoriser).
     */
    static Map<BasicBlock, BasicBlock> markedBlocks(Function f, boolean fastMath) {
        Map<BasicBlock, BasicBlock> marked = new HashMap<>();
        if (fastMath) return marked;
        Deque<Loop> loops = new ArrayDeque<>(LoopForest.of(f, Dominators.of(f)).topLevel());
        while (!loops.isEmpty()) {
            Loop loop = loops.pop();
            loops.addAll(loop.children());
            if (loop.children().isEmpty() && hasFloatingPhi(loop.header()) && allCheap(loop)) {
                for (BasicBlock latch : loop.latches()) marked.put(latch, loop.header());
                marked.put(loop.header(), loop.header());
            }
        }
        return marked;
    }

    /** One loop ID per loop (by header), for {@link #keepScalar}. */
    static final class LoopIds {
        private final Map<BasicBlock, LLVMMetadataRef> ids = new HashMap<>();
    }

    /** Marks {@code terminator} with its loop's ID: LLVM's loop vectoriser leaves the loop alone. */
    static void keepScalar(Codegen cg, LoopIds loopIds, BasicBlock header, LLVMValueRef terminator) {
        LLVMMetadataRef id = loopIds.ids.computeIfAbsent(header, h -> newLoopId(cg));
        LLVMSetMetadata(terminator, LLVMGetMDKindIDInContext(cg.context, "llvm.loop", "llvm.loop".length()),
                LLVMMetadataAsValue(cg.context, id));
    }

    private static LLVMMetadataRef newLoopId(Codegen cg) {
        LLVMMetadataRef hint;
        LLVMMetadataRef[] hintOperands = {
            LLVMMDStringInContext2(cg.context, "llvm.loop.vectorize.enable", "llvm.loop.vectorize.enable".length()),
            LLVMValueAsMetadata(cg.i1(false)),
        };
        try (PointerPointer<LLVMMetadataRef> p = new PointerPointer<>(hintOperands)) {
            hint = LLVMMDNodeInContext2(cg.context, p, hintOperands.length);
        }
        // A loop ID refers to itself: made with a temporary first operand, then replaced by the node.
        LLVMMetadataRef temporary;
        try (PointerPointer<LLVMMetadataRef> none = new PointerPointer<>(0)) {
            temporary = LLVMTemporaryMDNode(cg.context, none, 0);
        }
        LLVMMetadataRef id;
        try (PointerPointer<LLVMMetadataRef> p = new PointerPointer<>(temporary, hint)) {
            id = LLVMMDNodeInContext2(cg.context, p, 2);
        }
        LLVMMetadataReplaceAllUsesWith(temporary, id);
        return id;
    }

    private static boolean hasFloatingPhi(BasicBlock header) {
        for (Instruction phi : header.phis()) {
            if (phi.type() == Type.DOUBLE || phi.type() == Type.FLOAT) return true;
        }
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
                    || i.intrinsic() == Intrinsic.COPY_SIGN;
            default -> false;
        };
    }
}
