package dev.numbat.ir;

/**
 * Where an instruction came from in the bytecode: the offset and source line (-1 when the class has no
 * line table), and for instructions that may throw a NullPointerException, the JVM's helpful message
 * for it (JEP 358), computed by the frontend from the bytecode as HotSpot does.
 */
public record Site(int bytecodeOffset, int line, String nullPointerMessage) {
    public static final Site UNKNOWN = new Site(-1, -1, null);
    /**
     * A branch a pass made to choose a copy of a loop, whose first target (the loop as it was, for arguments the
     * guard could not prove) is rarely taken: the backend weighs it so.
     */
    public static final Site GUARD_FAILURE_FIRST = new Site(-2, -1, null);

    public Site(int bytecodeOffset, int line) { this(bytecodeOffset, line, null); }

    @Override public String toString() {
        return "@" + bytecodeOffset + (line >= 0 ? ":" + line : "");
    }
}
