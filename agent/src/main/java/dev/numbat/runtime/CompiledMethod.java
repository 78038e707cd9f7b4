package dev.numbat.runtime;

import dev.numbat.Inspection;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;

/** A method compiled to native code: the handle that runs it and what inspection shows of it. */
public record CompiledMethod(Method method, MethodHandle handle, Inspection inspection, double compileMillis) {}
