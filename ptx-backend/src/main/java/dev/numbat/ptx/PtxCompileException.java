package dev.numbat.ptx;

/**
 * A kernel cannot be compiled for the GPU. The message is one line for users, naming the construct and
 * the method (the frontend's refusals keep their own words); no stack trace is meant to be shown.
 */
public final class PtxCompileException extends Exception {
    private static final long serialVersionUID = 1L;

    public PtxCompileException(String message) { super(message, null, false, false); }
}
