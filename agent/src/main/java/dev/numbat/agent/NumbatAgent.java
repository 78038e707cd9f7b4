package dev.numbat.agent;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * The Java agent: {@code -javaagent:numbat-agent.jar} (premain), attach (agentmain) or
 * {@code Numbat.install()} (self-attach). Byte Buddy's {@link AgentBuilder} finds static {@code @Jit}
 * methods in classes as they load, from any class loader, and {@link DispatchStubWriter} gives each a
 * dispatch prologue; callers are untouched. LLVM is not loaded until the first method compiles.
 */
public final class NumbatAgent {
    private static final String JIT = "dev.numbat.Jit";
    private static final byte[] JIT_DESCRIPTOR = "Ldev/numbat/Jit;".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Whether the class being transformed on this thread is loading now (not being retransformed). */
    private static final ThreadLocal<Boolean> LOADING = ThreadLocal.withInitial(() -> Boolean.TRUE);
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

    /** Byte Buddy's rewriter, built on first use. */
    private static final class Rewriter {
        static final ClassFileTransformer INSTANCE = build();

        private static ClassFileTransformer build() {
            // Numbat never uses Byte Buddy's Nexus (it only rewrites method bodies); disabling it keeps Byte Buddy
            // from reaching for sun.misc.Unsafe, which JDK 25 warns about. The property is the relocated copy's own.
            if (System.getProperty(net.bytebuddy.dynamic.Nexus.PROPERTY) == null) System.setProperty(net.bytebuddy.dynamic.Nexus.PROPERTY, "true");
            return new AgentBuilder.Default()
                    .disableClassFormatChanges()
                    .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                    .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                    .with(new FailureListener())
                    .type(declaresMethod(isStatic().and(isAnnotatedWith(named(JIT)))))
                    .transform(NumbatAgent::rewrite)
                    .makeRaw();
        }
    }

    private static DynamicType.Builder<?> rewrite(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
                                                  JavaModule module, ProtectionDomain domain) {
        Set<String> methods = new LinkedHashSet<>();
        for (MethodDescription.InDefinedShape m : type.getDeclaredMethods().filter(isStatic().and(isAnnotatedWith(named(JIT))))) {
            methods.add(m.getInternalName() + m.getDescriptor());
        }
        return builder.visit(new DispatchStubWriter(methods, LOADING.get()));
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
                System.err.println("numbat: not compiled " + c.getName() + ": could not rewrite the loaded class (" + t + ")");
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
            LOADING.set(redefined == null);
            try {
                return Rewriter.INSTANCE.transform(module, loader, name, redefined, domain, classFile);
            } catch (Throwable t) {
                System.err.println("numbat: not compiled " + (name == null ? "?" : name.replace('/', '.'))
                        + ": could not rewrite the class (" + t + ")");
                return null;
            } finally {
                LOADING.remove();
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

    /** Byte Buddy errors become one line; the class then loads unchanged and runs as bytecode. */
    private static final class FailureListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable throwable) {
            System.err.println("numbat: not compiled " + typeName + ": could not rewrite the class (" + throwable + ")");
        }
    }
}
