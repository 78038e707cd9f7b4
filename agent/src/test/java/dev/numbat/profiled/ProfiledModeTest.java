package dev.numbat.profiled;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * The profiled mode under the agent, in child JVMs running {@link ProfiledApp}: every call of the three kernels,
 * from three threads, before, during and after the switch, agrees with the JVM running a copy of the kernel; the
 * verbose log shows each step, the statistics API each decision, and a JFR recording the events.
 */
class ProfiledModeTest {
    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    static final Path WORK = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "target", "profiled").toAbsolutePath();
    static final String APP = ProfiledApp.class.getName();
    static final String TINY = APP + ".tiny(JI)J";
    static final List<String> KERNELS = List.of(APP + ".branchy([DI)D", APP + ".divideAll([III)I", TINY);

    record Run(int exitCode, String stdout, String stderr) {
        List<String> numbatLines() { return stderr.lines().filter(l -> l.startsWith("numbat: ")).toList(); }

        @Override public String toString() { return "exit " + exitCode + "\n--- stdout:\n" + stdout + "\n--- stderr:\n" + stderr; }
    }

    static Run run(List<String> options, List<String> args) throws Exception { return run(APP, options, args); }

    static Run run(String mainClass, List<String> options, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(JAVA.toString(), "--enable-native-access=ALL-UNNAMED", "-XX:-OmitStackTraceInFastThrow",
                "-javaagent:" + premainJar(), "-Dnumbat.verbose=true", "-Dnumbat.profile.threshold=3000",
                "-Dnumbat.policy.warmCalls=3000", "-Dapp.seconds=90"));
        cmd.addAll(options);
        cmd.add("-cp");
        cmd.add(String.join(java.io.File.pathSeparator, testClassPath()));
        cmd.add(mainClass);
        cmd.addAll(args);
        Path out = Files.createTempFile(WORK, "out", ".txt"), err = Files.createTempFile(WORK, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("child JVM hangs: " + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test void resultsAreTheJvmsBeforeDuringAndAfterTheSwitch() throws Exception {
        Path jfr = WORK.resolve("profiled.jfr");
        Run run = run(List.of(), List.of(jfr.toString()));
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.stdout().contains(", differences 0, all decided"), run::toString);
        List<String> lines = run.numbatLines();
        for (String k : KERNELS) {
            if (k.equals(TINY)) {
                // No loop: not instrumented, compiled at once without a profile, measured like the others.
                assertTrue(lines.contains("numbat: not profiled " + k + ": it has no loop, so a profile would cost more than it could gain;"
                        + " compiling it now"), run::toString);
                assertFalse(lines.stream().anyMatch(l -> l.startsWith("numbat: profiling " + k)), run::toString);
            } else {
                assertTrue(lines.contains("numbat: profiling " + k + " until it is hot (3,000 invocations and back-edges)"), run::toString);
                assertTrue(lines.stream().anyMatch(l -> l.startsWith("numbat: hot " + k + ": ") && l.endsWith("; compiling it with its profile")),
                        run::toString);
            }
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("numbat: compiled " + k + " in ")), run::toString);
            assertTrue(lines.stream().anyMatch(l -> l.matches("numbat: policy \\Q" + k + "\\E: (native|bytecode) \\(median of 31 timed calls"
                    + " each: native [\\d,]+ ns, bytecode [\\d,]+ ns(; arrays [\\d,]+ elements)?\\)")), run::toString);
            assertTrue(run.stdout().lines().anyMatch(l -> l.matches("statistics \\Q" + k + "\\E (native|bytecode) calls=\\d+ nativeCalls=\\d+")),
                    run::toString);
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("numbat: policy " + KERNELS.get(0) + ": measuring again (arrays of ")),
                run::toString);
        // branchy's "every" was always 7 while it was profiled, and varies afterwards (differences 0 above).
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("numbat: specialised " + KERNELS.get(0) + " to its profile: parameter 1 = 7")),
                run::toString);
        // Nothing else on standard error: no stack trace, no warning.
        assertEquals(List.of(), run.stderr().lines().filter(l -> !l.startsWith("numbat: ")).toList(), run::toString);

        List<RecordedEvent> events = RecordingFile.readAllEvents(jfr);
        for (String k : KERNELS) {
            assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("dev.numbat.Compilation")
                    && e.getString("method").equals(k) && e.getString("outcome").equals("compiled") && e.getBoolean("profiled") != k.equals(TINY)
                    && e.getLong("codeSize") > 0 && e.getDuration().toNanos() >= e.getLong("llvm")), () -> "no Compilation event for " + k);
            assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("dev.numbat.PolicyDecision")
                    && e.getString("method").equals(k) && List.of("native", "bytecode").contains(e.getString("decision"))
                    && e.getInt("samples") == 31), () -> "no PolicyDecision event for " + k);
            assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("dev.numbat.MethodStatistics")
                    && e.getString("method").equals(k) && e.getLong("calls") > 0), () -> "no MethodStatistics event for " + k);
        }
    }

    @Test void aRefusedCompilationKeepsTheBytecode() throws Exception {
        Run run = run(List.of("-Dnumbat.test.injectFault=llvm:exception:branchy"), List.of());
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.stdout().contains(", differences 0, all decided"), run::toString);
        assertTrue(run.stdout().contains("statistics " + KERNELS.get(0) + " not compiled"), run::toString);
        assertTrue(run.numbatLines().stream().anyMatch(l -> l.startsWith("numbat: not compiled " + KERNELS.get(0) + ": internal compiler error")),
                run::toString);
        assertFalse(run.numbatLines().stream().anyMatch(l -> l.startsWith("numbat: policy " + KERNELS.get(0))), run::toString);
    }

    /** {@code -Dnumbat.policy=measured}: methods compiled the usual way (lazily) are measured too. */
    @Test void measuredPolicyWithoutProfiles() throws Exception {
        checkMeasuredApp(run(MeasuredApp.class.getName(), List.of("-Dnumbat.policy=measured"), List.of()), false);
    }

    /** {@code -Dnumbat.mode=profiled}: every {@code @Jit} method is profiled first. */
    @Test void profiledModeForEveryMethod() throws Exception {
        checkMeasuredApp(run(MeasuredApp.class.getName(), List.of("-Dnumbat.mode=profiled"), List.of()), true);
    }

    private static void checkMeasuredApp(Run run, boolean profiled) {
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.stdout().contains("differences 0, all decided"), run::toString);
        for (String k : List.of(MeasuredApp.class.getName() + ".scaleAll([JJ)J", MeasuredApp.class.getName() + ".collatz(I)I")) {
            assertEquals(profiled, run.numbatLines().stream().anyMatch(l -> l.startsWith("numbat: profiling " + k)), run::toString);
            assertTrue(run.numbatLines().stream().anyMatch(l -> l.startsWith("numbat: compiled " + k)), run::toString);
            assertTrue(run.numbatLines().stream().anyMatch(l -> l.startsWith("numbat: policy " + k + ": ")), run::toString);
        }
        assertEquals(List.of(), run.stderr().lines().filter(l -> !l.startsWith("numbat: ")).toList(), run::toString);
    }

    /** A jar holding only a manifest that names NumbatAgent as the premain class (loaded from the class path). */
    static Path premainJar() throws IOException {
        Files.createDirectories(WORK);
        Path jar = WORK.resolve("numbat-premain.jar");
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Premain-Class", "dev.numbat.agent.NumbatAgent");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf)) {
            // the manifest is all there is
        }
        return jar;
    }

    /** This JVM's class path, entry by entry (Surefire may hide it behind a manifest-only jar). */
    static List<String> testClassPath() {
        List<String> entries = new ArrayList<>(List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)));
        if (entries.size() == 1 && Path.of(entries.get(0)).getFileName().toString().startsWith("surefirebooter")) {
            try (JarFile jar = new JarFile(entries.get(0))) {
                String cp = jar.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
                entries.clear();
                for (String url : cp.trim().split("\\s+")) entries.add(Path.of(URI.create(url)).toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return entries;
    }
}
