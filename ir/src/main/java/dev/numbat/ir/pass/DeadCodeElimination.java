package dev.numbat.ir.pass;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Opcode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Removes instructions whose results nobody uses and that have no effect. Instructions that may
 * throw are effects (the exception is observable), so an unused {@code x / y} stays.
 */
public final class DeadCodeElimination implements Pass {
    @Override public String name() { return "dce"; }
    @Override public String description() { return "remove unused instructions that have no effect"; }
    @Override public Set<Property> establishes() { return Set.of(Property.NO_DEAD_CODE); }

    @Override
    public boolean run(FunctionBuilder builder) {
        boolean changed = false, again = true;
        while (again) {
            again = false;
            for (BasicBlock b : builder.function().blocks()) {
                List<Instruction> is = new ArrayList<>(b.instructions());
                for (int k = is.size() - 1; k >= 0; k--) {
                    Instruction i = is.get(k);
                    if (isDead(i)) {
                        builder.remove(i);
                        again = changed = true;
                    }
                }
            }
        }
        return changed;
    }

    private static boolean isDead(Instruction i) {
        if (i.hasSideEffect()) return false;
        if (i.users().isEmpty()) return true;
        // A phi used only by itself is dead too.
        return i.opcode() == Opcode.PHI && i.users().stream().allMatch(u -> u == i);
    }
}
