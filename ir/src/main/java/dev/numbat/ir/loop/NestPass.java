package dev.numbat.ir.loop;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.Function;
import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Value;
import dev.numbat.ir.pass.Pass;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pass that rewrites a function's nests of a loop and one innermost loop, one at a time. A rewrite copies blocks of
 * the loops around its nest, so each nest is found again by its outer header afterwards, and dominators and loops are
 * recomputed only after a rewrite.
 */
abstract class NestPass implements Pass {
    @Override public Set<Property> requires() { return Set.of(Property.NO_UNREACHABLE_BLOCKS); }

    @Override
    public boolean run(FunctionBuilder builder) {
        Function f = builder.function();
        Dominators dom = Dominators.of(f);
        LoopForest forest = LoopForest.of(f, dom);
        List<BasicBlock> headers = new ArrayList<>();
        for (Loop l : forest.innermost()) if (l.parent() != null && l.parent().children().size() == 1) headers.add(l.parent().header());
        boolean changed = false;
        for (BasicBlock header : headers) {
            Loop outer = forest.withHeader(header);
            if (outer == null || outer.children().size() != 1 || !rewrite(builder, dom, outer, outer.children().get(0))) continue;
            changed = true;
            dom = Dominators.of(f);
            forest = LoopForest.of(f, dom);
        }
        return changed;
    }

    /** Rewrites the nest of {@code outer} and {@code inner} if it qualifies; {@code dom} are the current dominators. */
    abstract boolean rewrite(FunctionBuilder builder, Dominators dom, Loop outer, Loop inner);

    /**
     * The blocks from {@code from} to the one that jumps to {@code to}, each entered only from the one before and
     * leaving by a jump, with no phis; null when they are not such a line.
     */
    static List<BasicBlock> line(BasicBlock from, BasicBlock to) {
        List<BasicBlock> blocks = new ArrayList<>();
        for (BasicBlock b = from; b != to; b = b.terminator().targets().get(0)) {
            if (b.predecessors().size() != 1 || !b.phis().isEmpty() || b.terminator().opcode() != Opcode.GOTO || blocks.contains(b)) return null;
            blocks.add(b);
        }
        return blocks.isEmpty() ? null : blocks;
    }

    /** {@code v} as a copy maps it: its copy where {@code values} has one, else itself (a value from outside). */
    static Value mapped(Map<Value, Value> values, Value v) { return values.getOrDefault(v, v); }

    /** The value {@code phi} takes when entered from {@code from}. */
    static Value incoming(Instruction phi, BasicBlock from) { return phi.incomingValue(from); }
}
