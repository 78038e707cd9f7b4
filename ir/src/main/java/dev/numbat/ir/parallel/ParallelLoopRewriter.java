package dev.numbat.ir.parallel;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Condition;
import dev.numbat.ir.Constant;
import dev.numbat.ir.ConstantArray;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.Function;
import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Intrinsic;
import dev.numbat.ir.Module;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Parameter;
import dev.numbat.ir.Reduction;
import dev.numbat.ir.Site;
import dev.numbat.ir.Type;
import dev.numbat.ir.Value;
import dev.numbat.ir.loop.Loop;
import dev.numbat.ir.loop.LoopCounter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a loop the analysis accepted. The loop body moves into a new function of the module,
 * {@code name$parallelK(from, to, live-ins...)}, that runs the iterations [from, to) and returns its
 * partial reduction. Before the loop, a chain of checks decides at run time whether the iterations are
 * independent and cannot throw (non-empty range, non-null arrays, indices in range, non-zero divisors,
 * written arrays distinct from the other arrays of their type and touched in disjoint windows per
 * iteration); if so a {@code parallel} instruction runs the body, else the original loop runs, untouched,
 * so anything the checks could not rule out happens exactly as in the JVM.
 */
final class ParallelLoopRewriter {
    private static final long WINDOW_LIMIT = 1L << 61;

    private final Module module;
    private final Function f;
    private final ParallelLoopAnalysis a;
    private final Loop loop;
    private final FunctionBuilder fb;
    private final Map<Value, Value> materialised = new HashMap<>();
    private BasicBlock serial;
    private final long minimumWork;

    /** {@code minimumWork}: see {@link ParallelLoops#DEFAULT_MINIMUM_WORK}. */
    ParallelLoopRewriter(Module module, Function f, ParallelLoopAnalysis analysis, long minimumWork) {
        this.minimumWork = minimumWork;
        this.module = module;
        this.f = f;
        this.a = analysis;
        this.loop = analysis.loop;
        this.fb = new FunctionBuilder(f);
    }

    void rewrite(int index) {
        List<Value> liveIns = liveIns();
        Function body = outline(liveIns, index);
        module.add(body);

        Value reductionStart = a.reductionPhi == null ? null : initialOf(a.reductionPhi);
        BasicBlock header = loop.header();
        serial = fb.splitEdge(a.preheader, header);
        BasicBlock exitEdge = fb.splitEdge(header, a.exit);
        BasicBlock check = fb.newBlock();
        fb.retarget(a.preheader, serial, check);
        fb.at(check);

        Value from = a.counter.init();
        Value to = materialise(a.counter.bound());
        failIf(Condition.GE, from, to);
        Value trips = fb.binary(Opcode.SUB, widen(to), widen(from), Site.UNKNOWN);
        failIfLong(Condition.LT, trips, Constant.ofLong(minimumIterations()));
        if (!loop.children().isEmpty()) {
            failIfLong(Condition.LT, multiply(trips, workPerIteration()), Constant.ofLong(neededWork()));
        }
        emitChecks(from, to);

        List<Value> args = new ArrayList<>(List.of(from, to));
        args.addAll(liveIns);
        Instruction run = fb.parallel(body, a.reduction, args);
        Value reduced = null;
        if (a.reductionPhi != null) reduced = combine(reductionStart, run);
        BasicBlock par = fb.currentBlock();
        fb.jump(exitEdge);

        merge(exitEdge, header, par, a.counter.phi(), to);
        if (a.reductionPhi != null) merge(exitEdge, header, par, a.reductionPhi, reduced);
    }

    // ---- the outlined body ------------------------------------------------------------------------

    /** Values defined before the loop that the body uses, but the header phis' starting values. */
    private List<Value> liveIns() {
        Set<Value> in = new LinkedHashSet<>();
        for (BasicBlock b : loop.blocks()) {
            for (Instruction i : b.instructions()) {
                for (int k = 0; k < i.operands().size(); k++) {
                    if (i.isPhi() && b == loop.header() && !loop.contains(i.incoming().get(k))) continue;
                    Value v = i.operand(k);
                    if (v instanceof Parameter || v instanceof Instruction d && !loop.contains(d.block())) in.add(v);
                }
            }
        }
        return new ArrayList<>(in);
    }

    private Function outline(List<Value> liveIns, int index) {
        Type result = a.reductionPhi == null ? Type.VOID : a.reductionPhi.type();
        StringBuilder desc = new StringBuilder("(II");
        for (Value v : liveIns) desc.append(v.type().descriptor());
        desc.append(')').append(result.descriptor());
        Function g = new Function(f.owner(), f.methodName() + "$parallel" + index, desc.toString(), result);
        FunctionBuilder gb = new FunctionBuilder(g);
        gb.setSourceFile(f.sourceFile());
        Parameter from = gb.addParameter(Type.INT, "from");
        Parameter to = gb.addParameter(Type.INT, "to");
        Map<Value, Value> map = new HashMap<>();
        for (int k = 0; k < liveIns.size(); k++) map.put(liveIns.get(k), gb.addParameter(liveIns.get(k).type(), "in" + k));

        BasicBlock entry = gb.newBlock();
        Map<BasicBlock, BasicBlock> blocks = new HashMap<>();
        List<BasicBlock> order = new ArrayList<>();
        for (BasicBlock b : Dominators.reversePostorder(f)) {
            if (loop.contains(b)) {
                order.add(b);
                blocks.put(b, gb.newBlock());
            }
        }
        BasicBlock done = gb.newBlock();
        blocks.put(a.exit, done);
        gb.at(entry).jump(blocks.get(loop.header()));

        List<Instruction> phis = new ArrayList<>();
        for (BasicBlock b : order) {
            for (Instruction phi : b.phis()) {
                map.put(phi, gb.phi(blocks.get(b), phi.type()));
                phis.add(phi);
            }
        }
        for (BasicBlock b : order) {
            gb.at(blocks.get(b));
            for (Instruction i : b.instructions()) {
                if (i.isPhi()) continue;
                if (i.isTerminator()) copyTerminator(gb, i, map, blocks, to);
                else map.put(i, gb.copy(i, mapped(i.operands(), map)));
            }
        }
        for (Instruction phi : phis) {
            Instruction copy = (Instruction) map.get(phi);
            for (int k = 0; k < phi.operands().size(); k++) {
                BasicBlock pred = phi.incoming().get(k);
                if (loop.contains(pred)) {
                    gb.addIncoming(copy, blocks.get(pred), mapped(phi.operand(k), map));
                } else if (phi == a.counter.phi()) {
                    gb.addIncoming(copy, entry, from);
                } else {
                    gb.addIncoming(copy, entry, a.reduction.identity(phi.type()));
                }
            }
        }
        gb.at(done).ret(a.reductionPhi == null ? null : map.get(a.reductionPhi));
        gb.renumber();
        return g;
    }

    private void copyTerminator(FunctionBuilder gb, Instruction t, Map<Value, Value> map,
                                Map<BasicBlock, BasicBlock> blocks, Parameter to) {
        List<BasicBlock> targets = new ArrayList<>();
        for (BasicBlock s : t.targets()) targets.add(blocks.get(s));
        switch (t.opcode()) {
            case GOTO -> gb.jump(targets.get(0));
            case IF -> {
                List<Value> ops = mapped(t.operands(), map);
                // The header's test runs to the end of this chunk instead of the loop's end.
                if (t.block() == loop.header()) ops.set(a.counter.boundOperand(), to);
                gb.branch(t.condition(), ops.get(0), ops.get(1), targets.get(0), targets.get(1));
            }
            case SWITCH -> gb.switchOn(mapped(t.operand(0), map), t.switchKeys(), targets);
            default -> throw new IllegalStateException("unexpected " + t + " in a parallel loop");
        }
    }

    private static Value mapped(Value v, Map<Value, Value> map) {
        if (v instanceof Constant || v instanceof ConstantArray) return v;
        Value m = map.get(v);
        if (m == null) throw new IllegalStateException("no copy of " + v.reference());
        return m;
    }

    private static List<Value> mapped(List<Value> vs, Map<Value, Value> map) {
        List<Value> out = new ArrayList<>();
        for (Value v : vs) out.add(mapped(v, map));
        return out;
    }

    // ---- the run-time checks ----------------------------------------------------------------------

    /**
     * A body of only cheap work (no call, division, square root or library function) is vectorised, and counts this
     * many times less: saxpy (10 instructions) ran 65,536 floats in 3.7 µs, about 180 of its instructions a
     * nanosecond; Black-Scholes (41, with calls) about 3 (1,024 options in 15 µs).
     */
    static final int CHEAP_DISCOUNT = 16;

    /**
     * Below this many iterations the loop runs serially, as threads would cost more than they save: two
     * for a loop with loops inside (whose work {@link #workPerIteration} estimates at run time), else enough
     * iterations of its straight-line body to make {@link #neededWork} instructions.
     */
    private long minimumIterations() {
        if (!loop.children().isEmpty()) return 2;
        int size = 0;
        for (BasicBlock b : loop.blocks()) size += b.instructions().size();
        return Math.max(2, neededWork() / Math.max(1, size));
    }

    /** {@code minimumWork} instructions, or {@link #CHEAP_DISCOUNT} times as many of cheap work, which is vectorised. */
    private long neededWork() {
        return onlyCheapWork() ? minimumWork * CHEAP_DISCOUNT : minimumWork;
    }

    private boolean onlyCheapWork() {
        for (BasicBlock b : loop.blocks()) for (Instruction i : b.instructions()) if (!isCheap(i)) return false;
        return true;
    }

    /** An inner loop's trips count up to this many in {@link #workPerIteration}, so that its products stay in a long. */
    private static final long MAX_COUNTED_TRIPS = 1 << 20;
    /** One iteration's work counts up to this many instructions: times the outer trips (below 2^32), it stays in a long. */
    private static final long MAX_COUNTED_WORK = 1L << 30;

    /**
     * The work of one iteration of a loop with loops inside, in instructions, as the run-time check estimates it (a
     * long): each loop's own blocks once per trip of it and of the loops around it inside this one. An inner loop's
     * trips are known before the loop where it is counted, leaves only through its test, and starts and ends at values
     * that do not change in the loop (a row of a stencil, {@code w - 2}); any other inner loop (one whose bounds change
     * with the outer counter, as a CSR row's, or that leaves on data, as an escape-time loop) counts once. So
     * Mandelbrot's rows count their points but not the points' iterations: an estimate from below, which keeps small
     * images serial (a 64 x 64 one ran 103 against 59 µs in parallel) and large ones parallel.
     */
    private Value workPerIteration() {
        return workOf(loop);
    }

    /** At most {@link #MAX_COUNTED_WORK}: a loop without loops inside is its own few instructions, the others are capped. */
    private Value workOf(Loop l) {
        int own = l.instructionCount();
        for (Loop inner : l.children()) own -= inner.instructionCount();
        Value total = Constant.ofLong(Math.max(1, own));
        for (Loop inner : l.children()) total = capped(add(total, multiply(tripsOf(inner), workOf(inner))), MAX_COUNTED_WORK);
        return total;
    }

    /** The trips of an inner loop, from 0 up to {@link #MAX_COUNTED_TRIPS}, where known before the loop; else 1. */
    private Value tripsOf(Loop inner) {
        LoopCounter c = LoopCounter.ofEitherDirection(inner);
        if (c == null || c.init() == null || !a.invariance.isInvariant(c.init()) || !a.invariance.isInvariant(c.bound())) {
            return Constant.ofLong(1);
        }
        for (BasicBlock b : inner.exitingBlocks()) if (b != inner.header()) return Constant.ofLong(1);
        Value[] range = counterRange(c);
        Value trips = add(fb.binary(Opcode.SUB, range[1], range[0], Site.UNKNOWN), Constant.ofLong(1));
        return extreme(Intrinsic.MAX, Constant.ofLong(0), capped(trips, MAX_COUNTED_TRIPS));
    }

    private Value capped(Value v, long most) {
        return extreme(Intrinsic.MIN, v, Constant.ofLong(most));
    }

    private static boolean isCheap(Instruction i) {
        return switch (i.opcode()) {
            case CALL, DIV, REM -> false;
            case INTRINSIC -> switch (i.intrinsic()) {
                case ABS, MIN, MAX, COPY_SIGN, FMA, IN_RANGE, ADD_NO_WRAP, MUL_NO_WRAP -> true;
                default -> false;
            };
            default -> true;
        };
    }

    private void emitChecks(Value from, Value to) {
        for (Value array : a.arrays) failIf(Condition.EQ, array, Constant.nullOf(array.type()));
        for (Value d : a.divisors) {
            Value m = materialise(d);
            if (m.type() == Type.INT) failIf(Condition.EQ, m, Constant.ofInt(0));
            else failIfLong(Condition.EQ, m, Constant.ofLong(0));
        }
        for (Value[] pair : a.mustDiffer()) failIf(Condition.EQ, pair[0], pair[1]);

        Map<Instruction, Value[]> ranges = new HashMap<>();
        ranges.put(a.counter.phi(), new Value[] {widen(from), fb.binary(Opcode.SUB, widen(to), Constant.ofLong(1), Site.UNKNOWN)});
        for (ParallelLoopAnalysis.Access x : a.accesses) {
            Value[] bounds = bounds(x.index(), ranges, null);
            failIfLong(Condition.LT, bounds[0], Constant.ofLong(0));
            failIfLong(Condition.GE, bounds[1], length(x.array()));
        }
        for (Value w : a.writtenArrays()) windowCheck(w, ranges);
    }

    /**
     * Iteration y touches the written array at {@code c*y + R} only, R over the inner counters: when
     * every such R of every access lies in one window narrower than |c|, two iterations never touch the
     * same element.
     */
    private void windowCheck(Value array, Map<Instruction, Value[]> ranges) {
        Value lowest = null, highest = null;
        Affine.Term step = null;
        for (ParallelLoopAnalysis.Access x : a.accesses) {
            if (x.array() != array) continue;
            step = x.index().coefficient(a.counter.phi());
            Value[] r = bounds(x.index(), ranges, a.counter.phi());
            failIfLong(Condition.LT, r[0], Constant.ofLong(-WINDOW_LIMIT));
            failIfLong(Condition.GT, r[1], Constant.ofLong(WINDOW_LIMIT));
            lowest = lowest == null ? r[0] : extreme(Intrinsic.MIN, lowest, r[0]);
            highest = highest == null ? r[1] : extreme(Intrinsic.MAX, highest, r[1]);
        }
        Value c = term(step);
        failIfLong(Condition.EQ, c, Constant.ofLong(0));
        Value width = fb.binary(Opcode.SUB, highest, lowest, Site.UNKNOWN);
        failIfLong(Condition.GE, width, fb.intrinsic(Intrinsic.ABS, List.of(c), Site.UNKNOWN));
    }

    /** {min, max} of the form over the counters' ranges, as longs, leaving out {@code skip}. */
    private Value[] bounds(Affine form, Map<Instruction, Value[]> ranges, Instruction skip) {
        Value min = Constant.ofLong(0), max = Constant.ofLong(0);
        for (Affine.Term t : form.offset) {
            Value v = term(t);
            min = add(min, v);
            max = add(max, v);
        }
        for (var e : form.coefficients.entrySet()) {
            if (e.getKey() == skip) continue;
            Value[] range = ranges.computeIfAbsent(e.getKey(), this::counterRange);
            Value c = term(e.getValue());
            Value x = multiply(c, range[0]);
            Value y = multiply(c, range[1]);
            min = add(min, extreme(Intrinsic.MIN, x, y));
            max = add(max, extreme(Intrinsic.MAX, x, y));
        }
        return new Value[] {min, max};
    }

    /** [lowest, highest] of an inner counter, as longs: [init, bound) or, falling, (bound, init]. */
    private Value[] counterRange(Instruction phi) {
        return counterRange(a.counters.get(phi));
    }

    private Value[] counterRange(LoopCounter c) {
        Value end = widen(materialise(c.bound()));
        if (!c.inclusive()) {
            end = c.descending() ? add(end, Constant.ofLong(1)) : fb.binary(Opcode.SUB, end, Constant.ofLong(1), Site.UNKNOWN);
        }
        Value start = widen(materialise(c.init()));
        return c.descending() ? new Value[] {end, start} : new Value[] {start, end};
    }

    private Value term(Affine.Term t) {
        if (t.invariant() == null) return Constant.ofLong(t.factor());
        Value v = widen(materialise(t.invariant()));
        return t.factor() == 1 ? v : fb.binary(Opcode.MUL, v, Constant.ofLong(t.factor()), Site.UNKNOWN);
    }

    /** Math.min or Math.max of two longs, folded for constants. */
    private Value extreme(Intrinsic which, Value x, Value y) {
        if (x instanceof Constant c && y instanceof Constant d) {
            return Constant.ofLong(which == Intrinsic.MIN ? Math.min(c.longValue(), d.longValue()) : Math.max(c.longValue(), d.longValue()));
        }
        return fb.intrinsic(which, List.of(x, y), Site.UNKNOWN);
    }

    /** {@code x * y} on longs, folded when either is a constant 0 or 1 or both are constants. */
    private Value multiply(Value x, Value y) {
        if (x instanceof Constant c && y instanceof Constant d) return Constant.ofLong(c.longValue() * d.longValue());
        if (x instanceof Constant c && c.longValue() == 1) return y;
        if (y instanceof Constant d && d.longValue() == 1) return x;
        if (x instanceof Constant c && c.longValue() == 0 || y instanceof Constant d && d.longValue() == 0) return Constant.ofLong(0);
        return fb.binary(Opcode.MUL, x, y, Site.UNKNOWN);
    }

    /** {@code x + y} on longs, folded for constants. */
    private Value add(Value x, Value y) {
        if (x instanceof Constant c && y instanceof Constant d) return Constant.ofLong(c.longValue() + d.longValue());
        if (x instanceof Constant c && c.longValue() == 0) return y;
        return fb.binary(Opcode.ADD, x, y, Site.UNKNOWN);
    }

    private Value length(Value array) {
        if (array instanceof ConstantArray t) return Constant.ofLong(t.length());
        return widen(fb.arrayLength(array, Site.UNKNOWN));
    }

    private Value widen(Value v) {
        if (v instanceof Constant c) return Constant.ofLong(c.intValue());
        return fb.convert(v, Type.LONG);
    }

    private Value materialise(Value v) {
        return a.invariance.materialise(v, fb, materialised, array -> failIf(Condition.EQ, array, Constant.nullOf(array.type())));
    }

    /** Ends the current block with "if (x COND y) run the loop serially", continuing in a new block. */
    private void failIf(Condition c, Value x, Value y) {
        BasicBlock next = fb.newBlock();
        fb.branch(c, x, y, serial, next);
        fb.at(next);
    }

    private void failIfLong(Condition c, Value x, Value y) {
        failIf(c, fb.binary(Opcode.CMP, x, y, Site.UNKNOWN), Constant.ofInt(0));
    }

    // ---- after the loop ---------------------------------------------------------------------------

    /** The value {@code phi} has on entering the loop (read before the entry edge is split). */
    private Value initialOf(Instruction phi) {
        return phi.incomingValue(a.preheader);
    }

    private Value combine(Value initial, Value partial) {
        return switch (a.reduction) {
            case ADD -> fb.binary(Opcode.ADD, initial, partial, Site.UNKNOWN);
            case MUL -> fb.binary(Opcode.MUL, initial, partial, Site.UNKNOWN);
            case MIN -> fb.intrinsic(Intrinsic.MIN, List.of(initial, partial), Site.UNKNOWN);
            case MAX -> fb.intrinsic(Intrinsic.MAX, List.of(initial, partial), Site.UNKNOWN);
            case NONE -> throw new IllegalStateException();
        };
    }

    /** After the loop, {@code original} (a header phi) is {@code parallelValue} when the parallel path ran. */
    private void merge(BasicBlock exitEdge, BasicBlock header, BasicBlock par, Instruction original, Value parallelValue) {
        boolean usedAfter = false;
        for (Instruction u : original.users()) usedAfter |= !loop.contains(u.block());
        if (!usedAfter) return;
        Instruction phi = fb.phi(exitEdge, original.type());
        fb.addIncoming(phi, header, original);
        fb.addIncoming(phi, par, parallelValue);
        fb.replaceUses(original, phi, u -> !loop.contains(u.block()));
    }
}
