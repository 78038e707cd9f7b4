package dev.numbat.runtime;

import dev.numbat.Inspection;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.util.function.Supplier;

/**
 * A method compiled to native code: the handle that runs it and what inspection shows of it.
 *
 * @param name      the method as diagnostics name it: binary class name, method name and descriptor
 * @param target    the target it was compiled for
 * @param inspector makes the {@link Inspection} when it is asked for: its assembly listing is generated then, once
 *                  ({@link dev.numbat.llvm.AssemblyListing})
 */
public record CompiledMethod(Method method, MethodHandle handle, String name, String target, Supplier<Inspection> inspector,
                             double compileMillis) {
    /** What inspection shows of the method; the first call generates its assembly listing. */
    public Inspection inspection() { return inspector.get(); }
}
