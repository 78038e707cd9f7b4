package dev.numbat.agent;

import java.nio.file.Path;

/**
 * The agent's settings, read once from system properties:
 * <ul>
 *   <li>{@code numbat.mode}: {@code lazy} (default: the first call compiles, as in Numba), {@code eager}
 *       (every {@code @Jit} method compiles when its class is initialised, as {@code @Jit(eager = true)}
 *       does for one method), or {@code background} (calls run as bytecode while a compiler thread
 *       compiles; the method switches to native code when it is ready), or {@code profiled} (every method as
 *       {@code @Jit(profile = true)}: profiled bytecode until hot, then compiled with the profile, see
 *       docs/profiler.md);</li>
 *   <li>{@code numbat.verbose}: one line per method on standard error (see docs/diagnostics.md);</li>
 *   <li>{@code numbat.dump}: a folder to write each compiled method's IR, LLVM IR, assembly and CFG to;</li>
 *   <li>{@code numbat.policy}: {@code static} (default: a method without loops or calls keeps running as
 *       bytecode, since HotSpot inlines it and a native call costs more; see CallPolicy), {@code always}, or
 *       {@code measured} (time both versions of each compiled method and keep the faster, as profiled methods
 *       always do: MeasuredPolicy).</li>
 * </ul>
 */
public record AgentOptions(Mode mode, boolean verbose, Path dumpDirectory, Policy policy) {
    public enum Mode { LAZY, EAGER, BACKGROUND, PROFILED }

    /** Which compiled methods the stub calls: those that may beat HotSpot, or every one. */
    public enum Policy { STATIC, ALWAYS, MEASURED }

    public static AgentOptions fromSystemProperties() {
        String mode = System.getProperty("numbat.mode", "lazy").trim().toUpperCase(java.util.Locale.ROOT);
        Mode m;
        try {
            m = Mode.valueOf(mode);
        } catch (IllegalArgumentException e) {
            System.err.println("numbat: unknown numbat.mode '" + mode.toLowerCase() + "', using lazy (lazy, eager, background, profiled)");
            m = Mode.LAZY;
        }
        String dump = System.getProperty("numbat.dump");
        String policy = System.getProperty("numbat.policy", "static").trim().toUpperCase(java.util.Locale.ROOT);
        Policy p;
        try {
            p = Policy.valueOf(policy);
        } catch (IllegalArgumentException e) {
            System.err.println("numbat: unknown numbat.policy '" + policy.toLowerCase() + "', using static (static, always, measured)");
            p = Policy.STATIC;
        }
        return new AgentOptions(m, Boolean.getBoolean("numbat.verbose"), dump == null || dump.isBlank() ? null : Path.of(dump), p);
    }
}
