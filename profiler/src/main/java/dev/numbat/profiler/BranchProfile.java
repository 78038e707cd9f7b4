package dev.numbat.profiler;

import java.util.concurrent.atomic.LongAdder;

/**
 * One conditional jump of the profiled method: how often it ran and how often it fell through. The taken count
 * is the difference, so the instrumented code needs no extra jump to count it (an {@code iinc} before the jump
 * and one on the fall-through path).
 *
 * @param bytecodeOffset where the jump is in the original method
 * @param line           its source line, -1 without a line table
 * @param opcode         the jump's mnemonic ({@code if_icmpge})
 * @param loopHeader     the offset it jumps back to when it closes a loop, else -1
 */
public record BranchProfile(int bytecodeOffset, int line, String opcode, int loopHeader, LongAdder executed, LongAdder notTaken) {
    BranchProfile(int bytecodeOffset, int line, String opcode, int loopHeader) {
        this(bytecodeOffset, line, opcode, loopHeader, new LongAdder(), new LongAdder());
    }

    public long executions() { return executed.sum(); }

    public long taken() {
        // Read the fall-through count first: a racing flush then makes taken() too large by at most its own
        // count, never negative.
        long n = notTaken.sum();
        return Math.max(0, executed.sum() - n);
    }

    public long fallThrough() { return notTaken.sum(); }

    /** The share of executions that jumped, 0 to 1; NaN if the jump never ran. */
    public double takenRatio() {
        long e = executions();
        return e == 0 ? Double.NaN : (double) taken() / e;
    }
}
