package dev.numbat.ir.parallel;

import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Value;
import dev.numbat.ir.loop.Loop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Which values have the same value in every iteration of a loop: defined before it, or computed inside
 * it without side effects or exceptions from such values (javac recomputes {@code n - 1} in the header
 * of {@code for (...; y < n - 1; ...)}). Those computed inside can be recomputed before the loop.
 */
final class Invariance {
    private final Loop loop;
    private final Map<Value, Boolean> known = new HashMap<>();

    Invariance(Loop loop) { this.loop = loop; }

    boolean isInvariant(Value v) {
        if (!(v instanceof Instruction i) || !loop.contains(i.block())) return true;
        Boolean k = known.get(v);
        if (k != null) return k;
        known.put(v, false); // cycles go through phis, which are never invariant
        // An array's length is fixed; the rewriter checks the array for null before recomputing it.
        boolean result = i.opcode() == Opcode.ARRAY_LENGTH
                || !i.isPhi() && !i.hasSideEffect() && !i.mayThrow() && i.opcode() != Opcode.ARRAY_LOAD;
        if (result) for (Value op : i.operands()) result &= isInvariant(op);
        known.put(v, result);
        return result;
    }

    /**
     * The value of invariant {@code v}, recomputed at the builder's position if it is defined inside the
     * loop; {@code nullCheck} is asked to rule out a null array before its length is recomputed.
     */
    Value materialise(Value v, FunctionBuilder b, Map<Value, Value> done, Consumer<Value> nullCheck) {
        if (!(v instanceof Instruction i) || !loop.contains(i.block())) return v;
        Value m = done.get(v);
        if (m != null) return m;
        if (!isInvariant(v)) throw new IllegalStateException(v + " is not invariant");
        List<Value> ops = new ArrayList<>();
        for (Value op : i.operands()) ops.add(materialise(op, b, done, nullCheck));
        if (i.opcode() == Opcode.ARRAY_LENGTH) nullCheck.accept(ops.get(0));
        m = b.copy(i, ops);
        done.put(v, m);
        return m;
    }
}
