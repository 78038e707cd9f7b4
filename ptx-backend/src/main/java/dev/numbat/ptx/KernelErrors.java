package dev.numbat.ptx;

import java.util.List;

/**
 * The Java exception for what a kernel recorded in its error buffer ({@code int[4]}: kind, index, length,
 * site), with the JVM's class and message. Kinds are the CPU back end's (NativeAbi) numbers.
 */
public final class KernelErrors {
    public static final int SLOTS = 4;

    private KernelErrors() {}

    /** Null when {@code buffer[0]} is 0 (no thread raised). */
    public static RuntimeException exception(int[] buffer, List<String> nullPointerMessages) {
        int kind = buffer[0], index = buffer[1], length = buffer[2], site = buffer[3];
        return switch (kind) {
            case 0 -> null;
            case FunctionWriter.AIOOBE -> new ArrayIndexOutOfBoundsException("Index " + index + " out of bounds for length " + length);
            case FunctionWriter.DIVISION_BY_ZERO -> new ArithmeticException("/ by zero");
            case FunctionWriter.NULL_POINTER -> new NullPointerException(
                    site >= 0 && site < nullPointerMessages.size() ? nullPointerMessages.get(site) : null);
            case FunctionWriter.INTEGER_OVERFLOW -> new ArithmeticException("integer overflow");
            case FunctionWriter.LONG_OVERFLOW -> new ArithmeticException("long overflow");
            default -> new IllegalStateException("kernel recorded an unknown error kind " + kind);
        };
    }
}
