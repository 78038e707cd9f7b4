package dev.numbat.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * What the agent's integration tests share: building the small applications of {@code src/it/apps} into
 * jars (compiled in this JVM with {@code javax.tools}) and running them in child JVMs of the JDK 25.
 * Failsafe passes the locations as system properties (see agent/pom.xml): {@code numbat.java} (the JDK 25's
 * {@code bin/java}), {@code numbat.agent.jar} (the shaded agent built by {@code package}),
 * {@code numbat.it.apps} (the sources) and {@code numbat.it.work} (a scratch folder under target).
 */
final class ChildJvm {
    private ChildJvm() {}

    static final Path JAVA = Path.of(property("numbat.java"));
    static final Path AGENT_JAR = Path.of(property("numbat.agent.jar")).toAbsolutePath();
    static final Path APPS = Path.of(property("numbat.it.apps")).toAbsolutePath();
    static final Path WORK = Path.of(property("numbat.it.work")).toAbsolutePath();
    /**
     * Options every agent run gets: the agent itself, its one-line diagnostics, no restricted-method warning, and
     * native code for every method (the test apps' methods are tiny: by default they would keep their bytecode).
     */
    static final List<String> AGENT = List.of("-javaagent:" + AGENT_JAR, "-Dnumbat.verbose=true", "--enable-native-access=ALL-UNNAMED",
            "-Dnumbat.policy=always");

    private static String property(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: run the agent's integration tests with"
                    + " `mvn verify` (failsafe sets it, see agent/pom.xml)");
        }
        return v;
    }

    /** What a child JVM did. */
    record Run(List<String> command, int exitCode, String stdout, String stderr) {
        List<String> stderrLines() { return stderr.lines().toList(); }

        /** The agent's lines on standard error ({@code numbat: ...}), in order. */
        List<String> numbatLines() { return stderr.lines().filter(l -> l.startsWith("numbat: ")).toList(); }

        Run assertSucceeded() {
            assertEquals(0, exitCode, () -> "child JVM failed: " + this);
            return this;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + " of " + String.join(" ", command) + "\n--- stdout:\n" + stdout + "\n--- stderr:\n" + stderr;
        }
    }

    /** The jar (or class folder) numbat-annotations is on this JVM's class path as. */
    static Path annotationsJar() throws IOException {
        try {
            Path p = Path.of(dev.numbat.Jit.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(p)) return p;
            // Run from an IDE or a reactor before `package`: pack the class folder so the child gets a jar.
            Path jar = WORK.resolve("numbat-annotations.jar");
            if (!Files.exists(jar)) jar(p, jar);
            return jar;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Compiles every {@code .java} file under {@code src/it/apps/<app>} against {@code classPath} into
     * {@code target/it/<app>/classes} and returns that folder.
     */
    static Path compile(String app, List<Path> classPath, String... options) throws IOException {
        Path sources = APPS.resolve(app), out = WORK.resolve(app).resolve("classes");
        deleteRecursively(out);
        Files.createDirectories(out);
        List<String> files;
        try (Stream<Path> s = Files.walk(sources)) {
            files = s.filter(f -> f.toString().endsWith(".java")).map(Path::toString).sorted().toList();
        }
        assertTrue(!files.isEmpty(), "no sources in " + sources);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-g", "-proc:none", "-nowarn", "-Xlint:none",
                "-encoding", "UTF-8", "-cp", classPath.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator))));
        args.addAll(List.of(options));
        args.addAll(files);
        java.io.ByteArrayOutputStream diagnostics = new java.io.ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new));
        assertEquals(0, rc, () -> "javac " + app + ":\n" + diagnostics.toString(StandardCharsets.UTF_8));
        return out;
    }

    /** Packs a class folder into a jar (no Main-Class: the tests name the class). */
    static Path jar(Path classes, Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    /**
     * Runs {@code mainClass} in a child JVM with exactly {@code jvmOptions} and the class path
     * {@code classPath} (nothing inherited: the environment's CLASSPATH and JVM option variables are
     * removed), waiting at most {@code timeoutSeconds}.
     */
    static Run run(List<String> jvmOptions, List<Path> classPath, String mainClass, List<String> args, int timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(JAVA.toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)));
        command.add(mainClass);
        command.addAll(args);
        Path dir = Files.createDirectories(WORK.resolve("runs"));
        Path out = Files.createTempFile(dir, "stdout", ".txt"), err = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(WORK.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        for (String v : List.of("CLASSPATH", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) env.remove(v);
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("child JVM still running after " + timeoutSeconds + " s, killed: " + String.join(" ", command)
                    + "\n--- stdout:\n" + Files.readString(out) + "\n--- stderr:\n" + Files.readString(err));
        }
        return new Run(command, p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static List<String> concat(List<String> a, String... b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(List.of(b));
        return all;
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
