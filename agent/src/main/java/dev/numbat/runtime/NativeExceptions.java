package dev.numbat.runtime;

import static dev.numbat.llvm.NativeAbi.*;

import dev.numbat.ir.Site;
import java.util.List;

/**
 * Turns the status native code leaves in its context block into the exception the JVM would have
 * thrown, with the JVM's message. The layout of the block is the backend's ABI:
 * see {@link dev.numbat.llvm.NativeAbi}.
 */
public final class NativeExceptions {
    private final List<Site> sites;

    NativeExceptions(List<Site> sites) { this.sites = List.copyOf(sites); }

    /** The throwable for a non-zero status. */
    Throwable toThrowable(long[] ctx) {
        return switch ((int) ctx[SLOT_KIND]) {
            case ARRAY_INDEX_OUT_OF_BOUNDS -> new ArrayIndexOutOfBoundsException(
                    "Index " + (int) ctx[SLOT_INDEX] + " out of bounds for length " + (int) ctx[SLOT_LENGTH]);
            case DIVISION_BY_ZERO -> new ArithmeticException("/ by zero");
            case NULL_POINTER -> new NullPointerException(nullPointerMessage((int) ctx[SLOT_SITE]));
            case NEGATIVE_ARRAY_SIZE -> new NegativeArraySizeException(Integer.toString((int) ctx[SLOT_INDEX]));
            case OUT_OF_MEMORY -> new OutOfMemoryError("Java heap space");
            case STACK_OVERFLOW -> new StackOverflowError();
            case INTEGER_OVERFLOW -> new ArithmeticException("integer overflow");
            case LONG_OVERFLOW -> new ArithmeticException("long overflow");
            default -> new InternalError("numbat: unknown native status " + ctx[SLOT_KIND]);
        };
    }

    private String nullPointerMessage(int site) {
        return site >= 0 && site < sites.size() ? sites.get(site).nullPointerMessage() : null;
    }

    // Cleanup handlers for MethodHandles.tryFinally, one per native return kind, so nothing is boxed.

    static void checkVoid(NativeExceptions e, Throwable t, long[] ctx) throws Throwable {
        if (t != null) throw t;
        if (ctx[SLOT_KIND] != NONE) throw e.toThrowable(ctx);
    }

    static int checkInt(NativeExceptions e, Throwable t, int r, long[] ctx) throws Throwable {
        if (t != null) throw t;
        if (ctx[SLOT_KIND] != NONE) throw e.toThrowable(ctx);
        return r;
    }

    static long checkLong(NativeExceptions e, Throwable t, long r, long[] ctx) throws Throwable {
        if (t != null) throw t;
        if (ctx[SLOT_KIND] != NONE) throw e.toThrowable(ctx);
        return r;
    }

    static float checkFloat(NativeExceptions e, Throwable t, float r, long[] ctx) throws Throwable {
        if (t != null) throw t;
        if (ctx[SLOT_KIND] != NONE) throw e.toThrowable(ctx);
        return r;
    }

    static double checkDouble(NativeExceptions e, Throwable t, double r, long[] ctx) throws Throwable {
        if (t != null) throw t;
        if (ctx[SLOT_KIND] != NONE) throw e.toThrowable(ctx);
        return r;
    }
}
