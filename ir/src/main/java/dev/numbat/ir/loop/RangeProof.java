package dev.numbat.ir.loop;

import dev.numbat.ir.Instruction;
import dev.numbat.ir.Intrinsic;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Value;

/**
 * How a guard's proof reaches an access ({@link Intrinsic#IN_RANGE}): the range-check passes write the index of an
 * access they proved as {@code inRange(i, alength)}; later passes read through it, and the backend drops the check.
 */
public final class RangeProof {
    private RangeProof() {}

    /** An access a guard proved in range: its index is {@code inRange(i, alength)} of the very array accessed. */
    public static boolean proves(Instruction access) {
        return access.operand(1) instanceof Instruction index && index.opcode() == Opcode.INTRINSIC
                && index.intrinsic() == Intrinsic.IN_RANGE && index.operand(1) instanceof Instruction length
                && length.opcode() == Opcode.ARRAY_LENGTH && length.operand(0) == access.operand(0);
    }

    /** The index {@code i} under {@code inRange(i, n)}; any other index as it is. */
    public static Value unwrap(Value index) {
        return index instanceof Instruction i && i.opcode() == Opcode.INTRINSIC && i.intrinsic() == Intrinsic.IN_RANGE ? i.operand(0) : index;
    }
}
