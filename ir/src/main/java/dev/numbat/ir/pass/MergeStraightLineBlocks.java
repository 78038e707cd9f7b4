package dev.numbat.ir.pass;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Opcode;
import java.util.Set;

/**
 * Joins a block that ends in a jump with its target when it is the target's only predecessor, so the
 * IR shows one block per straight-line region instead of the lifter's one per bytecode leader.
 */
public final class MergeStraightLineBlocks implements Pass {
    @Override public String name() { return "merge-blocks"; }
    @Override public String description() { return "join a block with the single-predecessor block it jumps to"; }
    @Override public Set<Property> requires() { return Set.of(Property.NO_UNREACHABLE_BLOCKS); }

    @Override
    public boolean run(FunctionBuilder builder) {
        boolean changed = false, again = true;
        while (again) {
            again = false;
            for (BasicBlock b : builder.function().blocks()) {
                Instruction t = b.terminator();
                if (t == null || t.opcode() != Opcode.GOTO) continue;
                BasicBlock next = t.targets().get(0);
                if (next == b || next.predecessors().size() != 1 || next == builder.function().entry()) continue;
                builder.mergeWithSuccessor(b);
                again = changed = true;
                break; // the block list changed under the loop
            }
        }
        return changed;
    }
}
