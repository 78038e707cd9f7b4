package dev.numbat.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A basic block: phis first, then straight-line instructions, then exactly one terminator. */
public final class BasicBlock {
    final List<Instruction> instructions = new ArrayList<>();
    final List<BasicBlock> predecessors = new ArrayList<>();
    int id;
    final Function function;

    BasicBlock(Function function, int id) {
        this.function = function;
        this.id = id;
    }

    public int id() { return id; }
    public String name() { return "b" + id; }
    public Function function() { return function; }
    /** All instructions, phis first and the terminator last. */
    public List<Instruction> instructions() { return Collections.unmodifiableList(instructions); }
    /** Blocks that branch here, once per edge, in the order the edges were made. */
    public List<BasicBlock> predecessors() { return Collections.unmodifiableList(predecessors); }

    public List<Instruction> phis() {
        List<Instruction> phis = new ArrayList<>();
        for (Instruction i : instructions) {
            if (!i.isPhi()) break;
            phis.add(i);
        }
        return phis;
    }

    /** The terminator, or null while the block is being built. */
    public Instruction terminator() {
        if (instructions.isEmpty()) return null;
        Instruction last = instructions.get(instructions.size() - 1);
        return last.isTerminator() ? last : null;
    }

    public List<BasicBlock> successors() {
        Instruction t = terminator();
        return t == null ? List.of() : t.targets();
    }

    @Override public String toString() { return name(); }
}
