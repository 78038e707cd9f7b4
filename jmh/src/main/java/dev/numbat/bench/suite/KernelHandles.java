package dev.numbat.bench.suite;

import dev.numbat.Numbat;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;

/**
 * Handles for the benchmark classes' {@code static final} fields. A kernel Numbat refuses, or a twin that cannot
 * be compiled, gives a handle of the same type that throws the reason: the class still initialises, so its
 * other variants are measured, and only the forks that need the missing one fail (in their setup check, with the
 * reason, which is also printed once here as a {@code SUITE-MISSING} line that {@code bench_report.py} lists).
 * A twin that binds prints the compiler and its flags ({@code SUITE-CLANG}), which the report shows.
 */
public final class KernelHandles {
    private KernelHandles() {}

    private static volatile boolean clangShown;

    /** {@code Numbat.compile} of {@code owner.name(params)}, or a handle throwing why it was not compiled. */
    public static MethodHandle numbat(Class<?> owner, String name, Class<?>... params) {
        Method m;
        try {
            m = owner.getMethod(name, params);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(e);
        }
        try {
            return Numbat.compile(m);
        } catch (RuntimeException | LinkageError e) {
            String why = "Numbat did not compile " + owner.getSimpleName() + "." + name + ": " + e.getMessage();
            System.err.println("SUITE-MISSING " + why);
            return throwing(m.getReturnType(), params, new IllegalStateException(why, e));
        }
    }

    /** {@link ClangTwins#bind} of {@code twin_<name>}, or a handle throwing why the twins are not available. */
    public static MethodHandle clang(String name, Class<?> ret, Class<?>... params) {
        try {
            MethodHandle h = ClangTwins.bind(name, ret, params);
            if (!clangShown) {
                clangShown = true;
                System.err.println("SUITE-CLANG " + ClangTwins.compilerDescription());
            }
            return h;
        } catch (ClangTwins.UnavailableException e) {
            System.err.println("SUITE-MISSING clang twin_" + name + ": " + e.getMessage().lines().findFirst().orElse(""));
            return throwing(ret, params, e);
        }
    }

    private static MethodHandle throwing(Class<?> ret, Class<?>[] params, RuntimeException e) {
        MethodHandle t = MethodHandles.throwException(ret, RuntimeException.class);
        return MethodHandles.dropArguments(MethodHandles.insertArguments(t, 0, e), 0, params);
    }
}
