package dev.numbat.ptx;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Function;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Module;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Parameter;
import dev.numbat.ir.Value;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which array parameters of the kernel may be written (stores, atomic adds, and the same in callees they
 * are passed to), so that the launcher copies back only those. Conservative: an array that reaches a store
 * through a phi of several parameters counts for each of them.
 */
final class WrittenArrays {
    private WrittenArrays() {}

    static boolean[] of(Module module) {
        Map<Function, Set<Integer>> written = new HashMap<>();
        for (Function f : module.functions().values()) written.put(f, new HashSet<>());
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Function f : module.functions().values()) {
                if (GpuCalls.isGpu(f)) continue;
                for (BasicBlock b : f.blocks()) {
                    for (Instruction i : b.instructions()) {
                        if (i.opcode() == Opcode.ARRAY_STORE) {
                            changed |= written.get(f).addAll(roots(i.operand(0), new HashSet<>()));
                        } else if (i.opcode() == Opcode.CALL) {
                            Function callee = i.callee();
                            boolean atomic = GpuCalls.isGpu(callee) && callee.methodName().equals("atomicAdd");
                            for (int k = 0; k < i.operands().size(); k++) {
                                if (atomic && k == 0 || !GpuCalls.isGpu(callee) && written.get(callee).contains(k)) {
                                    changed |= written.get(f).addAll(roots(i.operand(k), new HashSet<>()));
                                }
                            }
                        }
                    }
                }
            }
        }
        Function entry = module.entry();
        boolean[] result = new boolean[entry.parameters().size()];
        for (int k : written.get(entry)) result[k] = true;
        return result;
    }

    /** The parameters an array value may be. */
    private static Set<Integer> roots(Value v, Set<Value> seen) {
        Set<Integer> r = new HashSet<>();
        if (!seen.add(v)) return r;
        if (v instanceof Parameter p) r.add(p.index());
        if (v instanceof Instruction i && i.isPhi()) for (Value o : i.operands()) r.addAll(roots(o, seen));
        return r;
    }
}
