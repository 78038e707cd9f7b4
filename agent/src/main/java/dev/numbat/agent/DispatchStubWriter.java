package dev.numbat.agent;

import java.util.Set;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.pool.TypePool;

/**
 * Rewrites each static {@code @Jit} method so that its body starts with a dispatch prologue:
 * <pre>
 *   invokedynamic useNative()Z          // JitSupport.useNative: false until compiled
 *   ifeq ORIGINAL
 *   load the arguments
 *   invokedynamic name(desc)            // JitSupport.callNative: the compiled code
 *   return the result
 * ORIGINAL:
 *   the method's own bytecode, unchanged
 * </pre>
 * Nothing is added to the class but instructions, so already loaded classes can be retransformed, and
 * the original bytecode stays both runnable (the fallback) and in the class file Numbat compiles from.
 * When {@code addInitHook} is set the static initializer ends by calling {@link JitSupport#classInitialised}
 * for eager compilation (only at load time: a retransformation cannot add a static initializer).
 */
final class DispatchStubWriter implements AsmVisitorWrapper {
    private static final String SUPPORT = "dev/numbat/agent/JitSupport";
    private static final String BOOTSTRAP_DESC = "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;"
            + "Ljava/lang/invoke/MethodType;Ljava/lang/String;)Ljava/lang/invoke/CallSite;";
    private static final Handle USE_NATIVE = new Handle(Opcodes.H_INVOKESTATIC, SUPPORT, "useNative", BOOTSTRAP_DESC, false);
    private static final Handle CALL_NATIVE = new Handle(Opcodes.H_INVOKESTATIC, SUPPORT, "callNative", BOOTSTRAP_DESC, false);

    /** {@code name + descriptor} of the methods to rewrite. */
    private final Set<String> methods;
    private final boolean addInitHook;

    DispatchStubWriter(Set<String> methods, boolean addInitHook) {
        this.methods = methods;
        this.addInitHook = addInitHook;
    }

    @Override public int mergeWriter(int flags) { return flags | ClassWriter.COMPUTE_MAXS; }

    @Override public int mergeReader(int flags) { return flags | ClassReader.EXPAND_FRAMES; }

    @Override
    public ClassVisitor wrap(TypeDescription type, ClassVisitor cv, Implementation.Context context, TypePool pool,
                             FieldList<FieldDescription.InDefinedShape> fields, MethodList<?> methodList, int writerFlags, int readerFlags) {
        return new ClassVisitor(Opcodes.ASM9, cv) {
            private int version;
            private String owner;
            private boolean sawInitializer;

            @Override
            public void visit(int v, int access, String name, String signature, String superName, String[] interfaces) {
                version = v;
                owner = name;
                super.visit(v, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, desc, signature, exceptions);
                // invokedynamic needs a class file of Java 7 or later; older classes keep their bytecode.
                if (methods.contains(name + desc) && (access & Opcodes.ACC_STATIC) != 0 && javaSevenOrLater()) {
                    return new Prologue(mv, name, desc, true);
                }
                if (addInitHook && name.equals("<clinit>") && javaSevenOrLater()) {
                    sawInitializer = true;
                    return new InitHook(mv, owner);
                }
                return mv;
            }

            /** Without a prologue (older class files) an eager compilation would never be used: no hook either. */
            private boolean javaSevenOrLater() {
                return (version & 0xffff) >= Opcodes.V1_7;
            }

            @Override
            public void visitEnd() {
                if (addInitHook && !sawInitializer && javaSevenOrLater()) {
                    MethodVisitor mv = super.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
                    mv.visitCode();
                    InitHook.emit(mv, owner);
                    mv.visitInsn(Opcodes.RETURN);
                    mv.visitMaxs(1, 0);
                    mv.visitEnd();
                }
                super.visitEnd();
            }
        };
    }

    /** Emits the dispatch prologue before the method's own code. */
    private static final class Prologue extends MethodVisitor {
        private final String name, desc;
        private final boolean frames;

        Prologue(MethodVisitor mv, String name, String desc, boolean frames) {
            super(Opcodes.ASM9, mv);
            this.name = name;
            this.desc = desc;
            this.frames = frames;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            Label original = new Label();
            super.visitInvokeDynamicInsn(name, "()Z", USE_NATIVE, desc);
            super.visitJumpInsn(Opcodes.IFEQ, original);
            Type[] args = Type.getArgumentTypes(desc);
            int slot = 0;
            for (Type a : args) {
                super.visitVarInsn(a.getOpcode(Opcodes.ILOAD), slot);
                slot += a.getSize();
            }
            super.visitInvokeDynamicInsn(name, desc, CALL_NATIVE, desc);
            super.visitInsn(Type.getReturnType(desc).getOpcode(Opcodes.IRETURN));
            super.visitLabel(original);
            if (frames) {
                Object[] locals = new Object[args.length];
                for (int k = 0; k < args.length; k++) locals[k] = frameType(args[k]);
                super.visitFrame(Opcodes.F_NEW, locals.length, locals, 0, new Object[0]);
            }
            // A frame may also start the original code; the nop keeps the two frames at distinct offsets.
            super.visitInsn(Opcodes.NOP);
        }

        private static Object frameType(Type t) {
            return switch (t.getSort()) {
                case Type.BOOLEAN, Type.BYTE, Type.SHORT, Type.CHAR, Type.INT -> Opcodes.INTEGER;
                case Type.LONG -> Opcodes.LONG;
                case Type.FLOAT -> Opcodes.FLOAT;
                case Type.DOUBLE -> Opcodes.DOUBLE;
                default -> t.getInternalName();
            };
        }
    }

    /** Calls JitSupport.classInitialised(thisClass) before every return of the static initializer. */
    private static final class InitHook extends MethodVisitor {
        private final String owner;

        InitHook(MethodVisitor mv, String owner) {
            super(Opcodes.ASM9, mv);
            this.owner = owner;
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.RETURN) emit(mv, owner);
            super.visitInsn(opcode);
        }

        static void emit(MethodVisitor mv, String owner) {
            mv.visitLdcInsn(Type.getObjectType(owner));
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, SUPPORT, "classInitialised", "(Ljava/lang/Class;)V", false);
        }
    }
}
