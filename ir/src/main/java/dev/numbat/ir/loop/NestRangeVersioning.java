package dev.numbat.ir.loop;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Condition;
import dev.numbat.ir.Constant;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Intrinsic;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Site;
import dev.numbat.ir.Type;
import dev.numbat.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Takes the bounds checks out of a nest of two counted loops over a flat 2-D array, the way a stencil or a matrix
 * product indexes it, by one check of the whole rectangle before the outer loop:
 * <pre>
 *   for (y = 1; y &lt; h - 1; y++) { row = y * w; for (x = 1; x &lt; w - 1; x++) out[row + x] = in[row + x - w] + ...; }
 * becomes
 *   if (every index at the corners y = 1, h - 2 and x = 1, w - 2 lies in its array, and y * w stays within int there)
 *       the nest, each index rebuilt as addNoWrap(x, addNoWrap(mulNoWrap(y, w), -w)), its access unchecked
 *   else
 *       the nest as it was
 * </pre>
 * An index {@link NestIndex} reads as {@code x * p + y * q + terms + c} is linear in each counter, so over the rectangle
 * of counters the loops run through it is smallest and largest at the corners: the guard checks the four, in long.
 * It also checks that {@code x * p}, {@code y * q} and {@code y * q + terms + c} stay within int at their ends, so that
 * the copy may compute the index with adds and multiplies LLVM knows do not overflow ({@code nsw}, see
 * {@link Intrinsic#ADD_NO_WRAP}). That is the point: with the JVM's wrapping {@code y * w}, LLVM cannot tell where a
 * row starts, so it checks the arrays' overlap again before every row, and it versions each row's checks itself; with
 * it, it checks the overlap once per call, as for the clang twin. Where the guard fails the nest runs as it was and
 * throws where the JVM does, after the same writes.
 *
 * <p>Only a nest of a loop and one innermost loop inside it, both counted ({@link LoopCounter}), the outer leaving
 * only through its header's test, up to {@value #MAX_INSTRUCTIONS} instructions; the inner loop's start and bound
 * the same for every row (values from outside the nest, or arithmetic on them in its header); accesses to arrays
 * from outside the nest, in blocks where the counters are in range, at least one of them strided ({@code y * w} or
 * {@code k * n}) unless {@link UnrollAndJam} is to run the copy's columns together (a convolution's
 * {@code x[j + k]}). Other nests are left to {@link RangeCheckVersioning}, which runs after this pass, as does it on
 * the nest as it was.
 *
 * <p>Needs reachable blocks; may leave values only the guard used, and adds phis at the nest's exit for the values it
 * hands on.
 */
public final class NestRangeVersioning extends NestPass {
    /** A nest larger than this is left alone: it is copied whole. */
    private static final int MAX_INSTRUCTIONS = 400;
    /**
     * The largest step, in bytes, of an index strided across the inner loop ({@code b[k * n + j]}) that the copy takes;
     * a larger one runs the nest as it was. Measured on the benchmark machine, not derived: walking a 1,024 x 1,024
     * matrix's columns (8 KiB steps, a page each), a matrix product ran 4.6-4.8 s without the JVM's checks (as the clang
     * twin, 4.5-4.7 s) and 3.4-4.1 s with them, in JMH and in C alike (C: 4.7 s against 3.6 s with the checks); at 256
     * (2 KiB steps) both ran the same, and at 32 the copy took 10.4 µs against 13.2 µs. Not for a nest {@link UnrollAndJam}
     * runs several columns at a time: its copy reads a row of neighbours at each step (1.2 s at 1,024, HotSpot 3.3 s).
     */
    static final int MAX_COLUMN_STEP_BYTES = 4096;
    /** How deep the inner loop's bound may be computed in its header ({@code w - 1} is one). */
    private static final int MAX_BOUND_DEPTH = 3;

    /** Whether {@link UnrollAndJam} runs after this pass, so that the copy of a nest it jams reads rows, not columns. */
    private final boolean columnsJammed;

    /** For a pipeline without {@link UnrollAndJam}. */
    public NestRangeVersioning() { this(false); }

    public NestRangeVersioning(boolean columnsJammed) { this.columnsJammed = columnsJammed; }

    @Override public String name() { return "nest-versions"; }

    @Override public String description() { return "checks a 2-D loop nest's index rectangle once, for a copy without bounds checks"; }

    @Override public Set<Property> invalidates() { return Set.of(Property.NO_DEAD_CODE); }

    @Override
    boolean rewrite(FunctionBuilder builder, Dominators dom, Loop outer, Loop inner) {
        if (outer.instructionCount() > MAX_INSTRUCTIONS) return false;
        LoopCounter y = LoopCounter.of(outer), x = LoopCounter.of(inner);
        if (y == null || x == null || y.init() == null || x.init() == null) return false;
        BasicBlock exit = LoopCopy.exitOf(y);
        if (!LoopCopy.leavesOnlyFromItsHeader(outer)) return false;
        BasicBlock preheader = LoopCopy.preheaderOf(outer), innerEntry = LoopCopy.preheaderOf(inner);
        if (preheader == null || innerEntry == null || innerEntry == outer.header()) return false;
        if (!GuardedBound.computable(y.bound(), outer, MAX_BOUND_DEPTH)) return false;
        if (!outer.definedOutside(x.init()) || !sameForEveryRow(x.bound(), inner, outer, MAX_BOUND_DEPTH)) return false;

        Map<Instruction, NestIndex> accesses = new LinkedHashMap<>();
        boolean strided = false;
        for (BasicBlock b : outer.blocks()) {
            boolean inInner = inner.contains(b);
            if (inInner ? !x.inRangeAt(b, dom) : !y.inRangeAt(b, dom)) continue;
            for (Instruction i : b.instructions()) {
                if (!outer.accessesArrayFromOutside(i)) continue;
                NestIndex index = NestIndex.of(i.operand(1), x, y);
                if (index == null || index.inner() != inInner) continue;
                accesses.put(i, index);
                strided |= index.strided();
            }
        }
        // Without a strided index LLVM checks the rows itself, unless the copy is to run columns together.
        boolean jammed = columnsJammed && UnrollAndJam.wouldJamOnceChecked(outer, inner);
        if (!strided && !jammed) return false;

        Instruction outerTest = outer.header().terminator(), innerTest = inner.header().terminator();
        BasicBlock own = LoopCopy.ownExit(builder, outer, exit);
        BasicBlock general = builder.splitEdge(preheader, outer.header());
        Guard guard = emitGuard(builder, outer, inner, y, x, accesses, general, !jammed);
        Value[] counters = new Value[2]; // the copy's outer and inner counters, met in their headers' tests first
        Map<NestIndex, Value> rowStarts = new HashMap<>(); // in the copy, before its inner loop
        LoopCopy copy = LoopCopy.of(builder, dom, outer, general, own, (b, original, operands) -> {
            if (original == innerEntry.terminator()) {
                // Each row's start, once before the loop inside: there AlignmentPeeling sees x + rowStart, a value
                // from outside that loop, and aligns the row's stores.
                Map<Value, Value> products = new HashMap<>(); // y * q, by q (null for y itself)
                for (NestIndex index : accesses.values()) {
                    if (index.inner()) rowStarts.computeIfAbsent(index, i -> rowStart(b, i, counters[0], guard.offsets.get(i), products));
                }
                return operands;
            }
            if (original == outerTest || original == innerTest) {
                LoopCounter c = original == outerTest ? y : x;
                counters[original == outerTest ? 0 : 1] = operands.get(1 - c.boundOperand());
                List<Value> changed = new ArrayList<>(operands);
                changed.set(c.boundOperand(), original == outerTest ? guard.outerBound : guard.innerBound);
                return changed;
            }
            NestIndex index = accesses.get(original);
            if (index == null) return operands;
            List<Value> changed = new ArrayList<>(operands);
            Value start = rowStarts.containsKey(index) ? rowStarts.get(index)
                    : rowStart(b, index, counters[0], guard.offsets.get(index), new HashMap<>());
            Value rebuilt = rebuild(b, index, counters[1], start);
            changed.set(1, b.intrinsic(Intrinsic.IN_RANGE, List.of(rebuilt, guard.lengths.get(original.operand(0))), Site.UNKNOWN));
            return changed;
        });
        builder.at(guard.last).jump(copy.entry);
        builder.retarget(preheader, general, guard.first);
        return true;
    }

    /**
     * Whether the inner loop's bound is the same for every row: a value from outside the nest, or arithmetic on such
     * values (or their lengths) in the inner loop's header.
     */
    private static boolean sameForEveryRow(Value bound, Loop inner, Loop outer, int depth) {
        if (outer.definedOutside(bound)) return true;
        if (!(bound instanceof Instruction i) || depth == 0 || i.block() != inner.header() || i.isPhi()) return false;
        boolean ok = i.opcode() == Opcode.ARRAY_LENGTH || i.opcode() == Opcode.NEG || i.opcode().isBinaryArithmetic() && !i.mayThrow();
        if (!ok) return false;
        for (Value o : i.operands()) if (!sameForEveryRow(o, inner, outer, depth - 1)) return false;
        return true;
    }

    /**
     * The guard's blocks, from {@code first} to the open {@code last}; the bounds it computed, each array's length, and
     * for each index its part from outside the inner loop's counter: {@code terms + c}, as an int.
     */
    private record Guard(BasicBlock first, BasicBlock last, Value outerBound, Value innerBound, Map<Value, Value> lengths,
                         Map<NestIndex, Value> offsets) {}

    /**
     * Checks, for each array and each index into it up to its constant, the smallest constant at every corner against 0
     * and the largest against the length; and that each part the copy computes on its own stays within int.
     */
    private static Guard emitGuard(FunctionBuilder builder, Loop outer, Loop inner, LoopCounter y, LoopCounter x,
                                   Map<Instruction, NestIndex> accesses, BasicBlock general, boolean columnSteps) {
        BasicBlock first = builder.newBlock();
        builder.at(first);
        Value outerBound = GuardedBound.compute(builder, y.bound(), outer, general);
        Value innerBound = GuardedBound.compute(builder, x.bound(), inner, general);
        // The counters' first and last values, in long: the last is the bound, less one when exclusive.
        Value[] ys = {LongGuard.asLong(builder, y.init()), last(builder, y, outerBound)};
        Value[] xs = {LongGuard.asLong(builder, x.init()), last(builder, x, innerBound)};
        Map<Value, Value> lengths = new LinkedHashMap<>();
        Map<Group, int[]> groups = new LinkedHashMap<>(); // the smallest and largest constant of each
        for (Map.Entry<Instruction, NestIndex> e : accesses.entrySet()) {
            Value array = e.getKey().operand(0);
            if (!lengths.containsKey(array)) {
                GuardedBound.failIfNull(builder, array, general);
                lengths.put(array, builder.arrayLength(array, Site.UNKNOWN));
            }
            NestIndex index = e.getValue();
            int c = index.constant();
            groups.merge(new Group(array, index.withConstant(0)), new int[] {c, c}, (u, v) -> new int[] {Math.min(u[0], v[0]), Math.max(u[1], v[1])});
        }
        Products products = new Products(builder, general);
        Map<Map<List<Value>, Integer>, Value> sums = new HashMap<>();
        for (Map.Entry<Group, int[]> g : groups.entrySet()) {
            NestIndex key = g.getKey().index();
            Value length = LongGuard.asLong(builder, lengths.get(g.getKey().array()));
            int[] cs = g.getValue();
            Value sum = sums.computeIfAbsent(key.terms(), t -> LongGuard.sumOfProducts(builder, t));
            if (columnSteps && key.inner() && key.p() != null) {
                // A walk down a column whose steps cross pages keeps the JVM's checks: see MAX_COLUMN_STEP_BYTES.
                int elements = MAX_COLUMN_STEP_BYTES / g.getKey().array().type().element().byteSize();
                LongGuard.failIf(builder, Condition.GT, key.p(), Constant.ofInt(elements), general);
                LongGuard.failIf(builder, Condition.LT, key.p(), Constant.ofInt(-elements), general);
            }
            int[] distinct = cs[0] == cs[1] ? new int[] {cs[0]} : cs;
            for (int c : distinct) LongGuard.failUnlessInt(builder, LongGuard.plus(builder, sum, c), general);
            for (Value yv : key.outer() ? ys : new Value[] {Constant.ofLong(0)}) {
                Value yq = key.outer() ? products.of(yv, key.q()) : Constant.ofLong(0);
                Value[] rowStarts = new Value[2];
                for (int k = 0; k < distinct.length; k++) {
                    rowStarts[k] = LongGuard.plus(builder, yq, LongGuard.plus(builder, sum, distinct[k]));
                    if (key.outer()) LongGuard.failUnlessInt(builder, rowStarts[k], general);
                }
                if (distinct.length == 1) rowStarts[1] = rowStarts[0];
                for (Value xv : key.inner() ? xs : new Value[] {Constant.ofLong(0)}) {
                    Value xp = key.inner() ? products.of(xv, key.p()) : Constant.ofLong(0);
                    LongGuard.failIfLong(builder, Condition.LT, LongGuard.plus(builder, xp, rowStarts[0]), Constant.ofLong(0), general);
                    LongGuard.failIfLong(builder, Condition.GE, LongGuard.plus(builder, xp, rowStarts[1]), length, general);
                }
            }
        }
        Map<NestIndex, Value> offsets = new HashMap<>();
        for (NestIndex index : accesses.values()) {
            if (offsets.containsKey(index)) continue;
            Value rest = index.terms().isEmpty() ? Constant.ofInt(index.constant())
                    : builder.convert(LongGuard.plus(builder, sums.get(index.terms()), index.constant()), Type.INT);
            offsets.put(index, rest);
        }
        return new Guard(first, builder.currentBlock(), outerBound, innerBound, lengths, offsets);
    }

    /** The accesses to one array at one index but for its constant. */
    private record Group(Value array, NestIndex index) {}

    /** A counter's end times a factor, in long, checked once to lie within int (as the copy multiplies them). */
    private static final class Products {
        private final FunctionBuilder builder;
        private final BasicBlock general;
        private final Map<List<Value>, Value> made = new HashMap<>();

        Products(FunctionBuilder builder, BasicBlock general) {
            this.builder = builder;
            this.general = general;
        }

        Value of(Value end, Value factor) {
            if (factor == null) return end;
            return made.computeIfAbsent(List.of(end, factor), k -> {
                Value product = LongGuard.times(builder, end, LongGuard.asLong(builder, factor));
                LongGuard.failUnlessInt(builder, product, general);
                return product;
            });
        }
    }

    private static Value last(FunctionBuilder builder, LoopCounter c, Value bound) {
        Value b = LongGuard.asLong(builder, bound);
        return c.inclusive() ? b : LongGuard.plus(builder, b, -1);
    }

    /** {@code y * q + offset} with an add and a multiply the guard proved not to overflow ({@code offset} without {@code y}). */
    private static Value rowStart(FunctionBuilder b, NestIndex index, Value y, Value offset, Map<Value, Value> products) {
        if (!index.outer()) return offset;
        Value yq = index.q() == null ? y
                : products.computeIfAbsent(index.q(), q -> b.intrinsic(Intrinsic.MUL_NO_WRAP, List.of(y, q), Site.UNKNOWN));
        return isZero(offset) ? yq : b.intrinsic(Intrinsic.ADD_NO_WRAP, List.of(yq, offset), Site.UNKNOWN);
    }

    /** {@code x * p + rowStart}, as {@link #rowStart}; {@code rowStart} alone for an index without {@code x}. */
    private static Value rebuild(FunctionBuilder b, NestIndex index, Value x, Value rowStart) {
        if (!index.inner()) return rowStart;
        Value xp = index.p() == null ? x : b.intrinsic(Intrinsic.MUL_NO_WRAP, List.of(x, index.p()), Site.UNKNOWN);
        return isZero(rowStart) ? xp : b.intrinsic(Intrinsic.ADD_NO_WRAP, List.of(xp, rowStart), Site.UNKNOWN);
    }

    private static boolean isZero(Value v) {
        return v instanceof Constant c && c.intValue() == 0;
    }
}
