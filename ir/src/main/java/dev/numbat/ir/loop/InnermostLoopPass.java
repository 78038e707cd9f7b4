package dev.numbat.ir.loop;

import dev.numbat.ir.Dominators;
import dev.numbat.ir.Function;
import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.pass.Pass;
import java.util.Set;

/**
 * A pass that rewrites a function's innermost loops one at a time. Each rewrite adds blocks around its own loop and
 * leaves the others' blocks as they were, so the dominators and loops found before the first still describe the
 * loops still to come.
 */
abstract class InnermostLoopPass implements Pass {
    @Override public Set<Property> requires() { return Set.of(Property.NO_UNREACHABLE_BLOCKS); }

    @Override
    public boolean run(FunctionBuilder builder) {
        Function f = builder.function();
        Dominators dom = Dominators.of(f);
        boolean changed = false;
        for (Loop loop : LoopForest.of(f, dom).innermost()) changed |= rewrite(builder, dom, loop);
        return changed;
    }

    /** Rewrites {@code loop} if it qualifies; {@code dom} are the dominators from before the pass. */
    abstract boolean rewrite(FunctionBuilder builder, Dominators dom, Loop loop);
}
