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
import dev.numbat.ir.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives short innermost counted loops a second version for the trip counts a run-time profile saw, behind a guard
 * before the loop, as HotSpot and LLVM version loops on a condition they cannot prove:
 * <pre>
 *   if (on &amp;&amp; n == 5)   for (k = 0; k &lt; 5; k++) ...           // always 5 in the profile: a known trip count
 *   if (on &amp;&amp; n &lt;= 6)   for (k = 0; k &lt; min(n, 6); k++) ...    // 4 to 6 in the profile: at most 6
 *   else                for (k = 0; k &lt; n; k++) ...           // the loop as it was, for any other n
 * </pre>
 * ({@code on} is a bit of the method's switch for code specialised to its profile, {@link Intrinsic#PROFILE_VERSIONS}:
 * the runtime times the method with and without these versions and keeps the faster, since a version can also be
 * slower.)
 * Where the guard holds, {@code min(n, 6)} is {@code n} and {@code 5} is {@code n}, so both versions compute the same
 * thing; what changes is what LLVM can see. A loop of a known count is unrolled completely (no loop, no vector set-up
 * or remainder); one of at most 8 is unrolled completely with an exit test between copies (LLVM's upper-bound
 * unrolling, which needs a constant maximum: the guard alone does not give it one). A loop whose counts were larger or
 * spread further keeps its one version: there the vector loop pays for itself and a copy only adds code.
 *
 * <p>Only a loop of this shape is versioned: innermost, a counter from a constant that steps by one, tested at the
 * header against a bound that does not change in the loop (a value from outside it, the length of an array from
 * outside it, or an element of one that the loop does not write, read in the guard behind the JVM's checks so that
 * an access that would throw takes the original loop, which throws where the JVM does), the header's test its only
 * way out, to a block entered from nowhere else. The profile is only a hint: the guard decides,
 * so a profile that is wrong or stale costs a comparison, never a wrong result.
 *
 * <p>Keyed by the bytecode offset of the header's test, the site the frontend keeps on the {@code if}. Needs reachable
 * blocks (for dominators); may leave values that only the guard used, and adds phis at the loop's exit for the values
 * the loop hands on.
 */
public final class TripCountVersioning extends InnermostLoopPass {
    /** The fewest and the most back-edges one entry of the loop took. */
    public record TripRange(long min, long max) {
        public TripRange {
            if (min < 0 || max < min) throw new IllegalArgumentException(min + ".." + max);
        }

        /** {@code "4..6"}, as {@link #toString} writes it. */
        public static TripRange parse(String text) {
            String[] bounds = text.trim().split("\\.\\.");
            if (bounds.length != 2) throw new IllegalArgumentException("expected MIN..MAX, not " + text);
            return new TripRange(Long.parseLong(bounds[0]), Long.parseLong(bounds[1]));
        }

        @Override public String toString() { return min + ".." + max; }
    }

    /** The most iterations LLVM unrolls a loop by its constant maximum ({@code -unroll-max-upperbound}'s default). */
    static final int MAX_UPPER_BOUND = 8;
    /** The most iterations a loop of one known count is versioned for: past that, no unrolling, little to gain. */
    static final int MAX_EXACT = 64;

    private final Map<Integer, TripRange> rangeByTestOffset;
    /** For Numbat's own tests: the range every loop is versioned for, whatever its offset (null: by the map). */
    private final TripRange everyLoop;
    private final List<String> versioned = new ArrayList<>();

    /** {@code rangeByTestOffset}: bytecode offset of a loop header's conditional jump to the trip counts seen. */
    public TripCountVersioning(Map<Integer, TripRange> rangeByTestOffset) {
        this(Map.copyOf(rangeByTestOffset), null);
    }

    private TripCountVersioning(Map<Integer, TripRange> rangeByTestOffset, TripRange everyLoop) {
        this.rangeByTestOffset = rangeByTestOffset;
        this.everyLoop = everyLoop;
    }

    /** Versions every loop of the right shape for {@code range}: for tests that run generated programs through the pass. */
    public static TripCountVersioning forEveryLoop(TripRange range) { return new TripCountVersioning(Map.of(), range); }

    @Override public String name() { return "trip-versions"; }

    @Override public String description() { return "versions short loops for the trip counts a profile saw, behind a guard"; }

    @Override public Set<Property> invalidates() { return Set.of(Property.NO_DEAD_CODE); }

    /** One line per loop versioned by the last run, e.g. {@code the loop tested at bytecode 17 for at most 6 trips}. */
    public List<String> versioned() { return List.copyOf(versioned); }

    @Override
    public boolean run(FunctionBuilder builder) {
        versioned.clear();
        if (rangeByTestOffset.isEmpty() && everyLoop == null) return false;
        return super.run(builder);
    }

    /** What a loop is versioned for: its guard, and the bound the copy tests instead of the loop's own. */
    private record Plan(Condition guard, int limit, boolean exact) {}

    @Override
    boolean rewrite(FunctionBuilder builder, Dominators dom, Loop loop) {
        LoopCounter counter = LoopCounter.of(loop);
        if (counter == null || !(counter.init() instanceof Constant init) || counter.bound() instanceof Constant) return false;
        BasicBlock header = loop.header();
        Instruction test = header.terminator();
        TripRange range = everyLoop != null ? everyLoop : rangeByTestOffset.get(test.site().bytecodeOffset());
        if (range == null) return false;
        if (!GuardedBound.computable(counter.bound(), loop, 1)) return false;
        BasicBlock exit = LoopCopy.exitOf(counter);
        if (!LoopCopy.leavesOnlyFromItsHeader(loop)) return false;
        BasicBlock preheader = LoopCopy.preheaderOf(loop);
        if (preheader == null) return false;
        Plan plan = plan(range, init.intValue(), counter.inclusive());
        if (plan == null) return false;

        BasicBlock own = LoopCopy.ownExit(builder, loop, exit);
        BasicBlock general = builder.splitEdge(preheader, header);
        LoopCopy copy = LoopCopy.of(builder, dom, loop, general, own,
                (b, original, operands) -> original == test ? testInCopy(b, operands, counter.boundOperand(), plan) : operands);
        emitGuard(builder, preheader, general, copy.entry, counter.bound(), loop, plan);
        versioned.add("the loop tested at bytecode " + test.site().bytecodeOffset() + " for " + (plan.exact ? "exactly " : "at most ")
                + range.max() + " trips");
        return true;
    }

    /**
     * The guard for {@code range}: the loop runs {@code bound - init} times ({@code + 1} if inclusive), so a count of
     * exactly {@code T} means {@code bound == init + T (- 1)}, and at most {@code T} means {@code bound <= init + T (- 1)};
     * null when the range is not worth a version or the limit does not fit an {@code int}.
     */
    private static Plan plan(TripRange range, int init, boolean inclusive) {
        boolean exact = range.min() == range.max() && range.max() >= 1 && range.max() <= MAX_EXACT;
        if (!exact && (range.max() < 1 || range.max() > MAX_UPPER_BOUND)) return null;
        long limit = (long) init + range.max() - (inclusive ? 1 : 0);
        if (limit != (int) limit) return null;
        return new Plan(exact ? Condition.EQ : Condition.LE, (int) limit, exact);
    }

    /** The operands of the header's test in the copy: against the constant count, or against {@code min(bound, limit)}. */
    private static List<Value> testInCopy(FunctionBuilder builder, List<Value> operands, int boundOperand, Plan plan) {
        List<Value> changed = new ArrayList<>(operands);
        Value bound = operands.get(boundOperand);
        changed.set(boundOperand, plan.exact ? Constant.ofInt(plan.limit)
                : builder.intrinsic(Intrinsic.MIN, List.of(bound, Constant.ofInt(plan.limit)), Site.UNKNOWN));
        return changed;
    }

    /**
     * Before the loop: {@code if ((profileVersions & 2) != 0 && bound <= limit) copy else general} ({@code ==} for an
     * exact count). The first test is the switch's bit through which the runtime turns the loop versions off when it
     * measures them slower (a known or bounded count can also make LLVM unroll or vectorise a loop into something
     * slower). A bound computed in the loop is computed here; one read from an array (its length, or an element) behind
     * a null test (and for an element, a test of the index against the length), so an array or index that would throw
     * takes the general loop, which throws where the JVM would.
     */
    private static void emitGuard(FunctionBuilder builder, BasicBlock preheader, BasicBlock general, BasicBlock copy, Value bound,
                                  Loop loop, Plan plan) {
        BasicBlock guard = builder.newBlock();
        builder.retarget(preheader, general, guard);
        BasicBlock on = builder.newBlock();
        Instruction versions = builder.at(guard).intrinsic(Intrinsic.PROFILE_VERSIONS, List.of(), Site.UNKNOWN);
        Instruction mine = builder.binary(Opcode.AND, versions, Constant.ofInt(Intrinsic.SWITCH_LOOP_VERSIONS), Site.UNKNOWN);
        builder.branch(Condition.NE, mine, Constant.ofInt(0), on, general);
        builder.at(on);
        Value value = GuardedBound.compute(builder, bound, loop, general);
        builder.branch(plan.guard, value, Constant.ofInt(plan.limit), copy, general);
    }
}
