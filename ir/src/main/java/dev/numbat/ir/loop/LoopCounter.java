package dev.numbat.ir.loop;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Condition;
import dev.numbat.ir.Constant;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Intrinsic;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Type;
import dev.numbat.ir.Value;

/**
 * A counted loop's counter: a header phi of type int that starts at {@code init}, grows by one on every
 * back edge, and is tested at the header so that the loop goes on only while {@code counter < bound}
 * ({@code <= bound} when {@code inclusive}). In blocks of the loop dominated by {@code stay} (the header's
 * in-loop successor, entered from the header only) the counter lies in [init, bound) or [init, bound].
 *
 * <p>Or, only from {@link #ofEitherDirection}, one that falls by one ({@code descending}): the loop goes on while
 * {@code counter > bound} ({@code >= bound} when {@code inclusive}), and the counter lies in (bound, init] or
 * [bound, init]. Passes that read {@link #of} never see one.
 *
 * @param boundOperand which operand of the header's {@code if} is the bound
 */
public record LoopCounter(Instruction phi, Loop loop, Value init, Value bound, boolean inclusive, BasicBlock stay,
                   int boundOperand, boolean descending) {

    /** The counter of {@code loop}, or null when its header does not test one in one of those forms. */
    public static LoopCounter of(Loop loop) {
        return find(loop, false);
    }

    /**
     * {@link #of}, or else a counter that falls by one ({@code for (k = d - 1; k >= 0; k--)}, Horner's), which cannot
     * wrap: one that stays while {@code counter > bound}, or {@code >= bound} for a constant bound above
     * {@code MIN_VALUE}. For readers of {@link #descending}; null when neither.
     */
    public static LoopCounter ofEitherDirection(Loop loop) {
        LoopCounter up = find(loop, false);
        if (up != null) return up;
        LoopCounter down = find(loop, true);
        if (down == null || !down.inclusive) return down;
        return down.bound instanceof Constant c && c.intValue() > Integer.MIN_VALUE ? down : null;
    }

    private static LoopCounter find(Loop loop, boolean descending) {
        BasicBlock h = loop.header();
        Instruction test = h.terminator();
        if (test == null || test.opcode() != Opcode.IF || loop.entries().size() != 1) return null;
        boolean stayOnTrue = loop.contains(test.targets().get(0));
        BasicBlock stay = test.targets().get(stayOnTrue ? 0 : 1);
        if (loop.contains(test.targets().get(stayOnTrue ? 1 : 0)) == true || stay.predecessors().size() != 1) return null;
        for (int side = 0; side < 2; side++) {
            if (!(test.operand(side) instanceof Instruction phi) || !phi.isPhi() || phi.block() != h || phi.type() != Type.INT) continue;
            // A falling counter stays while counter > bound, which is bound < counter: the same test read the other way.
            Boolean inclusive = relation(test.condition(), (side == 0) != descending, stayOnTrue);
            if (inclusive == null || !stepsBy(phi, loop, descending ? -1 : 1)) continue;
            Value init = null;
            for (int k = 0; k < phi.operands().size(); k++) {
                if (!loop.contains(phi.incoming().get(k))) init = phi.operand(k);
            }
            return new LoopCounter(phi, loop, init, test.operand(1 - side), inclusive, stay, 1 - side, descending);
        }
        return null;
    }

    /**
     * Whether {@code test}, an {@code if} in {@code loop} that every iteration passes and that stays in the loop on its
     * true side where {@code stayOnTrue}, leaves unless an int phi of the header that grows by one on every back edge
     * is below a bound from outside the loop, or at most a constant below {@code MAX_VALUE}: the counter then cannot
     * wrap, and the loop ends after at most {@code bound - start + 1} iterations, whatever else it tests.
     */
    static boolean limitsTrips(Loop loop, Instruction test, boolean stayOnTrue) {
        for (int side = 0; side < 2; side++) {
            if (!(test.operand(side) instanceof Instruction phi) || !phi.isPhi() || phi.block() != loop.header() || phi.type() != Type.INT) continue;
            Boolean inclusive = relation(test.condition(), side == 0, stayOnTrue);
            Value bound = test.operand(1 - side);
            if (inclusive == null || !stepsBy(phi, loop, 1) || !loop.definedOutside(bound)) continue;
            if (!inclusive || bound instanceof Constant c && c.intValue() < Integer.MAX_VALUE) return true;
        }
        return false;
    }

    /**
     * Whether staying in the loop means {@code counter <= bound} (true), {@code counter < bound} (false),
     * or neither (null), for a test {@code counter COND bound} (or {@code bound COND counter}).
     */
    private static Boolean relation(Condition c, boolean counterFirst, boolean stayOnTrue) {
        Condition stayWhen = stayOnTrue ? c : negate(c);
        if (!counterFirst) stayWhen = swap(stayWhen);
        return switch (stayWhen) {
            case LT -> false;
            case LE -> true;
            default -> null;
        };
    }

    private static Condition negate(Condition c) {
        return switch (c) {
            case EQ -> Condition.NE; case NE -> Condition.EQ; case LT -> Condition.GE;
            case GE -> Condition.LT; case GT -> Condition.LE; case LE -> Condition.GT;
        };
    }

    private static Condition swap(Condition c) {
        return switch (c) {
            case LT -> Condition.GT; case GT -> Condition.LT; case LE -> Condition.GE; case GE -> Condition.LE;
            default -> c;
        };
    }

    /** Every back edge brings {@code phi + step}. */
    private static boolean stepsBy(Instruction phi, Loop loop, int step) {
        for (int k = 0; k < phi.operands().size(); k++) {
            if (!loop.contains(phi.incoming().get(k))) continue;
            if (!(phi.operand(k) instanceof Instruction add) || add.opcode() != Opcode.ADD) return false;
            boolean ok = add.operand(0) == phi && is(add.operand(1), step) || add.operand(1) == phi && is(add.operand(0), step);
            if (!ok) return false;
        }
        return true;
    }

    private static boolean is(Value v, int n) { return v instanceof Constant c && c.type() == Type.INT && c.intValue() == n; }

    /** For an index {@code counter + v} or {@code v + counter} (also {@code addNoWrap}): {@code v}; otherwise null. */
    public Value addedTo(Value index) {
        if (!(index instanceof Instruction add)) return null;
        boolean adds = add.opcode() == Opcode.ADD || add.opcode() == Opcode.INTRINSIC && add.intrinsic() == Intrinsic.ADD_NO_WRAP;
        if (!adds) return null;
        return add.operand(0) == phi ? add.operand(1) : add.operand(1) == phi ? add.operand(0) : null;
    }

    /** Whether the counter is known to be in its range in {@code block}. */
    public boolean inRangeAt(BasicBlock block, Dominators dom) {
        return loop.contains(block) && block != loop.header() && dom.dominates(stay, block);
    }
}
