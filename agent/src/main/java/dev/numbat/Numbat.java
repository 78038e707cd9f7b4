package dev.numbat;

import dev.numbat.runtime.CompiledMethod;
import dev.numbat.runtime.CompilerDriver;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;

/**
 * The programmatic entry point: compile one static method without the agent.
 *
 * <pre>{@code
 * MethodHandle dot = Numbat.compile(Kernels.class.getMethod("dot", double[].class, double[].class));
 * double d = (double) dot.invokeExact(a, b);
 * }</pre>
 *
 * The handle has the method's own type and behaves exactly like the method: same results, same
 * exceptions with the same messages, and array writes made before an exception stay. Compiled code is
 * kept per method; compiling the same method again returns the same handle.
 */
public final class Numbat {
    private Numbat() {}

    /**
     * Compiles {@code method} (static, with primitive or primitive-array parameters) to native code.
     * Options come from its {@link Jit} annotation if it has one, else the defaults.
     *
     * @throws NotCompiledException with a one-line reason if the method cannot be compiled
     */
    public static MethodHandle compile(Method method) {
        return CompilerDriver.shared().compile(method).handle();
    }

    /**
     * Installs the Numbat agent into the running JVM (self-attach through byte-buddy-agent), for
     * applications that cannot add {@code -javaagent} to their command line. Classes loaded from now on
     * are rewritten as they load, and already loaded classes with {@code @Jit} methods are rewritten
     * in place. Calling it again does nothing.
     *
     * @throws IllegalStateException if the JVM does not allow attaching an agent
     */
    public static void install() {
        // Under -javaagent (or after an earlier install) attaching again would only cost an attach process and
        // the JDK's dynamic-agent warning.
        if (dev.numbat.agent.NumbatAgent.isInstalled()) return;
        java.lang.instrument.Instrumentation inst;
        try {
            inst = net.bytebuddy.agent.ByteBuddyAgent.install();
        } catch (RuntimeException e) {
            throw new IllegalStateException("numbat: cannot attach to this JVM (" + e.getMessage()
                    + "); start it with -javaagent:numbat-agent.jar instead", e);
        }
        dev.numbat.agent.NumbatAgent.install(inst);
    }

    /**
     * Per-method figures of the methods the agent profiles or measures ({@code @Jit(profile = true)},
     * {@code -Dnumbat.mode=profiled}, {@code -Dnumbat.policy=measured}), sorted by method name: calls, native calls,
     * time in native code and the measured policy's decision (docs/profiler.md). Empty without the agent.
     */
    public static java.util.List<MethodStatistics> statistics() {
        return dev.numbat.runtime.policy.MethodRecord.all().stream()
                .map(r -> new MethodStatistics(r.method(), r.decision(), r.calls(), r.nativeCalls(), r.nativeNanos(),
                        r.nativeMedianNanos(), r.bytecodeMedianNanos(), r.arrayElements()))
                .sorted(java.util.Comparator.comparing(MethodStatistics::method))
                .toList();
    }

    /** Compiles (or reuses) {@code method} and returns its IR, LLVM IR, assembly and control-flow graph. */
    public static Inspection inspect(Method method) {
        CompiledMethod c = CompilerDriver.shared().compile(method);
        return c.inspection();
    }
}
