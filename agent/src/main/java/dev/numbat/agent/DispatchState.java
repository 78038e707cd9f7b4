package dev.numbat.agent;

import dev.numbat.NotCompiledException;
import dev.numbat.runtime.Diagnostics;
import dev.numbat.runtime.CompilerDriver;
import dev.numbat.runtime.JitAnnotation;
import dev.numbat.runtime.policy.Dispatch;
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
final class DispatchState implements Dispatch {
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
    static final ExecutorService BACKGROUND = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "numbat-compiler");
        t.setDaemon(true);
        return t;
    });

    static volatile AgentOptions options = AgentOptions.fromSystemProperties();

    private final Method method;
    private final MutableCallSite guard = new MutableCallSite(MethodType.methodType(boolean.class));
    private final MutableCallSite nativeSite;
    private final AtomicBoolean backgroundStarted = new AtomicBoolean();
    final AtomicBoolean profilingStarted = new AtomicBoolean();
    /** A full-privilege lookup in the method's class, from its stub's bootstrap: profiling defines a nestmate with it. */
    private volatile MethodHandles.Lookup lookup;

    private DispatchState(Method method) {
        this.method = method;
        MethodType type = MethodType.methodType(method.getReturnType(), method.getParameterTypes());
        this.nativeSite = new MutableCallSite(type);
        // Never reached: the guard turns true only after the native target is set.
        nativeSite.setTarget(MethodHandles.dropArguments(MethodHandles.throwException(type.returnType(), IllegalStateException.class)
                .bindTo(new IllegalStateException("numbat: native code called before it was compiled")), 0, type.parameterList()));
        guard.setTarget(FIRST_CALL.bindTo(this));
    }

    static DispatchState of(MethodHandles.Lookup caller, String name, String descriptor) {
        DispatchState s = STATES.computeIfAbsent(find(caller.lookupClass(), name, descriptor), DispatchState::new);
        if (s.lookup == null) s.lookup = caller;
        return s;
    }

    Method method() { return method; }

    MethodHandles.Lookup lookup() { return lookup; }

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
        if (mode() == AgentOptions.Mode.PROFILED && lookup != null) return ProfiledDispatch.start(this);
        if (mode() == AgentOptions.Mode.BACKGROUND) {
            compileInBackground();
            return false;
        }
        return compileNow();
    }

    /** Calls run bytecode while the compiler thread compiles; the outcome sets the call sites. */
    void compileInBackground() {
        if (backgroundStarted.compareAndSet(false, true)) {
            guard.setTarget(FALSE);
            MutableCallSite.syncAll(new MutableCallSite[] {guard});
            BACKGROUND.execute(this::compileNow);
        }
    }

    private AgentOptions.Mode mode() {
        if (JitAnnotation.eager(method)) return AgentOptions.Mode.EAGER;
        if (JitAnnotation.profile(method)) return AgentOptions.Mode.PROFILED;
        return options.mode();
    }

    @Override
    public void route(MethodHandle handle) {
        nativeSite.setTarget(handle);
        guard.setTarget(TRUE);
        MutableCallSite.syncAll(new MutableCallSite[] {nativeSite, guard});
    }

    @Override
    public void bytecode() {
        guard.setTarget(FALSE);
        MutableCallSite.syncAll(new MutableCallSite[] {guard});
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
            MethodHandle compiled = CompilerDriver.shared().compile(method).handle();
            if (options.policy() == AgentOptions.Policy.MEASURED && lookup != null && ProfiledDispatch.measure(this, compiled)) return true;
            nativeSite.setTarget(compiled);
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
