package dev.numbat.ir.pass;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Value;
import java.util.Set;

/**
 * Replaces phis whose operands are one value (apart from the phi itself) by that value, as in
 * Braun et al.'s SSA construction; removing one may make its users trivial, so it iterates.
 */
public final class RemoveTrivialPhis implements Pass {
    @Override public String name() { return "trivial-phis"; }
    @Override public String description() { return "replace phis that merge one value by that value"; }
    @Override public Set<Property> requires() { return Set.of(Property.NO_UNREACHABLE_BLOCKS); }
    @Override public Set<Property> establishes() { return Set.of(Property.NO_TRIVIAL_PHIS); }

    @Override
    public boolean run(FunctionBuilder builder) {
        boolean changed = false, again = true;
        while (again) {
            again = false;
            for (BasicBlock b : builder.function().blocks()) {
                for (Instruction phi : b.phis()) {
                    Value same = trivialValue(phi);
                    if (same == null) continue;
                    builder.replaceAllUses(phi, same);
                    builder.remove(phi);
                    again = changed = true;
                }
            }
        }
        return changed;
    }

    /** The one value a phi merges, or null if it merges several (or none: a phi in a dead cycle). */
    public static Value trivialValue(Instruction phi) {
        Value same = null;
        for (Value v : phi.operands()) {
            if (v == phi || v == same) continue;
            if (same != null) return null;
            same = v;
        }
        return same;
    }
}
