package dev.numbat.agent;

import dev.numbat.NotCompiledException;
import dev.numbat.runtime.Diagnostics;
import dev.numbat.runtime.CompilerDriver;
import dev.numbat.runtime.JitAnnotation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How calls of one rewritten {@code @Jit} method are dispatched. Its stub asks the {@code ()Z} guard
 * call site whether to run native code; if so it calls the native call site, else it falls through to
 * the method's original bytecode. Both are {@link MutableCallSite}s whose targets become constants once
 * the outcome is known, so HotSpot inlines the dispatch away: after compilation the guard is
 * {@code true} and the native site is the compiled code's handle; after a refusal the guard is
 * {@code false} for good. The first call decides, compiling once however many threads ask at once.
 */
final class DispatchState {
    private static final Map<Method, DispatchState> STATES = new ConcurrentHashMap<>();
    private static final MethodHandle TRUE = MethodHandles.constant(boolean.class, true);
    private static final MethodHandle FALSE = MethodHandles.constant(boolean.class, false);
    private static final MethodHandle FIRST_CALL;
    static {
        try {
            FIRST_CALL = MethodHandles.lookup().findVirtual(DispatchState.class, "firstCall", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private static final ExecutorService BACKGROUND = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "numbat-compiler");
        t.setDaemon(true);
        return t;
    });

    static volatile AgentOptions options = AgentOptions.fromSystemProperties();

    private final Method method;
    private final MutableCallSite guard = new MutableCallSite(MethodType.methodType(boolean.class));
    private final MutableCallSite nativeSite;
    private final AtomicBoolean backgroundStarted = new AtomicBoolean();

    private DispatchState(Method method) {
        this.method = method;
        MethodType type = MethodType.methodType(method.getReturnType(), method.getParameterTypes());
        this.nativeSite = new MutableCallSite(type);
        // Never reached: the guard turns true only after the native target is set.
        nativeSite.setTarget(MethodHandles.dropArguments(MethodHandles.throwException(type.returnType(), IllegalStateException.class)
                .bindTo(new IllegalStateException("numbat: native code called before it was compiled")), 0, type.parameterList()));
        guard.setTarget(FIRST_CALL.bindTo(this));
    }

    static DispatchState of(Class<?> owner, String name, String descriptor) {
        return STATES.computeIfAbsent(find(owner, name, descriptor), DispatchState::new);
    }

    private static Method find(Class<?> owner, String name, String descriptor) {
        for (Method m : owner.getDeclaredMethods()) {
            if (m.getName().equals(name) && CompilerDriver.descriptor(m).equals(descriptor)) return m;
        }
        throw new IllegalStateException("numbat: " + owner.getName() + "." + name + descriptor + " not found");
    }

    MutableCallSite guardSite() { return guard; }

    MutableCallSite nativeSite() { return nativeSite; }

    /** The guard's target until the first call has decided. */
    private boolean firstCall() {
        if (mode() == AgentOptions.Mode.BACKGROUND) {
            if (backgroundStarted.compareAndSet(false, true)) {
                guard.setTarget(FALSE);
                BACKGROUND.execute(this::compileNow);
            }
            return false;
        }
        return compileNow();
    }

    private AgentOptions.Mode mode() {
        return JitAnnotation.eager(method) ? AgentOptions.Mode.EAGER : options.mode();
    }

    /** Compiles (or finds the outcome of an earlier compilation) and sets both call sites accordingly. */
    boolean compileNow() {
        try {
            if (options.policy() == AgentOptions.Policy.STATIC) {
                String why = CompilerDriver.shared().reasonToKeepBytecode(method);
                if (why != null) {
                    Diagnostics.keptBytecode(CompilerDriver.name(method), why);
                    guard.setTarget(FALSE);
                    return false;
                }
            }
            nativeSite.setTarget(CompilerDriver.shared().compile(method).handle());
            guard.setTarget(TRUE);
            return true;
        } catch (NotCompiledException e) {
            guard.setTarget(FALSE);
            return false;
        } finally {
            MutableCallSite.syncAll(new MutableCallSite[] {nativeSite, guard});
        }
    }

    /** Compiles the class's {@code @Jit} methods that are eager, by annotation or by {@code numbat.mode=eager}. */
    static void compileEagerMethods(Class<?> type) {
        for (Method m : type.getDeclaredMethods()) {
            if (!Modifier.isStatic(m.getModifiers()) || JitAnnotation.of(m) == null) continue;
            if (options.mode() == AgentOptions.Mode.EAGER || JitAnnotation.eager(m)) {
                STATES.computeIfAbsent(m, DispatchState::new).compileNow();
            }
        }
    }

}
