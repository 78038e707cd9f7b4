package itreloc;

import dev.numbat.Jit;
import java.io.InputStream;
import java.lang.reflect.Method;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * An application with its own, older ASM (9.7.1, which cannot read Java 25 class files) on its class
 * path. The agent's ASM and Byte Buddy are relocated into dev.numbat.shaded, so the application gets its
 * own ASM, the agent reads this class's Java 25 class file with its own and compiles {@link #sumSquares},
 * and the libraries the application does not have stay absent.
 */
public final class Main {
    private Main() {}

    @Jit
    public static long sumSquares(int[] a) {
        long s = 0;
        for (int v : a) s += (long) v * v;
        return s;
    }

    public static void main(String[] args) throws Exception {
        System.out.println("sumSquares=" + sumSquares(new int[] {1, 2, 3, 40000}));
        String where = ClassReader.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        System.out.println("ClassReader from " + where.substring(where.lastIndexOf('/') + 1));
        try (InputStream in = Main.class.getResourceAsStream("Main.class")) {
            new ClassReader(in.readAllBytes());
            System.out.println("own ASM read a Java 25 class file");
        } catch (IllegalArgumentException e) {
            System.out.println("own ASM: " + e.getMessage());
        }
        System.out.println("generated answer=" + generatedAnswer());
        // Libraries the application does not have must stay absent, as a class-path probe sees them.
        for (String name : new String[] {"net.bytebuddy.ByteBuddy", "net.bytebuddy.agent.Installer",
                "net.bytebuddy.jar.asm.ClassReader", "org.objectweb.asm.tree.ClassNode", "org.objectweb.asm.commons.Remapper"}) {
            try {
                Class.forName(name, false, Main.class.getClassLoader());
                System.out.println(name + ": present");
            } catch (ClassNotFoundException e) {
                System.out.println(name + ": absent");
            } catch (LinkageError e) {
                System.out.println(name + ": " + e);
            }
        }
    }

    /** A class made with the application's own ASM: {@code static int answer()} returning 42. */
    private static int generatedAnswer() throws Exception {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, "itreloc/Generated", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "answer", "()I", null, null);
        mv.visitCode();
        mv.visitIntInsn(Opcodes.BIPUSH, 42);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        byte[] bytes = cw.toByteArray();
        ClassLoader loader = new ClassLoader(Main.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (!name.equals("itreloc.Generated")) throw new ClassNotFoundException(name);
                return defineClass(name, bytes, 0, bytes.length);
            }
        };
        Method answer = loader.loadClass("itreloc.Generated").getMethod("answer");
        return (int) answer.invoke(null);
    }
}
