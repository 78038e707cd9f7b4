package dev.numbat.agent;

import dev.numbat.NotCompiledException;
import dev.numbat.profiler.Profile;
import dev.numbat.profiler.ProfiledTwin;
import dev.numbat.runtime.CompiledMethod;
import dev.numbat.runtime.CompilerDriver;
import dev.numbat.runtime.Diagnostics;
import dev.numbat.runtime.jfr.MethodStatisticsEvent;
import dev.numbat.runtime.policy.MeasuredPolicy;
import dev.numbat.runtime.policy.MethodRecord;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * The profiled mode ({@code @Jit(profile = true)} or {@code -Dnumbat.mode=profiled}): the method's native call
 * site first runs the profiled copy of its twin ({@link ProfiledTwin}); when its profile is hot the compiler
 * thread compiles it with that profile, and the measured policy ({@link MeasuredPolicy}) then times native code
 * against the plain copy and keeps the faster. Every step that fails leaves the method running its bytecode,
 * with one line.
 */
final class ProfiledDispatch {
    static final long DEFAULT_THRESHOLD = 10_000;

    private ProfiledDispatch() {}

    /** {@code -Dnumbat.profile.threshold}: invocations plus back-edges before a profiled method compiles. */
    static long threshold() {
        String v = System.getProperty("numbat.profile.threshold");
        if (v == null || v.isBlank()) return DEFAULT_THRESHOLD;
        try {
            long t = Long.parseLong(v.trim());
            if (t >= 0) return t;
        } catch (NumberFormatException e) {
            // fall through to the line below
        }
        System.err.println("numbat: bad numbat.profile.threshold '" + v + "', using " + DEFAULT_THRESHOLD);
        return DEFAULT_THRESHOLD;
    }

    /**
     * The first call of a profiled method: routes calls to its profiled copy and answers true (this call runs it
     * too). Answers false, so that the call runs the bytecode, while another thread sets it up, or when the twin
     * cannot be made (then the method compiles in the background without a profile).
     */
    static boolean start(DispatchState state) {
        if (!state.profilingStarted.compareAndSet(false, true)) return false;
        Method m = state.method();
        String name = CompilerDriver.name(m);
        long threshold = threshold();
        ProfiledTwin twin;
        try {
            twin = ProfiledTwin.define(state.lookup(), m.getName(), CompilerDriver.descriptor(m), null, threshold);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Diagnostics.profiler("not profiled " + name + ": " + reason(e) + "; compiling it without a profile");
            state.compileInBackground();
            return false;
        }
        MethodRecord record = MethodRecord.of(name);
        MethodStatisticsEvent.register();
        if (twin.profile().loops().isEmpty()) {
            // Counting the calls of a method without a loop costs more than its profile could gain (3-4 ns a call
            // against a method of 1 ns, ProfilingOverheadBenchmark.tiny), as HotSpot compiles trivial methods without
            // profiling them: it runs its plain copy and compiles at once, and the policy measures it as usual.
            Diagnostics.profiler("not profiled " + name + ": it has no loop, so a profile would cost more than it could gain;"
                    + " compiling it now");
            state.route(twin.plain());
            DispatchState.BACKGROUND.execute(() -> compile(state, twin, null, record));
            return true;
        }
        record.profiledBy(twin.profile());
        twin.profile().whenHot(() -> DispatchState.BACKGROUND.execute(() -> compile(state, twin, twin.profile(), record)));
        Diagnostics.profiler(String.format(Locale.ROOT, "profiling %s until it is hot (%,d invocations and back-edges)", name, threshold));
        state.route(twin.profiled());
        return true;
    }

    /** On the compiler thread: compile with the profile {@code p} (or none), then let the policy measure; a refusal means bytecode. */
    private static void compile(DispatchState state, ProfiledTwin twin, Profile p, MethodRecord record) {
        Method m = state.method();
        String name = CompilerDriver.name(m);
        record.state("compiling");
        if (p != null) {
            Diagnostics.profiler(String.format(Locale.ROOT, "hot %s: %,d invocations, %,d back-edges; compiling it with its profile", name,
                    p.invocations(), p.backEdges()));
            Diagnostics.dumpProfile(name, p.text());
        }
        try {
            CompiledMethod c = CompilerDriver.shared().compile(m, p);
            MeasuredPolicy.start(record, state, c.handle(), twin.plain());
        } catch (NotCompiledException e) {
            record.state("not compiled");
            state.bytecode();
        } catch (RuntimeException | LinkageError e) {
            Diagnostics.profiler("not compiled " + name + ": internal compiler error: " + e);
            record.state("not compiled");
            state.bytecode();
        }
    }

    /**
     * {@code -Dnumbat.policy=measured} for a method compiled without a profile: its plain copy is made to time the
     * native code against. False (and native code as usual) when the copy cannot be made.
     */
    static boolean measure(DispatchState state, MethodHandle compiled) {
        Method m = state.method();
        String name = CompilerDriver.name(m);
        try {
            ProfiledTwin twin = ProfiledTwin.define(state.lookup(), m.getName(), CompilerDriver.descriptor(m), null, Long.MAX_VALUE);
            MethodStatisticsEvent.register();
            MeasuredPolicy.start(MethodRecord.of(name), state, compiled, twin.plain());
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Diagnostics.policy(name, "native, not measured: " + reason(e));
            return false;
        }
    }

    private static String reason(Throwable e) {
        return e instanceof IllegalArgumentException && e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
