package dev.numbat.ir.pass;

import dev.numbat.ir.FunctionBuilder;
import java.util.Set;

/**
 * One transformation of a function. A pass states what it needs of its input and which facts it may
 * invalidate, so the pipeline reads as a contract; it changes the IR only through the builder.
 */
public interface Pass {
    /** Facts about the IR that passes establish or rely on. */
    enum Property {
        /** Every block is reachable from the entry. */
        NO_UNREACHABLE_BLOCKS,
        /** No phi has operands that are all the same value (or itself). */
        NO_TRIVIAL_PHIS,
        /** Every instruction without side effects has a user. */
        NO_DEAD_CODE
    }

    /** Short name used by {@code -Dnumbat.dumpAfter=NAME}. */
    String name();

    /** One line: what the pass does. */
    String description();

    default Set<Property> requires() { return Set.of(); }

    /** Facts this pass may break (it re-establishes nothing beyond what it names in {@link #establishes}). */
    default Set<Property> invalidates() { return Set.of(); }

    default Set<Property> establishes() { return Set.of(); }

    /** Runs the pass; returns true if the function changed. */
    boolean run(FunctionBuilder builder);
}
