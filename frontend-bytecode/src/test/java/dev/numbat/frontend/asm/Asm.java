package dev.numbat.frontend.asm;

import static org.objectweb.asm.Opcodes.*;

import dev.numbat.frontend.BytecodeFrontend;
import dev.numbat.frontend.ClassBytes;
import dev.numbat.frontend.UnsupportedConstructException;
import dev.numbat.ir.Module;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * A tiny assembler that reads like assembly, for bytecode javac never writes:
 *
 * <pre>{@code
 * Asm.Built c = Asm.method("f", "(II)I").iload(0).iload(1).iadd().ireturn().build();
 * Module m = c.lift("f", "(II)I");              // through the bytecode frontend
 * Object r = c.method("f").invoke(null, 1, 2);   // on the JVM
 * }</pre>
 *
 * Every method is {@code public static}. Labels are named by strings and may be used before they are placed.
 * Frames and maxima are computed by ASM ({@code COMPUTE_FRAMES | COMPUTE_MAXS}); a class may instead be
 * written as a Java 5 class file (version 49, no stack map frames, maxima still computed), where ASM leaves
 * unreachable code as written. The class is loaded by a throwaway class loader that also serves its bytes as a
 * resource, and {@link Built#frontend()} reads it through a {@link ClassBytes} of those bytes.
 */
public final class Asm {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String internalName;
    private final boolean java5;
    private final ClassWriter cw;
    private MethodVisitor mv;
    private Map<String, Label> labels = new HashMap<>();
    private int lastLine = -1;

    private Asm(String internalName, boolean java5) {
        this.internalName = internalName;
        this.java5 = java5;
        this.cw = new ClassWriter(java5 ? ClassWriter.COMPUTE_MAXS : ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) { return "java/lang/Object"; }
        };
        cw.visit(java5 ? V1_5 : V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, internalName, null, "java/lang/Object", null);
        cw.visitSource("Generated.java", null);
    }

    /** A new class (Java 17 class file, frames computed) whose first method is {@code name}. */
    public static Asm method(String name, String descriptor) {
        return new Asm("dev/numbat/asm/Generated" + COUNTER.incrementAndGet(), false).and(name, descriptor);
    }

    /** A new Java 5 class file: no stack map frames, so unreachable code stays as written. */
    public static Asm java5Method(String name, String descriptor) {
        return new Asm("dev/numbat/asm/Generated" + COUNTER.incrementAndGet(), true).and(name, descriptor);
    }

    /** Ends the current method and starts another {@code public static} one in the same class. */
    public Asm and(String name, String descriptor) {
        endMethod();
        mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, name, descriptor, null, null);
        mv.visitCode();
        labels = new HashMap<>();
        lastLine = -1;
        return this;
    }

    public String internalName() { return internalName; }

    private void endMethod() {
        if (mv != null) {
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            for (Map.Entry<String, Label> e : labels.entrySet()) {
                try {
                    e.getValue().getOffset();
                } catch (IllegalStateException unplaced) {
                    throw new IllegalStateException("label " + e.getKey() + " used but never placed");
                }
            }
        }
        mv = null;
    }

    public Built build() {
        endMethod();
        cw.visitEnd();
        return new Built(internalName, cw.toByteArray());
    }

    // ---- generic --------------------------------------------------------------------------------

    /** Any instruction without operands, by opcode. */
    public Asm op(int opcode) { mv.visitInsn(opcode); return this; }

    private Label labelFor(String name) { return labels.computeIfAbsent(name, n -> new Label()); }

    /** Places label {@code name} here. */
    public Asm label(String name) { mv.visitLabel(labelFor(name)); return this; }

    /** The following instructions come from source line {@code line}. */
    public Asm line(int line) {
        Label l = new Label();
        mv.visitLabel(l);
        mv.visitLineNumber(line, l);
        lastLine = line;
        return this;
    }

    public int lastLine() { return lastLine; }

    // ---- constants and locals -------------------------------------------------------------------

    public Asm iconst(int v) {
        if (v >= -1 && v <= 5) mv.visitInsn(ICONST_0 + v);
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(BIPUSH, v);
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) mv.visitIntInsn(SIPUSH, v);
        else mv.visitLdcInsn(v);
        return this;
    }

    public Asm lconst(long v) {
        if (v == 0 || v == 1) mv.visitInsn(LCONST_0 + (int) v);
        else mv.visitLdcInsn(v);
        return this;
    }

    public Asm fconst(float v) { mv.visitLdcInsn(v); return this; }
    public Asm dconst(double v) { mv.visitLdcInsn(v); return this; }
    public Asm aconstNull() { return op(ACONST_NULL); }

    public Asm iload(int slot) { mv.visitVarInsn(ILOAD, slot); return this; }
    public Asm lload(int slot) { mv.visitVarInsn(LLOAD, slot); return this; }
    public Asm fload(int slot) { mv.visitVarInsn(FLOAD, slot); return this; }
    public Asm dload(int slot) { mv.visitVarInsn(DLOAD, slot); return this; }
    public Asm aload(int slot) { mv.visitVarInsn(ALOAD, slot); return this; }
    public Asm istore(int slot) { mv.visitVarInsn(ISTORE, slot); return this; }
    public Asm lstore(int slot) { mv.visitVarInsn(LSTORE, slot); return this; }
    public Asm fstore(int slot) { mv.visitVarInsn(FSTORE, slot); return this; }
    public Asm dstore(int slot) { mv.visitVarInsn(DSTORE, slot); return this; }
    public Asm astore(int slot) { mv.visitVarInsn(ASTORE, slot); return this; }
    /** iinc; ASM writes {@code wide iinc} when the slot is above 255 or the increment outside a byte. */
    public Asm iinc(int slot, int increment) { mv.visitIincInsn(slot, increment); return this; }

    // ---- stack ----------------------------------------------------------------------------------

    public Asm pop() { return op(POP); }
    public Asm pop2() { return op(POP2); }
    public Asm dup() { return op(DUP); }
    public Asm dupX1() { return op(DUP_X1); }
    public Asm dupX2() { return op(DUP_X2); }
    public Asm dup2() { return op(DUP2); }
    public Asm dup2X1() { return op(DUP2_X1); }
    public Asm dup2X2() { return op(DUP2_X2); }
    public Asm swap() { return op(SWAP); }

    // ---- arithmetic and conversions -------------------------------------------------------------

    public Asm iadd() { return op(IADD); }
    public Asm isub() { return op(ISUB); }
    public Asm imul() { return op(IMUL); }
    public Asm idiv() { return op(IDIV); }
    public Asm irem() { return op(IREM); }
    public Asm ineg() { return op(INEG); }
    public Asm ixor() { return op(IXOR); }
    public Asm iand() { return op(IAND); }
    public Asm ishl() { return op(ISHL); }
    public Asm ladd() { return op(LADD); }
    public Asm lsub() { return op(LSUB); }
    public Asm lmul() { return op(LMUL); }
    public Asm lxor() { return op(LXOR); }
    public Asm dadd() { return op(DADD); }
    public Asm dsub() { return op(DSUB); }
    public Asm dmul() { return op(DMUL); }
    public Asm fadd() { return op(FADD); }
    public Asm i2l() { return op(I2L); }
    public Asm l2i() { return op(L2I); }
    public Asm d2l() { return op(D2L); }
    public Asm l2d() { return op(L2D); }
    public Asm i2d() { return op(I2D); }
    public Asm lcmp() { return op(LCMP); }
    public Asm fcmpl() { return op(FCMPL); }
    public Asm fcmpg() { return op(FCMPG); }
    public Asm dcmpl() { return op(DCMPL); }
    public Asm dcmpg() { return op(DCMPG); }

    // ---- arrays ---------------------------------------------------------------------------------

    /** newarray with a {@code T_*} type code of {@link org.objectweb.asm.Opcodes}. */
    public Asm newarray(int typeCode) { mv.visitIntInsn(NEWARRAY, typeCode); return this; }
    public Asm arraylength() { return op(ARRAYLENGTH); }
    public Asm iaload() { return op(IALOAD); }
    public Asm iastore() { return op(IASTORE); }
    public Asm baload() { return op(BALOAD); }
    public Asm bastore() { return op(BASTORE); }
    public Asm castore() { return op(CASTORE); }
    public Asm caload() { return op(CALOAD); }
    public Asm sastore() { return op(SASTORE); }
    public Asm saload() { return op(SALOAD); }

    // ---- control --------------------------------------------------------------------------------

    public Asm jump(int opcode, String label) { mv.visitJumpInsn(opcode, labelFor(label)); return this; }
    public Asm goTo(String label) { return jump(GOTO, label); }
    public Asm ifeq(String label) { return jump(IFEQ, label); }
    public Asm ifne(String label) { return jump(IFNE, label); }
    public Asm iflt(String label) { return jump(IFLT, label); }
    public Asm ifge(String label) { return jump(IFGE, label); }
    public Asm ifgt(String label) { return jump(IFGT, label); }
    public Asm ifle(String label) { return jump(IFLE, label); }
    public Asm ifIcmpge(String label) { return jump(IF_ICMPGE, label); }
    public Asm ifIcmplt(String label) { return jump(IF_ICMPLT, label); }
    public Asm ifIcmpgt(String label) { return jump(IF_ICMPGT, label); }

    public Asm tableswitch(int min, String dflt, String... cases) {
        mv.visitTableSwitchInsn(min, min + cases.length - 1, labelFor(dflt),
                Arrays.stream(cases).map(this::labelFor).toArray(Label[]::new));
        return this;
    }

    public Asm lookupswitch(String dflt, int[] keys, String... cases) {
        mv.visitLookupSwitchInsn(labelFor(dflt), keys, Arrays.stream(cases).map(this::labelFor).toArray(Label[]::new));
        return this;
    }

    public Asm ireturn() { return op(IRETURN); }
    public Asm lreturn() { return op(LRETURN); }
    public Asm freturn() { return op(FRETURN); }
    public Asm dreturn() { return op(DRETURN); }
    public Asm vreturn() { return op(RETURN); }
    public Asm athrow() { return op(ATHROW); }

    public Asm invokestatic(String owner, String name, String descriptor) {
        mv.visitMethodInsn(INVOKESTATIC, owner, name, descriptor, false);
        return this;
    }

    /** invokestatic of a method of the class being assembled. */
    public Asm invokeOwn(String name, String descriptor) { return invokestatic(internalName, name, descriptor); }

    public Asm getfield(String owner, String name, String descriptor) {
        mv.visitFieldInsn(GETFIELD, owner, name, descriptor);
        return this;
    }

    // ---- the result -----------------------------------------------------------------------------

    /** An assembled class: its bytes, the class loaded by its own loader, and the frontend that reads it. */
    public static final class Built {
        private final String internalName;
        private final byte[] bytes;
        private final Loader loader;
        private Class<?> type;

        Built(String internalName, byte[] bytes) {
            this.internalName = internalName;
            this.bytes = bytes;
            this.loader = new Loader(internalName, bytes);
        }

        public String internalName() { return internalName; }
        public byte[] bytes() { return bytes.clone(); }
        public ClassLoader loader() { return loader; }

        /** The loaded class (the JVM verifies it on first use). */
        public synchronized Class<?> type() {
            if (type == null) {
                try {
                    type = Class.forName(internalName.replace('/', '.'), true, loader);
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
            }
            return type;
        }

        /** The only method named {@code name}. */
        public Method method(String name) {
            Method[] found = Arrays.stream(type().getDeclaredMethods()).filter(m -> m.getName().equals(name)).toArray(Method[]::new);
            if (found.length != 1) throw new IllegalArgumentException(found.length + " methods named " + name);
            return found[0];
        }

        /** A frontend that reads this class from its bytes and everything else from the loader. */
        public BytecodeFrontend frontend() {
            ClassBytes others = ClassBytes.fromClassLoader(loader);
            return new BytecodeFrontend(n -> n.equals(internalName) ? Optional.of(bytes.clone()) : others.read(n), loader);
        }

        /** Lifts the method {@code name} with {@code descriptor}. */
        public Module lift(String name, String descriptor) throws UnsupportedConstructException {
            return frontend().lift(internalName, name, descriptor);
        }
    }

    /** Defines the one class and serves its bytes as the {@code .class} resource. */
    static final class Loader extends ClassLoader {
        private final String internalName;
        private final byte[] bytes;

        Loader(String internalName, byte[] bytes) {
            super(Asm.class.getClassLoader());
            this.internalName = internalName;
            this.bytes = bytes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (name.equals(internalName.replace('/', '.'))) return defineClass(name, bytes, 0, bytes.length);
            throw new ClassNotFoundException(name);
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            if (name.equals(internalName + ".class")) return new ByteArrayInputStream(bytes);
            return super.getResourceAsStream(name);
        }
    }
}
