package dev.numbat.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One SSA instruction. Instructions are created and changed only through {@link FunctionBuilder},
 * which keeps every value's list of users in step with the operands.
 *
 * <p>Attributes used by some opcodes only: {@link #condition()} (if), {@link #targets()} (goto, if,
 * switch: for {@code if} the true target first; for {@code switch} the default last),
 * {@link #switchKeys()}, {@link #incoming()} (phi: the predecessor for each operand), {@link #callee()},
 * {@link #intrinsic()}, and {@link #site()} for instructions that may throw.
 */
public final class Instruction extends Value {
    private final Opcode opcode;
    final List<Value> operands = new ArrayList<>();
    final List<BasicBlock> targets = new ArrayList<>();
    final List<BasicBlock> incoming = new ArrayList<>();
    int id;
    BasicBlock block;
    Condition condition;
    int[] switchKeys;
    Function callee;
    Intrinsic intrinsic;
    Reduction reduction = Reduction.NONE;
    Site site = Site.UNKNOWN;

    Instruction(Opcode opcode, Type type) {
        super(type);
        this.opcode = opcode;
    }

    public Opcode opcode() { return opcode; }
    public List<Value> operands() { return Collections.unmodifiableList(operands); }
    public Value operand(int i) { return operands.get(i); }
    public BasicBlock block() { return block; }
    public int id() { return id; }
    public Condition condition() { return condition; }
    public List<BasicBlock> targets() { return Collections.unmodifiableList(targets); }
    public int[] switchKeys() { return switchKeys.clone(); }
    public List<BasicBlock> incoming() { return Collections.unmodifiableList(incoming); }
    /** For a phi: the value it takes when entered from {@code from}, one of its incoming blocks. */
    public Value incomingValue(BasicBlock from) {
        int k = incoming.indexOf(from);
        if (k < 0) throw new IllegalArgumentException(from + " is not an incoming block of " + this);
        return operands.get(k);
    }
    public Function callee() { return callee; }
    public Intrinsic intrinsic() { return intrinsic; }
    /** For {@code parallel}: how the results of the chunks combine. */
    public Reduction reduction() { return reduction; }
    public Site site() { return site; }

    /** For a conversion: the JVM name such as {@code i2l} or {@code d2i}. */
    public String conversionName() {
        return operands.get(0).type().letter() + "2" + type().letter();
    }

    /** May raise a Java exception: integer division, array access, allocation, calls, exact arithmetic. */
    public boolean mayThrow() {
        return switch (opcode) {
            case DIV, REM -> type().isIntegral();
            case INTRINSIC -> intrinsic.mayThrow();
            default -> opcode.mayThrow();
        };
    }

    /** Must stay even when its result is unused. */
    public boolean hasSideEffect() {
        return opcode.isTerminator() || opcode == Opcode.ARRAY_STORE || opcode.isSegmentStore() || opcode == Opcode.CALL || opcode == Opcode.PARALLEL
                || opcode == Opcode.NEW_ARRAY || mayThrow();
    }

    public boolean isPhi() { return opcode == Opcode.PHI; }
    public boolean isTerminator() { return opcode.isTerminator(); }

    @Override public String reference() { return "%" + id; }
    @Override public String toString() { return IrPrinter.instruction(this); }
}
