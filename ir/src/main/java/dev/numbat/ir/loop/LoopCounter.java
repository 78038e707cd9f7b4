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
 * @param boundOperand which operand of the header's {@code if} is the bound
 */
public record LoopCounter(Instruction phi, Loop loop, Value init, Value bound, boolean inclusive, BasicBlock stay,
                   int boundOperand) {

    /** The counter of {@code loop}, or null when its header does not test one in one of those forms. */
    public static LoopCounter of(Loop loop) {
        BasicBlock h = loop.header();
        Instruction test = h.terminator();
        if (test == null || test.opcode() != Opcode.IF || loop.entries().size() != 1) return null;
        boolean stayOnTrue = loop.contains(test.targets().get(0));
        BasicBlock stay = test.targets().get(stayOnTrue ? 0 : 1);
        if (loop.contains(test.targets().get(stayOnTrue ? 1 : 0)) == true || stay.predecessors().size() != 1) return null;
        for (int side = 0; side < 2; side++) {
            if (!(test.operand(side) instanceof Instruction phi) || !phi.isPhi() || phi.block() != h || phi.type() != Type.INT) continue;
            Boolean inclusive = relation(test.condition(), side == 0, stayOnTrue);
            if (inclusive == null || !stepsByOne(phi, loop)) continue;
            Value init = null;
            for (int k = 0; k < phi.operands().size(); k++) {
                if (!loop.contains(phi.incoming().get(k))) init = phi.operand(k);
            }
            return new LoopCounter(phi, loop, init, test.operand(1 - side), inclusive, stay, 1 - side);
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
            if (inclusive == null || !stepsByOne(phi, loop) || !loop.definedOutside(bound)) continue;
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

    /** Every back edge brings {@code phi + 1}. */
    private static boolean stepsByOne(Instruction phi, Loop loop) {
        for (int k = 0; k < phi.operands().size(); k++) {
            if (!loop.contains(phi.incoming().get(k))) continue;
            if (!(phi.operand(k) instanceof Instruction add) || add.opcode() != Opcode.ADD) return false;
            boolean ok = add.operand(0) == phi && isOne(add.operand(1)) || add.operand(1) == phi && isOne(add.operand(0));
            if (!ok) return false;
        }
        return true;
    }

    private static boolean isOne(Value v) { return v instanceof Constant c && c.type() == Type.INT && c.intValue() == 1; }

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
