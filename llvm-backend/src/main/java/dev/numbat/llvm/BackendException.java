package dev.numbat.llvm;

/** A module could not be compiled to native code; the runtime falls back to the JVM for it. */
public class BackendException extends RuntimeException {
    public BackendException(String message) { super(message); }
    public BackendException(String message, Throwable cause) { super(message, cause); }
}
