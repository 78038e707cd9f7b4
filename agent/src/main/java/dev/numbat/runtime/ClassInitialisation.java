package dev.numbat.runtime;

import dev.numbat.ir.Function;
import dev.numbat.ir.Module;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The JVM initialises a class before a static method of it first runs (JVMS 5.5), and a failing
 * initializer surfaces as {@code ExceptionInInitializerError} in the caller. Compiled code calls its
 * callees natively, so the first call of a compiled method initialises every class of its module, in
 * call order, and only then switches the call site to the native code. Initialising when compiling
 * instead would swallow the first error and leave the application a different one.
 */
final class ClassInitialisation {
    private ClassInitialisation() {}

    static MethodHandle beforeFirstCall(MethodHandle nativeCall, Module module, ClassLoader loader) throws ReflectiveOperationException {
        Set<String> names = new LinkedHashSet<>();
        for (Function f : module.functions().values()) names.add(f.owner().replace('/', '.'));
        MutableCallSite site = new MutableCallSite(nativeCall.type());
        MethodHandle init = MethodHandles.lookup().findStatic(ClassInitialisation.class, "initialise",
                MethodType.methodType(void.class, MutableCallSite.class, MethodHandle.class, List.class, ClassLoader.class));
        init = MethodHandles.insertArguments(init, 0, site, nativeCall, List.copyOf(names), loader);
        site.setTarget(MethodHandles.foldArguments(nativeCall, init));
        return site.dynamicInvoker();
    }

    private static void initialise(MutableCallSite site, MethodHandle nativeCall, List<String> classes, ClassLoader loader) {
        for (String name : classes) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException e) {
                throw new NoClassDefFoundError(name);
            }
        }
        site.setTarget(nativeCall);
    }
}
