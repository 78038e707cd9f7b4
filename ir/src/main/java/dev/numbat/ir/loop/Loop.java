package dev.numbat.ir.loop;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Constant;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/** A natural loop: a header and every block on a path from the header back to it (all back edges merged). */
public final class Loop {
    private final BasicBlock header;
    private final Set<BasicBlock> blocks;
    Loop parent;
    final List<Loop> children = new ArrayList<>();

    Loop(BasicBlock header, Set<BasicBlock> blocks) {
        this.header = header;
        this.blocks = blocks;
    }

    void add(BasicBlock b) { blocks.add(b); }

    public BasicBlock header() { return header; }
    /** The blocks of the loop, nested loops' included, header first. */
    public Set<BasicBlock> blocks() { return Collections.unmodifiableSet(blocks); }
    public boolean contains(BasicBlock b) { return blocks.contains(b); }

    /** A value the loop does not compute: a constant, a parameter, or an instruction of a block outside it. */
    public boolean definedOutside(Value v) { return !(v instanceof Instruction i) || !blocks.contains(i.block()); }

    /** A load or store of a primitive element of an array the loop does not compute (so the same array every iteration). */
    public boolean accessesArrayFromOutside(Instruction i) {
        if (i.opcode() != Opcode.ARRAY_LOAD && i.opcode() != Opcode.ARRAY_STORE) return false;
        Value array = i.operand(0);
        return !(array instanceof Constant) && array.type().element().isPrimitive() && definedOutside(array);
    }
    /** The innermost loop around this one, or null for a top-level loop. */
    public Loop parent() { return parent; }

    /** How many instructions its blocks hold, those of the loops inside included. */
    public int instructionCount() {
        int n = 0;
        for (BasicBlock b : blocks) n += b.instructions().size();
        return n;
    }
    public List<Loop> children() { return Collections.unmodifiableList(children); }

    /** Predecessors of the header inside the loop: the sources of back edges. */
    public List<BasicBlock> latches() {
        List<BasicBlock> l = new ArrayList<>();
        for (BasicBlock p : header.predecessors()) if (blocks.contains(p)) l.add(p);
        return l;
    }

    /** The blocks with an edge out of the loop. */
    public List<BasicBlock> exitingBlocks() {
        List<BasicBlock> l = new ArrayList<>();
        for (BasicBlock b : blocks) {
            for (BasicBlock s : b.terminator().targets()) {
                if (!blocks.contains(s)) {
                    l.add(b);
                    break;
                }
            }
        }
        return l;
    }

    /** Predecessors of the header outside the loop. */
    public List<BasicBlock> entries() {
        List<BasicBlock> l = new ArrayList<>();
        for (BasicBlock p : header.predecessors()) if (!blocks.contains(p)) l.add(p);
        return l;
    }

    @Override public String toString() { return "loop " + header + " " + blocks; }
}
