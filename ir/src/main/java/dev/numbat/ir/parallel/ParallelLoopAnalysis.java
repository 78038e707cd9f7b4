package dev.numbat.ir.parallel;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Constant;
import dev.numbat.ir.ConstantArray;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Intrinsic;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Parameter;
import dev.numbat.ir.Reduction;
import dev.numbat.ir.Type;
import dev.numbat.ir.Value;
import dev.numbat.ir.loop.Loop;
import dev.numbat.ir.loop.LoopCounter;
import dev.numbat.ir.loop.LoopForest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a top-level loop may run its iterations on several threads with the serial result,
 * and what must be checked at run time first. It must be counted ({@code for (i = lo; i < n; i++)}, one
 * exit at the header), call nothing, allocate nothing, carry no value from one iteration to the next
 * but the counter and one reduction, and every exception it could raise must be ruled out before it
 * starts: array indices are linear in the loop counters (so their range is computed from the loop
 * bounds), divisors do not change in the loop, and the elements written by one iteration are never
 * touched by another (a window check on the written arrays' indices, plus identity checks against
 * the other arrays of the same type). Reads only; the rewriter makes the changes.
 */
final class ParallelLoopAnalysis {
    static final class NotParallel extends Exception {
        NotParallel(String why) { super(why, null, false, false); }
    }

    record Access(Instruction instruction, Value array, Affine index, boolean store) {}

    final Loop loop;
    final Dominators dom;
    final LoopCounter counter;
    final BasicBlock preheader;
    final BasicBlock exit;
    /** The header phi carrying the reduction, or null; its kind and the value it starts from. */
    Instruction reductionPhi;
    Reduction reduction = Reduction.NONE;
    final Invariance invariance;
    final List<Access> accesses = new ArrayList<>();
    /** Arrays read, written or measured in the loop (tables aside): all must be non-null. */
    final Set<Value> arrays = new LinkedHashSet<>();
    final Set<Value> divisors = new LinkedHashSet<>();
    /** Counters of loops inside (and of) this one, by phi. */
    final Map<Instruction, LoopCounter> counters = new HashMap<>();
    private final Map<Value, Affine> affine = new HashMap<>();

    ParallelLoopAnalysis(Loop loop, LoopForest forest, Dominators dom, boolean fastMath) throws NotParallel {
        this.loop = loop;
        this.dom = dom;
        this.invariance = new Invariance(loop);
        this.counter = LoopCounter.of(loop);
        if (counter == null || counter.inclusive()) {
            throw new NotParallel("it is not a counted loop (for (int i = start; i < end; i++), tested before each iteration)");
        }
        if (!invariance.isInvariant(counter.bound())) throw new NotParallel("its end changes inside the loop");
        preheader = loop.entries().get(0);
        exit = singleExit();
        collectCounters(loop);
        checkInstructions();
        checkHeaderPhis(fastMath);
        checkWrites();
    }

    private BasicBlock singleExit() throws NotParallel {
        BasicBlock out = null;
        for (BasicBlock b : loop.blocks()) {
            for (BasicBlock s : b.successors()) {
                if (loop.contains(s)) continue;
                if (b != loop.header() || out != null) throw new NotParallel("it can leave the loop other than by its test (break or return)");
                out = s;
            }
        }
        return out;
    }

    private void collectCounters(Loop l) {
        LoopCounter c = l == loop ? counter : LoopCounter.ofEitherDirection(l);
        if (c != null) counters.put(c.phi(), c);
        for (Loop inner : l.children()) collectCounters(inner);
    }

    private void checkInstructions() throws NotParallel {
        for (BasicBlock b : loop.blocks()) {
            for (Instruction i : b.instructions()) {
                switch (i.opcode()) {
                    case CALL -> {
                        String impurity = PureFunctions.impurity(i.callee());
                        if (impurity != null) throw new NotParallel("it calls " + i.callee().displayName() + ", and " + impurity);
                    }
                    case NEW_ARRAY -> throw new NotParallel("it allocates an array" + line(i));
                    case INTRINSIC -> { if (i.mayThrow()) throw new NotParallel("Math." + i.intrinsic().text() + " may throw" + line(i)); }
                    case DIV, REM -> {
                        if (i.type().isIntegral()) {
                            if (!invariance.isInvariant(i.operand(1))) throw new NotParallel("it divides by a value computed in the loop" + line(i));
                            divisors.add(i.operand(1));
                        }
                    }
                    case ARRAY_LENGTH -> array(i, i.operand(0));
                    case ARRAY_LOAD, ARRAY_STORE -> access(i);
                    // Segments may alias each other and arrays in ways no index proves apart, and their accesses throw.
                    case SEGMENT_SIZE, SEGMENT_GET, SEGMENT_SET, SEGMENT_GET_AT_INDEX, SEGMENT_SET_AT_INDEX ->
                            throw new NotParallel("it accesses a MemorySegment" + line(i));
                    default -> { }
                }
                for (Instruction user : i.users()) {
                    if (!loop.contains(user.block()) && (!i.isPhi() || i.block() != loop.header())) {
                        throw new NotParallel("a value computed in the loop is used after it" + line(i));
                    }
                }
            }
        }
    }

    private void array(Instruction i, Value array) throws NotParallel {
        if (array instanceof ConstantArray) return;
        if (array instanceof Constant) throw new NotParallel("it accesses a null array" + line(i));
        if (!invariance.isInvariant(array)) throw new NotParallel("the array it accesses changes in the loop" + line(i));
        arrays.add(array);
    }

    private void access(Instruction i) throws NotParallel {
        Value array = i.operand(0);
        array(i, array);
        Affine index = affine(i.operand(1));
        if (index == null) {
            throw new NotParallel("the index of an array access is not a linear function of the loop counters" + line(i));
        }
        for (Instruction c : index.coefficients.keySet()) {
            LoopCounter lc = counters.get(c);
            if (!lc.inRangeAt(i.block(), dom)) throw new NotParallel("an index uses a loop counter outside its loop's test" + line(i));
            if (lc != counter && (!invariance.isInvariant(lc.init()) || !invariance.isInvariant(lc.bound()))) {
                throw new NotParallel("an inner loop's bounds change with the outer counter" + line(i));
            }
        }
        accesses.add(new Access(i, array, index, i.opcode() == Opcode.ARRAY_STORE));
    }

    /** The index as a linear form, or null. */
    Affine affine(Value v) {
        if (affine.containsKey(v)) return affine.get(v);
        Affine a = computeAffine(v);
        affine.put(v, a);
        return a;
    }

    private Affine computeAffine(Value v) {
        if (v.type() != Type.INT) return null;
        if (invariance.isInvariant(v)) return Affine.invariant(v);
        if (!(v instanceof Instruction i)) return null;
        if (i.isPhi()) return counters.containsKey(i) ? Affine.counter(i) : null;
        return switch (i.opcode()) {
            case ADD -> plus(affine(i.operand(0)), affine(i.operand(1)));
            case SUB -> {
                Affine b = affine(i.operand(1));
                yield b == null ? null : plus(affine(i.operand(0)), b.times(-1));
            }
            case MUL -> {
                if (invariance.isInvariant(i.operand(1))) yield times(affine(i.operand(0)), i.operand(1));
                if (invariance.isInvariant(i.operand(0))) yield times(affine(i.operand(1)), i.operand(0));
                yield null;
            }
            case SHL -> {
                if (!(i.operand(1) instanceof Constant c) || (c.intValue() & 31) > 20) yield null;
                Affine a = affine(i.operand(0));
                yield a == null ? null : a.times(1L << (c.intValue() & 31));
            }
            case NEG -> {
                Affine a = affine(i.operand(0));
                yield a == null ? null : a.times(-1);
            }
            default -> null;
        };
    }

    private static Affine plus(Affine a, Affine b) { return a == null ? null : a.plus(b); }
    private static Affine times(Affine a, Value k) { return a == null ? null : a.times(k); }

    /** The counter, and at most one reduction; anything else carried between iterations stays serial. */
    private void checkHeaderPhis(boolean fastMath) throws NotParallel {
        for (Instruction phi : loop.header().phis()) {
            if (phi == counter.phi()) continue;
            if (!phi.type().isArithmetic()) throw new NotParallel("it carries a value of type " + phi.type() + " from one iteration to the next");
            Reduction kind = reductionOf(phi);
            if (kind == null) {
                throw new NotParallel("it carries a value from one iteration to the next that is not a sum, product, min or max");
            }
            if (phi.type().isFloating() && (kind == Reduction.ADD || kind == Reduction.MUL) && !fastMath) {
                throw new NotParallel("its floating-point " + (kind == Reduction.ADD ? "sum" : "product")
                        + " would be reassociated, which Java's strict arithmetic forbids: add fastMath = true to allow it");
            }
            if (reductionPhi != null) throw new NotParallel("it has more than one reduction");
            reductionPhi = phi;
            reduction = kind;
        }
    }

    /**
     * The kind of reduction {@code phi} is, or null: the values derived from it inside the loop (the
     * chain) are used only by the chain, each step combines one chain value with one other value by the
     * same operation, and phis of the chain merge chain values only.
     */
    private Reduction reductionOf(Instruction phi) {
        Set<Instruction> chain = new LinkedHashSet<>();
        List<Instruction> work = new ArrayList<>(List.of(phi));
        Reduction kind = null;
        while (!work.isEmpty()) {
            Instruction v = work.remove(work.size() - 1);
            if (!chain.add(v)) continue;
            for (Instruction u : v.users()) {
                if (!loop.contains(u.block())) {
                    if (v != phi) return null;
                    continue;
                }
                if (u == phi || chain.contains(u)) continue;
                if (!u.isPhi()) {
                    Reduction k = stepKind(u);
                    if (k == null || (kind != null && k != kind)) return null;
                    if (u.operand(0) == v && u.operand(1) == v) return null;
                    kind = k;
                }
                work.add(u);
            }
        }
        for (Instruction v : chain) {
            if (v.isPhi() && v != phi) for (Value in : v.operands()) if (!chain.contains(in)) return null;
            if (!v.isPhi()) {
                boolean first = chain.contains(v.operand(0)), second = chain.contains(v.operand(1));
                if (first == second) return null;
            }
        }
        boolean closes = false;
        for (int k = 0; k < phi.operands().size(); k++) {
            if (loop.contains(phi.incoming().get(k))) {
                if (!(phi.operand(k) instanceof Instruction in) || !chain.contains(in)) return null;
                closes |= in != phi;
            }
        }
        return closes ? kind : null;
    }

    private static Reduction stepKind(Instruction u) {
        if (u.opcode() == Opcode.ADD) return Reduction.ADD;
        if (u.opcode() == Opcode.MUL) return Reduction.MUL;
        if (u.opcode() == Opcode.INTRINSIC && u.intrinsic() == Intrinsic.MIN) return Reduction.MIN;
        if (u.opcode() == Opcode.INTRINSIC && u.intrinsic() == Intrinsic.MAX) return Reduction.MAX;
        return null;
    }

    /** Every access to a written array moves with the outer counter by the same coefficient. */
    private void checkWrites() throws NotParallel {
        for (Value a : writtenArrays()) {
            Affine.Term step = null;
            for (Access x : accesses) {
                if (x.array != a) continue;
                Affine.Term c = x.index.coefficient(counter.phi());
                if (c == null) throw new NotParallel("every iteration accesses the same element of an array it writes" + line(x.instruction));
                if (step != null && !step.equals(c)) {
                    throw new NotParallel("iterations may write elements of an array that other iterations access" + line(x.instruction));
                }
                step = c;
            }
            if (step.invariant() == null) staticWindowCheck(a, Math.abs(step.factor()));
        }
    }

    /**
     * When the accesses to a written array differ only by constants ({@code a[i]} and {@code a[i - 1]}),
     * the run-time window check would always fail: say so now rather than compile a parallel path that
     * never runs.
     */
    private void staticWindowCheck(Value array, long step) throws NotParallel {
        long lowest = Long.MAX_VALUE, highest = Long.MIN_VALUE;
        for (Access x : accesses) {
            if (x.array != array) continue;
            if (x.index.coefficients.size() != 1) return;
            long offset = 0;
            for (Affine.Term t : x.index.offset) {
                if (t.invariant() != null) return;
                offset += t.factor();
            }
            lowest = Math.min(lowest, offset);
            highest = Math.max(highest, offset);
        }
        if (highest - lowest >= step) {
            throw new NotParallel("an iteration accesses elements of an array that another iteration writes (a loop-carried dependence)");
        }
    }

    Set<Value> writtenArrays() {
        Set<Value> written = new LinkedHashSet<>();
        for (Access x : accesses) if (x.store) written.add(x.array);
        return written;
    }

    /** Pairs (written array, another array of its type that the loop accesses): they must differ at run time. */
    List<Value[]> mustDiffer() {
        List<Value[]> pairs = new ArrayList<>();
        Set<Value> written = writtenArrays();
        Set<Set<Value>> seen = new HashSet<>();
        for (Value a : written) {
            for (Value b : arrays) {
                if (a == b || a.type().element() != b.type().element() || !seen.add(Set.of(a, b))) continue;
                pairs.add(new Value[] {a, b});
            }
        }
        return pairs;
    }

    /** " (line N)" for the source line of {@code i}, or "" when unknown. */
    static String line(Instruction i) {
        return i.site().line() >= 0 ? " (line " + i.site().line() + ")" : "";
    }

    /** The first source line in the loop, for diagnostics. */
    int firstLine() {
        int best = -1;
        for (BasicBlock b : loop.blocks()) {
            for (Instruction i : b.instructions()) {
                int l = i.site().line();
                if (l >= 0 && (best < 0 || l < best)) best = l;
            }
        }
        return best;
    }

    static boolean isParameterOrOutside(Value v, Loop loop) {
        return v instanceof Parameter || v instanceof Instruction i && !loop.contains(i.block());
    }

    static LinkedHashMap<Value, Integer> indexOf(List<Value> values) {
        LinkedHashMap<Value, Integer> m = new LinkedHashMap<>();
        for (Value v : values) m.put(v, m.size());
        return m;
    }
}
