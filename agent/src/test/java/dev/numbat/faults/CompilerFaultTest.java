package dev.numbat.faults;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults inside the compiler, injected with {@code -Dnumbat.test.injectFault=<stage>:<fault>:victim} (see
 * {@code dev.numbat.runtime.InjectedFault}) into the compilation of FaultsApp's first kernel only: an exception at
 * each stage (in the IR passes: after the first pass changed the IR), and a real OutOfMemoryError (the compiling
 * thread exhausts a 64 MiB heap). Each time the application runs that kernel as bytecode with one
 * {@code not compiled} line, gets the JVM's results, and the two kernels it calls next still compile.
 */
class CompilerFaultTest {

    private static void check(String stage, String fault, List<String> extraOptions, String reason) throws Exception {
        List<String> options = new ArrayList<>(extraOptions);
        options.add("-Dnumbat.test.injectFault=" + stage + ":" + fault + ":victim");
        FaultChildJvm.Run run = FaultRuns.runApp(options, FaultChildJvm.testClassPath());
        FaultRuns.assertRanCorrectly(run, Arrays.asList(Pattern.compile(reason), null, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lift", "passes", "llvm", "bind"})
    void compilerExceptionAtEachStage(String stage) throws Exception {
        String where = stage.equals("passes") ? "passes, after \\S+" : stage;
        check(stage, "exception", List.of(), "internal compiler error: java.lang.IllegalStateException: fault injected by"
                + " -Dnumbat.test.injectFault in " + where);
    }

    @ParameterizedTest
    @ValueSource(strings = {"passes", "llvm"})
    void outOfMemoryWhileCompiling(String stage) throws Exception {
        check(stage, "oom", List.of("-Xmx64m"), "out of memory while compiling \\(java.lang.OutOfMemoryError: Java heap space\\)");
    }
}
