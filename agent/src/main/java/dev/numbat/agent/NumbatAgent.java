package dev.numbat.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java agent: {@code -javaagent:numbat-agent.jar} (premain), attach (agentmain) or
 * {@code Numbat.install()} (self-attach). A prefilter sees classes as they load, from any class loader, and hands
 * those that mention {@code @Jit} to {@link JitClassRewriter} (Byte Buddy), which gives each static {@code @Jit}
 * method a dispatch prologue; callers are untouched. LLVM is not loaded until the first method compiles.
 */
public final class NumbatAgent {
    private static final byte[] JIT_DESCRIPTOR = "Ldev/numbat/Jit;".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static Instrumentation installed;

    private NumbatAgent() {}

    /** At start-up nothing with {@code @Jit} is loaded yet, so there is nothing to retransform. */
    public static void premain(String args, Instrumentation inst) { install(inst, false); }

    public static void agentmain(String args, Instrumentation inst) { install(inst); }

    /** Whether the agent is installed in this JVM (by -javaagent, an attach or {@code Numbat.install()}). */
    public static synchronized boolean isInstalled() { return installed != null; }

    /** Installs the transformer once, then rewrites already loaded classes that have {@code @Jit} methods. */
    public static void install(Instrumentation inst) { install(inst, true); }

    private static synchronized void install(Instrumentation inst, boolean retransformLoaded) {
        if (installed != null) return;
        installed = inst;
        // Only the byte-search prefilter is installed now: Byte Buddy's AgentBuilder (some 800 classes,
        // about 300 ms) is built when the first class with a @Jit method loads, so an application without
        // one starts as fast as with no agent.
        // A retransform-capable transformer makes the JVM keep every class's bytes; only an agent attached to
        // a running JVM needs that, to rewrite classes already loaded.
        inst.addTransformer(new Prefilter(), retransformLoaded && inst.isRetransformClassesSupported());
        if (retransformLoaded) retransformLoadedClasses(inst);
    }

    private static void retransformLoadedClasses(Instrumentation inst) {
        if (!inst.isRetransformClassesSupported()) return;
        List<Class<?>> classes = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (inst.isModifiableClass(c) && c.getClassLoader() != null && hasJitMethod(c)) classes.add(c);
        }
        for (Class<?> c : classes) {
            try {
                inst.retransformClasses(c);
                DispatchState.compileEagerMethods(c); // their static initializers have run already
            } catch (Throwable t) {
                System.err.printf("numbat: not compiled %s: could not rewrite the loaded class (%s)%n", c.getName(), t);
            }
        }
    }

    private static boolean hasJitMethod(Class<?> c) {
        try {
            for (Method m : c.getDeclaredMethods()) {
                if (Modifier.isStatic(m.getModifiers()) && dev.numbat.runtime.JitAnnotation.of(m) != null) return true;
            }
        } catch (Throwable t) {
            return false; // a class whose methods cannot be resolved has no method Numbat could run
        }
        return false;
    }

    /**
     * Looks for the annotation's descriptor in the class file's constant pool before Byte Buddy parses it:
     * most classes have no {@code @Jit} method, and a walk of the pool keeps their loading about as fast as
     * without the agent.
     */
    private static final class Prefilter implements ClassFileTransformer {

        @Override
        public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                                byte[] classFile) {
            if (loader == null || !ConstantPoolScan.mentions(classFile, JIT_DESCRIPTOR) || !seesSupport(loader)) return null;
            try {
                return JitClassRewriter.transform(module, loader, name, redefined, domain, classFile);
            } catch (Throwable t) {
                // printf, not +: string concatenation is an invokedynamic, whose presence PremainClassesTest forbids here.
                System.err.printf("numbat: not compiled %s: could not rewrite the class (%s)%n",
                        name == null ? "?" : name.replace('/', '.'), t);
                return null;
            }
        }

        /** Rewritten methods link against JitSupport, so the class's loader must see this very class. */
        private static boolean seesSupport(ClassLoader loader) {
            try {
                return Class.forName(JitSupport.class.getName(), false, loader) == JitSupport.class;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
    }
}
