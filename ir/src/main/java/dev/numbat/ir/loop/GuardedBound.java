package dev.numbat.ir.loop;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Condition;
import dev.numbat.ir.Constant;
import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A loop's bound, as the guard of a pass that versions the loop ({@link TripCountVersioning},
 * {@link RangeCheckVersioning}, {@link AlignmentPeeling}) computes it once before the loop: a value from outside the loop, or one the header
 * computes from such values ({@code x & 7}, {@code a.length}, {@code rowPtr[r + 1]}), the same every iteration.
 */
final class GuardedBound {
    private GuardedBound() {}

    /**
     * Whether a guard can compute {@code v} before the loop: a value from outside it, or one the header computes, at
     * most {@code maxDepth} instructions deep, by arithmetic that cannot throw, an array's length, or an element of an
     * array (when the loop writes no memory, so that the element stays the same).
     */
    static boolean computable(Value v, Loop loop, int maxDepth) {
        if (!(v instanceof Instruction i) || !loop.contains(i.block())) return true;
        if (maxDepth <= 0 || i.block() != loop.header() || i.isPhi()) return false;
        boolean ok = switch (i.opcode()) {
            case ARRAY_LENGTH, NEG -> true;
            case ARRAY_LOAD -> !i.type().isReference() && !writesMemory(loop);
            default -> i.opcode().isBinaryArithmetic() && !i.mayThrow();
        };
        if (!ok) return false;
        for (Value o : i.operands()) if (!computable(o, loop, maxDepth - 1)) return false;
        return true;
    }

    /**
     * {@code v} ({@link #computable}) computed where the builder is, before the loop: each read of an array behind the
     * JVM's null and index checks, one that would throw sent to {@code fail} (the loop as it was, which throws where
     * the JVM does).
     */
    static Value compute(FunctionBuilder builder, Value v, Loop loop, BasicBlock fail) {
        return compute(builder, v, loop, fail, new HashMap<>());
    }

    private static Value compute(FunctionBuilder builder, Value v, Loop loop, BasicBlock fail, Map<Value, Value> done) {
        if (!(v instanceof Instruction i) || !loop.contains(i.block())) return v;
        Value known = done.get(v);
        if (known != null) return known;
        List<Value> operands = new ArrayList<>();
        for (Value o : i.operands()) operands.add(compute(builder, o, loop, fail, done));
        if (i.opcode() == Opcode.ARRAY_LENGTH || i.opcode() == Opcode.ARRAY_LOAD) {
            Value array = operands.get(0);
            failIfNull(builder, array, fail);
            if (i.opcode() == Opcode.ARRAY_LOAD) {
                Value index = operands.get(1);
                BasicBlock nonNegative = builder.newBlock(), inBounds = builder.newBlock();
                builder.branch(Condition.LT, index, Constant.ofInt(0), fail, nonNegative);
                Instruction length = builder.at(nonNegative).arrayLength(array, i.site());
                builder.branch(Condition.GE, index, length, fail, inBounds);
                builder.at(inBounds);
            }
        }
        Value result = builder.copy(i, operands);
        done.put(v, result);
        return result;
    }

    /** Jumps to {@code fail} when {@code array} is null; the builder goes on where it is not. */
    static void failIfNull(FunctionBuilder builder, Value array, BasicBlock fail) {
        BasicBlock nonNull = builder.newBlock();
        builder.branch(Condition.EQ, array, Constant.nullOf(array.type()), fail, nonNull);
        builder.at(nonNull);
    }

    /** Whether an instruction of the loop may write memory: an array or segment store, a call, a parallel loop. */
    static boolean writesMemory(Loop loop) {
        for (BasicBlock b : loop.blocks()) {
            for (Instruction i : b.instructions()) {
                Opcode op = i.opcode();
                if (op == Opcode.ARRAY_STORE || op == Opcode.CALL || op == Opcode.PARALLEL || op.isSegmentStore()) return true;
            }
        }
        return false;
    }
}
