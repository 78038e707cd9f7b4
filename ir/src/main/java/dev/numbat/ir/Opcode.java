package dev.numbat.ir;

/** What an instruction does. The text form uses {@link #text}. */
public enum Opcode {
    // Arithmetic on int/long/float/double with the JVM's rules: integers wrap, shifts mask their count,
    // integer div/rem throw ArithmeticException on zero and give MIN_VALUE / -1 == MIN_VALUE.
    ADD("add"), SUB("sub"), MUL("mul"), DIV("div"), REM("rem"), NEG("neg"),
    AND("and"), OR("or"), XOR("xor"), SHL("shl"), SHR("shr"), USHR("ushr"),
    /** lcmp: -1, 0 or 1. */
    CMP("cmp"),
    /** fcmpl/dcmpl: like CMP, NaN gives -1. */
    CMPL("cmpl"),
    /** fcmpg/dcmpg: like CMP, NaN gives 1. */
    CMPG("cmpg"),
    /** Any JVM conversion (i2l, d2i saturating, i2b truncating, b2i widening ...); printed as its name. */
    CONVERT("convert"),
    ARRAY_LENGTH("alength"), ARRAY_LOAD("aload"), ARRAY_STORE("astore"), NEW_ARRAY("newarray"),
    /**
     * MemorySegment accesses, as the JDK's {@code get/set(layout, long offset)} and {@code getAtIndex/setAtIndex(layout,
     * long index)}: operands (segment, layout constant, offset or index[, value]); {@code ssize} is {@code byteSize()}.
     * They throw what the JDK throws: NullPointerException, and for a closed, read-only, too small or misaligned
     * segment the exception the JDK's own access gives.
     */
    SEGMENT_SIZE("ssize"), SEGMENT_GET("sget"), SEGMENT_SET("sset"), SEGMENT_GET_AT_INDEX("sgetindex"),
    SEGMENT_SET_AT_INDEX("ssetindex"),
    CALL("call"), INTRINSIC("intrinsic"),
    /**
     * Runs a loop body outlined into its callee over the counter range [operand 0, operand 1) on several
     * threads; the other operands are the values the body reads. Its iterations were proven independent
     * and unable to throw, so any split gives the serial result; the chunks' results combine by the
     * instruction's {@link Reduction}.
     */
    PARALLEL("parallel"),
    PHI("phi"),
    GOTO("goto"), IF("if"), SWITCH("switch"), RETURN("return");

    public final String text;

    Opcode(String text) { this.text = text; }

    public boolean isTerminator() { return ordinal() >= GOTO.ordinal(); }
    public boolean isBinaryArithmetic() { return ordinal() <= USHR.ordinal() && this != NEG; }
    /** May raise a Java exception for some operand types (see {@link Instruction#mayThrow()}). */
    public boolean mayThrow() {
        return this == DIV || this == REM || this == ARRAY_LENGTH || this == ARRAY_LOAD
                || this == ARRAY_STORE || this == NEW_ARRAY || this == CALL || this == INTRINSIC || isSegmentAccess();
    }
    public boolean isSegmentAccess() { return ordinal() >= SEGMENT_SIZE.ordinal() && ordinal() <= SEGMENT_SET_AT_INDEX.ordinal(); }
    /** A segment write: {@code sset} or {@code ssetindex}. */
    public boolean isSegmentStore() { return this == SEGMENT_SET || this == SEGMENT_SET_AT_INDEX; }
    public static Opcode byText(String text) {
        for (Opcode o : values()) if (o.text.equals(text)) return o;
        return null;
    }
}
