package dev.numbat.ir.pass;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes instructions that no effect depends on, by marking from the effects backwards, so dead
 * cycles (a loop counter nobody reads) go too. Instructions that may throw count as effects: the
 * exception is observable, so an unused {@code x / y} stays.
 */
public final class DeadCodeElimination implements Pass {
    @Override public String name() { return "dce"; }
    @Override public String description() { return "remove instructions no effect depends on, dead cycles included"; }
    @Override public Set<Property> establishes() { return Set.of(Property.NO_DEAD_CODE); }

    @Override
    public boolean run(FunctionBuilder builder) {
        Set<Instruction> live = new HashSet<>();
        Deque<Instruction> work = new ArrayDeque<>();
        for (BasicBlock b : builder.function().blocks()) {
            for (Instruction i : b.instructions()) if (i.hasSideEffect() && live.add(i)) work.add(i);
        }
        while (!work.isEmpty()) {
            for (Value v : work.poll().operands()) {
                if (v instanceof Instruction d && live.add(d)) work.add(d);
            }
        }
        List<Instruction> dead = new ArrayList<>();
        for (BasicBlock b : builder.function().blocks()) {
            for (Instruction i : b.instructions()) if (!live.contains(i)) dead.add(i);
        }
        if (dead.isEmpty()) return false;
        builder.removeAll(new HashSet<>(dead));
        return true;
    }
}
