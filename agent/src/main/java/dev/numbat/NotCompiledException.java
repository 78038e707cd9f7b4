package dev.numbat;

/**
 * A method could not be compiled; {@link #getMessage()} is the one-line reason, naming the construct,
 * bytecode offset and source line where there is one. Where Numbat runs a method on its own (the
 * agent), this never reaches the application: the method keeps running as bytecode.
 */
public final class NotCompiledException extends RuntimeException {
    private final String methodName;

    public NotCompiledException(String methodName, String reason, Throwable cause) {
        super(reason, cause);
        this.methodName = methodName;
    }

    /** {@code com.example.Kernels.dot([D[D)D}: binary class name, method name and JVM descriptor. */
    public String methodName() { return methodName; }

    /** The line Numbat prints for this method: {@code numbat: not compiled <method>: <reason>}. */
    public String diagnosticLine() { return "numbat: not compiled " + methodName + ": " + getMessage(); }
}
