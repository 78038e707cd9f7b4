package dev.numbat.ptx;

import dev.numbat.frontend.ClassBytes;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Class files as the PTX back end's frontend sees them. The real {@code dev.numbat.Gpu} reads the
 * simulator's thread-locals, which the compiled subset refuses; here it is replaced by a stub whose methods
 * have trivial bodies, so that calls to it lift as ordinary IR calls that {@link FunctionWriter} recognises
 * by their owner and lowers to PTX instructions. Calls to {@code Gpu.sharedFloats(n)} and its siblings
 * return an array, which the subset also refuses; in every class that calls them they are rewritten to
 * {@code newarray(Gpu.sharedFloats(n))} with a stub returning {@code n}, so each becomes a NEW_ARRAY whose
 * size is such a call, which is lowered to a block of shared memory.
 *
 * <p>This is a workaround for the frontend knowing nothing of Gpu; see docs/gpu.md for the frontend
 * hook that would replace it. The rewrite inserts a two-byte newarray after each shared call, so bytecode
 * offsets after one in the same method are two bytes later than javac's.
 */
final class GpuClassBytes implements ClassBytes {
    static final String GPU = "dev/numbat/Gpu";
    private static final byte[] GPU_UTF8 = GPU.getBytes(StandardCharsets.UTF_8);
    /** Shared-array allocators and the newarray type code of their element. */
    static final Map<String, Integer> SHARED = Map.of(
            "sharedFloats", Opcodes.T_FLOAT, "sharedDoubles", Opcodes.T_DOUBLE,
            "sharedInts", Opcodes.T_INT, "sharedLongs", Opcodes.T_LONG);

    private final ClassBytes delegate;

    GpuClassBytes(ClassBytes delegate) { this.delegate = delegate; }

    @Override public Optional<byte[]> read(String internalName) {
        if (internalName.equals(GPU)) return Optional.of(stub());
        return delegate.read(internalName).map(b -> mentionsGpu(b) ? rewriteSharedCalls(b) : b);
    }

    private static boolean mentionsGpu(byte[] b) {
        outer:
        for (int i = 0; i + GPU_UTF8.length <= b.length; i++) {
            for (int k = 0; k < GPU_UTF8.length; k++) if (b[i + k] != GPU_UTF8[k]) continue outer;
            return true;
        }
        return false;
    }

    private static byte[] rewriteSharedCalls(byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        // Copying from the reader keeps untouched methods verbatim; inserted newarrays change no frame's types.
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exc) {
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, desc, sig, exc)) {
                    @Override public void visitMethodInsn(int op, String owner, String mname, String mdesc, boolean itf) {
                        Integer element = owner.equals(GPU) && op == Opcodes.INVOKESTATIC ? SHARED.get(mname) : null;
                        if (element == null) {
                            super.visitMethodInsn(op, owner, mname, mdesc, itf);
                        } else {
                            super.visitMethodInsn(op, owner, mname, "(I)I", false);
                            super.visitIntInsn(Opcodes.NEWARRAY, element);
                        }
                    }
                };
            }
        }, 0);
        return writer.toByteArray();
    }

    /** The stub Gpu class: same names, bodies the subset accepts and whose results nothing uses. */
    static byte[] stub() {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, GPU, null, "java/lang/Object", null);
        for (String index : new String[] {"globalId", "localId", "groupId", "groupSize", "groupCount", "globalSize"}) {
            method(w, index, "(I)I", Opcodes.ICONST_0, Opcodes.IRETURN);
        }
        method(w, "barrier", "()V", Opcodes.RETURN);
        for (String shared : SHARED.keySet()) {
            MethodVisitor m = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, shared, "(I)I", null, null);
            m.visitCode();
            m.visitVarInsn(Opcodes.ILOAD, 0);
            m.visitInsn(Opcodes.IRETURN);
            m.visitMaxs(0, 0);
            m.visitEnd();
        }
        method(w, "atomicAdd", "([III)I", Opcodes.ICONST_0, Opcodes.IRETURN);
        method(w, "atomicAdd", "([JIJ)J", Opcodes.LCONST_0, Opcodes.LRETURN);
        method(w, "atomicAdd", "([FIF)F", Opcodes.FCONST_0, Opcodes.FRETURN);
        method(w, "atomicAdd", "([DID)D", Opcodes.DCONST_0, Opcodes.DRETURN);
        w.visitEnd();
        return w.toByteArray();
    }

    private static void method(ClassWriter w, String name, String desc, int... insns) {
        MethodVisitor m = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, name, desc, null, null);
        m.visitCode();
        for (int op : insns) m.visitInsn(op);
        m.visitMaxs(0, 0);
        m.visitEnd();
    }
}
