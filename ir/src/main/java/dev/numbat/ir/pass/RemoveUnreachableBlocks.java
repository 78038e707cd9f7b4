package dev.numbat.ir.pass;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.FunctionBuilder;
import java.util.HashSet;
import java.util.Set;

/** Deletes blocks that no path from the entry reaches (code after an endless loop, folded branches). */
public final class RemoveUnreachableBlocks implements Pass {
    @Override public String name() { return "unreachable"; }
    @Override public String description() { return "delete blocks no path from the entry reaches"; }
    @Override public Set<Property> establishes() { return Set.of(Property.NO_UNREACHABLE_BLOCKS); }

    @Override
    public boolean run(FunctionBuilder builder) {
        Set<BasicBlock> dead = new HashSet<>(builder.function().blocks());
        Dominators.reversePostorder(builder.function()).forEach(dead::remove);
        if (dead.isEmpty()) return false;
        builder.removeBlocks(dead);
        return true;
    }
}
