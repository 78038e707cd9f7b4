package dev.numbat.runtime;

import dev.numbat.ir.Site;
import java.util.List;

/**
 * Turns the status native code leaves in its context block into the exception the JVM would have
 * thrown, with the JVM's message. The layout of the block is the backend's ABI:
 * {@code ctx[0]} kind, {@code ctx[1]} index or size, {@code ctx[2]} length, {@code ctx[3]} site number.
 */
public final class NativeExceptions {
    public static final int CONTEXT_SLOTS = 8;

    static final int NONE = 0, INDEX_OUT_OF_BOUNDS = 1, DIVIDE_BY_ZERO = 2, NULL_POINTER = 3,
            NEGATIVE_ARRAY_SIZE = 4, OUT_OF_MEMORY = 5, STACK_OVERFLOW = 6, INT_OVERFLOW = 7, LONG_OVERFLOW = 8;

    private final List<Site> sites;

    NativeExceptions(List<Site> sites) { this.sites = List.copyOf(sites); }

    /** The throwable for a non-zero status. */
    Throwable toThrowable(long[] ctx) {
        return switch ((int) ctx[0]) {
            case INDEX_OUT_OF_BOUNDS -> new ArrayIndexOutOfBoundsException(
                    "Index " + (int) ctx[1] + " out of bounds for length " + (int) ctx[2]);
            case DIVIDE_BY_ZERO -> new ArithmeticException("/ by zero");
            case NULL_POINTER -> new NullPointerException(nullPointerMessage((int) ctx[3]));
            case NEGATIVE_ARRAY_SIZE -> new NegativeArraySizeException(Integer.toString((int) ctx[1]));
            case OUT_OF_MEMORY -> new OutOfMemoryError("Java heap space");
            case STACK_OVERFLOW -> new StackOverflowError();
            case INT_OVERFLOW -> new ArithmeticException("integer overflow");
            case LONG_OVERFLOW -> new ArithmeticException("long overflow");
            default -> new InternalError("numbat: unknown native status " + ctx[0]);
        };
    }

    private String nullPointerMessage(int site) {
        return site >= 0 && site < sites.size() ? sites.get(site).nullPointerMessage() : null;
    }

    // Cleanup handlers for MethodHandles.tryFinally, one per native return kind, so nothing is boxed.

    static void checkVoid(NativeExceptions e, Throwable t, long[] ctx) throws Throwable {
        if (t != null) throw t;
        if (ctx[0] != NONE) throw e.toThrowable(ctx);
    }

    static int checkInt(NativeExceptions e, Throwable t, int r, long[] ctx) throws Throwable {
        if (t != null) throw t;
        if (ctx[0] != NONE) throw e.toThrowable(ctx);
        return r;
    }

    static long checkLong(NativeExceptions e, Throwable t, long r, long[] ctx) throws Throwable {
        if (t != null) throw t;
        if (ctx[0] != NONE) throw e.toThrowable(ctx);
        return r;
    }

    static float checkFloat(NativeExceptions e, Throwable t, float r, long[] ctx) throws Throwable {
        if (t != null) throw t;
        if (ctx[0] != NONE) throw e.toThrowable(ctx);
        return r;
    }

    static double checkDouble(NativeExceptions e, Throwable t, double r, long[] ctx) throws Throwable {
        if (t != null) throw t;
        if (ctx[0] != NONE) throw e.toThrowable(ctx);
        return r;
    }
}
