package dev.numbat.agent;

import java.lang.invoke.CallSite;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * What rewritten {@code @Jit} methods call: the bootstrap methods of their two {@code invokedynamic}
 * instructions and the hook at the end of their class's static initializer. Public because application
 * classes link against it; not an API.
 */
public final class JitSupport {
    private JitSupport() {}

    /** Bootstrap of the {@code ()Z} call site that says whether native code runs this method. */
    public static CallSite useNative(MethodHandles.Lookup caller, String methodName, MethodType type, String descriptor) {
        return DispatchState.of(caller, methodName, descriptor).guardSite();
    }

    /** Bootstrap of the call site with the method's own type that runs the native code. */
    public static CallSite callNative(MethodHandles.Lookup caller, String methodName, MethodType type, String descriptor) {
        return DispatchState.of(caller, methodName, descriptor).nativeSite();
    }

    /** Called at the end of the static initializer of a class with eagerly compiled methods. */
    public static void classInitialised(Class<?> type) {
        DispatchState.compileEagerMethods(type);
    }
}
