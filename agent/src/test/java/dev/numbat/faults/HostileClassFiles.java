package dev.numbat.faults;

import static org.objectweb.asm.Opcodes.*;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Unusual but valid class files, written with ASM: old class-file versions without stack map frames, methods close
 * to the JVM's 64 KiB code limit, deeply nested loops and huge {@code tableswitch}es. Each is defined in its own
 * {@link Loader}, which also answers the class file as a resource, since Numbat's frontend reads the bytecode that
 * way. Every method is {@code public static} and deterministic, so the JVM running it is the oracle.
 */
final class HostileClassFiles {
    private HostileClassFiles() {}

    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** The JVM's limit on a method's code length (JVMS 4.7.3). */
    static final int MAX_CODE_BYTES = 65_535;

    /** A class loader holding one class, whose class file it also serves as a resource. */
    static final class Loader extends ClassLoader {
        private final Map<String, byte[]> classes = new ConcurrentHashMap<>();

        Loader() { super(HostileClassFiles.class.getClassLoader()); }

        Class<?> define(String internalName, byte[] bytes) {
            classes.put(internalName + ".class", bytes);
            return defineClass(internalName.replace('/', '.'), bytes, 0, bytes.length);
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            byte[] b = classes.get(name);
            return b != null ? new ByteArrayInputStream(b) : super.getResourceAsStream(name);
        }
    }

    /** A class file and the class it defines. */
    record Built(String internalName, byte[] bytes, Class<?> type) {
        Method method(String name) {
            Method[] found = Arrays.stream(type.getDeclaredMethods()).filter(m -> m.getName().equals(name)).toArray(Method[]::new);
            if (found.length != 1) throw new IllegalArgumentException(found.length + " methods named " + name + " in " + type);
            return found[0];
        }

        /** The length of {@code name}'s bytecode, as the class file holds it. */
        int codeLength(String name) {
            var model = java.lang.classfile.ClassFile.of().parse(bytes);
            var code = model.methods().stream().filter(m -> m.methodName().equalsString(name)).findFirst().orElseThrow()
                    .code().orElseThrow();
            return ((java.lang.classfile.attribute.CodeAttribute) code).codeLength();
        }
    }

    /** A class writer for {@code version}; frames are computed only where the version requires them (50 and later may have them, 51 must). */
    private static ClassWriter writer(String internalName, int version) {
        boolean frames = (version & 0xFFFF) >= 51;
        ClassWriter cw = new ClassWriter(frames ? ClassWriter.COMPUTE_FRAMES : ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) { return "java/lang/Object"; }
        };
        cw.visit(version, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, internalName, null, "java/lang/Object", null);
        cw.visitSource("Hostile.java", null);
        return cw;
    }

    private static Built define(String internalName, ClassWriter cw) {
        cw.visitEnd();
        byte[] bytes = cw.toByteArray();
        return new Built(internalName, bytes, new Loader().define(internalName, bytes));
    }

    private static String name(String what) {
        return "dev/numbat/faults/hostile/" + what + COUNTER.incrementAndGet();
    }

    private static MethodVisitor method(ClassWriter cw, String name, String descriptor) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, name, descriptor, null, null);
        mv.visitCode();
        return mv;
    }

    private static void end(MethodVisitor mv) {
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    static void push(MethodVisitor mv, int v) {
        if (v >= -1 && v <= 5) mv.visitInsn(ICONST_0 + v);
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(BIPUSH, v);
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) mv.visitIntInsn(SIPUSH, v);
        else mv.visitLdcInsn(v);
    }

    /**
     * Four small kernels in a class file of {@code version} ({@code Opcodes.V1_1} ... {@code V1_6}), written as
     * old compilers did: no stack map frames, {@code ACC_SUPER}, no {@code jsr} (Numbat refuses subroutines).
     * <ul>
     *   <li>{@code sumPositive([I)I}: the sum of the positive elements (a loop with a branch; NPE on null);</li>
     *   <li>{@code horner(D)D}: {@code ((2x - 3)x + 0.5)x - 7} with {@code ldc2_w} constants;</li>
     *   <li>{@code mix(JI)J}: shifts, xor and {@code lcmp} in a countdown loop;</li>
     *   <li>{@code scale([FIF)V}: {@code a[i] *= f} for {@code i < n}, writes then an out-of-bounds exception when {@code n > a.length}.</li>
     * </ul>
     */
    static Built oldKernels(int version) {
        String n = name("Old" + (version & 0xFFFF) + "_");
        ClassWriter cw = writer(n, version);
        MethodVisitor mv = method(cw, "sumPositive", "([I)I");
        Label head = new Label(), skip = new Label(), done = new Label();
        mv.visitInsn(ICONST_0); mv.visitVarInsn(ISTORE, 1);            // s = 0
        mv.visitInsn(ICONST_0); mv.visitVarInsn(ISTORE, 2);            // i = 0
        mv.visitLabel(head);
        mv.visitVarInsn(ILOAD, 2); mv.visitVarInsn(ALOAD, 0); mv.visitInsn(ARRAYLENGTH);
        mv.visitJumpInsn(IF_ICMPGE, done);
        mv.visitVarInsn(ALOAD, 0); mv.visitVarInsn(ILOAD, 2); mv.visitInsn(IALOAD); mv.visitInsn(DUP); mv.visitVarInsn(ISTORE, 3);
        mv.visitJumpInsn(IFLE, skip);
        mv.visitVarInsn(ILOAD, 1); mv.visitVarInsn(ILOAD, 3); mv.visitInsn(IADD); mv.visitVarInsn(ISTORE, 1);
        mv.visitLabel(skip);
        mv.visitIincInsn(2, 1);
        mv.visitJumpInsn(GOTO, head);
        mv.visitLabel(done);
        mv.visitVarInsn(ILOAD, 1); mv.visitInsn(IRETURN);
        end(mv);

        mv = method(cw, "horner", "(D)D");
        mv.visitLdcInsn(2.0); mv.visitVarInsn(DLOAD, 0); mv.visitInsn(DMUL); mv.visitLdcInsn(3.0); mv.visitInsn(DSUB);
        mv.visitVarInsn(DLOAD, 0); mv.visitInsn(DMUL); mv.visitLdcInsn(0.5); mv.visitInsn(DADD);
        mv.visitVarInsn(DLOAD, 0); mv.visitInsn(DMUL); mv.visitLdcInsn(7.0); mv.visitInsn(DSUB);
        mv.visitInsn(DRETURN);
        end(mv);

        mv = method(cw, "mix", "(JI)J");
        Label loop = new Label(), out = new Label(), keep = new Label();
        mv.visitLabel(loop);
        mv.visitVarInsn(ILOAD, 2); mv.visitJumpInsn(IFLE, out);                       // while (n > 0)
        mv.visitVarInsn(LLOAD, 0); mv.visitVarInsn(LLOAD, 0); mv.visitVarInsn(ILOAD, 2); mv.visitInsn(LSHL);
        mv.visitInsn(LXOR); mv.visitVarInsn(LSTORE, 0);                                 // x ^= x << n
        mv.visitVarInsn(LLOAD, 0); mv.visitInsn(LCONST_0); mv.visitInsn(LCMP); mv.visitJumpInsn(IFGE, keep);
        mv.visitVarInsn(LLOAD, 0); mv.visitVarInsn(ILOAD, 2); mv.visitInsn(LUSHR); mv.visitVarInsn(LSTORE, 0); // if (x < 0) x >>>= n
        mv.visitLabel(keep);
        mv.visitIincInsn(2, -1);
        mv.visitJumpInsn(GOTO, loop);
        mv.visitLabel(out);
        mv.visitVarInsn(LLOAD, 0); mv.visitInsn(LRETURN);
        end(mv);

        mv = method(cw, "scale", "([FIF)V");
        Label h = new Label(), e = new Label();
        mv.visitInsn(ICONST_0); mv.visitVarInsn(ISTORE, 3);
        mv.visitLabel(h);
        mv.visitVarInsn(ILOAD, 3); mv.visitVarInsn(ILOAD, 1); mv.visitJumpInsn(IF_ICMPGE, e);
        mv.visitVarInsn(ALOAD, 0); mv.visitVarInsn(ILOAD, 3); mv.visitInsn(DUP2); mv.visitInsn(FALOAD);
        mv.visitVarInsn(FLOAD, 2); mv.visitInsn(FMUL); mv.visitInsn(FASTORE);
        mv.visitIincInsn(3, 1);
        mv.visitJumpInsn(GOTO, h);
        mv.visitLabel(e);
        mv.visitInsn(RETURN);
        end(mv);
        return define(n, cw);
    }

    /**
     * {@code straight(II)I}: one basic block of about {@code codeBytes} bytes, {@code s = (s * a ^ b) + k} over and
     * over (10 bytes each).
     */
    static Built straightLine(int codeBytes) {
        String n = name("Straight");
        ClassWriter cw = writer(n, V17);
        MethodVisitor mv = method(cw, "straight", "(II)I");
        mv.visitInsn(ICONST_1); mv.visitVarInsn(ISTORE, 2);
        for (int k = 0, size = 2; size + 10 + 2 <= codeBytes; k++, size += 10) {
            mv.visitVarInsn(ILOAD, 2); mv.visitVarInsn(ILOAD, 0); mv.visitInsn(IMUL);
            mv.visitVarInsn(ILOAD, 1); mv.visitInsn(IXOR);
            mv.visitIntInsn(SIPUSH, 1000 + (k % 30000)); mv.visitInsn(IADD); mv.visitVarInsn(ISTORE, 2);
        }
        mv.visitVarInsn(ILOAD, 2); mv.visitInsn(IRETURN);
        end(mv);
        return define(n, cw);
    }

    /**
     * {@code branchy(I[I)I}: about {@code codeBytes} bytes of diamonds ({@code if (s < k) s += k; else s ^= p}), every
     * fourth followed by an array update {@code a[k & 3] += s} (an exception when {@code a} is short or null, after
     * the writes before it). 17 bytes per diamond, 24 with the update, so near 64 KiB this is some 2,000 blocks.
     */
    static Built branchy(int codeBytes) {
        String n = name("Branchy");
        ClassWriter cw = writer(n, V17);
        MethodVisitor mv = method(cw, "branchy", "(I[I)I");
        mv.visitVarInsn(ILOAD, 0); mv.visitVarInsn(ISTORE, 2);
        int size = 2;
        for (int k = 0; size + 24 + 2 <= codeBytes; k++) {
            Label other = new Label(), join = new Label();
            mv.visitVarInsn(ILOAD, 2); mv.visitIntInsn(SIPUSH, (k * 7919) % 30000 - 15000); mv.visitJumpInsn(IF_ICMPGE, other);
            mv.visitIincInsn(2, (k % 200) - 100); mv.visitJumpInsn(GOTO, join);
            mv.visitLabel(other);
            mv.visitVarInsn(ILOAD, 2); mv.visitVarInsn(ILOAD, 0); mv.visitInsn(IXOR); mv.visitVarInsn(ISTORE, 2);
            mv.visitLabel(join);
            size += 17;
            if (k % 4 == 3) {
                mv.visitVarInsn(ALOAD, 1); push(mv, k & 3); mv.visitInsn(DUP2); mv.visitInsn(IALOAD);
                mv.visitVarInsn(ILOAD, 2); mv.visitInsn(IADD); mv.visitInsn(IASTORE);
                size += 7;
            }
        }
        mv.visitVarInsn(ILOAD, 2); mv.visitInsn(IRETURN);
        end(mv);
        return define(n, cw);
    }

    /**
     * {@code nested(I[J)J}: {@code depth} nested counting loops; loop {@code k} runs {@code n} times when
     * {@code k % 8 == 0} and once otherwise (so {@code n^(depth/8)} iterations in all), and the innermost body does
     * {@code s = s * 31 + i0 + i(depth-1); a[s & 7] ^= s} (an exception for a short or null {@code a}).
     */
    static Built nestedLoops(int depth) {
        String n = name("Nested");
        ClassWriter cw = writer(n, V17);
        MethodVisitor mv = method(cw, "nested", "(I[J)J");
        int s = 2, first = 4;                     // s: a long in slots 2-3; counters from slot 4
        mv.visitInsn(LCONST_0); mv.visitVarInsn(LSTORE, s);
        Label[] heads = new Label[depth], ends = new Label[depth];
        for (int k = 0; k < depth; k++) {
            heads[k] = new Label(); ends[k] = new Label();
            mv.visitInsn(ICONST_0); mv.visitVarInsn(ISTORE, first + k);
            mv.visitLabel(heads[k]);
            mv.visitVarInsn(ILOAD, first + k);
            if (k % 8 == 0) mv.visitVarInsn(ILOAD, 0); else mv.visitInsn(ICONST_1);
            mv.visitJumpInsn(IF_ICMPGE, ends[k]);
        }
        mv.visitVarInsn(LLOAD, s); mv.visitLdcInsn(31L); mv.visitInsn(LMUL);
        mv.visitVarInsn(ILOAD, first); mv.visitInsn(I2L); mv.visitInsn(LADD);
        mv.visitVarInsn(ILOAD, first + depth - 1); mv.visitInsn(I2L); mv.visitInsn(LADD); mv.visitVarInsn(LSTORE, s);
        mv.visitVarInsn(ALOAD, 1); mv.visitVarInsn(LLOAD, s); mv.visitInsn(L2I); push(mv, 7); mv.visitInsn(IAND);
        mv.visitInsn(DUP2); mv.visitInsn(LALOAD); mv.visitVarInsn(LLOAD, s); mv.visitInsn(LXOR); mv.visitInsn(LASTORE);
        for (int k = depth - 1; k >= 0; k--) {
            mv.visitIincInsn(first + k, 1);
            mv.visitJumpInsn(GOTO, heads[k]);
            mv.visitLabel(ends[k]);
        }
        mv.visitVarInsn(LLOAD, s); mv.visitInsn(LRETURN);
        end(mv);
        return define(n, cw);
    }

    /**
     * {@code table(II)I}: a {@code tableswitch} on {@code p} over keys {@code 0 .. cases-1}; case {@code k} computes
     * {@code q * k + (k ^ 0x55)} and returns it, except that every third case falls through into the next one
     * after adding to {@code q}; the default returns {@code -q}.
     */
    static Built tableswitch(int cases) {
        String n = name("Table");
        ClassWriter cw = writer(n, V17);
        MethodVisitor mv = method(cw, "table", "(II)I");
        Label[] labels = new Label[cases];
        for (int k = 0; k < cases; k++) labels[k] = new Label();
        Label dflt = new Label();
        mv.visitVarInsn(ILOAD, 0);
        mv.visitTableSwitchInsn(0, cases - 1, dflt, labels);
        for (int k = 0; k < cases; k++) {
            mv.visitLabel(labels[k]);
            if (k % 3 == 2 && k + 1 < cases) {
                mv.visitIincInsn(1, k % 100);        // falls through into case k + 1
                continue;
            }
            mv.visitVarInsn(ILOAD, 1); push(mv, k); mv.visitInsn(IMUL); push(mv, k ^ 0x55); mv.visitInsn(IADD); mv.visitInsn(IRETURN);
        }
        mv.visitLabel(dflt);
        mv.visitVarInsn(ILOAD, 1); mv.visitInsn(INEG); mv.visitInsn(IRETURN);
        end(mv);
        return define(n, cw);
    }

    /**
     * {@code sparse(I)I}: a {@code lookupswitch} over {@code keys} sparse keys spread over the whole int range
     * ({@code k * 1_073_741 - 2^31 + 7}, both ends included); case {@code k} returns {@code k ^ p}, the default
     * {@code -1}.
     */
    static Built lookupswitch(int keys) {
        String n = name("Lookup");
        ClassWriter cw = writer(n, V17);
        MethodVisitor mv = method(cw, "sparse", "(I)I");
        int[] values = new int[keys];
        Label[] labels = new Label[keys];
        for (int k = 0; k < keys; k++) {
            values[k] = sparseKey(k);
            labels[k] = new Label();
        }
        Label dflt = new Label();
        mv.visitVarInsn(ILOAD, 0);
        mv.visitLookupSwitchInsn(dflt, values, labels);
        for (int k = 0; k < keys; k++) {
            mv.visitLabel(labels[k]);
            push(mv, k); mv.visitVarInsn(ILOAD, 0); mv.visitInsn(IXOR); mv.visitInsn(IRETURN);
        }
        mv.visitLabel(dflt);
        mv.visitInsn(ICONST_M1); mv.visitInsn(IRETURN);
        end(mv);
        return define(n, cw);
    }

    /** The {@code k}-th key of {@link #lookupswitch}, in increasing order. */
    static int sparseKey(int k) { return (int) (k * 1_073_741L + Integer.MIN_VALUE + 7); }

    /**
     * {@code m0(I)I} calling {@code m1} calling ... {@code m(length-1)}, each adding its index: more static methods in
     * one module than the frontend takes ({@code BytecodeFrontend.MAX_FUNCTIONS}, 256) when {@code length} is larger.
     */
    static Built callChain(int length) {
        String n = name("Chain");
        ClassWriter cw = writer(n, V17);
        for (int k = 0; k < length; k++) {
            MethodVisitor mv = method(cw, "m" + k, "(I)I");
            mv.visitVarInsn(ILOAD, 0);
            if (k + 1 < length) mv.visitMethodInsn(INVOKESTATIC, n, "m" + (k + 1), "(I)I", false);
            push(mv, k); mv.visitInsn(IADD); mv.visitInsn(IRETURN);
            end(mv);
        }
        return define(n, cw);
    }
}
