package dev.numbat.ir.loop;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Condition;
import dev.numbat.ir.Constant;
import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Site;
import dev.numbat.ir.Type;
import dev.numbat.ir.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arithmetic of a guard before a versioned loop, in long, where sums and products of a few ints cannot overflow:
 * each test that fails jumps to {@code general} (the loop as it was), and the builder goes on where it holds.
 */
final class LongGuard {
    private LongGuard() {}

    /** Jumps to {@code general} where {@code a c b} holds (two ints); the builder goes on where it does not. */
    static void failIf(FunctionBuilder builder, Condition c, Value a, Value b, BasicBlock general) {
        BasicBlock next = builder.newBlock();
        builder.branch(c, a, b, general, next);
        builder.at(next);
    }

    /** Jumps to {@code general} where {@code a c b} holds (two longs); the builder goes on where it does not. */
    static void failIfLong(FunctionBuilder builder, Condition c, Value a, Value b, BasicBlock general) {
        failIf(builder, c, compare(builder, a, b), Constant.ofInt(0), general);
    }

    /** Jumps to {@code general} unless the long {@code v} lies within int (no test where it is an int widened). */
    static void failUnlessInt(FunctionBuilder builder, Value v, BasicBlock general) {
        if (v instanceof Constant c && c.longValue() == (int) c.longValue()) return;
        if (v instanceof Instruction i && i.opcode() == Opcode.CONVERT && i.operand(0).type() == Type.INT) return;
        failIfLong(builder, Condition.LT, v, Constant.ofLong(Integer.MIN_VALUE), general);
        failIfLong(builder, Condition.GT, v, Constant.ofLong(Integer.MAX_VALUE), general);
    }

    /** -1, 0 or 1 as the long {@code a} is below, at or above {@code b}. */
    static Value compare(FunctionBuilder builder, Value a, Value b) {
        return builder.binary(Opcode.CMP, a, b, Site.UNKNOWN);
    }

    /** The sum of each value times its coefficient, in long (0 for none). */
    static Value sumOf(FunctionBuilder builder, Map<Value, Integer> terms) {
        Map<List<Value>, Integer> products = new LinkedHashMap<>();
        for (Map.Entry<Value, Integer> t : terms.entrySet()) products.put(List.of(t.getKey()), t.getValue());
        return sumOfProducts(builder, products);
    }

    /** The sum of each product of values (each widened, multiplied in long) times its coefficient (0 for none). */
    static Value sumOfProducts(FunctionBuilder builder, Map<List<Value>, Integer> terms) {
        Value sum = Constant.ofLong(0);
        for (Map.Entry<List<Value>, Integer> t : terms.entrySet()) {
            int k = t.getValue();
            Value term = null;
            for (Value v : t.getKey()) {
                Value wide = builder.convert(v, Type.LONG);
                term = term == null ? wide : builder.binary(Opcode.MUL, term, wide, Site.UNKNOWN);
            }
            if (Math.abs(k) != 1) term = builder.binary(Opcode.MUL, term, Constant.ofLong(Math.abs(k)), Site.UNKNOWN);
            sum = sum instanceof Constant && k > 0 ? term : builder.binary(k > 0 ? Opcode.ADD : Opcode.SUB, sum, term, Site.UNKNOWN);
        }
        return sum;
    }

    static Value asLong(FunctionBuilder builder, Value intValue) {
        return intValue instanceof Constant c ? Constant.ofLong(c.intValue()) : builder.convert(intValue, Type.LONG);
    }

    /** {@code a + b}, two longs (either may be the constant 0). */
    static Value plus(FunctionBuilder builder, Value a, Value b) {
        if (a instanceof Constant c && c.longValue() == 0) return b;
        if (b instanceof Constant c && c.longValue() == 0) return a;
        return builder.binary(Opcode.ADD, a, b, Site.UNKNOWN);
    }

    static Value plus(FunctionBuilder builder, Value a, long constant) {
        return plus(builder, a, Constant.ofLong(constant));
    }

    /** {@code a * b}, two longs (either may be the constant 1). */
    static Value times(FunctionBuilder builder, Value a, Value b) {
        if (a instanceof Constant c && c.longValue() == 1) return b;
        if (b instanceof Constant c && c.longValue() == 1) return a;
        return builder.binary(Opcode.MUL, a, b, Site.UNKNOWN);
    }
}
