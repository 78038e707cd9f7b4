package dev.numbat.fuzz;

import dev.numbat.NotCompiledException;
import dev.numbat.differential.Differential;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles generated Java source in memory with the JDK's own javac, loads it with a fresh class loader (which
 * also serves the class files to Numbat's frontend), and runs one method on the JVM and through
 * {@link dev.numbat.Numbat#compile} with {@link Differential}: results by raw bits, exceptions by class and
 * message, array arguments afterwards element by element.
 */
final class Harness {
    private Harness() {}

    /** javac's options for a program: with {@code -g} the JVM's NullPointerException messages name locals. */
    static List<String> javacOptions(boolean debugInfo) {
        return List.of(debugInfo ? "-g" : "-g:none", "-proc:none", "-Xlint:none", "-nowarn", "-implicit:none");
    }

    private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();
    private static StandardJavaFileManager standard;

    /** javac rejected the program; {@link #getMessage()} holds its diagnostics. */
    static class CompileError extends Exception {
        CompileError(String message) { super(message); }
    }

    /**
     * javac accepted the program but wrote a class the JVM's verifier rejects: a javac bug, so there is nothing to
     * compare Numbat with. JDK 25.0.3's javac does so for a switch expression of constant value as the condition of
     * a ternary whose arm is another switch expression:
     * {@code if ((switch (9) { case 2 -> false; default -> false; }) ? (switch (x) { case 1 -> true; default -> x >= 256; }) : false) x++;}
     * ("Instruction type does not match stack map").
     */
    static final class Unverifiable extends CompileError {
        Unverifiable(String message) { super(message); }
    }

    /** Compiles {@code source} (one top-level class named {@code className}) and loads it in a new class loader. */
    static synchronized Class<?> load(String className, String source, boolean debugInfo) throws CompileError {
        if (JAVAC == null) throw new IllegalStateException("no system Java compiler: the tests need a JDK, not a JRE");
        if (standard == null) standard = JAVAC.getStandardFileManager(null, null, null);
        Map<String, ByteArrayOutputStream> out = new HashMap<>();
        JavaFileManager fm = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String name, JavaFileObject.Kind kind, FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + name.replace('.', '/') + kind.extension), kind) {
                    @Override public OutputStream openOutputStream() {
                        ByteArrayOutputStream b = new ByteArrayOutputStream();
                        out.put(name, b);
                        return b;
                    }
                };
            }
        };
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + className + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override public CharSequence getCharContent(boolean ignoreEncodingErrors) { return source; }
        };
        StringWriter diagnostics = new StringWriter();
        Boolean ok = JAVAC.getTask(diagnostics, fm, null, javacOptions(debugInfo), null, List.of(file)).call();
        if (!ok) throw new CompileError(diagnostics.toString());
        Map<String, byte[]> classes = new HashMap<>();
        out.forEach((k, v) -> classes.put(k, v.toByteArray()));
        Class<?> cls;
        try {
            cls = Class.forName(className, false, new MemoryClassLoader(classes));
        } catch (ClassNotFoundException e) {
            throw new CompileError("javac wrote no class " + className + ": " + classes.keySet());
        }
        try {
            cls.getDeclaredMethods(); // links the class, so the verifier runs now
        } catch (VerifyError e) {
            throw new Unverifiable(e.getMessage());
        }
        return cls;
    }

    /** Defines the compiled classes and answers their {@code .class} resources, which Numbat's frontend reads. */
    static final class MemoryClassLoader extends ClassLoader {
        private final Map<String, byte[]> classes;

        MemoryClassLoader(Map<String, byte[]> classes) {
            super(Harness.class.getClassLoader());
            this.classes = classes;
        }

        @Override protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classes.get(name);
            if (b == null) throw new ClassNotFoundException(name);
            return defineClass(name, b, 0, b.length);
        }

        @Override public InputStream getResourceAsStream(String name) {
            if (name.endsWith(".class")) {
                byte[] b = classes.get(name.substring(0, name.length() - 6).replace('/', '.'));
                if (b != null) return new ByteArrayInputStream(b);
            }
            return super.getResourceAsStream(name);
        }
    }

    // ---- verdicts ---------------------------------------------------------------------------------

    enum Kind {
        /** Numbat compiled the method and agreed with the JVM on every tuple. */
        PASS,
        /** Numbat compiled it and disagreed with the JVM (a result, an exception, or an array afterwards). */
        DIFFERS,
        /** Numbat refused it (NotCompiledException): a compiler bug for an internal error, else a generator bug. */
        REFUSED,
        /** Something else broke: the harness, or a Numbat exception that is no NotCompiledException. */
        ERROR
    }

    record Verdict(Kind kind, String message) {
        boolean failed() { return kind != Kind.PASS; }
    }

    /** The static method {@code name} of a generated class, its superclass {@code C_Base} or its interface {@code C_I}. */
    static Method method(Class<?> cls, String name) {
        List<Class<?>> owners = new ArrayList<>();
        for (Class<?> c = cls; c != null && c != Object.class; c = c.getSuperclass()) owners.add(c);
        try {
            owners.add(Class.forName(cls.getName() + "_I", false, cls.getClassLoader()));
        } catch (ClassNotFoundException e) {
            // no interface
        }
        for (Class<?> c : owners) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name) && Modifier.isStatic(m.getModifiers())) {
                    m.setAccessible(true);
                    return m;
                }
            }
        }
        throw new IllegalArgumentException("no method " + name + " in " + cls.getName());
    }

    /**
     * Compiles {@code m} with Numbat and compares it with the JVM on every tuple: exactly, or within {@code ulps}
     * ulps of the JVM's result for a method returning a {@code Math} transcendental function.
     */
    static Verdict check(Method m, List<Object[]> tuples, double ulps) {
        Differential d;
        try {
            d = Differential.of(m);
        } catch (NotCompiledException e) {
            return new Verdict(Kind.REFUSED, e.getMessage());
        } catch (AssertionError e) {
            return new Verdict(Kind.DIFFERS, e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            return new Verdict(Kind.ERROR, "Numbat.compile threw " + e);
        }
        try {
            run(d, tuples, ulps);
            return new Verdict(Kind.PASS, null);
        } catch (AssertionError e) {
            // Tuples that differ only by an exception message HotSpot lost are not differences.
            List<Object[]> real = new ArrayList<>();
            for (Object[] t : tuples) {
                try {
                    run(d, List.<Object[]>of(t), ulps);
                } catch (AssertionError one) {
                    if (!lostMessage(m, t)) real.add(t);
                }
            }
            if (real.isEmpty()) return new Verdict(Kind.PASS, null);
            try {
                run(d, real, ulps);
                return new Verdict(Kind.DIFFERS, e.getMessage());
            } catch (AssertionError again) {
                return new Verdict(Kind.DIFFERS, again.getMessage());
            }
        } catch (RuntimeException | LinkageError e) {
            return new Verdict(Kind.ERROR, "running the method threw " + e);
        }
    }

    private static void run(Differential d, List<Object[]> tuples, double ulps) {
        if (ulps > 0) d.checkAllWithinUlps(ulps, tuples);
        else d.checkAll(tuples);
    }

    /** Tuples the fuzzer let pass only because of {@link #lostMessage}: HotSpot's fast_icaload NPEs. */
    static final java.util.concurrent.atomic.AtomicInteger LOST_NPE_MESSAGES = new java.util.concurrent.atomic.AtomicInteger();
    /** Tuples the fuzzer let pass only because of {@link #lostMessage}: HotSpot's preallocated exceptions. */
    static final java.util.concurrent.atomic.AtomicInteger FAST_THROWS = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Whether the JVM's exception for this tuple lost its message in one of the two ways HotSpot has, while Numbat
     * threw the same class with a message and both left the arrays the same. Not a difference, then:
     *
     * <ul>
     *   <li>HotSpot's interpreter rewrites the pair {@code iload N; caload} into its {@code fast_icaload} bytecode
     *       the first time it runs it, and a NullPointerException raised there afterwards has no message (the
     *       helpful message of JEP 358 is lost; the first NPE at the same place has it). Found by this fuzzer;
     *       reproduced with {@code java -Xint}, gone with {@code -XX:-RewriteFrequentPairs} (docs/reliability.md).</li>
     *   <li>{@code -XX:+OmitStackTraceInFastThrow} (the default): once C2-compiled code has thrown an implicit
     *       exception at one place often enough, it throws a preallocated one, without message or stack trace. This
     *       happens in JDK methods the whole test JVM uses (Math.floorMod by zero, found by this fuzzer), whatever
     *       the generated code does. Recognised by the empty stack trace.</li>
     * </ul>
     */
    static boolean lostMessage(Method m, Object[] tuple) {
        Object[] jvmArgs = Inputs.copy(tuple);
        Object[] natArgs = Inputs.copy(tuple);
        Throwable jvm;
        try {
            m.invoke(null, jvmArgs);
            return false;
        } catch (InvocationTargetException e) {
            jvm = e.getCause();
        } catch (IllegalAccessException e) {
            return false;
        }
        Throwable nat;
        try {
            dev.numbat.Numbat.compile(m).invokeWithArguments(natArgs);
            return false;
        } catch (Throwable t) {
            nat = t;
        }
        if (jvm.getMessage() != null || nat.getClass() != jvm.getClass() || nat.getMessage() == null
                || !java.util.Arrays.deepEquals(jvmArgs, natArgs)) {
            return false;
        }
        if (jvm.getStackTrace().length == 0) {
            FAST_THROWS.incrementAndGet();
            return true;
        }
        if (jvm instanceof NullPointerException && nat.getMessage().startsWith("Cannot load from char array")) {
            LOST_NPE_MESSAGES.incrementAndGet();
            return true;
        }
        return false;
    }

    /** What the JVM does with one tuple: the result's type, or the exception's class (for the reducer). */
    static String jvmOutcome(Method m, Object[] args) {
        try {
            Object r = m.invoke(null, Inputs.copy(args));
            return r == null ? "void" : r.getClass().getSimpleName();
        } catch (InvocationTargetException e) {
            return e.getCause().getClass().getName();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
