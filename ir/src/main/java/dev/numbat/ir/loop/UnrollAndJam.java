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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs neighbouring iterations of a nest's outer loop together, in one pass of its inner loop (unroll and jam), where
 * each outer iteration sums over the inner loop down a column, as the naive matrix product does (shown with eight;
 * the compiler runs 32 doubles, then 8 of those left, see {@link #WIDE_BYTES}):
 * <pre>
 *   for (j = 0; j &lt; n; j++) { s = 0; for (k = 0; k &lt; n; k++) s += a[row + k] * b[k * n + j]; c[row + j] = s; }
 * becomes
 *   j = 0;
 *   if (c != a &amp;&amp; c != b)
 *       for (; j + 7 &lt; n; j += 8) {
 *           s0 = 0; ... s7 = 0;
 *           for (k = 0; k &lt; n; k++) { s0 += a[row + k] * b[k * n + j]; ... s7 += a[row + k] * b[k * n + j + 7]; }
 *           c[row + j] = s0; ... c[row + j + 7] = s7;
 *       }
 *   the loop as it was, from j on
 * </pre>
 * Each sum is the same operations on the same values in the same order as before, so the results are the JVM's bit
 * for bit, strict floating point included; what changes is that the eight reads of a step of {@code k} are neighbours
 * ({@code b[k * n + j .. j + 7]}), which LLVM's SLP vectoriser turns into one vector load, and the eight sums into one
 * vector. A strict sum over {@code k} alone cannot be vectorised; the clang twin and HotSpot walk the column one
 * element at a time.
 *
 * <p>Only where that cannot change what any access sees or throws: every access of the nest is one a guard before it
 * proved in range ({@link Intrinsic#IN_RANGE}, the copies {@link NestRangeVersioning} and {@link RangeCheckVersioning}
 * make), so none throws; nothing else in it has an effect; the inner loop stores nothing, and the outer loop's stores
 * go to arrays it does not read, checked to be other objects at run time (else the loop runs as it was), so moving
 * the reads of later iterations before the stores of earlier ones changes no value read, and the stores keep their
 * order. Both loops counted ({@link LoopCounter}), their bodies straight-line, the inner loop's start and bound from
 * outside the nest, at least one value summed over it, and at least one read down a column: an index
 * {@code t + j}, with {@code t} computed in the inner loop.
 *
 * <p>Runs after the range-check passes, whose copies it rewrites, and before {@link AlignmentPeeling}. Needs reachable
 * blocks; leaves dead copies of the counters' increments for dead-code elimination.
 */
public final class UnrollAndJam extends NestPass {
    /** A nest larger than this, in instructions, is left alone: the jammed loop holds one copy per iteration. */
    private static final int MAX_INSTRUCTIONS = 64;
    /**
     * How many bytes of neighbouring columns one step of the jammed loop reads: four 512-bit vectors, whose four
     * chains of additions and four cache lines a step are in flight together. Measured on the benchmark machine, not
     * derived: matmul at 32, 256 and 1,024 took 2.0 µs, 4.3 ms and 1.14 s with 64 bytes (one vector), and 1.2-2.1 µs,
     * 1.5-1.6 ms and 0.25-0.26 s with 256 (docs/performance.md).
     */
    private static final int WIDE_BYTES = 256;
    /** The columns left over run a vector at a time ({@value} bytes), in a second jammed loop. */
    private static final int NARROW_BYTES = 64;

    private final int wideBytes, narrowBytes;

    public UnrollAndJam() { this(WIDE_BYTES, NARROW_BYTES); }

    /** With other widths, in bytes of a column's neighbours per step: for golden files short enough to read. */
    public UnrollAndJam(int wideBytes, int narrowBytes) {
        this.wideBytes = wideBytes;
        this.narrowBytes = narrowBytes;
    }
    /** At most this many iterations together (bytes and shorts would ask for more copies). */
    private static final int MAX_ITERATIONS = 32;

    @Override public String name() { return "unroll-jam"; }

    @Override public String description() { return "runs neighbouring iterations of a nest that sums down columns together, so that the reads are neighbours"; }

    @Override public Set<Property> invalidates() { return Set.of(Property.NO_DEAD_CODE); }

    @Override
    boolean rewrite(FunctionBuilder builder, Dominators dom, Loop outer, Loop inner) {
        Nest nest = Nest.of(outer, inner, false);
        if (nest == null) return false;
        int wide = nest.iterations(wideBytes), narrow = nest.iterations(narrowBytes);
        nest.jam(builder, wide);
        if (narrow < wide) {
            // The loop as it was now runs the columns left over: fewer than wide, maybe more than narrow.
            Function f = builder.function();
            Loop rest = LoopForest.of(f, Dominators.of(f)).withHeader(outer.header());
            Nest left = rest == null || rest.children().size() != 1 ? null : Nest.of(rest, rest.children().get(0), false);
            if (left != null) left.jam(builder, narrow);
        }
        return true;
    }

    /**
     * A nest that qualifies: the blocks of the outer loop's body before the inner loop, the inner loop's body, and the
     * outer loop's body after it, each a straight line; the arrays stored and read; the size of the elements read down
     * a column.
     */
    private record Nest(LoopCounter outer, LoopCounter inner, BasicBlock preheader, List<BasicBlock> before,
                        List<BasicBlock> body, List<BasicBlock> after, Set<Value> stored, Set<Value> read, int columnElementBytes) {

        /**
         * The nest, or null where it does not qualify. {@code stillChecked}: the nest as it is before a guard proved its
         * accesses in range, asked whether its copy will qualify.
         */
        static Nest of(Loop outerLoop, Loop innerLoop, boolean stillChecked) {
            if (outerLoop.instructionCount() > MAX_INSTRUCTIONS) return null;
            LoopCounter y = LoopCounter.of(outerLoop), x = LoopCounter.of(innerLoop);
            if (y == null || x == null || y.init() == null || x.init() == null) return null;
            // Bounds computed in the headers (j < out.length) are computed once before the copy, whose tests use that.
            if (!outerLoop.definedOutside(x.init())) return null;
            if (!stillChecked && (!outerLoop.definedOutside(y.bound()) || !outerLoop.definedOutside(x.bound()))) return null;
            BasicBlock preheader = LoopCopy.preheaderOf(outerLoop), innerExit = LoopCopy.exitOf(x);
            if (preheader == null || !LoopCopy.leavesOnlyFromItsHeader(outerLoop) || !LoopCopy.leavesOnlyFromItsHeader(innerLoop)) return null;
            if (!onlyPhisTestAndBound(outerLoop.header()) || !onlyPhisTestAndBound(innerLoop.header())) return null;
            if (outerLoop.header().phis().size() != 1 || innerLoop.header().phis().size() < 2) return null; // something summed
            List<BasicBlock> before = line(y.stay(), innerLoop.header()), body = line(x.stay(), innerLoop.header()),
                    after = line(innerExit, outerLoop.header());
            if (before == null || body == null || after == null
                    || before.size() + body.size() + after.size() + 2 != outerLoop.blocks().size()) return null;

            Set<Value> stored = new LinkedHashSet<>(), read = new LinkedHashSet<>();
            int columnElementBytes = 0;
            for (BasicBlock b : outerLoop.blocks()) {
                for (Instruction i : b.instructions()) {
                    if (i != y.phi() && !i.users().stream().allMatch(u -> outerLoop.contains(u.block()))) return null;
                    if (i.isPhi() || i.isTerminator()) continue;
                    switch (i.opcode()) {
                        case ARRAY_LOAD -> {
                            if (!stillChecked && !RangeProof.proves(i) || !outerLoop.definedOutside(i.operand(0))) return null;
                            read.add(i.operand(0));
                            if (innerLoop.contains(b) && downAColumn(i.operand(1), y, innerLoop)) {
                                columnElementBytes = Math.max(columnElementBytes, i.type().byteSize());
                            }
                        }
                        case ARRAY_STORE -> {
                            if (!stillChecked && !RangeProof.proves(i) || innerLoop.contains(b) || !outerLoop.definedOutside(i.operand(0))) return null;
                            stored.add(i.operand(0));
                        }
                        case ARRAY_LENGTH -> { }
                        default -> {
                            if (i.hasSideEffect() || i.opcode().isSegmentAccess()) return null;
                        }
                    }
                }
            }
            if (columnElementBytes == 0 || stored.isEmpty()) return null;
            for (Value s : stored) if (read.contains(s)) return null;
            return new Nest(y, x, preheader, before, body, after, stored, read, columnElementBytes);
        }

        /**
         * Puts the jammed loop between the preheader and the outer loop, which goes on from where it stops (the
         * iterations left, fewer than {@code iterations}) or runs from the start where a stored array is one read.
         */
        void jam(FunctionBuilder builder, int iterations) {
            Instruction y = outer.phi();
            BasicBlock general = builder.splitEdge(preheader, outer.loop().header());
            BasicBlock check = builder.newBlock();
            builder.retarget(preheader, general, check);
            builder.at(check);
            List<BasicBlock> fromStart = new ArrayList<>();
            for (Value s : stored) {
                for (Value r : read) {
                    if (s.type() != r.type()) continue; // arrays of different types are different objects
                    fromStart.add(builder.currentBlock());
                    LongGuard.failIf(builder, Condition.EQ, s, r, general);
                }
            }
            BasicBlock last = builder.currentBlock();
            BasicBlock header = builder.newBlock();
            builder.jump(header);
            Instruction jy = builder.phi(header, Type.INT);
            builder.addIncoming(jy, last, outer.init());

            // Another group of iterations only while its last one runs: jy + iterations - 1 < bound (<= when inclusive).
            builder.at(header);
            Value lastOfGroup = LongGuard.plus(builder, LongGuard.asLong(builder, jy), iterations - 1);
            LongGuard.failIfLong(builder, outer.inclusive() ? Condition.GT : Condition.GE, lastOfGroup,
                    LongGuard.asLong(builder, outer.bound()), general);
            Instruction start = builder.phi(general, Type.INT);
            for (BasicBlock b : fromStart) builder.addIncoming(start, b, outer.init());
            builder.addIncoming(start, header, jy);
            builder.setOperand(y, y.incoming().indexOf(general), start);

            List<Map<Value, Value>> copies = new ArrayList<>();
            for (int u = 0; u < iterations; u++) {
                Map<Value, Value> values = new HashMap<>();
                values.put(y, u == 0 ? jy : builder.intrinsic(Intrinsic.ADD_NO_WRAP, List.of(jy, Constant.ofInt(u)), Site.UNKNOWN));
                copies.add(values);
            }
            Map<Value, Value> first = copies.get(0);
            for (Map<Value, Value> values : copies) copyLine(builder, before, values, first);

            BasicBlock innerHeader = builder.newBlock(), innerBody = builder.newBlock(), rest = builder.newBlock();
            BasicBlock entering = builder.currentBlock();
            builder.jump(innerHeader);
            Instruction x = inner.phi();
            Instruction k = builder.phi(innerHeader, Type.INT);
            List<Instruction> sums = new ArrayList<>();
            for (Instruction phi : inner.loop().header().phis()) if (phi != x) sums.add(phi);
            for (Map<Value, Value> values : copies) {
                values.put(x, k);
                for (Instruction s : sums) values.put(s, builder.phi(innerHeader, s.type()));
            }
            builder.at(innerHeader);
            Instruction test = inner.loop().header().terminator();
            boolean stayOnTrue = test.targets().get(0) == inner.stay();
            builder.branch(test.condition(), mapped(first, test.operand(0)), mapped(first, test.operand(1)),
                    stayOnTrue ? innerBody : rest, stayOnTrue ? rest : innerBody, test.site());
            builder.at(innerBody);
            for (Map<Value, Value> values : copies) copyLine(builder, body, values, first);
            BasicBlock latch = builder.currentBlock();
            builder.jump(innerHeader);
            BasicBlock innerEntry = before.get(before.size() - 1), innerLatch = body.get(body.size() - 1);
            builder.addIncoming(k, entering, mapped(first, incoming(x, innerEntry)));
            builder.addIncoming(k, latch, mapped(first, incoming(x, innerLatch)));
            for (Map<Value, Value> values : copies) {
                for (Instruction s : sums) {
                    Instruction copy = (Instruction) values.get(s);
                    builder.addIncoming(copy, entering, mapped(values, incoming(s, innerEntry)));
                    builder.addIncoming(copy, latch, mapped(values, incoming(s, innerLatch)));
                }
            }

            builder.at(rest);
            for (Map<Value, Value> values : copies) copyLine(builder, after, values, first);
            Value next = builder.binary(Opcode.ADD, jy, Constant.ofInt(iterations), Site.UNKNOWN);
            builder.addIncoming(jy, builder.currentBlock(), next);
            builder.jump(header);
        }

        /** How many iterations read {@code bytes} of a column's neighbours, at least two. */
        int iterations(int bytes) { return Math.max(2, Math.min(MAX_ITERATIONS, bytes / columnElementBytes)); }

        /**
         * Appends copies of the instructions of {@code blocks} but their jumps, each operand mapped by {@code values};
         * an instruction without effects whose operands map as in the {@code first} copy is that copy's (a row's
         * {@code k * n}, its {@code a[row + k]}), so that the copies' reads of one step share their index.
         */
        private static void copyLine(FunctionBuilder builder, List<BasicBlock> blocks, Map<Value, Value> values, Map<Value, Value> first) {
            for (BasicBlock b : blocks) {
                for (Instruction i : b.instructions()) {
                    if (i.isTerminator()) continue;
                    List<Value> operands = new ArrayList<>();
                    // A load here is one proven in range, of an array the nest does not store: it has no effect.
                    boolean asFirst = values != first && (!i.hasSideEffect() || i.opcode() == Opcode.ARRAY_LOAD);
                    for (Value o : i.operands()) {
                        operands.add(mapped(values, o));
                        asFirst &= mapped(values, o) == mapped(first, o);
                    }
                    values.put(i, asFirst ? first.get(i) : builder.copy(i, operands));
                }
            }
        }
    }

    /**
     * Whether this pass would jam the nest of {@code outer} and {@code inner} once a guard proved its accesses in range
     * (as {@link NestRangeVersioning} asks, whose copy it then is), but for the run-time test of the arrays.
     */
    static boolean wouldJamOnceChecked(Loop outer, Loop inner) {
        return Nest.of(outer, inner, true) != null;
    }


    /**
     * Whether header {@code b} holds only its phis, its test and what computes the test's bound, used nowhere else. In
     * a nest still checked, the test may use such a bound ({@code j < out.length}): {@link NestRangeVersioning}, which
     * asks, computes it once before its copy, whose test then uses that. In the copy (whose bounds {@link Nest#of}
     * checks to come from outside) such instructions are dead, and the jammed loop does not copy them.
     */
    private static boolean onlyPhisTestAndBound(BasicBlock b) {
        for (Instruction i : b.instructions()) {
            if (i.isPhi() || i.isTerminator()) continue;
            if (!i.users().stream().allMatch(u -> u.block() == b)) return false;
            if (i.hasSideEffect() && i.opcode() != Opcode.ARRAY_LENGTH && i.opcode() != Opcode.ARRAY_LOAD) return false;
        }
        return true;
    }

    /** An index {@code t + j} (or {@code j + t}) with {@code t} computed in the inner loop: a walk down a column. */
    private static boolean downAColumn(Value index, LoopCounter y, Loop inner) {
        Value t = y.addedTo(RangeProof.unwrap(index));
        return t != null && !inner.definedOutside(t);
    }
}
