package dev.numbat.ir.loop;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Condition;
import dev.numbat.ir.Constant;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Intrinsic;
import dev.numbat.ir.Site;
import dev.numbat.ir.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Takes the JVM's bounds checks out of innermost counted loops by one check of the whole index range before the loop,
 * as HotSpot's range-check elimination does; here for a CSR row, which counts from a value known only at run time:
 * <pre>
 *   for (p = rowPtr[r]; p &lt; rowPtr[r + 1]; p++) s += vals[p] * x[cols[p]];
 * becomes
 *   start = rowPtr[r]; end = rowPtr[r + 1];           // the guard reads the bound once, behind the JVM's checks
 *   if (start &gt;= 0 &amp;&amp; vals != null &amp;&amp; end &lt;= vals.length &amp;&amp; cols != null &amp;&amp; end &lt;= cols.length)
 *       for (p = start; p &lt; end; p++) s += vals[inRange(p, vals.length)] * x[cols[inRange(p, cols.length)]];
 *   else
 *       the loop as it was
 * </pre>
 * In the copy the counter lies in {@code [start, end)} wherever the header's test dominates ({@link LoopCounter}), so
 * the guard makes it an index of every array it names; {@link Intrinsic#IN_RANGE} carries that to the backend, which
 * then emits no check for those accesses. {@code x[cols[p]]} keeps its check: its index is data. Where the guard fails
 * the loop runs as it was and throws where the JVM does, after the same writes.
 *
 * <p>Why here and not in LLVM: LLVM takes such checks out of a simple loop from 0 over one or two arrays (it versions
 * the loop on an invariant condition it injects), but keeps them, a compare and branch per access and iteration, in a
 * loop that counts from a value it cannot see (even under an explicit guard like the one above, it did not prove
 * {@code p < vals.length}), and in one that reads and writes five arrays and calls {@code exp} (Black-Scholes), where
 * the checks also kept it from vectorising the loop.
 *
 * <p>Only a loop of this shape: innermost, its counter stepping by one from a value known only at run time, or from a
 * constant of 0 or more when the loop writes memory and indexes at least {@value #MIN_ARRAYS_FROM_CONSTANT} arrays at
 * the counter (LLVM handles the others, and a copy of ours only made them slower); leaving only through its header's
 * test; its bound a value from outside it, or one
 * the header computes from such values by arithmetic that cannot throw, array lengths, or elements of arrays the loop
 * does not write (recomputed once in the guard, with the JVM's null and index checks: one that fails takes the
 * loop as it was, and the copy tests the guard's value); accesses whose index is the counter itself, to arrays
 * from outside the loop, in blocks the test dominates.
 *
 * <p>Needs reachable blocks (for dominators); may leave values only the guard used, and adds phis at the loop's exit
 * for the values the loop hands on.
 */
public final class RangeCheckVersioning extends InnermostLoopPass {
    /** How deep a bound computed in the header may be: {@code rowPtr[r + 1]} is two. */
    private static final int MAX_BOUND_DEPTH = 3;
    /** A loop from a constant start is versioned when it writes memory and indexes at least this many arrays. */
    static final int MIN_ARRAYS_FROM_CONSTANT = 3;

    @Override public String name() { return "range-versions"; }

    @Override public String description() { return "checks a loop's index range once before it, for a copy without bounds checks"; }

    @Override public Set<Property> invalidates() { return Set.of(Property.NO_DEAD_CODE); }

    @Override
    boolean rewrite(FunctionBuilder builder, Dominators dom, Loop loop) {
        LoopCounter counter = LoopCounter.of(loop);
        if (counter == null || counter.init() == null) return false;
        if (counter.init() instanceof Constant c && c.intValue() < 0) return false; // the guard would always fail
        BasicBlock exit = LoopCopy.exitOf(counter);
        if (!LoopCopy.leavesOnlyThroughItsTest(loop, exit)) return false;
        BasicBlock preheader = LoopCopy.preheaderOf(loop);
        if (preheader == null) return false;
        if (!GuardedBound.computable(counter.bound(), loop, MAX_BOUND_DEPTH)) return false;
        // The accesses at the counter, and the arrays they index.
        Set<Instruction> atCounter = new HashSet<>();
        Set<Value> arrays = new LinkedHashSet<>();
        for (BasicBlock b : loop.blocks()) {
            if (!counter.inRangeAt(b, dom)) continue;
            for (Instruction i : b.instructions()) {
                if (isIndexedByCounter(i, counter, loop) && atCounter.add(i)) arrays.add(i.operand(0));
            }
        }
        if (arrays.isEmpty()) return false;
        // From a constant start, LLVM takes the checks out itself where it can (its versioning gives up on loops
        // that write memory and index many arrays), and a copy of ours made the loops it handles a little slower
        // (a fastMath dot product, 10.1 against 8.7 µs).
        if (counter.init() instanceof Constant && (arrays.size() < MIN_ARRAYS_FROM_CONSTANT || !GuardedBound.writesMemory(loop))) {
            return false;
        }

        Instruction test = loop.header().terminator();
        BasicBlock general = builder.splitEdge(preheader, loop.header());
        Guard guard = emitGuard(builder, loop, counter, arrays, general);
        LoopCopy copy = LoopCopy.of(builder, dom, loop, general, exit, (b, original, operands) -> {
            if (original == test) {
                List<Value> changed = new ArrayList<>(operands);
                changed.set(counter.boundOperand(), guard.bound);
                return changed;
            }
            if (!atCounter.contains(original)) return operands;
            List<Value> changed = new ArrayList<>(operands);
            Value length = guard.lengths.get(original.operand(0));
            changed.set(1, b.intrinsic(Intrinsic.IN_RANGE, List.of(operands.get(1), length), Site.UNKNOWN));
            return changed;
        });
        builder.at(guard.last).jump(copy.entry);
        builder.retarget(preheader, general, guard.first);
        return true;
    }

    /**
     * The guard's blocks, every failed test jumping to {@code general} (the loop as it was); the last block is left open
     * for the jump to the copy, which needs the guard's values and so is made after it.
     */
    private record Guard(BasicBlock first, BasicBlock last, Value bound, Map<Value, Value> lengths) {}

    private static Guard emitGuard(FunctionBuilder builder, Loop loop, LoopCounter counter, Iterable<Value> arrays, BasicBlock general) {
        BasicBlock first = builder.newBlock();
        builder.at(first);
        Value bound = GuardedBound.compute(builder, counter.bound(), loop, general);
        if (!(counter.init() instanceof Constant)) { // a constant start is at least 0 (version() checked)
            BasicBlock nonNegative = builder.newBlock();
            builder.branch(Condition.LT, counter.init(), Constant.ofInt(0), general, nonNegative);
            builder.at(nonNegative);
        }
        Map<Value, Value> lengths = new LinkedHashMap<>();
        for (Value array : arrays) {
            GuardedBound.failIfNull(builder, array, general);
            lengths.put(array, builder.arrayLength(array, Site.UNKNOWN));
            BasicBlock next = builder.newBlock();
            // The counter stays below the bound (at most the bound when inclusive), which must be a valid index bound.
            builder.branch(counter.inclusive() ? Condition.GE : Condition.GT, bound, lengths.get(array), general, next);
            builder.at(next);
        }
        return new Guard(first, builder.currentBlock(), bound, lengths);
    }

    /** A load or store of a primitive element at the counter itself, of an array from outside the loop. */
    private static boolean isIndexedByCounter(Instruction i, LoopCounter counter, Loop loop) {
        return loop.accessesArrayFromOutside(i) && i.operand(1) == counter.phi();
    }
}
