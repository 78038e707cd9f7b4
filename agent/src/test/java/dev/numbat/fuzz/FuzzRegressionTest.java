package dev.numbat.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.numbat.fuzz.Harness.Kind;
import dev.numbat.fuzz.Harness.Verdict;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the saved fuzz programs: every {@code src/test/resources/fuzz/*.java} must compile with Numbat and agree
 * with the JVM on its {@code // args:} lines. Programs of bugs not fixed yet live in {@code fuzz/known-bugs/} and
 * run only with {@code -Dfuzz.knownBugs=true} (they fail until their bug is fixed; then move them up to
 * {@code fuzz/}). The format is {@link Regression}'s.
 */
class FuzzRegressionTest {

    @TestFactory
    Stream<DynamicTest> savedProgramsAgreeWithTheJvm() throws IOException, URISyntaxException {
        List<Path> files = new ArrayList<>(programs("fuzz"));
        if (Boolean.getBoolean("fuzz.knownBugs")) files.addAll(programs("fuzz/known-bugs"));
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getParent().getFileName() + "/" + f.getFileName(), () -> replay(f)));
    }

    static List<Path> programs(String folder) throws IOException, URISyntaxException {
        URL url = FuzzRegressionTest.class.getResource("/" + folder);
        if (url == null) return List.of();
        try (Stream<Path> s = Files.list(Path.of(url.toURI()))) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    static void replay(Path file) throws Exception {
        Regression r = Regression.parse(Files.readString(file, StandardCharsets.UTF_8));
        Class<?> cls = Harness.load(r.className(), r.source(), r.debugInfo());
        Verdict v = Harness.check(Harness.method(cls, r.entry()), r.tuples(), r.ulps());
        assertEquals(Kind.PASS, v.kind(), () -> file.getFileName() + ": " + v.kind() + "\n" + v.message() + "\n"
                + String.join("\n", r.notes()) + "\n" + r.source());
    }
}
