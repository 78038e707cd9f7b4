package dev.numbat.frontend;

/**
 * A method uses something Numbat does not compile. The message is one line for users:
 * {@code <construct> at bytecode offset <n> (<File.java>:<line>)}, and for constructs met in a callee,
 * {@code in <callee>} follows. The method keeps running as bytecode.
 */
public final class UnsupportedConstructException extends Exception {
    private final String className;
    private final String methodName;
    private final String descriptor;
    private final int bytecodeOffset;
    private final int line;
    private final String construct;

    public UnsupportedConstructException(String className, String methodName, String descriptor,
                                         int bytecodeOffset, int line, String sourceFile, String construct) {
        super(format(className, methodName, descriptor, bytecodeOffset, line, sourceFile, construct), null, false, false);
        this.className = className;
        this.methodName = methodName;
        this.descriptor = descriptor;
        this.bytecodeOffset = bytecodeOffset;
        this.line = line;
        this.construct = construct;
    }

    private static String format(String cls, String m, String d, int offset, int line, String file, String construct) {
        StringBuilder b = new StringBuilder(construct);
        if (offset >= 0) b.append(" at bytecode offset ").append(offset);
        String where = (file != null ? file : cls.substring(cls.lastIndexOf('.') + 1) + ".java")
                + (line >= 0 ? ":" + line : ", no line table");
        b.append(" (").append(where).append(')');
        b.append(" in ").append(cls).append('.').append(m).append(d);
        return b.toString();
    }

    /** Binary name of the class whose bytecode holds the construct, e.g. {@code com.example.Kernels}. */
    public String className() { return className; }
    public String methodName() { return methodName; }
    public String descriptor() { return descriptor; }
    /** Offset in the method's bytecode, or -1 for constructs of the method as a whole. */
    public int bytecodeOffset() { return bytecodeOffset; }
    /** Source line from the line-number table, or -1. */
    public int line() { return line; }
    /** What is unsupported, e.g. {@code object field access (getfield Point.x)}. */
    public String construct() { return construct; }
}
