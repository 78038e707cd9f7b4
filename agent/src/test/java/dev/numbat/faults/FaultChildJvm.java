package dev.numbat.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Child JVMs for the fault tests, run from Surefire (unlike {@code dev.numbat.agent.ChildJvm}, which needs the
 * locations Failsafe passes): the same JDK as this JVM, this JVM's test class path (less what a test leaves out),
 * and the agent from a manifest-only jar whose {@code Premain-Class} is {@code NumbatAgent}, found on that class
 * path, so that a test can change the class path the agent and LLVM are loaded from.
 */
final class FaultChildJvm {
    private FaultChildJvm() {}

    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    /** Scratch files of the fault tests: agent/target/faults. */
    static final Path WORK = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "target", "faults").toAbsolutePath();

    /** What a child JVM did. */
    record Run(List<String> command, int exitCode, String stdout, String stderr) {
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

    /**
     * This JVM's class path, entry by entry. Surefire may run tests from a manifest-only jar (its default), whose
     * {@code Class-Path} attribute then holds the real entries.
     */
    static List<Path> testClassPath() {
        List<Path> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!e.isEmpty()) entries.add(Path.of(e).toAbsolutePath());
        }
        if (entries.size() == 1 && entries.get(0).getFileName().toString().startsWith("surefirebooter")) {
            try (JarFile jar = new JarFile(entries.get(0).toFile())) {
                String cp = jar.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
                entries.clear();
                for (String url : cp.trim().split("\\s+")) entries.add(Path.of(URI.create(url)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return entries;
    }

    /** A jar holding only a manifest that names NumbatAgent as the premain class (loaded from the class path). */
    static Path premainJar() throws IOException {
        Path jar = WORK.resolve("numbat-premain.jar");
        Files.createDirectories(WORK);
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Premain-Class", "dev.numbat.agent.NumbatAgent");
        mf.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        Path tmp = Files.createTempFile(WORK, "premain", ".jar");
        try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream j = new JarOutputStream(out, mf)) {
            // the manifest is all there is
        }
        Files.move(tmp, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return jar;
    }

    /** Runs {@code mainClass} and waits at most {@code timeoutSeconds} (then kills it and fails). */
    static Run run(List<String> options, List<Path> classPath, String mainClass, List<String> args, int timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(JAVA.toString());
        cmd.addAll(options);
        cmd.add("-cp");
        cmd.add(String.join(java.io.File.pathSeparator, classPath.stream().map(Path::toString).toList()));
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // The child finds LLVM's natives only where the test puts them: a shell whose LD_LIBRARY_PATH holds libjniLLVM
        // (one set up to run the bundled clang, say) made "natives jar missing" load them anyway.
        pb.environment().remove("LD_LIBRARY_PATH");
        Process p = pb.start();
        CompletableFuture<String> out = drain(p.getInputStream()), err = drain(p.getErrorStream());
        p.getOutputStream().close();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("child JVM still running after " + timeoutSeconds + " s (a hang): " + String.join(" ", cmd)
                    + "\n--- stdout:\n" + out.join() + "\n--- stderr:\n" + err.join());
        }
        return new Run(cmd, p.exitValue(), out.join(), err.join());
    }

    /** Reads a pipe to its end on a thread of its own (the common pool may have a single thread on 2 cores). */
    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                text.completeExceptionally(e);
            }
        }, "fault-child-pipe");
        t.setDaemon(true);
        t.start();
        return text;
    }
}
