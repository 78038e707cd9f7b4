package dev.numbat.fuzz;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * The differential fuzzer's run: {@code fuzz.programs} generated programs (default 500; a program is one generated
 * method with its argument tuples) from seed {@code fuzz.seed}, each compiled by Numbat and compared with the JVM.
 * Fails on any difference, on any refusal (the generator stays inside the supported subset, so a refusal is
 * either an internal compiler error or a generator defect) and on any class javac rejects; each new kind of
 * failure is reduced and printed, and saved under src/test/resources/fuzz/known-bugs/ (see docs/reliability.md).
 *
 * <pre>
 * mvn test -pl agent -am -Dtest='Fuzz*' -Dsurefire.failIfNoSpecifiedTests=false -Dfuzz.programs=5000 -Dfuzz.seed=7
 * </pre>
 */
class FuzzTest {

    @Test
    void generatedProgramsAgreeWithTheJvm() {
        Campaign c = new Campaign(Campaign.Config.fromSystemProperties(System.out)).run();
        String summary = c.summary();
        System.out.print(summary);
        if (c.failures.isEmpty() && c.generatorDefects.isEmpty()) return;
        StringBuilder sb = new StringBuilder(summary);
        for (String d : c.generatorDefects) sb.append("\nGENERATOR DEFECT: ").append(d);
        for (Campaign.Failure f : c.failures) {
            sb.append("\nFAILED ").append(f.where()).append(": ").append(f.signature()).append('\n').append(f.verdict().message()).append('\n');
            if (f.reducedText() != null) {
                sb.append("reduced program").append(f.saved() == null ? "" : " (saved as " + f.saved() + ")").append(":\n")
                        .append(f.reducedText());
            }
        }
        fail(sb.toString());
    }
}
