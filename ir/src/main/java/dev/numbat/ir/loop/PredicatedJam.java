package dev.numbat.ir.loop;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Condition;
import dev.numbat.ir.Constant;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Site;
import dev.numbat.ir.Type;
import dev.numbat.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs neighbouring iterations of a loop together whose inner loop leaves on what it computes, as Mandelbrot's escape
 * loop does (shown with two; the compiler runs up to sixteen, see {@link #lanes}):
 * <pre>
 *   for (x = 0; x &lt; w; x++) { cr = f(x); zr = zi = 0; n = 0;
 *       while (n &lt; max &amp;&amp; zr * zr + zi * zi &lt;= 4) { ...; n++; }
 *       out[row + x] = n; }
 * becomes
 *   x = 0;
 *   for (; x + 1 &lt; w; x += 2) {
 *       cr0 = f(x); cr1 = f(x + 1); ...
 *       do {
 *           stay0 = n0 &lt; max &amp;&amp; zr0 * zr0 + zi0 * zi0 &lt;= 4; if (stay0) { ...; n0++; }   // values kept otherwise
 *           stay1 = n1 &lt; max &amp;&amp; zr1 * zr1 + zi1 * zi1 &lt;= 4; if (stay1) { ...; n1++; }
 *       } while (stay0 | stay1);
 *       out[row + x] = n0; out[row + x + 1] = n1; }
 *   the loop as it was, from x on
 * </pre>
 * The escape loop is one chain of dependent multiplies and adds, which leaves most of the CPU idle; the lanes' chains
 * are independent, so they run side by side. Each lane computes its whole step and then chooses, value by value,
 * between the step's result and the value it had (one phi per choice, which LLVM makes a select), so the lanes are
 * identical straight-line code that LLVM's SLP vectoriser turns into vector operations across lanes. Each lane does
 * exactly its own iterations: once its tests fail it keeps its values (a lane's tests read only its own values and
 * values from outside, so they fail again every step after), and the loop ends when every lane has stopped. The
 * arithmetic is the JVM's, strict floating point included: only which lane's operations run when changes.
 *
 * <p>Only where that cannot change what anyone sees: the outer loop's body before the inner loop and the inner loop
 * itself have no effect and cannot throw (no store, no call, no integer division; reads only where a guard proved them
 * in range, of arrays from outside), and do not read what the outer loop carries from one iteration to the next but
 * its counter; so running the lanes' inner loops before the earlier lanes' stores is not observable, and the code after
 * the inner loop (stores, sums, anything that throws) runs lane after lane, in the original order. Where there are
 * reads, that code calls nothing and stores only into arrays from outside, and a read and a store of arrays of one
 * type either index both at the counter plus the same value (each lane touches its own element: a per-element solver's
 * {@code b[i] = f(a[i], b[i])}) or the guard tests that the two arrays are other objects ({@link
 * Nest#readsStayUnwritten}). One test of the inner loop must bound its trips ({@link
 * LoopCounter#limitsTrips}): a lane whose loop never ended would keep an earlier lane's store or exception from ever
 * happening. Both loops' bodies straight lines, the inner loop's tests all leaving to one block (directly or through an
 * empty block, as a {@code break} does), where only the inner loop's header values are used after it.
 *
 * <p>Runs after {@link UnrollAndJam} (whose nests read memory, so this pass never takes them) and before {@link
 * AlignmentPeeling}. Needs reachable blocks; leaves the lanes' copies of the counter's increment for dead-code
 * elimination.
 */
public final class PredicatedJam extends NestPass {
    /** A nest larger than this, in instructions, is left alone: the jammed loop holds one copy per lane. */
    private static final int MAX_INSTRUCTIONS = 64;
    /**
     * The lanes' values kept across the inner loop's iterations together fill at most this many registers' worth of
     * scalars: LLVM's SLP vectoriser makes the lanes' identical steps vector operations (eight doubles a zmm register),
     * and two independent vectors of Mandelbrot's escape loop in flight beat one. Measured on the benchmark machine
     * (JMH, alternating builds): 8 lanes ran Mandelbrot in 72-77 µs at 64² and 3.39-3.61 ms at 512², 16 lanes in
     * 59-60 µs and 2.44-2.66 ms (HotSpot 202-210 µs and 13.1-14.2 ms; docs/performance.md).
     */
    private static final int REGISTERS = 64;
    private static final int MAX_LANES = 16;

    private final int maxLanes;

    public PredicatedJam() { this(MAX_LANES); }

    /** With at most {@code maxLanes} lanes: for golden files short enough to read. */
    public PredicatedJam(int maxLanes) { this.maxLanes = maxLanes; }

    @Override public String name() { return "predicated-jam"; }

    @Override public String description() { return "runs neighbouring iterations of a loop whose inner loop leaves on data side by side, each lane stopping on its own"; }

    @Override public Set<Property> invalidates() { return Set.of(Property.NO_DEAD_CODE); }

    @Override
    boolean rewrite(FunctionBuilder builder, Dominators dom, Loop outer, Loop inner) {
        Nest nest = Nest.of(outer, inner);
        if (nest == null) return false;
        nest.jam(builder, lanes(nest.valuesPerLane(), maxLanes));
        return true;
    }

    /** The most lanes, a power of two from 2 to {@code max}, whose values kept in the inner loop fit in the registers. */
    static int lanes(int valuesPerLane, int max) {
        int lanes = 2;
        while (lanes * 2 <= max && lanes * 2 * valuesPerLane <= REGISTERS) lanes *= 2;
        return lanes;
    }

    /**
     * A nest that qualifies: the outer loop's counter and the phis it carries; its body before the inner loop (a
     * line); the inner loop's blocks in order from its header to its latch, each but the latch ending in a test that
     * leaves to {@code exit}; and the outer body from {@code exit} to the outer loop's latch (a line).
     */
    private record Nest(LoopCounter outer, List<Instruction> carried, BasicBlock preheader, List<BasicBlock> before,
                        Loop innerLoop, List<BasicBlock> chain, List<BasicBlock> after, List<Value[]> mustDiffer) {

        static Nest of(Loop outerLoop, Loop innerLoop) {
            if (outerLoop.instructionCount() > MAX_INSTRUCTIONS) return null;
            LoopCounter y = LoopCounter.of(outerLoop);
            if (y == null || y.init() == null || !outerLoop.definedOutside(y.bound())) return null;
            BasicBlock preheader = LoopCopy.preheaderOf(outerLoop), header = outerLoop.header();
            if (preheader == null || !LoopCopy.leavesOnlyFromItsHeader(outerLoop) || innerLoop.entries().size() != 1) return null;
            for (Instruction i : header.instructions()) {
                if (!i.isPhi() && !i.isTerminator() && !deadLengthOfCheckedArray(i, outerLoop)) return null;
            }

            List<BasicBlock> chain = chain(innerLoop);
            if (chain == null) return null;
            List<BasicBlock> passed = new ArrayList<>();
            BasicBlock exit = exitOf(innerLoop, chain, passed);
            if (exit == null || !exit.phis().isEmpty() || exit.terminator().opcode() != Opcode.GOTO) return null;
            BasicBlock afterExit = exit.terminator().targets().get(0);
            List<BasicBlock> after = new ArrayList<>(List.of(exit));
            if (afterExit != header) {
                List<BasicBlock> rest = line(afterExit, header);
                if (rest == null) return null;
                after.addAll(rest);
            }
            List<BasicBlock> before = line(y.stay(), innerLoop.header());
            if (before == null || before.size() + chain.size() + passed.size() + after.size() + 1 != outerLoop.blocks().size()) return null;

            List<Instruction> carried = new ArrayList<>(header.phis());
            carried.remove(y.phi());
            List<BasicBlock> pure = new ArrayList<>(before);
            pure.addAll(chain);
            List<Instruction> loads = new ArrayList<>();
            for (BasicBlock b : pure) { // in order: the guards' order follows the reads'
                for (Instruction i : b.instructions()) {
                    // A read a guard proved in range, of an array from outside, cannot throw.
                    boolean provenLoad = i.opcode() == Opcode.ARRAY_LOAD && RangeProof.proves(i) && outerLoop.definedOutside(i.operand(0));
                    if (provenLoad) loads.add(i);
                    else if (!i.isPhi() && !i.isTerminator() && (i.hasSideEffect() || i.opcode().isSegmentAccess())) return null;
                    for (Value o : i.operands()) if (carried.contains(o)) return null;
                }
            }
            List<Value[]> mustDiffer = new ArrayList<>();
            if (!loads.isEmpty() && !readsStayUnwritten(y, outerLoop, loads, after, mustDiffer)) return null;
            List<Instruction> innerPhis = innerLoop.header().phis();
            for (BasicBlock b : outerLoop.blocks()) {
                if (b == header) continue;
                for (Instruction i : b.instructions()) {
                    for (Instruction u : i.users()) {
                        // What the outer loop computes stays in it (its header's phis carry values on and out).
                        if (!outerLoop.contains(u.block())) return null;
                        // The inner loop's values reach the code after it only as its header's phis, which hold at every exit.
                        if (innerLoop.contains(b) && !innerLoop.contains(u.block()) && !innerPhis.contains(i)) return null;
                    }
                }
            }
            return new Nest(y, carried, preheader, before, innerLoop, chain, after, mustDiffer);
        }

        /**
         * A length the header still computes and nothing uses, of an array whose length was taken before the loop for a
         * range check (a range-check copy's header, whose test uses that length): it cannot throw, and the jammed loop
         * leaves it out.
         */
        private static boolean deadLengthOfCheckedArray(Instruction i, Loop outerLoop) {
            if (i.opcode() != Opcode.ARRAY_LENGTH || !i.users().isEmpty()) return false;
            for (BasicBlock b : outerLoop.blocks()) {
                for (Instruction access : b.instructions()) {
                    boolean accessesIt = (access.opcode() == Opcode.ARRAY_LOAD || access.opcode() == Opcode.ARRAY_STORE)
                            && access.operand(0) == i.operand(0) && RangeProof.proves(access);
                    if (accessesIt && outerLoop.definedOutside(((Instruction) access.operand(1)).operand(1))) return true;
                }
            }
            return false;
        }

        /**
         * Whether the lanes' reads, which run before the earlier lanes' stores, still read what they would have: the
         * code after the inner loop stores only into arrays from outside and calls nothing, and each store and read of
         * arrays of one type either index both at the counter plus the same value (lanes touch different elements) or
         * go to arrays {@code mustDiffer} gets, for the guard to test are other objects.
         */
        private static boolean readsStayUnwritten(LoopCounter y, Loop outerLoop, List<Instruction> loads, List<BasicBlock> after,
                                                  List<Value[]> mustDiffer) {
            for (BasicBlock b : after) {
                for (Instruction store : b.instructions()) {
                    if (store.opcode() == Opcode.CALL || store.opcode() == Opcode.PARALLEL || store.opcode().isSegmentStore()) return false;
                    if (store.opcode() != Opcode.ARRAY_STORE) continue;
                    Value stored = store.operand(0);
                    if (!outerLoop.definedOutside(stored)) return false;
                    for (Instruction load : loads) {
                        Value read = load.operand(0);
                        if (read.type() != stored.type() || sameLaneElement(y, outerLoop, store, load)) continue;
                        if (read == stored) return false;
                        if (mustDiffer.stream().noneMatch(p -> p[0] == stored && p[1] == read)) mustDiffer.add(new Value[] {stored, read});
                    }
                }
            }
            return true;
        }

        /** Both index their array at the outer counter plus one same value from outside (or the counter itself). */
        private static boolean sameLaneElement(LoopCounter y, Loop outerLoop, Instruction a, Instruction b) {
            Value ta = laneOffset(y, outerLoop, RangeProof.unwrap(a.operand(1))), tb = laneOffset(y, outerLoop, RangeProof.unwrap(b.operand(1)));
            if (ta == null || tb == null) return false;
            return ta.equals(tb); // constants by value, anything else by identity
        }

        /** For an index {@code counter + t} with {@code t} from outside the loop: {@code t}; 0 for the counter; else null. */
        private static Value laneOffset(LoopCounter y, Loop outerLoop, Value index) {
            if (index == y.phi()) return Constant.ofInt(0);
            Value t = y.addedTo(index);
            return t != null && outerLoop.definedOutside(t) ? t : null;
        }

        /**
         * The inner loop's blocks from its header to its latch, each entered only from the one before (the header from
         * outside and the latch), each but the latch ending in a test that leaves the loop on one side, the latch in a
         * jump to the header; one of the tests bounding the trips. Null where the loop is not such a chain.
         */
        private static List<BasicBlock> chain(Loop loop) {
            BasicBlock header = loop.header();
            List<BasicBlock> chain = new ArrayList<>();
            boolean bounded = false;
            for (BasicBlock b = header; ; ) {
                if (chain.contains(b) || b != header && (b.predecessors().size() != 1 || !b.phis().isEmpty())) return null;
                chain.add(b);
                Instruction t = b.terminator();
                if (t.opcode() == Opcode.GOTO) {
                    if (t.targets().get(0) != header) return null;
                    break;
                }
                if (t.opcode() != Opcode.IF) return null;
                boolean stayOnTrue = loop.contains(t.targets().get(0));
                BasicBlock next = t.targets().get(stayOnTrue ? 0 : 1);
                if (loop.contains(t.targets().get(stayOnTrue ? 1 : 0)) || next == header) return null;
                bounded |= LoopCounter.limitsTrips(loop, t, stayOnTrue);
                b = next;
            }
            return bounded && chain.size() == loop.blocks().size() ? chain : null;
        }

        /**
         * The one block every test of the chain leaves to, directly or through an empty block of its own (a
         * {@code break}'s), entered from nowhere else; null if there is none. {@code passed} gets the empty blocks.
         */
        private static BasicBlock exitOf(Loop loop, List<BasicBlock> chain, List<BasicBlock> passed) {
            BasicBlock exit = null;
            int tests = 0;
            for (BasicBlock b : chain) {
                Instruction t = b.terminator();
                if (t.opcode() != Opcode.IF) continue;
                tests++;
                BasicBlock out = t.targets().get(loop.contains(t.targets().get(0)) ? 1 : 0);
                if (out.instructions().size() == 1 && out.terminator().opcode() == Opcode.GOTO && out.predecessors().size() == 1) {
                    passed.add(out);
                    out = out.terminator().targets().get(0);
                }
                if (exit != null && exit != out) return null;
                exit = out;
            }
            return exit != null && exit.predecessors().size() == tests ? exit : null;
        }

        /** The values a lane keeps from one step of the inner loop to the next: its header's phis and what they read from before it. */
        int valuesPerLane() {
            Set<Value> kept = new HashSet<>(innerLoop.header().phis());
            for (BasicBlock b : chain) {
                for (Instruction i : b.instructions()) {
                    for (Value o : i.operands()) if (o instanceof Instruction oi && before.contains(oi.block())) kept.add(o);
                }
            }
            return kept.size();
        }

        /**
         * Puts the jammed loop between the preheader and the outer loop, which goes on from where it stops (the
         * iterations left, fewer than {@code lanes}).
         */
        void jam(FunctionBuilder builder, int lanes) {
            Instruction y = outer.phi();
            BasicBlock outerHeader = outer.loop().header(), outerLatch = after.get(after.size() - 1);
            BasicBlock general = builder.splitEdge(preheader, outerHeader);
            BasicBlock header = builder.newBlock();
            builder.retarget(preheader, general, header);
            Instruction jy = builder.phi(header, Type.INT);
            builder.addIncoming(jy, preheader, outer.init());
            Map<Instruction, Instruction> jammedCarried = new HashMap<>();
            for (Instruction c : carried) {
                Instruction jc = builder.phi(header, c.type());
                builder.addIncoming(jc, preheader, incoming(c, general));
                jammedCarried.put(c, jc);
            }
            builder.setOperand(y, y.incoming().indexOf(general), jy);
            for (Instruction c : carried) builder.setOperand(c, c.incoming().indexOf(general), jammedCarried.get(c));

            // Another group only while its last lane runs: jy + lanes - 1 < bound (<= when inclusive).
            builder.at(header);
            Value lastLane = LongGuard.plus(builder, LongGuard.asLong(builder, jy), lanes - 1);
            LongGuard.failIfLong(builder, outer.inclusive() ? Condition.GT : Condition.GE, lastLane,
                    LongGuard.asLong(builder, outer.bound()), general);
            for (Value[] pair : mustDiffer) LongGuard.failIf(builder, Condition.EQ, pair[0], pair[1], general);

            List<Map<Value, Value>> laneValues = new ArrayList<>();
            for (int u = 0; u < lanes; u++) {
                Map<Value, Value> values = new HashMap<>();
                // A plain add: the guard proved it does not wrap, but nothing here indexes memory by it that LLVM could
                // vectorise, and UnrollAndJam's columns are told apart from these lanes by their addNoWrap.
                values.put(y, u == 0 ? jy : builder.binary(Opcode.ADD, jy, Constant.ofInt(u), Site.UNKNOWN));
                laneValues.add(values);
            }
            for (Map<Value, Value> values : laneValues) copyLine(builder, before, values);

            BasicBlock entering = builder.currentBlock(), innerHeader = builder.newBlock();
            builder.jump(innerHeader);
            List<Instruction> phis = innerLoop.header().phis();
            BasicBlock innerEntry = before.get(before.size() - 1), innerLatch = chain.get(chain.size() - 1);
            Map<Instruction, List<Instruction>> lanePhis = new HashMap<>();
            for (Instruction p : phis) {
                List<Instruction> perLane = new ArrayList<>();
                for (Map<Value, Value> values : laneValues) {
                    Instruction copy = builder.phi(innerHeader, p.type());
                    builder.addIncoming(copy, entering, mapped(values, incoming(p, innerEntry)));
                    values.put(p, copy);
                    perLane.add(copy);
                }
                lanePhis.put(p, perLane);
            }
            builder.at(innerHeader);
            Value anyStays = null;
            Map<Instruction, Value> nextValues = new HashMap<>();
            for (Map<Value, Value> values : laneValues) {
                Instruction stays = step(builder, values, innerLatch, nextValues);
                anyStays = anyStays == null ? stays : builder.binary(Opcode.OR, anyStays, stays, Site.UNKNOWN);
            }
            BasicBlock rest = builder.newBlock(), innerBack = builder.currentBlock();
            builder.branch(Condition.NE, anyStays, Constant.ofInt(0), innerHeader, rest);
            for (Instruction p : phis) {
                for (Instruction copy : lanePhis.get(p)) builder.addIncoming(copy, innerBack, nextValues.get(copy));
            }

            // After the inner loop, each lane's code in the original order, each reading what the one before carried on.
            builder.at(rest);
            Map<Instruction, Value> carriedNow = new HashMap<>(jammedCarried);
            for (Map<Value, Value> values : laneValues) {
                values.putAll(carriedNow);
                copyLine(builder, after, values);
                for (Instruction c : carried) carriedNow.put(c, mapped(values, incoming(c, outerLatch)));
            }
            builder.addIncoming(jy, builder.currentBlock(), builder.binary(Opcode.ADD, jy, Constant.ofInt(lanes), Site.UNKNOWN));
            for (Instruction c : carried) builder.addIncoming(jammedCarried.get(c), builder.currentBlock(), carriedNow.get(c));
            builder.jump(header);
        }

        /**
         * One step of one lane: the whole step computed (it has no effect), then its tests; where one fails the lane
         * keeps its values. Answers 1 where the lane went on, 0 where it stopped; the builder goes on after it.
         * {@code nextValues} gets each of the lane's phis' value for the next step.
         */
        private Instruction step(FunctionBuilder builder, Map<Value, Value> values, BasicBlock latch, Map<Instruction, Value> nextValues) {
            copyLine(builder, chain, values);
            BasicBlock stop = builder.newBlock(), go = builder.newBlock(), merge = builder.newBlock(), lastTest = null;
            for (BasicBlock b : chain) if (b.terminator().opcode() == Opcode.IF) lastTest = b;
            for (BasicBlock b : chain) {
                Instruction t = b.terminator();
                if (t.opcode() != Opcode.IF) continue;
                boolean leaveOnTrue = !innerLoop.contains(t.targets().get(0));
                BasicBlock next = b == lastTest ? go : builder.newBlock();
                builder.branch(t.condition(), mapped(values, t.operand(0)), mapped(values, t.operand(1)),
                        leaveOnTrue ? stop : next, leaveOnTrue ? next : stop, t.site());
                builder.at(next);
            }
            builder.jump(merge);
            builder.at(stop);
            builder.jump(merge);
            Instruction stays = builder.phi(merge, Type.INT);
            builder.addIncoming(stays, go, Constant.ofInt(1));
            builder.addIncoming(stays, stop, Constant.ofInt(0));
            builder.at(merge);
            // One choice per value, each a diamond with one phi: LLVM makes each a select (it leaves a diamond with
            // several phis as branches).
            for (Instruction p : innerLoop.header().phis()) {
                Instruction now = (Instruction) values.get(p);
                BasicBlock keep = builder.newBlock(), take = builder.newBlock(), chosen = builder.newBlock();
                builder.branch(Condition.NE, stays, Constant.ofInt(0), take, keep);
                builder.at(take);
                builder.jump(chosen);
                builder.at(keep);
                builder.jump(chosen);
                Instruction next = builder.phi(chosen, p.type());
                builder.addIncoming(next, take, mapped(values, incoming(p, latch)));
                builder.addIncoming(next, keep, now);
                nextValues.put(now, next);
                builder.at(chosen);
            }
            return stays;
        }
    }

    /** Appends copies of the instructions of {@code blocks} but their phis and terminators, each operand mapped by {@code values}. */
    private static void copyLine(FunctionBuilder builder, List<BasicBlock> blocks, Map<Value, Value> values) {
        for (BasicBlock b : blocks) {
            for (Instruction i : b.instructions()) {
                if (i.isPhi() || i.isTerminator()) continue;
                List<Value> operands = new ArrayList<>();
                for (Value o : i.operands()) operands.add(mapped(values, o));
                values.put(i, builder.copy(i, operands));
            }
        }
    }

}
