package dev.numbat.runtime;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;

/**
 * Reads a method's {@code @Jit} by the annotation's name, not its class: an application may bring its
 * own copy of numbat-annotations in another class loader than Numbat's, and its options must still count.
 */
public final class JitAnnotation {
    private static final String NAME = "dev.numbat.Jit";

    private JitAnnotation() {}

    /** The method's {@code @Jit} annotation, or null. */
    public static Annotation of(Method m) {
        for (Annotation a : m.getDeclaredAnnotations()) {
            if (a.annotationType().getName().equals(NAME)) return a;
        }
        return null;
    }

    public static boolean fastMath(Method m) { return flag(m, "fastMath"); }

    public static boolean eager(Method m) { return flag(m, "eager"); }

    public static boolean parallel(Method m) { return flag(m, "parallel"); }

    /** {@code @Jit(profile = true)}: run profiled bytecode first, compile when hot (docs/profiler.md). */
    public static boolean profile(Method m) { return flag(m, "profile"); }

    /** An element of the annotation; false without the annotation or for an older copy lacking the element. */
    private static boolean flag(Method m, String element) {
        Annotation a = of(m);
        if (a == null) return false;
        try {
            return (boolean) a.annotationType().getMethod(element).invoke(a);
        } catch (ReflectiveOperationException | ClassCastException e) {
            return false;
        }
    }
}
