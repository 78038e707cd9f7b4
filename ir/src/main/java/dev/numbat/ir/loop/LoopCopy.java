package dev.numbat.ir.loop;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Type;
import dev.numbat.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A second copy of a loop that leaves only through its header's test ({@link #leavesOnlyFromItsHeader}), to a block
 * only that test enters ({@link #ownExit}), for a pass that versions loops. The pass first splits the edge from the
 * preheader ({@code general = builder.splitEdge(preheader, header)}: the way into the loop as it was); {@link #entry}
 * enters the copy, and the pass puts the guard that picks one between the preheader and them. Values the loop hands
 * on reach its users through phis at the exit, from both copies.
 *
 * <p>The pass may change what the copy computes: {@link Rewrite} sees each instruction with its operands already
 * mapped to the copy's values and answers the operands to copy it with; it may emit instructions first, into the
 * copy's block the builder is at.
 */
final class LoopCopy {
    /** The operands to copy {@code original} with; {@code mapped} are its own, mapped to the copy's values. */
    interface Rewrite {
        List<Value> operands(FunctionBuilder builder, Instruction original, List<Value> mapped);
    }

    /** Where its copy is entered. */
    final BasicBlock entry;
    /** The copy's header, and its values by the loop's. */
    private final BasicBlock header;
    private final Map<Value, Value> values;

    private LoopCopy(BasicBlock entry, BasicBlock header, Map<Value, Value> values) {
        this.entry = entry;
        this.header = header;
        this.values = values;
    }

    /**
     * The block the loop's header test leaves to, split off that edge where other blocks jump there too (a loop inside
     * an {@code if}, whose other branch joins after it; a parallel loop's serial copy, which the parallel path joins),
     * so that the copies' values merge in a block of the loop's own. Changes the function: for a pass that has decided
     * to rewrite the loop.
     */
    static BasicBlock ownExit(FunctionBuilder builder, Loop loop, BasicBlock exit) {
        return exit.predecessors().size() == 1 ? exit : builder.splitEdge(loop.header(), exit);
    }

    /** Only the header has an edge out of the loop; no return inside (what {@link #prefix} needs). */
    static boolean leavesOnlyFromItsHeader(Loop loop) {
        for (BasicBlock b : loop.exitingBlocks()) if (b != loop.header()) return false;
        for (BasicBlock b : loop.blocks()) {
            if (b.terminator().opcode() == Opcode.RETURN) return false;
            for (Instruction i : b.instructions()) if (i.opcode() == Opcode.PARALLEL) return false;
        }
        return true;
    }

    /** The block the loop's header test leaves to. */
    static BasicBlock exitOf(LoopCounter counter) {
        Instruction test = counter.loop().header().terminator();
        return test.targets().get(test.targets().get(0) == counter.stay() ? 1 : 0);
    }

    /** The loop's single entry edge comes from a block that reaches the header once. */
    static BasicBlock preheaderOf(Loop loop) {
        BasicBlock preheader = loop.entries().get(0);
        return java.util.Collections.frequency(preheader.terminator().targets(), loop.header()) == 1 ? preheader : null;
    }

    /**
     * Copies {@code loop} (which must pass {@link #leavesOnlyFromItsHeader}; {@code exit} is its {@link #ownExit}), rewriting as told;
     * {@code general} is the block split into the loop's entry edge, {@code dom} the dominators from before.
     */
    static LoopCopy of(FunctionBuilder builder, Dominators dom, Loop loop, BasicBlock general, BasicBlock exit, Rewrite rewrite) {
        BasicBlock header = loop.header();
        Map<BasicBlock, BasicBlock> blocks = new HashMap<>();
        Map<Value, Value> values = new HashMap<>();
        List<BasicBlock> order = new ArrayList<>();
        BasicBlock copyEntry = copyBlocks(builder, dom, loop, general, rewrite, blocks, values, order);
        BasicBlock headerCopy = blocks.get(header);
        for (Instruction phi : exit.phis()) {
            Value v = phi.incomingValue(header);
            builder.addIncoming(phi, headerCopy, values.getOrDefault(v, v));
        }
        Set<BasicBlock> copies = new HashSet<>(blocks.values());
        for (BasicBlock b : order) {
            for (Instruction i : b.instructions()) {
                if (i.type() == Type.VOID || i.users().stream().allMatch(u -> loop.contains(u.block()) || copies.contains(u.block()))) continue;
                Instruction merged = builder.phi(exit, i.type());
                builder.addIncoming(merged, header, i);
                builder.addIncoming(merged, headerCopy, values.get(i));
                builder.replaceUses(i, merged, u -> u != merged && !loop.contains(u.block()) && !copies.contains(u.block())
                        && !(u.isPhi() && u.block() == exit));
            }
        }
        return new LoopCopy(copyEntry, headerCopy, values);
    }

    /**
     * Copies {@code loop} (which must pass {@link #leavesOnlyFromItsHeader}; its test leaves to {@code exit}) to run
     * the first iterations of {@code then}, another copy of it ({@link #of}): until the new copy's header test (as
     * {@code rewrite} changes it) leaves, to a block that enters {@code then}'s header with the new copy's header
     * values. The new copy's phis start with what the loop's header takes from {@code entering}; the caller makes a
     * way to its {@link #entry}, and then no longer needs {@code then}'s. Only {@code then} leaves to {@code exit}, so
     * the values handed on need no more merging.
     */
    static LoopCopy prefix(FunctionBuilder builder, Dominators dom, Loop loop, BasicBlock entering, BasicBlock exit,
                           Rewrite rewrite, LoopCopy then) {
        Map<BasicBlock, BasicBlock> blocks = new HashMap<>();
        Map<Value, Value> values = new HashMap<>();
        BasicBlock rejoin = builder.newBlock();
        blocks.put(exit, rejoin);
        BasicBlock copyEntry = copyBlocks(builder, dom, loop, entering, rewrite, blocks, values, new ArrayList<>());
        builder.at(rejoin).jump(then.header);
        for (Instruction phi : loop.header().phis()) builder.addIncoming((Instruction) then.values.get(phi), rejoin, values.get(phi));
        return new LoopCopy(copyEntry, blocks.get(loop.header()), values);
    }

    /**
     * Copies the loop's blocks (into {@code blocks}, which may already send an exit elsewhere) and values, in
     * {@code order}; the copy's phis take what the originals take from {@code entering} from the returned new block,
     * which jumps to the copy's header.
     */
    private static BasicBlock copyBlocks(FunctionBuilder builder, Dominators dom, Loop loop, BasicBlock entering, Rewrite rewrite,
                                         Map<BasicBlock, BasicBlock> blocks, Map<Value, Value> values, List<BasicBlock> order) {
        BasicBlock copyEntry = builder.newBlock();
        for (BasicBlock b : dom.reversePostorder()) if (loop.contains(b)) order.add(b);
        for (BasicBlock b : order) blocks.put(b, builder.newBlock());
        for (BasicBlock b : order) {
            for (Instruction phi : b.phis()) values.put(phi, builder.phi(blocks.get(b), phi.type()));
        }
        for (BasicBlock b : order) {
            builder.at(blocks.get(b));
            for (Instruction i : b.instructions()) {
                if (i.isPhi()) continue;
                List<Value> operands = rewrite.operands(builder, i, map(i.operands(), values));
                if (i.isTerminator()) copyTerminator(builder, i, operands, blocks);
                else values.put(i, builder.copy(i, operands));
            }
        }
        for (BasicBlock b : order) {
            for (Instruction phi : b.phis()) {
                Instruction copy = (Instruction) values.get(phi);
                for (int k = 0; k < phi.operands().size(); k++) {
                    BasicBlock from = phi.incoming().get(k);
                    builder.addIncoming(copy, from == entering ? copyEntry : blocks.get(from), values.getOrDefault(phi.operand(k), phi.operand(k)));
                }
            }
        }
        builder.at(copyEntry).jump(blocks.get(loop.header()));
        return copyEntry;
    }

    private static void copyTerminator(FunctionBuilder builder, Instruction t, List<Value> operands, Map<BasicBlock, BasicBlock> blocks) {
        switch (t.opcode()) {
            case GOTO -> builder.jump(target(t, 0, blocks));
            case IF -> builder.branch(t.condition(), operands.get(0), operands.get(1), target(t, 0, blocks), target(t, 1, blocks), t.site());
            case SWITCH -> {
                List<BasicBlock> targets = new ArrayList<>();
                for (int k = 0; k < t.targets().size(); k++) targets.add(target(t, k, blocks));
                builder.switchOn(operands.get(0), t.switchKeys(), targets);
            }
            default -> throw new IllegalStateException("cannot copy " + t);
        }
    }

    private static BasicBlock target(Instruction t, int k, Map<BasicBlock, BasicBlock> blocks) {
        BasicBlock b = t.targets().get(k);
        return blocks.getOrDefault(b, b);
    }

    private static List<Value> map(List<Value> operands, Map<Value, Value> values) {
        List<Value> l = new ArrayList<>(operands.size());
        for (Value v : operands) l.add(values.getOrDefault(v, v));
        return l;
    }
}
