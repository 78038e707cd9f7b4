package dev.numbat.ir.parallel;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Function;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Opcode;
import java.util.HashSet;
import java.util.Set;

/**
 * Functions a parallel loop may call: they compute a value from their arguments and nothing else. No
 * instruction in them or in anything they call writes memory, allocates or may throw, and none is recursive (so
 * their stack use is bounded and no worker thread can overflow). Such a call changes nothing another iteration
 * can see, so it does not stand in the way of splitting the loop; helpers such as a normal CDF qualify.
 */
final class PureFunctions {
    private PureFunctions() {}

    /** Null when {@code f} is pure, else what makes it not (for the diagnostic). */
    static String impurity(Function f) {
        return impurity(f, new HashSet<>());
    }

    private static String impurity(Function f, Set<Function> onPath) {
        if (!onPath.add(f)) return "it is recursive";
        try {
            for (BasicBlock b : f.blocks()) {
                for (Instruction i : b.instructions()) {
                    if (i.opcode() == Opcode.CALL) {
                        String why = impurity(i.callee(), onPath);
                        if (why != null) return why;
                    } else if (i.opcode() == Opcode.ARRAY_STORE || i.opcode().isSegmentStore() || i.opcode() == Opcode.NEW_ARRAY
                            || i.opcode() == Opcode.PARALLEL) {
                        return "it writes memory";
                    } else if (i.mayThrow()) {
                        return "it may throw (" + i.opcode().text + ")";
                    }
                }
            }
            return null;
        } finally {
            onPath.remove(f);
        }
    }
}
