package dev.numbat.ir.loop;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Condition;
import dev.numbat.ir.Constant;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.Function;
import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Intrinsic;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Site;
import dev.numbat.ir.Type;
import dev.numbat.ir.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Takes the JVM's bounds checks out of counted loops by one check of the whole index range before the loop,
 * as HotSpot's range-check elimination does; here for a CSR row, which counts from a value known only at run time:
 * <pre>
 *   for (p = rowPtr[r]; p &lt; rowPtr[r + 1]; p++) s += vals[p] * x[cols[p]];
 * becomes
 *   start = rowPtr[r]; end = rowPtr[r + 1];           // the guard reads the bound once, behind the JVM's checks
 *   if (vals != null &amp;&amp; (start | (vals.length - end)) &gt;= 0 &amp;&amp; cols != null &amp;&amp; end &lt;= cols.length)
 *       for (p = start; p &lt; end; p++) s += vals[inRange(p, vals.length)] * x[cols[inRange(p, cols.length)]];
 *   else
 *       the loop as it was
 * </pre>
 * In the copy the counter lies in {@code [start, end)} wherever the header's test dominates ({@link LoopCounter}), so
 * the guard makes it an index of every array it names; {@link Intrinsic#IN_RANGE} carries that to the backend, which
 * then emits no check for those accesses. {@code x[cols[p]]} keeps its check: its index is data. Where the guard fails
 * the loop runs as it was and throws where the JVM does, after the same writes. The guard's tests are marked as rarely
 * failing ({@link Site#GUARD_FAILURE_FIRST}), so that LLVM treats the copy as the hot path.
 *
 * <p>Why here and not in LLVM: LLVM takes such checks out of a simple loop from 0 over one or two arrays (it versions
 * the loop on an invariant condition it injects), but keeps them, a compare and branch per access and iteration, in a
 * loop that counts from a value it cannot see (even under an explicit guard like the one above, it did not prove
 * {@code p < vals.length}), and in one that reads and writes five arrays and calls {@code exp} (Black-Scholes), where
 * the checks also kept it from vectorising the loop.
 *
 * <p>Only a loop of this shape: its counter stepping by one from a value known only at run time, or from a constant of
 * 0 or more (for an innermost loop, only when it writes memory and indexes at least {@value #MIN_ARRAYS_FROM_CONSTANT}
 * arrays at the counter, or indexes one at an offset from outside and is not inside another loop: LLVM handles the
 * others, and a copy of ours only made them slower); leaving only through its
 * header's test; its bound a value from outside it, or one the header computes from such values by arithmetic that
 * cannot throw, array lengths, or elements of arrays the loop does not write (recomputed once in the guard, with the
 * JVM's null and index checks: one that fails takes the loop as it was, and the copy tests the guard's value);
 * accesses whose index is the counter, or the counter plus a constant of 0 or more, to arrays from outside the loop,
 * in blocks the test dominates. Also {@code a[base + p - 1]}, an index that adds values from outside ({@link IndexOffset}):
 * the guard checks its ends in long ({@code start + base - 1 >= 0}, {@code bound + base - 1 <= a.length}), and the copy
 * computes it as {@code addNoWrap(p, base - 1)}, which LLVM may then widen.
 *
 * <p>A loop with loops inside (a CSR product's loop over rows, which reads {@code rowPtr[r]} and {@code rowPtr[r + 1]}
 * and stores {@code y[r]}) is versioned the same way, copied whole, up to {@value #MAX_OUTER_INSTRUCTIONS}
 * instructions; its guard also requires every other array it uses from outside to be non-null, so that no row
 * tests it again. Its checks cost more than their compare and branch: they are taken once per row, in code that
 * overlaps rows out of order, and a C model of the product ran 0.44 ns per entry with them and 0.34 without (the
 * clang twin, no checks at all, 0.30). One that only indexes {@code a[r]}, up to {@code a.length}, is left to LLVM,
 * unless a loop inside leaves on data: {@link PredicatedJam} runs a per-element solver's elements side by side only
 * where this copy proved {@code a[r]} in range.
 *
 * <p>Needs reachable blocks (for dominators); may leave values only the guard used, and adds phis at the loop's exit
 * for the values the loop hands on.
 */
public final class RangeCheckVersioning extends InnermostLoopPass {
    /** How deep a bound computed in the header may be: {@code rowPtr[r + 1]} is two. */
    private static final int MAX_BOUND_DEPTH = 3;
    /** An innermost loop from a constant start is versioned when it writes memory and indexes at least this many arrays. */
    static final int MIN_ARRAYS_FROM_CONSTANT = 3;
    /** A loop with loops inside is copied whole; one larger than this is left alone. */
    private static final int MAX_OUTER_INSTRUCTIONS = 400;

    @Override public String name() { return "range-versions"; }

    @Override public String description() { return "checks a loop's index range once before it, for a copy without bounds checks"; }

    @Override public Set<Property> invalidates() { return Set.of(Property.NO_DEAD_CODE); }

    /**
     * Innermost loops first, each against the dominators from before (their rewrites leave the other loops' blocks
     * alone); then loops with loops inside, the deepest first, each found again, since versioning a loop copies the
     * loops inside it and adds blocks to the loops around it.
     */
    @Override
    public boolean run(FunctionBuilder builder) {
        boolean changed = super.run(builder);
        Function f = builder.function();
        Dominators dom = Dominators.of(f);
        LoopForest forest = LoopForest.of(f, dom);
        List<BasicBlock> outerHeaders = new ArrayList<>();
        collectOuterHeaders(forest.topLevel(), outerHeaders);
        for (BasicBlock header : outerHeaders) {
            Loop loop = forest.withHeader(header);
            if (loop == null || !rewrite(builder, dom, loop)) continue;
            changed = true;
            dom = Dominators.of(f);
            forest = LoopForest.of(f, dom);
        }
        return changed;
    }

    private static void collectOuterHeaders(List<Loop> loops, List<BasicBlock> out) {
        for (Loop l : loops) {
            if (l.children().isEmpty()) continue;
            collectOuterHeaders(l.children(), out);
            out.add(l.header());
        }
    }

    @Override
    boolean rewrite(FunctionBuilder builder, Dominators dom, Loop loop) {
        boolean outer = !loop.children().isEmpty();
        if (outer && loop.instructionCount() > MAX_OUTER_INSTRUCTIONS) return false;
        LoopCounter counter = LoopCounter.of(loop);
        if (counter == null || counter.init() == null) return false;
        if (counter.init() instanceof Constant c && c.intValue() < 0) return false; // the guard would always fail
        BasicBlock exit = LoopCopy.exitOf(counter);
        if (!LoopCopy.leavesOnlyFromItsHeader(loop)) return false;
        BasicBlock preheader = LoopCopy.preheaderOf(loop);
        if (preheader == null) return false;
        if (!GuardedBound.computable(counter.bound(), loop, MAX_BOUND_DEPTH)) return false;
        // The accesses at the counter (plus a constant, plus values from outside), and the index ranges of each array.
        // (Offsets from outside only where the guard runs once per call or per row anyway: see below.)
        boolean offsetsFromOutside = outer || !(counter.init() instanceof Constant) || loop.parent() == null;
        Map<Instruction, IndexOffset> atCounter = new HashMap<>();
        Map<Value, Ranges> arrays = new LinkedHashMap<>();
        for (BasicBlock b : loop.blocks()) {
            if (!counter.inRangeAt(b, dom)) continue;
            for (Instruction i : b.instructions()) {
                IndexOffset offset = loop.accessesArrayFromOutside(i) ? IndexOffset.of(i.operand(1), counter) : null;
                if (offset == null || !offset.terms().isEmpty() && !offsetsFromOutside) continue;
                if (!guardable(offset, counter) || atCounter.putIfAbsent(i, offset) != null) continue;
                arrays.computeIfAbsent(i.operand(0), a -> new Ranges()).add(offset);
            }
        }
        if (arrays.isEmpty()) return false;
        boolean shifted = arrays.values().stream().anyMatch(r -> !r.shifted.isEmpty());
        // From a constant start, LLVM takes the checks out of an innermost loop itself where it can (its versioning
        // gives up on loops that write memory and index many arrays), and a copy of ours made the loops it handles a
        // little slower (a fastMath dot product, 10.1 against 8.7 µs). It keeps those of a loop with loops inside,
        // and those at offsets from outside (a[base + i]), which a top-level loop then checks once per call. Inside
        // another loop, such a guard ran once per row of a stencil, which then took 1.5 times as long: NestRangeVersioning
        // checks such rows once, before the loop over them.
        if (!outer && !shifted && counter.init() instanceof Constant
                && (arrays.size() < MIN_ARRAYS_FROM_CONSTANT || !GuardedBound.writesMemory(loop))) {
            return false;
        }
        // A loop up to a.length that only indexes a[r] needs no copy: LLVM drops that check itself. Unless a loop
        // inside leaves on data (a per-element solver's break): PredicatedJam runs such a nest's iterations side by
        // side only where it reads the copy's proof that a[r] is in range.
        if (outer && !shifted && arrays.size() == 1 && arrays.values().iterator().next().largest == 0
                && isLengthOf(counter.bound(), arrays.keySet().iterator().next()) && !hasLoopLeavingOnData(loop)) {
            return false;
        }

        Instruction test = loop.header().terminator();
        BasicBlock own = LoopCopy.ownExit(builder, loop, exit);
        BasicBlock general = builder.splitEdge(preheader, loop.header());
        Guard guard = emitGuard(builder, loop, counter, arrays, outer ? otherArrays(loop, arrays.keySet()) : List.of(), general);
        markFailuresRare(builder, guard, general);
        Value[] counterCopy = new Value[1];
        LoopCopy copy = LoopCopy.of(builder, dom, loop, general, own, (b, original, operands) -> {
            if (original == test) { // copied first: the header dominates the rest
                counterCopy[0] = operands.get(1 - counter.boundOperand());
                List<Value> changed = new ArrayList<>(operands);
                changed.set(counter.boundOperand(), guard.bound);
                return changed;
            }
            IndexOffset offset = atCounter.get(original);
            if (offset == null) return operands;
            List<Value> changed = new ArrayList<>(operands);
            Value length = guard.lengths.get(original.operand(0));
            Value shift = guard.shifts.get(offset);
            // With terms from outside, the index becomes counter + shift, an add the guard proved not to overflow:
            // LLVM then sees the address step with the counter, where the JVM's wrapping adds of row and w hid it.
            Value index = shift == null ? operands.get(1)
                    : b.intrinsic(Intrinsic.ADD_NO_WRAP, List.of(counterCopy[0], shift), Site.UNKNOWN);
            changed.set(1, b.intrinsic(Intrinsic.IN_RANGE, List.of(index, length), Site.UNKNOWN));
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
    private record Guard(BasicBlock first, BasicBlock last, Value bound, Map<Value, Value> lengths, Map<IndexOffset, Value> shifts) {}

    /**
     * Sends the way into the loop to {@code general} unless the counter's range, shifted by each of an array's
     * offsets, lies within that array, and unless each of {@code nonNull} is an array.
     */
    private static Guard emitGuard(FunctionBuilder builder, Loop loop, LoopCounter counter, Map<Value, Ranges> arrays,
                                   List<Value> nonNull, BasicBlock general) {
        BasicBlock first = builder.newBlock();
        builder.at(first);
        Value bound = GuardedBound.compute(builder, counter.bound(), loop, general);
        // A start known only at run time must be at least 0 (a constant one is: rewrite() checked). The test joins the
        // first array's bound test below, or comes last.
        Value start = counter.init() instanceof Constant ? null : counter.init();
        Map<Value, Value> lengths = new LinkedHashMap<>();
        Map<IndexOffset, Value> shiftValues = new HashMap<>();
        for (Map.Entry<Value, Ranges> e : arrays.entrySet()) {
            Value array = e.getKey();
            GuardedBound.failIfNull(builder, array, general);
            Instruction length = builder.arrayLength(array, Site.UNKNOWN);
            lengths.put(array, length);
            int offset = e.getValue().largest;
            if (offset >= 0) {
                // counter + offset stays below the array's length: the bound may be at most length - offset (less
                // when inclusive), which cannot overflow. Then no counter + offset overflows either, and with a start
                // of 0 or more none is negative. The usual offset of 1 (rowPtr[r + 1]) needs no subtraction:
                // bound < length, a fact LLVM then uses to drop the test of r + 1 in the guard of the loop inside.
                boolean inclusive = counter.inclusive() || offset == 1;
                Value limit = offset <= 1 ? length : builder.binary(Opcode.SUB, length, Constant.ofInt(offset), Site.UNKNOWN);
                if (counter.inclusive() && offset == 1) limit = builder.binary(Opcode.SUB, length, Constant.ofInt(1), Site.UNKNOWN);
                if (start == null) {
                    LongGuard.failIf(builder, inclusive ? Condition.GE : Condition.GT, bound, limit, general);
                } else {
                    // (start | (limit - bound)) < 0 fails where start < 0 or bound > limit (and, needlessly, where the
                    // subtraction wraps, for a bound below limit - MAX_VALUE: the loop as it was then runs, correct
                    // either way). A separate start < 0 test told LLVM the counter is never negative in the copy,
                    // and it then kept the row's exit test in 32 bits, an instruction more per entry
                    // (docs/performance.md, the CSR row loop).
                    Value last = inclusive ? builder.binary(Opcode.SUB, limit, Constant.ofInt(1), Site.UNKNOWN) : limit;
                    Value room = builder.binary(Opcode.SUB, last, bound, Site.UNKNOWN);
                    LongGuard.failIf(builder, Condition.LT, builder.binary(Opcode.OR, start, room, Site.UNKNOWN), Constant.ofInt(0), general);
                    start = null;
                }
            }
            for (Map.Entry<Map<Value, Integer>, Shifts> s : e.getValue().shifted.entrySet()) {
                // In long, where nothing overflows: start + terms + smallest >= 0, and the last counter + terms +
                // largest < length. With a start of 0 or more, terms + c then lies within int for each c between.
                Value terms = LongGuard.sumOf(builder, s.getKey());
                Shifts shifts = s.getValue();
                Value low = LongGuard.plus(builder, LongGuard.plus(builder, LongGuard.asLong(builder, counter.init()), terms), shifts.smallest);
                LongGuard.failIfLong(builder, Condition.LT, low, Constant.ofLong(0), general);
                Value high = LongGuard.plus(builder, LongGuard.plus(builder, LongGuard.asLong(builder, bound), terms), shifts.largest);
                LongGuard.failIfLong(builder, counter.inclusive() ? Condition.GE : Condition.GT, high, LongGuard.asLong(builder, length), general);
                for (int c : shifts.constants) {
                    IndexOffset shifted = new IndexOffset(s.getKey(), c);
                    if (!shiftValues.containsKey(shifted)) shiftValues.put(shifted, builder.convert(LongGuard.plus(builder, terms, c), Type.INT));
                }
            }
        }
        if (start != null) LongGuard.failIf(builder, Condition.LT, start, Constant.ofInt(0), general);
        for (Value array : nonNull) GuardedBound.failIfNull(builder, array, general);
        return new Guard(first, builder.currentBlock(), bound, lengths, shiftValues);
    }

    /**
     * Marks the guard's tests as rarely failing, so that LLVM lays out and allocates registers for the copy as the
     * hot path: unweighed, each test is even odds, the loop as it was looks as hot as the copy, and LLVM spilled the
     * copy's base pointers (a CSR row's loop reloaded {@code vals} from the stack at every entry).
     */
    private static void markFailuresRare(FunctionBuilder builder, Guard guard, BasicBlock general) {
        Deque<BasicBlock> work = new ArrayDeque<>(List.of(guard.first()));
        Set<BasicBlock> seen = new HashSet<>();
        while (!work.isEmpty()) {
            BasicBlock b = work.pop();
            if (b == guard.last() || !seen.add(b) || b.terminator() == null) continue;
            Instruction t = b.terminator();
            if (t.opcode() == Opcode.IF && t.targets().get(0) == general && Site.UNKNOWN.equals(t.site())) {
                builder.setSite(t, Site.GUARD_FAILURE_FIRST);
            }
            for (BasicBlock s : t.targets()) if (s != general) work.push(s);
        }
    }

    /**
     * The index ranges one array is accessed at: {@code counter + c} for constants {@code c} up to {@code largest}
     * (-1 for none), and for each sum of terms from outside, the smallest and largest constant added to it.
     */
    private static final class Ranges {
        int largest = -1;
        final Map<Map<Value, Integer>, Shifts> shifted = new LinkedHashMap<>();

        void add(IndexOffset offset) {
            if (offset.terms().isEmpty()) {
                // A negative constant was checked against the constant start (guardable): the counter's own range covers it.
                largest = Math.max(largest, Math.max(offset.constant(), 0));
                return;
            }
            shifted.computeIfAbsent(offset.terms(), t -> new Shifts()).add(offset.constant());
        }
    }

    /** The constants added to one sum of terms, in the order met. */
    private static final class Shifts {
        int smallest = Integer.MAX_VALUE, largest = Integer.MIN_VALUE;
        final Set<Integer> constants = new LinkedHashSet<>();

        void add(int c) {
            smallest = Math.min(smallest, c);
            largest = Math.max(largest, c);
            constants.add(c);
        }
    }

    /**
     * Whether the guard can check an access at {@code offset}: one with terms from outside always; {@code counter + c}
     * for a constant {@code c >= 0}, or one below 0 from a constant start that keeps it in range. From a start known only
     * at run time, {@code a[p - 1]} keeps its check: a guard that required {@code p >= 1} would send a whole loop that
     * reads it behind {@code if (p > 0)} to the checked copy.
     */
    private static boolean guardable(IndexOffset offset, LoopCounter counter) {
        if (!offset.terms().isEmpty() || offset.constant() >= 0) return true;
        return counter.init() instanceof Constant start && (long) start.intValue() + offset.constant() >= 0;
    }

    /**
     * The arrays from outside a loop with loops inside that it reads, writes or measures, other than {@code indexed}:
     * their null checks would otherwise stay in the copy, where LLVM left one in every row of a CSR product.
     */
    private static List<Value> otherArrays(Loop loop, Set<Value> indexed) {
        Set<Value> out = new LinkedHashSet<>();
        for (BasicBlock b : loop.blocks()) {
            for (Instruction i : b.instructions()) {
                boolean usesArray = i.opcode() == Opcode.ARRAY_LOAD || i.opcode() == Opcode.ARRAY_STORE || i.opcode() == Opcode.ARRAY_LENGTH;
                if (!usesArray) continue;
                Value array = i.operand(0);
                if (!(array instanceof Constant) && loop.definedOutside(array) && !indexed.contains(array)) out.add(array);
            }
        }
        return new ArrayList<>(out);
    }

    /** Whether a loop inside {@code loop} has more than one block leaving it: a test of data besides its count. */
    private static boolean hasLoopLeavingOnData(Loop loop) {
        for (Loop inner : loop.children()) if (inner.exitingBlocks().size() > 1 || hasLoopLeavingOnData(inner)) return true;
        return false;
    }

    private static boolean isLengthOf(Value v, Value array) {
        return v instanceof Instruction i && i.opcode() == Opcode.ARRAY_LENGTH && i.operand(0) == array;
    }
}
