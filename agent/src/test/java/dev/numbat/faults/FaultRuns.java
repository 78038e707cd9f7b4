package dev.numbat.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** What the child-JVM fault tests share: running {@link FaultsApp} under the agent, and checking what it did. */
final class FaultRuns {
    private FaultRuns() {}

    static final String APP = FaultsApp.class.getName();
    /** FaultsApp's kernels, as diagnostics name them, in the order the application first calls them. */
    static final List<String> KERNELS = List.of(APP + ".victim([II)I", APP + ".later([DI)D", APP + ".third(JJ)J");

    /** Runs FaultsApp in a child JVM with the agent, one-line diagnostics and {@code options}, on {@code classPath}. */
    static FaultChildJvm.Run runApp(List<String> options, List<Path> classPath) throws Exception {
        List<String> all = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED",
                "-javaagent:" + FaultChildJvm.premainJar(), "-Dnumbat.verbose=true"));
        all.addAll(options);
        return FaultChildJvm.run(all, classPath, APP, List.of(), 120);
    }

    /**
     * The run exited 0 and printed what the JVM computes (FaultsApp run here, without the agent), and its standard
     * error holds exactly one Numbat line per kernel and nothing else (no stack trace, no JVM warning): for each
     * kernel in order, {@code compiled ...} if its entry of {@code reasons} is null, else {@code not compiled
     * <method>: <reason>} with a reason matching that entry.
     */
    static void assertRanCorrectly(FaultChildJvm.Run run, List<Pattern> reasons) {
        run.assertSucceeded();
        assertEquals("faultsapp: " + FaultsApp.results(), run.stdout().strip(), run::toString);
        List<String> lines = run.stderr().lines().toList();
        assertEquals(KERNELS.size(), lines.size(), () -> "expected one diagnostic line per kernel and nothing else: " + run);
        for (int i = 0; i < KERNELS.size(); i++) {
            String line = lines.get(i), kernel = KERNELS.get(i);
            Pattern reason = reasons.get(i);
            if (reason == null) {
                assertTrue(line.matches(Pattern.quote("numbat: compiled " + kernel) + " in [0-9.]+ ms \\(.*\\)"), () -> line + "\n" + run);
            } else {
                String prefix = "numbat: not compiled " + kernel + ": ";
                assertTrue(line.startsWith(prefix) && reason.matcher(line.substring(prefix.length())).matches(),
                        () -> "expected " + prefix + reason.pattern() + "\n" + run);
            }
        }
    }
}
