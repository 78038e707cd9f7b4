package dev.numbat.profiler;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * A static method's twin, defined: its {@link Profile}, the instrumented copy that records into it, and the
 * plain copy. The twin is an ordinary class in the package of the method's own class, defined by its class
 * loader. Not a hidden class, although that would give nestmate access for free: HotSpot computes no helpful
 * {@code NullPointerException} message for a frame of a hidden class, and the copies must throw the JVM's
 * exceptions with the JVM's messages. Members the twin may not access itself go through the method's class's
 * lookup ({@link ProfileSupport#member}). Calls of the method itself (recursion) still go to the original, which
 * under the agent dispatches again.
 */
public record ProfiledTwin(Profile profile, MethodHandle profiled, MethodHandle plain) {

    /**
     * Defines the twin of {@code name + descriptor}, a static method of the class {@code owner} looks up from
     * ({@code owner} must have full privilege access to it, as a bootstrap method's caller lookup has; it is kept
     * for the twin's private accesses).
     * {@code classFile} is the class's original class file (null: read as a resource of its class loader).
     *
     * @throws IllegalArgumentException when it cannot be profiled, with the reason
     */
    public static ProfiledTwin define(MethodHandles.Lookup owner, String name, String descriptor, byte[] classFile, long threshold)
            throws ReflectiveOperationException {
        Class<?> c = owner.lookupClass();
        if (classFile == null) classFile = classFileOf(c);
        Instrumenter.Twin twin = Instrumenter.instrument(classFile, name, descriptor, threshold, owner);
        Class<?> defined = owner.defineClass(twin.classFile());
        MethodType type = MethodType.fromMethodDescriptorString(descriptor, c.getClassLoader());
        return new ProfiledTwin(twin.profile(), owner.findStatic(defined, "profiled", type), owner.findStatic(defined, "plain", type));
    }

    private static byte[] classFileOf(Class<?> c) {
        String resource = c.getName().replace('.', '/') + ".class";
        ClassLoader loader = c.getClassLoader();
        try (InputStream in = loader != null ? loader.getResourceAsStream(resource) : ClassLoader.getSystemResourceAsStream(resource)) {
            if (in == null) throw new IllegalArgumentException("the class file of " + c.getName() + " cannot be read");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalArgumentException("the class file of " + c.getName() + " cannot be read: " + e.getMessage());
        }
    }
}
