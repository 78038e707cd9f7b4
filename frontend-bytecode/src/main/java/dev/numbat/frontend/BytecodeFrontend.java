package dev.numbat.frontend;

import dev.numbat.ir.ConstantArray;
import dev.numbat.ir.Function;
import dev.numbat.ir.Module;
import dev.numbat.ir.Type;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Reads a static method's bytecode and every static method it calls, transitively, and lifts each
 * into SSA IR: the result is one {@link Module} whose entry is the method asked for.
 */
public final class BytecodeFrontend {
    /** Guards the compiler: a module larger than this is refused rather than compiled for minutes. */
    public static final int MAX_FUNCTIONS = 256;
    public static final int MAX_INSTRUCTIONS = 100_000;

    private final ClassBytes classBytes;
    private final ClassLoader classLoader;
    private final Map<String, Optional<LoadedClass>> classes = new HashMap<>();

    record LoadedClass(ClassNode node, BytecodeOffsets offsets) {}

    public BytecodeFrontend(ClassBytes classBytes, ClassLoader classLoader) {
        this.classBytes = classBytes;
        this.classLoader = classLoader;
    }

    /** Lifts {@code method} (static) with the class files of its own class loader. */
    public static Module lift(Method method) throws UnsupportedConstructException {
        ClassLoader loader = method.getDeclaringClass().getClassLoader();
        return new BytecodeFrontend(ClassBytes.fromClassLoader(loader), loader).lift(
                method.getDeclaringClass().getName().replace('.', '/'), method.getName(),
                org.objectweb.asm.Type.getMethodDescriptor(method));
    }

    /** Lifts {@code owner.name(descriptor)}, with the owner's internal name. */
    public Module lift(String owner, String name, String descriptor) throws UnsupportedConstructException {
        Session s = new Session();
        LoadedClass c = load(owner).orElseThrow(() -> new UnsupportedConstructException(owner.replace('/', '.'),
                name, descriptor, -1, -1, null, "class file not found"));
        MethodNode m = find(c.node(), name, descriptor);
        if (m == null) {
            throw new UnsupportedConstructException(owner.replace('/', '.'), name, descriptor, -1, -1,
                    c.node().sourceFile, "method not found in the class file");
        }
        s.enqueue(c, m);
        s.drain(s.pending.peek());
        return s.module;
    }

    private synchronized Optional<LoadedClass> load(String internalName) {
        return classes.computeIfAbsent(internalName, n -> classBytes.read(n).map(bytes -> {
            ClassNode node = new ClassNode();
            new ClassReader(bytes).accept(node, 0);
            return new LoadedClass(node, new BytecodeOffsets(bytes));
        }));
    }

    private static MethodNode find(ClassNode c, String name, String desc) {
        for (MethodNode m : c.methods) if (m.name.equals(name) && m.desc.equals(desc)) return m;
        return null;
    }

    /** One lift: the module being built and the methods still to lift. */
    final class Session {
        final Module module = new Module();
        final Deque<MethodLifter> pending = new ArrayDeque<>();
        private int instructions;

        ClassLoader classLoader() { return classLoader; }

        private Function enqueue(LoadedClass c, MethodNode m) {
            String ret = org.objectweb.asm.Type.getReturnType(m.desc).getDescriptor();
            Type returnType = Type.fromDescriptor(ret);
            Function f = new Function(c.node().name, m.name, m.desc, returnType == null ? Type.VOID : returnType);
            module.add(f);
            pending.add(new MethodLifter(this, c.node(), m, f, c.offsets().of(m.name, m.desc)));
            return f;
        }

        private void drain(MethodLifter entry) throws UnsupportedConstructException {
            while (!pending.isEmpty()) {
                MethodLifter lifter = pending.poll();
                instructions += lifter.method.instructions.size();
                if (module.functions().size() > MAX_FUNCTIONS || instructions > MAX_INSTRUCTIONS) {
                    throw lifter.unsupported(-1, "more code than the compile budget allows ("
                            + MAX_FUNCTIONS + " methods, " + MAX_INSTRUCTIONS + " instructions)");
                }
                lifter.lift(lifter == entry);
            }
        }

        /** The function for a static call, queued for lifting the first time it is met. */
        Function callee(MethodInsnNode call, MethodLifter caller, int index) throws UnsupportedConstructException {
            String owner = call.owner;
            // invokestatic resolves through superclasses, as the JVM does.
            while (owner != null) {
                Optional<LoadedClass> c = load(owner);
                if (c.isEmpty()) throw caller.unsupported(index, "call to " + SupportCheck.method(call) + ": class file not found");
                MethodNode m = find(c.get().node(), call.name, call.desc);
                if (m != null) {
                    Function known = module.get(owner + "." + m.name + m.desc);
                    if (known != null) return known;
                    String problem = SupportCheck.ofMethod(m);
                    if (problem != null) throw caller.unsupported(index, "call to " + SupportCheck.method(call) + ", a " + problem);
                    return enqueue(c.get(), m);
                }
                owner = c.get().node().superName;
            }
            throw caller.unsupported(index, "call to " + SupportCheck.method(call) + ": method not found");
        }

        /** A {@code private static final} primitive array of a JDK class, as a read-only table. */
        ConstantArray staticTable(FieldInsnNode f, MethodLifter reader, int index) throws UnsupportedConstructException {
            String what = "read of static array " + org.objectweb.asm.Type.getObjectType(f.owner).getClassName() + "." + f.name;
            Type type = Type.fromDescriptor(f.desc);
            if (type == null || !type.isArray()) throw reader.unsupported(index, what + " of type " + org.objectweb.asm.Type.getType(f.desc).getClassName());
            if (!StaticTables.trusted(f.owner)) {
                throw reader.unsupported(index, what + " (arrays in static fields may change; only the JDK's constant tables are compiled)");
            }
            Optional<LoadedClass> c = load(f.owner);
            long[] bits = c.isEmpty() ? null : StaticTables.read(c.get().node(), f.name, f.desc);
            if (bits == null) throw reader.unsupported(index, what + " (not a constant table Numbat can read)");
            return module.table(ConstantArray.of(type, f.owner + "." + f.name, bits));
        }

        /** The value of a {@code static final} primitive or {@code ValueLayout} field, read after initialising its class. */
        Object staticFinalValue(FieldInsnNode f, MethodLifter reader, int index) throws UnsupportedConstructException {
            String what = "read of static field " + org.objectweb.asm.Type.getObjectType(f.owner).getClassName() + "." + f.name;
            Type t = Type.fromDescriptor(f.desc);
            if (t == null || !t.isPrimitive() && t != Type.LAYOUT) throw reader.unsupported(index, what + " of type " + org.objectweb.asm.Type.getType(f.desc).getClassName());
            try {
                Class<?> c = Class.forName(f.owner.replace('/', '.'), true, classLoader);
                for (Class<?> k = c; k != null; k = k.getSuperclass()) {
                    Field field;
                    try {
                        field = k.getDeclaredField(f.name);
                    } catch (NoSuchFieldException e) {
                        continue;
                    }
                    int mod = field.getModifiers();
                    if (!Modifier.isStatic(mod) || !Modifier.isFinal(mod)) throw reader.unsupported(index, what + " (not static final)");
                    field.setAccessible(true);
                    return field.get(null);
                }
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                throw reader.unsupported(index, what + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            }
            throw reader.unsupported(index, what + " (field not found)");
        }
    }
}
