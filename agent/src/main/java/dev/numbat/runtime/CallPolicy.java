package dev.numbat.runtime;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.Function;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Module;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.loop.LoopForest;

/**
 * The static half of "never slower than HotSpot": a method with no loop that calls nothing does a few
 * nanoseconds of work at most, which HotSpot inlines into its caller, while a native call costs about
 * four nanoseconds on its own (docs/benchmarks.md, DispatchBenchmark). The agent keeps such methods as
 * bytecode unless {@code -Dnumbat.policy=always}; {@link dev.numbat.Numbat#compile} still compiles them
 * when asked. The measured half (timing both versions) is the profiler's.
 */
public final class CallPolicy {
    private CallPolicy() {}

    /** Why the agent should keep {@code module}'s entry as bytecode, or null when native code may win. */
    public static String reasonToKeepBytecode(Module module) {
        for (Function f : module.functions().values()) {
            if (!LoopForest.of(f, Dominators.of(f)).topLevel().isEmpty()) return null;
            for (BasicBlock b : f.blocks()) {
                for (Instruction i : b.instructions()) {
                    if (i.opcode() == Opcode.CALL || i.opcode() == Opcode.PARALLEL || i.opcode() == Opcode.NEW_ARRAY) return null;
                }
            }
        }
        return "it has no loop and calls nothing, so a native call (about 4 ns) would cost more than HotSpot's inlined "
                + "bytecode; -Dnumbat.policy=always compiles it anyway";
    }
}
