package dev.numbat.profiler;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VolatileCallSite;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bootstrap methods of the twin's {@code invokedynamic}s, each bound for good to what its twin was registered
 * with: the {@link Profile} (so the profile is a constant to HotSpot; {@link #enter} and {@link #flush} are kept out
 * of line on purpose), and a full-privilege lookup in the
 * method's own class, through which the twin reaches the members it may not access itself (a private helper
 * method or field: the twin is a class of its own in the same package, not a nestmate). Public because twins
 * link against it; not an API.
 */
public final class ProfileSupport {
    private static final MethodHandle ENTER;
    private static final MethodHandle FLUSH;
    private static final MethodHandle SCALAR;
    /** Twins never unload (their classes' loaders hold them), so registrations are kept for the JVM's life. */
    private static final Map<Integer, Registration> TWINS = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT = new AtomicInteger();
    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            ENTER = l.findVirtual(Profile.class, "enter", MethodType.methodType(void.class, Object[].class));
            SCALAR = l.findVirtual(ScalarProfile.class, "record", MethodType.methodType(void.class, long.class));
            FLUSH = l.findVirtual(Profile.class, "flush", MethodType.methodType(void.class, int.class, int[].class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Kinds of member access forwarded through the owner's lookup ({@link #member}). */
    static final int INVOKE_STATIC = 0, GET_STATIC = 1, PUT_STATIC = 2;

    private record Registration(Profile profile, MethodHandles.Lookup owner) {}

    private ProfileSupport() {}

    /** A number for a new twin, which its call sites name it by. */
    static int newId() { return NEXT.incrementAndGet(); }

    /** Registers the twin {@code id} before its class is defined. */
    static void register(int id, Profile profile, MethodHandles.Lookup owner) {
        TWINS.put(id, new Registration(profile, owner));
    }

    /**
     * {@code enter(arrays...)V}: counts the invocation and records the array arguments. A {@link VolatileCallSite}, as
     * {@link #flush}'s, so that C2 calls it rather than inlining it: inlined, {@code enter} and {@code flush} made the
     * profiled copy's compiled code larger than C2's {@code InlineSmallCode}, so callers stopped inlining the copy and
     * lost the constants they pass it (3.2x in {@code ProfilingOverheadBenchmark.branchyArgument}); called, they cost a
     * call and their argument array each, a few ns per profiled call.
     */
    public static CallSite enter(MethodHandles.Lookup twin, String name, MethodType type, int id) {
        MethodHandle h = ENTER.bindTo(TWINS.get(id).profile()).asCollector(Object[].class, type.parameterCount());
        return new VolatileCallSite(h.asType(type));
    }

    /** {@code scalar(J)V}: records one integral argument (widened to {@code long}) in the profile's record {@code index}. */
    public static CallSite scalar(MethodHandles.Lookup twin, String name, MethodType type, int id, int index) {
        return new ConstantCallSite(SCALAR.bindTo(TWINS.get(id).profile().scalars().get(index)).asType(type));
    }

    /** {@code flush(counters...)V}: adds local counters {@code base ..} to the profile. */
    public static CallSite flush(MethodHandles.Lookup twin, String name, MethodType type, int id, int base) {
        MethodHandle h = MethodHandles.insertArguments(FLUSH.bindTo(TWINS.get(id).profile()), 0, base)
                .asCollector(int[].class, type.parameterCount());
        return new VolatileCallSite(h.asType(type)); // called, not inlined: see enter
    }

    /** A static method or field of {@code owner} (internal name) that the twin reaches with the method's own class's access. */
    public static CallSite member(MethodHandles.Lookup twin, String name, MethodType type, int id, int kind, String owner, String descriptor)
            throws ReflectiveOperationException {
        MethodHandles.Lookup l = TWINS.get(id).owner();
        Class<?> c = Class.forName(owner.replace('/', '.'), false, l.lookupClass().getClassLoader());
        MethodHandle h = switch (kind) {
            case INVOKE_STATIC -> l.findStatic(c, name, MethodType.fromMethodDescriptorString(descriptor, c.getClassLoader()));
            case GET_STATIC -> l.findStaticGetter(c, name, type.returnType());
            case PUT_STATIC -> l.findStaticSetter(c, name, type.parameterType(0));
            default -> throw new IllegalArgumentException("kind " + kind);
        };
        return new ConstantCallSite(h.asType(type));
    }
}
