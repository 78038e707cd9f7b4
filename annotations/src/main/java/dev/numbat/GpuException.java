package dev.numbat;

/**
 * A GPU launch failed for a reason that is not a Java exception of the kernel itself: the CUDA driver
 * refused the module or the launch, a copy failed, or the device is lost. The message names the kernel.
 * Exceptions the kernel raises ({@code ArrayIndexOutOfBoundsException}, {@code ArithmeticException} ...)
 * are thrown as themselves, with the JVM's messages.
 */
public class GpuException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GpuException(String message) { super(message); }
    public GpuException(String message, Throwable cause) { super(message, cause); }
}
