package dev.numbat.agent;

import static dev.numbat.agent.ChildJvm.AGENT;
import static dev.numbat.agent.ChildJvm.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.numbat.agent.ChildJvm.Run;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 32 threads call five {@code @Jit} kernels of {@code src/it/apps/stress} (array writes, exceptions, a local
 * array, recursion) while the agent compiles them, each call checked against a plain copy of the kernel in
 * the same JVM (see itstress.Main). The first calls of all threads start together, so in lazy mode they
 * wait on the one compilation of each kernel, and in background mode they run bytecode until the compiler
 * thread switches each kernel to native code; the program goes on until every kernel has been compiled,
 * then one more second.
 *
 * <p>{@code -Dnumbat.it.stressSeconds=60} (on the Maven command line) runs each mode for at least a minute
 * instead of 3 s.
 */
class AgentStressIT {
    static final Pattern SUMMARY = Pattern.compile("itstress: threads=32 calls=(\\d+) thrown=(\\d+) mismatches=0 crashes=0 compiled=5/5");
    static final Set<String> KERNELS = Set.of("itstress.Main.prefix([JI)J", "itstress.Main.axpy(D[D[DI)V",
            "itstress.Main.divideAll([II)I", "itstress.Main.series(ID)D", "itstress.Main.histogram([B[S)I");

    static Path annotations, jar;

    @BeforeAll
    static void build() throws Exception {
        annotations = ChildJvm.annotationsJar();
        jar = ChildJvm.jar(ChildJvm.compile("stress", List.of(annotations)), ChildJvm.WORK.resolve("stress.jar"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lazy", "background"})
    void threadsCallingKernelsWhileTheyCompileGetTheJvmsResults(String mode) throws Exception {
        int seconds = Integer.getInteger("numbat.it.stressSeconds", 3);
        // HotSpot's C2 replaces often-thrown implicit exceptions by a preallocated one without message
        // (OmitStackTraceInFastThrow): then even two plain copies of a kernel disagree. Numbat's exceptions
        // always have the message, as the interpreter's do.
        List<String> options = concat(AGENT, "-Dnumbat.mode=" + mode, "-XX:-OmitStackTraceInFastThrow", "-Ditstress.awaitCompiled=5");
        Run run = ChildJvm.run(options, List.of(jar, annotations), "itstress.Main", List.of(String.valueOf(seconds), "32"), seconds + 180);
        // One line per mode in the build's log: how many calls were checked, when the last kernel compiled.
        System.out.println("AgentStressIT " + mode + ": " + run.stdout().strip() + "; "
                + run.stderrLines().stream().filter(l -> l.startsWith("itstress: ")).findFirst().orElse(""));
        assertEquals(0, run.exitCode(), run::toString);
        Matcher m = SUMMARY.matcher(run.stdout().strip());
        assertTrue(m.matches(), run::toString);
        long calls = Long.parseLong(m.group(1)), thrown = Long.parseLong(m.group(2));
        assertTrue(thrown > 0 && thrown < calls, run::toString);
        assertEquals(KERNELS, Set.copyOf(AgentIT.compiledMethods(run)), run::toString);
        assertFalse(run.stderr().contains("not compiled"), run::toString);
        AgentIT.assertOnlyExpectedStderr(run, "itstress: ");
    }
}
