package dev.numbat.runtime.policy;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Method-handle combinators the measured policy routes calls through, built once per method so that HotSpot
 * inlines them into the caller like any constant call-site target: a timed call
 * ({@code t0 = nanoTime(); try { target(args) } finally { observer(thrown, t0, args) }}) and a sampling switch
 * that times one call in {@link #SAMPLE_EVERY} (a thread-local random draw, so threads share no counter).
 */
final class CallTimer {
    static final int SAMPLE_EVERY = 64;

    /** Receives each timed call: the exception it threw (null if none), its start time, its arguments. */
    interface Observer {
        void observe(Throwable thrown, long startNanos, Object[] arguments);
    }

    private static final MethodHandle NANO_TIME;
    private static final MethodHandle OBSERVE;
    private static final MethodHandle SAMPLED;
    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            NANO_TIME = l.findStatic(System.class, "nanoTime", MethodType.methodType(long.class));
            OBSERVE = l.findVirtual(Observer.class, "observe", MethodType.methodType(void.class, Throwable.class, long.class, Object[].class));
            SAMPLED = l.findStatic(CallTimer.class, "sampled", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private CallTimer() {}

    /** {@code target}, of type {@code (A...)R}, with every call timed and reported to {@code observer}. */
    static MethodHandle timed(MethodHandle target, Observer observer) {
        MethodType type = target.type();
        Class<?> r = type.returnType();
        int n = type.parameterCount();
        // (Throwable, long t0, A...)void: the observer, with the arguments collected into an Object[].
        MethodHandle observe = OBSERVE.bindTo(observer).asCollector(Object[].class, n)
                .asType(type.changeReturnType(void.class).insertParameterTypes(0, Throwable.class, long.class));
        MethodHandle cleanup;
        if (r == void.class) {
            cleanup = observe;
        } else {
            // (Throwable, R, long, A...)R: observe, then return the result unchanged.
            MethodHandle result = MethodHandles.dropArguments(MethodHandles.identity(r), 0, Throwable.class);
            result = MethodHandles.dropArguments(result, 2, type.insertParameterTypes(0, long.class).parameterList());
            cleanup = MethodHandles.foldArguments(result, MethodHandles.dropArguments(observe, 1, r));
        }
        MethodHandle body = MethodHandles.dropArguments(target, 0, long.class); // (long t0, A...)R
        MethodHandle guarded = MethodHandles.tryFinally(body, cleanup);        // an exception is rethrown unchanged
        return MethodHandles.foldArguments(guarded, NANO_TIME);                // (A...)R
    }

    /** One call in {@link #SAMPLE_EVERY} goes to {@code sampled}, the others to {@code usual}. */
    static MethodHandle sometimes(MethodHandle sampled, MethodHandle usual) {
        return MethodHandles.guardWithTest(MethodHandles.dropArguments(SAMPLED, 0, usual.type().parameterList()), sampled, usual);
    }

    private static boolean sampled() {
        return (ThreadLocalRandom.current().nextInt() & (SAMPLE_EVERY - 1)) == 0;
    }

    /** The total length of the array arguments: the call's "shape" (nulls count 0). */
    static long arrayElements(Object[] arguments) {
        long n = 0;
        for (Object a : arguments) {
            if (a != null && a.getClass().isArray()) n += java.lang.reflect.Array.getLength(a);
        }
        return n;
    }
}
