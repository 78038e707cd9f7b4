package dev.numbat.llvm;

/** LLVM cannot be used in this process at all (native library missing, no target for this host). */
public class BackendUnavailableException extends RuntimeException {
    public BackendUnavailableException(String message, Throwable cause) { super(message, cause); }
}
