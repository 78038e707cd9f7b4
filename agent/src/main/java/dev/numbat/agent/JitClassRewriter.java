package dev.numbat.agent;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.LinkedHashSet;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Byte Buddy's part of the agent: rewrites a class that declares static {@code @Jit} methods, giving each a
 * dispatch prologue ({@link DispatchStubWriter}). Kept apart from {@link NumbatAgent} so that the premain class
 * mentions no Byte Buddy type: verifying it would load them, at every start (about 7 ms).
 */
final class JitClassRewriter {
    private static final String JIT = "dev.numbat.Jit";
    /** Byte Buddy's transformer (some 800 classes, about 300 ms), built when the first class with {@code @Jit} loads. */
    private static final ClassFileTransformer REWRITER = build();
    /** Whether the class being transformed on this thread is loading now (not being retransformed). */
    private static final ThreadLocal<Boolean> LOADING = new ThreadLocal<>();

    private JitClassRewriter() {}

    static byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                            byte[] classFile) throws IllegalClassFormatException {
        LOADING.set(redefined == null);
        try {
            return REWRITER.transform(module, loader, name, redefined, domain, classFile);
        } finally {
            LOADING.remove();
        }
    }

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
                .transform(JitClassRewriter::rewrite)
                .makeRaw();
    }

    private static DynamicType.Builder<?> rewrite(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
                                                  JavaModule module, ProtectionDomain domain) {
        Set<String> methods = new LinkedHashSet<>();
        for (MethodDescription.InDefinedShape m : type.getDeclaredMethods().filter(isStatic().and(isAnnotatedWith(named(JIT))))) {
            methods.add(m.getInternalName() + m.getDescriptor());
        }
        return builder.visit(new DispatchStubWriter(methods, LOADING.get() != Boolean.FALSE));
    }

    /** Byte Buddy errors become one line; the class then loads unchanged and runs as bytecode. */
    private static final class FailureListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable throwable) {
            System.err.println("numbat: not compiled " + typeName + ": could not rewrite the class (" + throwable + ")");
        }
    }
}
