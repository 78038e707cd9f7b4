package dev.numbat.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.numbat.differential.Differential;
import dev.numbat.differential.EdgeValues;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Class files from the Eclipse compiler (ecj, a test dependency), not javac: the kernels of
 * {@code src/test/resources/faults/EcjKernels.java} compiled in this JVM with and without debug information, each
 * compiled by Numbat and compared with the JVM running the same class file ({@link Differential}) on 150 argument
 * tuples of edge values, random bits and short arrays (null, empty, aliased). ecj tests loops at the bottom, writes
 * boolean expressions as branches and lays out compound assignments and switches its own way. Every kernel lies
 * inside the supported subset, so a refusal fails the test too.
 */
class EcjBytecodeTest {
    static final int TUPLES = 150;

    /** Compiles EcjKernels.java with ecj into a fresh folder and loads it. */
    static Class<?> compileWithEcj(String debugOption) throws IOException, ReflectiveOperationException {
        Path dir = Files.createDirectories(FaultChildJvm.WORK.resolve("ecj" + debugOption.replace(":", "-")));
        Path src = dir.resolve("EcjKernels.java");
        try (InputStream in = EcjBytecodeTest.class.getResourceAsStream("/faults/EcjKernels.java")) {
            Files.write(src, in.readAllBytes());
        }
        Path out = Files.createDirectories(dir.resolve("classes"));
        java.io.StringWriter log = new java.io.StringWriter();
        java.io.PrintWriter pw = new java.io.PrintWriter(log);
        // ecj's documented batch entry point (its javax.tools Tool.run may end the JVM); -17: source, target and
        // compliance 17.
        boolean ok = org.eclipse.jdt.core.compiler.batch.BatchCompiler.compile(new String[] {"-17", debugOption, "-proc:none",
            "-warn:none", "-d", out.toString(), src.toString()}, pw, pw, null);
        pw.flush();
        assertTrue(ok, () -> "ecj failed on " + src + ":\n" + log);
        byte[] classFile = Files.readAllBytes(out.resolve("EcjKernels.class"));
        // Sanity: the class file says who wrote it only through its shape, so at least check it is a Java 17 one.
        assertEquals(61, ((classFile[6] & 0xFF) << 8) | (classFile[7] & 0xFF));
        URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, EcjBytecodeTest.class.getClassLoader());
        return loader.loadClass("EcjKernels");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-g", "-g:none"})
    void ecjClassFilesAgreeWithTheJvm(String debugOption) throws Exception {
        Class<?> kernels = compileWithEcj(debugOption);
        List<Method> methods = Differential.kernels(kernels);
        assertTrue(methods.size() >= 12, () -> "expected the kernels of EcjKernels.java, found " + methods);
        Differential.Batch batch = new Differential.Batch();
        for (Method m : methods) {
            List<Object[]> tuples = tuples(m, new Random(m.getName().hashCode()));
            batch.run(() -> Differential.of(m).checkAll(tuples));
        }
        batch.done();
        System.out.println("numbat faults: " + methods.size() + " ecj-compiled kernels (" + debugOption + ") agree with the JVM on "
                + TUPLES + " tuples each");
    }

    /** Argument tuples: edge values and random bits for scalars; arrays null (1 in 12), of 0 to 9 elements, or aliased. */
    static List<Object[]> tuples(Method m, Random r) {
        Class<?>[] types = m.getParameterTypes();
        List<Object[]> out = new ArrayList<>();
        for (int t = 0; t < TUPLES; t++) {
            Object[] args = new Object[types.length];
            for (int i = 0; i < types.length; i++) {
                Class<?> type = types[i];
                if (!type.isArray()) {
                    args[i] = scalar(type, r);
                    continue;
                }
                int earlier = -1;
                for (int j = 0; j < i; j++) if (types[j] == type) earlier = j;
                if (earlier >= 0 && r.nextInt(6) == 0) { args[i] = args[earlier]; continue; }
                if (r.nextInt(12) == 0) continue; // null
                Object a = Array.newInstance(type.getComponentType(), r.nextInt(10));
                for (int k = 0; k < Array.getLength(a); k++) Array.set(a, k, scalar(type.getComponentType(), r));
                args[i] = a;
            }
            out.add(args);
        }
        return out;
    }

    private static Object scalar(Class<?> type, Random r) {
        if (r.nextBoolean()) {
            List<Object> edges = EdgeValues.of(type);
            return edges.get(r.nextInt(edges.size()));
        }
        if (type == int.class) return r.nextInt(3) == 0 ? r.nextInt() : r.nextInt(41) - 20;
        if (type == long.class) return r.nextInt(3) == 0 ? r.nextLong() : (long) (r.nextInt(41) - 20);
        if (type == float.class) return r.nextBoolean() ? Float.intBitsToFloat(r.nextInt()) : r.nextInt(200) / 8f - 12;
        if (type == double.class) return r.nextBoolean() ? Double.longBitsToDouble(r.nextLong()) : r.nextInt(200) / 8.0 - 12;
        if (type == byte.class) return (byte) r.nextInt();
        if (type == short.class) return (short) r.nextInt();
        if (type == char.class) return (char) r.nextInt();
        if (type == boolean.class) return r.nextBoolean();
        throw new IllegalArgumentException(type.toString());
    }
}
