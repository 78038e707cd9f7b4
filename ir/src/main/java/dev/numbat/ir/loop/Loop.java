package dev.numbat.ir.loop;

import dev.numbat.ir.BasicBlock;

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
    /** The innermost loop around this one, or null for a top-level loop. */
    public Loop parent() { return parent; }
    public List<Loop> children() { return Collections.unmodifiableList(children); }

    /** Predecessors of the header inside the loop: the sources of back edges. */
    public List<BasicBlock> latches() {
        List<BasicBlock> l = new ArrayList<>();
        for (BasicBlock p : header.predecessors()) if (blocks.contains(p)) l.add(p);
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
