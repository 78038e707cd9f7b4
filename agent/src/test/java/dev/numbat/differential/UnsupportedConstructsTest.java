package dev.numbat.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.numbat.NotCompiledException;
import dev.numbat.Numbat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeElement;
import java.lang.classfile.Instruction;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Methods outside the subset ({@link UnsupportedKernels}): {@code Numbat.compile} throws
 * {@link NotCompiledException} whose message is exactly
 * {@code <construct> at bytecode offset <n> (UnsupportedKernels.java:<line>) in <class>.<method><descriptor>},
 * or without the offset part for constructs of the method as a whole. The construct text is typed in here (it is
 * the diagnostic's wording); the offset is computed from the class file with the JDK's own class-file API
 * (independently of Numbat's offset scanner), the line from the {@code // @here} marker in the source file.
 * Afterwards the method still runs as plain Java, the refusal is remembered (compiling again throws the same
 * exception), and {@link NotCompiledException#methodName()} names the method asked for.
 */
class UnsupportedConstructsTest {
    private static final Class<?> K = UnsupportedKernels.class;
    private static final String FILE = "UnsupportedKernels.java";

    /** What each method does that Numbat does not compile, and the instruction that does it (null: the method as a whole). */
    record Case(String method, String construct, Opcode at) {}

    static final List<Case> CASES = List.of(
            new Case("fieldAccess", "object field access (dev.numbat.differential.UnsupportedKernels$Point.x)", Opcode.GETFIELD),
            new Case("virtualCall", "virtual call (java.lang.String.length()I)", Opcode.INVOKEVIRTUAL),
            new Case("stringConcat", "invokedynamic (lambda, string concatenation or pattern switch: makeConcatWithConstants)",
                    Opcode.INVOKEDYNAMIC),
            new Case("synchronizedMethod", "synchronized method", null),
            new Case("synchronizedBlock", "synchronized block", Opcode.MONITORENTER),
            new Case("tryCatch", "try/catch or finally block", null),
            new Case("throwStatement", "throw statement", Opcode.ATHROW),
            new Case("throwNew", "object allocation (new java.lang.IllegalArgumentException)", Opcode.NEW),
            new Case("returnsArray", "returning an array (an allocation escaping the method)", null),
            new Case("instanceMethod", "instance method (only static methods are compiled)", null),
            new Case("objectAllocation", "object allocation (new dev.numbat.differential.UnsupportedKernels$Point)", Opcode.NEW),
            new Case("booleanArrayParameter", "boolean[] parameter (FFM cannot pass a boolean array without copying; use byte[])", null),
            new Case("nonFinalStatic", "read of static field dev.numbat.differential.UnsupportedKernels.counter (not static final)",
                    Opcode.GETSTATIC),
            new Case("writeStatic", "write to a static field (dev.numbat.differential.UnsupportedKernels.counter)", Opcode.PUTSTATIC),
            new Case("objectArray", "array of objects (new java.lang.Object[])", Opcode.ANEWARRAY),
            new Case("multiDimensionalArray", "multi-dimensional array (new int[][])", Opcode.MULTIANEWARRAY),
            new Case("lambda", "invokedynamic (lambda, string concatenation or pattern switch: getAsInt)", Opcode.INVOKEDYNAMIC),
            new Case("stringConstant", "string constant", Opcode.LDC),
            new Case("objectConstant", "read of static field dev.numbat.differential.UnsupportedKernels.ORIGIN of type "
                    + "dev.numbat.differential.UnsupportedKernels$Point", Opcode.GETSTATIC),
            new Case("objectParameter", "parameter of type java.lang.Integer (supported: primitives, arrays of primitives with one or two dimensions, and MemorySegment)",
                    null));

    @TestFactory
    Stream<DynamicTest> refusedWithConstructOffsetAndLine() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.method, () -> {
            Method m = Differential.method(K, c.method);
            String expected = c.construct + (c.at == null ? "" : " at bytecode offset " + offsetOf(m, c.at))
                    + " (" + FILE + ":" + markedLine(c.method) + ") in " + name(m);
            NotCompiledException e = assertThrows(NotCompiledException.class, () -> Numbat.compile(m));
            assertEquals(expected, e.getMessage());
            assertEquals(name(m), e.methodName());
            assertEquals("numbat: not compiled " + name(m) + ": " + expected, e.diagnosticLine());
            assertSame(e, assertThrows(NotCompiledException.class, () -> Numbat.compile(m)), "the refusal is remembered");
            stillRunsAsJava(m);
        }));
    }

    /** A construct in a callee: the message names the callee, its offset and line; methodName() the method asked for. */
    @Test
    void unsupportedConstructInCallee() throws Exception {
        Method entry = Differential.method(K, "callsUnsupported");
        Method callee = Differential.method(K, "unsupportedCallee");
        NotCompiledException e = assertThrows(NotCompiledException.class, () -> Numbat.compile(entry));
        assertEquals("object field access (dev.numbat.differential.UnsupportedKernels$Point.x) at bytecode offset "
                + offsetOf(callee, Opcode.GETFIELD) + " (" + FILE + ":" + markedLine("unsupportedCallee") + ") in " + name(callee),
                e.getMessage());
        assertEquals(name(entry), e.methodName());
        stillRunsAsJava(entry);
    }

    /**
     * The method runs as plain Java after the refusal: by reflection it gives what a direct call gives (the
     * JVM's own behaviour, nothing typed in), exceptions included.
     */
    private static void stillRunsAsJava(Method m) throws Exception {
        m.setAccessible(true);
        Object receiver = Modifier.isStatic(m.getModifiers()) ? null : newInstance();
        for (Object[] args : argumentsFor(m)) {
            Object viaReflection = invoke(m, receiver, args);
            Object direct = direct(m.getName(), receiver, args);
            if (viaReflection instanceof int[] a) assertEquals(java.util.Arrays.toString((int[]) direct), java.util.Arrays.toString(a));
            else assertEquals(direct, viaReflection, m.getName() + java.util.Arrays.toString(args));
        }
    }

    private static List<Object[]> argumentsFor(Method m) {
        Class<?>[] p = m.getParameterTypes();
        if (p.length == 1 && p[0] == boolean[].class) return List.of(new Object[] {new boolean[3]}, new Object[] {new boolean[0]});
        if (p.length == 1 && p[0] == Integer.class) return List.of(new Object[] {7}, new Object[] {-7});
        if (p.length == 2) return List.of(new Object[] {7, 2}, new Object[] {7, 0}, new Object[] {Integer.MIN_VALUE, -1});
        return List.of(new Object[] {5}, new Object[] {-5}, new Object[] {0}, new Object[] {Integer.MAX_VALUE});
    }

    private static Object invoke(Method m, Object receiver, Object[] args) throws IllegalAccessException {
        try {
            return m.invoke(receiver, args);
        } catch (InvocationTargetException e) {
            return e.getCause().getClass().getName() + ": " + e.getCause().getMessage();
        }
    }

    /** The same call written out in Java, so the JVM's own result is the reference. */
    private static Object direct(String name, Object receiver, Object[] a) {
        try {
            return switch (name) {
                case "fieldAccess" -> UnsupportedKernels.fieldAccess((int) a[0]);
                case "virtualCall" -> UnsupportedKernels.virtualCall((int) a[0]);
                case "stringConcat" -> UnsupportedKernels.stringConcat((int) a[0]);
                case "synchronizedMethod" -> UnsupportedKernels.synchronizedMethod((int) a[0]);
                case "synchronizedBlock" -> UnsupportedKernels.synchronizedBlock((int) a[0]);
                case "tryCatch" -> UnsupportedKernels.tryCatch((int) a[0], (int) a[1]);
                case "throwStatement" -> UnsupportedKernels.throwStatement((int) a[0]);
                case "throwNew" -> UnsupportedKernels.throwNew((int) a[0]);
                case "returnsArray" -> UnsupportedKernels.returnsArray((int) a[0]);
                case "instanceMethod" -> ((UnsupportedKernels) receiver).instanceMethod((int) a[0]);
                case "objectAllocation" -> UnsupportedKernels.objectAllocation((int) a[0]);
                case "booleanArrayParameter" -> UnsupportedKernels.booleanArrayParameter((boolean[]) a[0]);
                case "nonFinalStatic" -> UnsupportedKernels.nonFinalStatic((int) a[0]);
                case "writeStatic" -> UnsupportedKernels.writeStatic((int) a[0]);
                case "objectArray" -> UnsupportedKernels.objectArray((int) a[0]);
                case "multiDimensionalArray" -> UnsupportedKernels.multiDimensionalArray((int) a[0]);
                case "lambda" -> UnsupportedKernels.lambda((int) a[0]);
                case "stringConstant" -> UnsupportedKernels.stringConstant((int) a[0]);
                case "objectConstant" -> UnsupportedKernels.objectConstant((int) a[0]);
                case "objectParameter" -> UnsupportedKernels.objectParameter((Integer) a[0]);
                case "callsUnsupported" -> UnsupportedKernels.callsUnsupported((int) a[0]);
                default -> throw new IllegalArgumentException(name);
            };
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static Object newInstance() throws ReflectiveOperationException {
        var c = K.getDeclaredConstructor();
        c.setAccessible(true);
        return c.newInstance();
    }

    // ---- where things are ---------------------------------------------------------------------------

    /** {@code dev.numbat.differential.UnsupportedKernels.name(desc)}, as diagnostics name methods. */
    static String name(Method m) {
        return m.getDeclaringClass().getName() + "." + m.getName()
                + MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString();
    }

    /** The bytecode offset of the first {@code opcode} in {@code m}, by the JDK's class-file API. */
    static int offsetOf(Method m, Opcode opcode) {
        return offsetOf(classBytes(m.getDeclaringClass()), m.getName(),
                MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString(), opcode);
    }

    static int offsetOf(byte[] classFile, String name, String descriptor, Opcode opcode) {
        ClassModel cm = ClassFile.of().parse(classFile);
        MethodModel mm = cm.methods().stream()
                .filter(x -> x.methodName().equalsString(name) && x.methodType().equalsString(descriptor))
                .findFirst().orElseThrow();
        int bci = 0;
        for (CodeElement e : mm.code().orElseThrow()) {
            if (e instanceof Instruction i) {
                if (i.opcode() == opcode) return bci;
                bci += i.sizeInBytes();
            }
        }
        throw new IllegalArgumentException("no " + opcode + " in " + name);
    }

    static byte[] classBytes(Class<?> c) {
        String resource = c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class";
        try (InputStream in = Objects.requireNonNull(c.getResourceAsStream(resource), resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The line of the {@code // @here <method>} marker in UnsupportedKernels.java (1-based). */
    static int markedLine(String method) throws IOException {
        List<String> lines = Files.readAllLines(source());
        int found = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches(".*// @here " + method + "\\s*$")) {
                if (found >= 0) throw new IllegalStateException("two markers for " + method);
                found = i + 1;
            }
        }
        if (found < 0) throw new IllegalStateException("no marker for " + method);
        return found;
    }

    private static Path source() {
        for (String base : new String[] {"src/test/java", "agent/src/test/java"}) {
            Path p = Path.of(base, "dev/numbat/differential", FILE);
            if (Files.exists(p)) return p;
        }
        throw new IllegalStateException(FILE + " not found from " + Path.of("").toAbsolutePath());
    }
}
