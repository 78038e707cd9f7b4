package dev.numbat.ir.loop;

import dev.numbat.ir.Constant;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Type;
import dev.numbat.ir.Value;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An index read as {@code counter + terms + constant}, where each term is an int value from outside the counter's
 * loop times a small coefficient: a 5-point stencil's {@code in[row + x - w]} is {@code x + {row: 1, w: -1} + 0}, its
 * {@code in[row + x + 1]} is {@code x + {row: 1} + 1}. The JVM computes the index in wrapping int arithmetic, but where
 * the exact sum, taken in long, lies in {@code [0, 2^31)}, the wrapped sum is the same number: so a guard that checks
 * the exact sums at both ends of the counter's range proves every index in between.
 *
 * @param terms    each value from outside the loop with its coefficient (none 0), in the order they were met; two
 *                 indices with equal maps differ only by a constant
 * @param constant the sum of the constants, at most {@value #MAX_CONSTANT} either way
 */
record IndexOffset(Map<Value, Integer> terms, int constant) {
    /** How deep the adds and subtracts under an index may go: {@code ((row + x) - w) + 1} is three. */
    private static final int MAX_DEPTH = 4;
    /** Larger constants are left to the bounds checks, so that a guard's long sums stay far from overflow. */
    static final int MAX_CONSTANT = 1 << 20;

    /** {@code index} as {@code counter + terms + constant}, the counter once and added; otherwise null. */
    static IndexOffset of(Value index, LoopCounter counter) {
        Map<Value, Integer> terms = new LinkedHashMap<>();
        long[] sums = new long[2]; // the constant, and the counter's coefficient
        if (!collect(index, 1, counter, terms, sums, MAX_DEPTH) || sums[1] != 1 || Math.abs(sums[0]) > MAX_CONSTANT) return null;
        terms.values().removeIf(k -> k == 0);
        return new IndexOffset(Collections.unmodifiableMap(terms), (int) sums[0]);
    }

    private static boolean collect(Value v, int sign, LoopCounter counter, Map<Value, Integer> terms, long[] sums, int depth) {
        if (v == counter.phi()) {
            sums[1] += sign;
            return true;
        }
        if (v.type() != Type.INT) return false;
        if (v instanceof Constant c) {
            sums[0] += sign * (long) c.intValue();
            return true;
        }
        if (counter.loop().definedOutside(v)) {
            terms.merge(v, sign, Integer::sum);
            return true;
        }
        if (depth == 0 || !(v instanceof Instruction i)) return false;
        return switch (i.opcode()) {
            case ADD -> collect(i.operand(0), sign, counter, terms, sums, depth - 1)
                    && collect(i.operand(1), sign, counter, terms, sums, depth - 1);
            case SUB -> collect(i.operand(0), sign, counter, terms, sums, depth - 1)
                    && collect(i.operand(1), -sign, counter, terms, sums, depth - 1);
            default -> false;
        };
    }
}
