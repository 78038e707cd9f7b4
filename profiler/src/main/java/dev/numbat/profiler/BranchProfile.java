package dev.numbat.profiler;

import java.util.ArrayList;
import java.util.List;

/**
 * One conditional jump of the profiled method: how often it jumped and how often it fell through. The
 * instrumented code counts the fall-through with an {@code iinc} after the jump, and the jump with one in a
 * trampoline it jumps to instead ({@code iinc; goto target}): one {@code iinc} per execution, either way. A jump
 * that runs exactly once per iteration of a loop counted by its test ({@link CountedByTheirTest#firstBranchesOfBodies})
 * counts only its fall-through: its executions are the test's fall-throughs ({@code executionsFrom}).
 *
 * @param bytecodeOffset where the jump is in the original method
 * @param line           its source line, -1 without a line table
 * @param opcode         the jump's mnemonic ({@code if_icmpge})
 * @param loopHeader     the offset it jumps back to when it closes a loop, else -1
 */
public record BranchProfile(int bytecodeOffset, int line, String opcode, int loopHeader, Counter jumped, Counter notTaken,
                            List<BranchProfile> executionsFrom) {
    BranchProfile(int bytecodeOffset, int line, String opcode, int loopHeader) {
        this(bytecodeOffset, line, opcode, loopHeader, new Counter(), new Counter(), new ArrayList<>(1));
    }

    public long executions() { return taken() + notTaken.sum(); }

    public long taken() {
        if (executionsFrom.isEmpty()) return jumped.sum();
        return Math.max(0, executionsFrom.get(0).fallThrough() - notTaken.sum()); // an exception can leave it one short
    }

    public long fallThrough() { return notTaken.sum(); }

    /** The share of executions that jumped, 0 to 1; NaN if the jump never ran. */
    public double takenRatio() {
        long e = executions();
        return e == 0 ? Double.NaN : (double) taken() / e;
    }
}
