package dev.numbat.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.eclipse.jdt.core.compiler.batch.BatchCompiler;
import org.junit.jupiter.api.Test;

/**
 * The differential fuzzer's programs ({@code dev.numbat.fuzz}) compiled by ecj instead of javac: class {@code k} of
 * seed {@code S} is generated exactly as {@code FuzzTest} generates it, written by ecj ({@code -17}, with {@code -g}
 * or {@code -g:none} as the fuzzer chooses for that class), and each of its methods is checked by the fuzzer's own
 * oracle ({@code Harness.check}: compiled by Numbat, compared with the JVM running the same class file on the
 * fuzzer's argument tuples, within the fuzzer's rules for lost messages and transcendental tails). Any refusal or
 * difference fails. The fuzzer's classes are package-private, so they are reached by reflection (a rename there
 * shows here as a NoSuchMethodException).
 *
 * <p>ecj 3.44.0 fails on some generated classes with an internal compiler error of its own ({@code AssertionError:
 * Unexpected operand at stack top} in {@code SwitchExpression.generateCode}, for switch expressions inside casts):
 * such classes are skipped and counted, and the run goes on to later classes until it has checked its number of
 * programs; the test fails if ecj rejects a class for another reason, or rejects more than a quarter of them.
 *
 * <p>{@code -Dfuzz.ecjPrograms=N} (default 80, about 8 s) programs from {@code -Dfuzz.ecjSeed=S} (default 0xEC1); failures are
 * reported with seed and class, not reduced (run the class with javac through {@code FuzzTest} to compare).
 */
class EcjFuzzTest {

    @Test
    void fuzzProgramsCompiledByEcjAgreeWithTheJvm() throws Exception {
        int programs = Integer.getInteger("fuzz.ecjPrograms", 80);
        long seed = Long.decode(System.getProperty("fuzz.ecjSeed", "0xEC1"));
        Fuzzer f = new Fuzzer();
        List<String> failures = new ArrayList<>();
        int done = 0, classes = 0;
        List<String> ecjErrors = new ArrayList<>();
        long start = System.nanoTime();
        for (int k = 0; done < programs && failures.size() < 10; k++) {
            long cs = (long) f.classSeed.invoke(null, seed, k);
            String name = (String) f.className.invoke(null, seed, k);
            Object program = f.generate.invoke(f.newGenerator.newInstance(cs), name);
            boolean debugInfo = new Random(cs).nextBoolean(); // as Campaign chooses javac's -g
            String source = (String) f.source.invoke(program);
            Class<?> cls = compileWithEcj(name, source, debugInfo, failures, ecjErrors, seed, k);
            classes++;
            if (cls == null) continue;
            List<?> methods = (List<?>) f.methods.invoke(program);
            for (int i = 0; i < methods.size() && done < programs; i++) {
                Object m = methods.get(i);
                String methodName = (String) f.name.get(m);
                List<?> params = (List<?>) f.params.get(m);
                String tail = (String) f.tail.get(m);
                List<?> tuples = (List<?>) f.inputs.invoke(null, params, new Random(cs + 31L * (i + 1)), 8);
                double ulps = tail == null ? 0 : (Double) ((Map<?, ?>) f.transcendental.get(null)).get(tail);
                Method jm = (Method) f.harnessMethod.invoke(null, cls, methodName);
                Object verdict = f.check.invoke(null, jm, tuples, ulps);
                done++;
                if ((boolean) f.failed.invoke(verdict)) {
                    failures.add("seed " + seed + ", class " + k + " (" + name + ", ecj " + (debugInfo ? "-g" : "-g:none") + "), method "
                            + methodName + ": " + f.kind.invoke(verdict) + "\n" + f.message.invoke(verdict) + "\n" + source);
                }
            }
        }
        System.out.printf("numbat faults: %d fuzz programs in %d classes compiled by ecj, %d failed, %.0f s; %d classes skipped for"
                + " ecj's internal errors%s%n", done, classes - ecjErrors.size(), failures.size(), (System.nanoTime() - start) / 1e9,
                ecjErrors.size(), ecjErrors.isEmpty() ? "" : " (first: " + ecjErrors.get(0) + ")");
        assertTrue(failures.isEmpty(), () -> failures.size() + " ecj-compiled fuzz programs failed:\n" + String.join("\n\n", failures));
        int generated = classes;
        assertTrue(ecjErrors.size() * 4 <= generated, () -> "ecj failed on " + ecjErrors.size() + " of " + generated + " classes: " + ecjErrors);
    }

    /** Compiles one generated source file with ecj into a fresh folder and loads its class, or records why not. */
    private static Class<?> compileWithEcj(String name, String source, boolean debugInfo, List<String> failures, List<String> ecjErrors,
            long seed, int k) throws Exception {
        Path dir = Files.createDirectories(FaultChildJvm.WORK.resolve("ecj-fuzz").resolve(name));
        Path src = dir.resolve(name + ".java");
        Files.writeString(src, source);
        Path out = Files.createDirectories(dir.resolve("classes"));
        StringWriter log = new StringWriter();
        PrintWriter pw = new PrintWriter(log);
        boolean ok = BatchCompiler.compile(new String[] {"-17", debugInfo ? "-g" : "-g:none", "-proc:none", "-warn:none",
            "-d", out.toString(), src.toString()}, pw, pw, null);
        pw.flush();
        if (!ok && log.toString().contains("Internal compiler error")) {
            String first = log.toString().lines().filter(l -> l.startsWith("Internal compiler error")).findFirst().orElse("");
            ecjErrors.add("seed " + seed + ", class " + k + ": " + first);
            return null;
        }
        if (!ok) {
            failures.add("ecj rejected seed " + seed + ", class " + k + " (" + name + "):\n" + log + "\n" + source);
            return null;
        }
        return new URLClassLoader(new URL[] {out.toUri().toURL()}, EcjFuzzTest.class.getClassLoader()).loadClass(name);
    }

    /** The fuzzer's package-private pieces this test uses, found by reflection once. */
    private static final class Fuzzer {
        final Method classSeed, className, generate, source, methods, inputs, harnessMethod, check, failed, kind, message;
        final Constructor<?> newGenerator;
        final Field name, params, tail, transcendental;

        Fuzzer() throws ReflectiveOperationException {
            Class<?> campaign = type("Campaign"), generator = type("Generator"), program = type("Ast$Program"),
                    method = type("Ast$Method"), harness = type("Harness"), verdict = type("Harness$Verdict");
            classSeed = open(campaign.getDeclaredMethod("classSeed", long.class, int.class));
            className = open(campaign.getDeclaredMethod("className", long.class, int.class));
            newGenerator = generator.getDeclaredConstructor(long.class);
            newGenerator.setAccessible(true);
            generate = open(generator.getDeclaredMethod("generate", String.class));
            source = open(program.getDeclaredMethod("source"));
            methods = open(program.getDeclaredMethod("methods"));
            inputs = open(type("Inputs").getDeclaredMethod("generate", List.class, Random.class, int.class));
            harnessMethod = open(harness.getDeclaredMethod("method", Class.class, String.class));
            check = open(harness.getDeclaredMethod("check", Method.class, List.class, double.class));
            failed = open(verdict.getDeclaredMethod("failed"));
            kind = open(verdict.getDeclaredMethod("kind"));
            message = open(verdict.getDeclaredMethod("message"));
            name = open(method.getDeclaredField("name"));
            params = open(method.getDeclaredField("params"));
            tail = open(method.getDeclaredField("tail"));
            transcendental = open(type("Library").getDeclaredField("TRANSCENDENTAL"));
        }

        private static Class<?> type(String simple) throws ClassNotFoundException {
            return Class.forName("dev.numbat.fuzz." + simple);
        }

        private static <T extends java.lang.reflect.AccessibleObject> T open(T member) {
            member.setAccessible(true);
            return member;
        }
    }
}
