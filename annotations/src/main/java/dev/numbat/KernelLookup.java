package dev.numbat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/** Finds the static method a launch names, by name and by the arguments it is given. */
final class KernelLookup {
    private KernelLookup() {}

    static Method find(Class<?> owner, String name, Object[] args) {
        List<Method> named = new ArrayList<>();
        for (Method m : owner.getDeclaredMethods()) {
            if (m.getName().equals(name) && Modifier.isStatic(m.getModifiers())) named.add(m);
        }
        if (named.isEmpty()) throw new IllegalArgumentException("no static method " + owner.getName() + "." + name);
        for (Method m : named) {
            if (accepts(m.getParameterTypes(), args)) {
                m.setAccessible(true);
                return m;
            }
        }
        throw new IllegalArgumentException("no static method " + owner.getName() + "." + name
                + " accepts these " + args.length + " arguments");
    }

    private static boolean accepts(Class<?>[] params, Object[] args) {
        if (params.length != args.length) return false;
        for (int k = 0; k < params.length; k++) {
            Object a = args[k];
            Class<?> p = params[k];
            if (a == null) {
                if (p.isPrimitive()) return false;
            } else if (a instanceof GpuArray g) {
                if (!p.isArray() || p.getComponentType() != g.elementType()) return false;
            } else if (p.isPrimitive()) {
                if (box(p) != a.getClass()) return false;
            } else if (!p.isInstance(a)) {
                return false;
            }
        }
        return true;
    }

    static Class<?> box(Class<?> p) {
        if (p == int.class) return Integer.class;
        if (p == long.class) return Long.class;
        if (p == float.class) return Float.class;
        if (p == double.class) return Double.class;
        if (p == boolean.class) return Boolean.class;
        if (p == byte.class) return Byte.class;
        if (p == short.class) return Short.class;
        if (p == char.class) return Character.class;
        return p;
    }
}
