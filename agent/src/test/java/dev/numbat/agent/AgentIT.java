package dev.numbat.agent;

import static dev.numbat.agent.ChildJvm.AGENT;
import static dev.numbat.agent.ChildJvm.AGENT_JAR;
import static dev.numbat.agent.ChildJvm.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.numbat.agent.ChildJvm.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * numbat-agent.jar on real applications in child JVMs (see docs/agent.md, "Tests"). The application
 * {@code src/it/apps/basic} is run once without the agent for its reference output, then with
 * {@code -javaagent} in each mode: its standard output must be the same, and its standard error must hold
 * exactly the expected {@code numbat:} lines, in the expected order relative to the start of {@code main}.
 * Class path of every child: the application's jar and numbat-annotations' jar, nothing else.
 */
class AgentIT {
    /** {@code numbat: compiled <class>.<method><descriptor> in <ms> ms (<arch> <cpu>)}. */
    static final Pattern COMPILED = Pattern.compile("numbat: compiled (\\S+) in \\d+\\.\\d ms \\([\\w-]+ [\\w.+-]+\\)");
    static final Pattern NOT_COMPILED = Pattern.compile("numbat: not compiled (\\S+): (.+)");

    static final String MAIN_STARTED = "itbasic: main started", MAIN_DONE = "itbasic: main done";
    /** The methods of itbasic that compile, as the agent names them. */
    static final Set<String> BASIC_COMPILED = Set.of("itbasic.Main.add(II)I", "itbasic.Main.dot([D[D)D", "itbasic.Main.scale([DD)V",
            "itbasic.Main.mix(BSCIJFDZ)D", "itbasic.Main.isEven(J)Z", "itbasic.Main.upper(C)C", "itbasic.Main.half(F)F",
            "itbasic.Main.fill([II)I", "itbasic.Main.divide(II)I", "itbasic.Main.fib(I)I", "itbasic.Main.eagerSum(J)J",
            "itbasic.Helper.cube(I)I");
    static final String REFUSED = "itbasic.Main.digits(I)I";
    static final Pattern REFUSED_REASON = Pattern.compile(
            "object allocation \\(new java\\.lang\\.StringBuilder\\) at bytecode offset 0 \\(Main\\.java:\\d+\\) in itbasic\\.Main\\.digits\\(I\\)I");

    static Path annotations, basicJar, isolatedJar;
    static Run plain;

    @BeforeAll
    static void buildAndRunWithoutAgent() throws Exception {
        annotations = ChildJvm.annotationsJar();
        // itbasic.Old as a Java 6 class file: compiled for Java 8, then its version set to 50.
        Path old = ChildJvm.compile("basic-java6", List.of(annotations), "--release", "8");
        Path oldClass = old.resolve("itbasic/Old.class");
        byte[] b = Files.readAllBytes(oldClass);
        b[6] = 0;
        b[7] = 50;
        Files.write(oldClass, b);
        Path basic = ChildJvm.compile("basic", List.of(annotations, old));
        Files.copy(oldClass, basic.resolve("itbasic/Old.class"));
        basicJar = ChildJvm.jar(basic, ChildJvm.WORK.resolve("basic.jar"));
        isolatedJar = ChildJvm.jar(ChildJvm.compile("basic-isolated", List.of(annotations)), ChildJvm.WORK.resolve("isolated.jar"));
        plain = runBasic(List.of()).assertSucceeded();
        assertEquals(List.of(MAIN_STARTED, MAIN_DONE), plain.stderrLines(), "without the agent: " + plain);
        // The reference itself shows what the compiled code must reproduce.
        assertTrue(plain.stdout().contains("fill threw java.lang.ArrayIndexOutOfBoundsException: Index 5 out of bounds for length 5"
                + " after writing [1, 2, 5, 10, 17]"), plain::toString);
        assertTrue(plain.stdout().contains("divide threw java.lang.ArithmeticException: / by zero"), plain::toString);
    }

    static Run runBasic(List<String> jvmOptions) throws IOException, InterruptedException {
        return ChildJvm.run(jvmOptions, List.of(basicJar, annotations), "itbasic.Main", List.of(isolatedJar.toString()), 120);
    }

    /** The methods named by {@code numbat: compiled} lines, each checked against the exact format and seen once. */
    static List<String> compiledMethods(Run run) {
        List<String> names = new ArrayList<>();
        for (String line : run.numbatLines()) {
            if (!line.startsWith("numbat: compiled ")) continue;
            Matcher m = COMPILED.matcher(line);
            assertTrue(m.matches(), () -> "malformed line '" + line + "' in " + run);
            names.add(m.group(1));
        }
        assertEquals(names.size(), new HashSet<>(names).size(), () -> "a method reported twice: " + run);
        return names;
    }

    /** Every stderr line is the agent's or the application's: no JDK warning, no stack trace. */
    static void assertOnlyExpectedStderr(Run run, String appPrefix) {
        for (String line : run.stderrLines()) {
            assertTrue(line.startsWith("numbat: ") || line.startsWith(appPrefix), () -> "unexpected line '" + line + "' in " + run);
        }
    }

    static int indexOf(Run run, String lineStart) {
        List<String> lines = run.stderrLines();
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith(lineStart)) return i;
        throw new AssertionError("no line starting '" + lineStart + "' in " + run);
    }

    static void assertRefusedOnce(Run run) {
        List<String> refused = run.numbatLines().stream().filter(l -> l.startsWith("numbat: not compiled ")).toList();
        assertEquals(1, refused.size(), run::toString);
        Matcher m = NOT_COMPILED.matcher(refused.get(0));
        assertTrue(m.matches() && m.group(1).equals(REFUSED) && REFUSED_REASON.matcher(m.group(2)).matches(),
                () -> "not the expected refusal: " + refused.get(0));
    }

    @Test
    void lazyModeCompilesEachMethodAtItsFirstCallAndPrintsTheSameOutput() throws Exception {
        Run run = runBasic(AGENT).assertSucceeded();
        assertEquals(plain.stdout(), run.stdout(), () -> "standard output differs with the agent: " + run);
        assertOnlyExpectedStderr(run, "itbasic: ");
        assertEquals(BASIC_COMPILED, Set.copyOf(compiledMethods(run)), run::toString);
        assertRefusedOnce(run);
        // @Jit(eager = true) compiles when Main is initialised, before main; the others at their first call.
        int started = indexOf(run, MAIN_STARTED);
        assertTrue(indexOf(run, "numbat: compiled itbasic.Main.eagerSum(J)J") < started, run::toString);
        for (String m : BASIC_COMPILED) {
            if (!m.contains("eagerSum")) assertTrue(indexOf(run, "numbat: compiled " + m + " ") > started, () -> m + ": " + run);
        }
        assertTrue(indexOf(run, "numbat: compiled itbasic.Main.add(II)I") < indexOf(run, "numbat: compiled itbasic.Main.dot("), run::toString);
        // Left alone, silently: an instance method, a Java 6 class file, a class whose loader cannot see the agent.
        assertFalse(run.stderr().contains("instanceAdd") || run.stderr().contains("itbasic.Old") || run.stderr().contains("itisolated"),
                run::toString);
    }

    /**
     * The default policy: methods without a loop or a call keep their bytecode, each with one "kept bytecode" line
     * and no compilation; methods with loops compile; the output is the same.
     */
    @Test
    void tinyMethodsKeepTheirBytecodeByDefault() throws Exception {
        Run run = runBasic(List.of("-javaagent:" + AGENT_JAR, "-Dnumbat.verbose=true", "--enable-native-access=ALL-UNNAMED")).assertSucceeded();
        assertEquals(plain.stdout(), run.stdout(), () -> "standard output differs with the agent: " + run);
        assertOnlyExpectedStderr(run, "itbasic: ");
        List<String> compiled = compiledMethods(run);
        assertTrue(compiled.contains("itbasic.Main.dot([D[D)D"), run::toString);
        assertFalse(compiled.contains("itbasic.Main.add(II)I"), run::toString);
        long kept = run.numbatLines().stream().filter(l -> l.startsWith("numbat: kept bytecode itbasic.Main.add(II)I: it has no loop")).count();
        assertEquals(1, kept, run::toString);
    }

    @Test
    void eagerModeCompilesEveryMethodWhenItsClassIsInitialised() throws Exception {
        Run run = runBasic(concat(AGENT, "-Dnumbat.mode=eager")).assertSucceeded();
        assertEquals(plain.stdout(), run.stdout(), () -> "standard output differs with the agent: " + run);
        assertOnlyExpectedStderr(run, "itbasic: ");
        assertEquals(BASIC_COMPILED, Set.copyOf(compiledMethods(run)), run::toString);
        assertRefusedOnce(run);
        int started = indexOf(run, MAIN_STARTED);
        for (String m : BASIC_COMPILED) {
            int at = indexOf(run, "numbat: compiled " + m + " ");
            // Main is initialised before main runs; Helper at its first use, inside main.
            if (m.startsWith("itbasic.Main.")) assertTrue(at < started, () -> m + " compiled after main started: " + run);
            else assertTrue(at > started, () -> m + " compiled before main started: " + run);
        }
        assertTrue(indexOf(run, "numbat: not compiled " + REFUSED) < started, run::toString);
        // A Java 6 class file gets no dispatch prologue: compiling its methods would be wasted, and the
        // "compiled" line would claim native code that never runs.
        assertFalse(run.stderr().contains("itbasic.Old"), () -> "a method of a Java 6 class file reported: " + run);
    }

    @Test
    void backgroundModeGivesTheSameOutput() throws Exception {
        Run run = runBasic(concat(AGENT, "-Dnumbat.mode=background")).assertSucceeded();
        assertEquals(plain.stdout(), run.stdout(), () -> "standard output differs with the agent: " + run);
        assertOnlyExpectedStderr(run, "itbasic: ");
        // The program is short: how many methods the compiler thread finishes before it ends varies.
        List<String> compiled = compiledMethods(run);
        assertTrue(BASIC_COMPILED.containsAll(compiled), run::toString);
        // @Jit(eager = true) wins over the mode.
        assertTrue(indexOf(run, "numbat: compiled itbasic.Main.eagerSum(J)J") < indexOf(run, MAIN_STARTED), run::toString);
    }

    @Test
    void dumpWritesIrLlvmIrAssemblyAndControlFlowGraphOfEachCompiledMethod() throws Exception {
        Path dump = ChildJvm.WORK.resolve("dump");
        ChildJvm.deleteRecursively(dump);
        Run run = runBasic(concat(AGENT, "-Dnumbat.dump=" + dump)).assertSucceeded();
        assertEquals(plain.stdout(), run.stdout(), run::toString);
        // Files are named after the method, with characters other than [A-Za-z0-9_.$-] as '_'.
        String base = "itbasic.Main.add_II_I";
        String ir = Files.readString(dump.resolve(base + ".ir")), ll = Files.readString(dump.resolve(base + ".ll"));
        String asm = Files.readString(dump.resolve(base + ".s")), dot = Files.readString(dump.resolve(base + ".dot"));
        assertTrue(ir.contains("add"), ir);
        assertTrue(ll.contains("define"), ll);
        assertTrue(asm.contains("ret"), asm);
        assertTrue(dot.contains("digraph"), dot);
        try (var files = Files.list(dump)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            // Four files per compiled method, none for the refused one.
            assertEquals(4 * BASIC_COMPILED.size(), names.size(), names::toString);
            assertFalse(names.stream().anyMatch(n -> n.contains("digits")), names::toString);
        }
    }

    /**
     * The application has its own ASM 9.7.1 (which cannot read Java 25 class files) and no Byte Buddy. The
     * agent's copies are relocated: the application gets its own ASM, the agent still compiles (reading
     * the Java 25 class file with its ASM 9.9), and probing the class path for Byte Buddy or for parts of
     * ASM the application lacks finds nothing, as without the agent.
     */
    @Test
    void applicationWithItsOwnAsmIsUnaffected() throws Exception {
        Path asm = Path.of(System.getProperty("numbat.it.asm", ""));
        assertTrue(Files.isRegularFile(asm), () -> "ASM 9.7.1 not found at " + asm + " (failsafe's plugin dependency fetches it)");
        Path jar = ChildJvm.jar(ChildJvm.compile("relocation", List.of(annotations, asm)), ChildJvm.WORK.resolve("relocation.jar"));
        List<Path> cp = List.of(jar, asm, annotations);
        Run without = ChildJvm.run(List.of(), cp, "itreloc.Main", List.of(), 120).assertSucceeded();
        assertTrue(without.stdout().contains("ClassReader from asm-9.7.1.jar"), without::toString);
        assertTrue(without.stdout().contains("own ASM: Unsupported class file major version 69"), without::toString);
        assertTrue(without.stdout().contains("net.bytebuddy.ByteBuddy: absent"), without::toString);
        Run with = ChildJvm.run(AGENT, cp, "itreloc.Main", List.of(), 120).assertSucceeded();
        assertEquals(without.stdout(), with.stdout(), () -> "the agent changed what the application sees: " + with);
        assertEquals(List.of("itreloc.Main.sumSquares([I)J"), compiledMethods(with), with::toString);
        assertOnlyExpectedStderr(with, "numbat: ");
    }

    static Path attachJar() throws IOException {
        return ChildJvm.jar(ChildJvm.compile("attach", List.of(AGENT_JAR)), ChildJvm.WORK.resolve("attach.jar"));
    }

    /**
     * {@code Numbat.install()} in a JVM started without -javaagent, numbat-agent.jar on the class path: the
     * already loaded (and initialised) Main is rewritten in place and its eager method compiles at install
     * time; a class loaded afterwards gets the class-initialisation hook as with -javaagent.
     */
    @Test
    void selfAttachRewritesLoadedClasses() throws Exception {
        Path jar = attachJar();
        List<Path> cp = List.of(jar, AGENT_JAR);
        Run without = ChildJvm.run(List.of("-Ditattach.install=false"), cp, "itattach.Main", List.of(), 120).assertSucceeded();
        Run run = ChildJvm.run(List.of("-XX:+EnableDynamicAgentLoading", "-Dnumbat.verbose=true", "--enable-native-access=ALL-UNNAMED",
                        "-Dnumbat.policy=always"),
                cp, "itattach.Main", List.of(), 120).assertSucceeded();
        assertEquals(without.stdout(), run.stdout(), run::toString);
        assertOnlyExpectedStderr(run, "itattach: ");
        assertEquals(Set.of("itattach.Main.square(J)J", "itattach.Main.add(II)I", "itattach.Main$Later.triple(I)I"),
                Set.copyOf(compiledMethods(run)), run::toString);
        int installing = indexOf(run, "itattach: installing"), installed = indexOf(run, "itattach: installed");
        int square = indexOf(run, "numbat: compiled itattach.Main.square(J)J");
        assertTrue(installing < square && square < installed, () -> "the eager method of a loaded class compiles at install: " + run);
        assertTrue(indexOf(run, "numbat: compiled itattach.Main.add(II)I") > installed, run::toString);
    }

    /** Without -XX:+EnableDynamicAgentLoading the JDK warns about the self-attach (JEP 451); the program is unaffected. */
    @Test
    void selfAttachWithoutEnableDynamicAgentLoadingWarns() throws Exception {
        Path jar = attachJar();
        Run run = ChildJvm.run(List.of("-Dnumbat.verbose=true", "--enable-native-access=ALL-UNNAMED", "-Dnumbat.policy=always"),
                List.of(jar, AGENT_JAR),
                "itattach.Main", List.of(), 120).assertSucceeded();
        assertTrue(run.stdout().contains("after: add=5 square=49"), run::toString);
        assertTrue(run.stderr().contains("WARNING: A Java agent has been loaded dynamically"), run::toString);
        assertEquals(3, compiledMethods(run).size(), run::toString);
    }

    /** With -javaagent the agent is installed already: Numbat.install() must not attach a second time. */
    @Test
    void installUnderJavaagentDoesNothing() throws Exception {
        Path jar = attachJar();
        Run run = ChildJvm.run(AGENT, List.of(jar), "itattach.Main", List.of(), 120).assertSucceeded();
        assertTrue(run.stdout().contains("after: add=5 square=49"), run::toString);
        assertOnlyExpectedStderr(run, "itattach: ");
        assertEquals(3, compiledMethods(run).size(), run::toString);
    }
}
