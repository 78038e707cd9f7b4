package dev.numbat.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.numbat.ir.parallel.ParallelLoops;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests of {@link ParallelLoops}: each file under {@code src/test/resources/parallel} holds the IR of
 * a kernel as the frontend and the standard passes leave it, a line {@code // after parallel-loops} (with
 * {@code fastMath} when the kernel has it), then the verdict on each loop and the module afterwards. Every
 * function is verified before and after, and the result must read back from its text form.
 * {@code -Dnumbat.updateGolden=true} rewrites the expected part.
 */
class ParallelLoopsGoldenTest {
    static final Path DIR = Path.of("src/test/resources/parallel");
    static final String MARK = "// after parallel-loops";

    static Stream<Path> cases() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) { files = s.filter(p -> p.toString().endsWith(".ir")).sorted().toList(); }
        assertFalse(files.isEmpty(), "no golden files in " + DIR);
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void rewriteMatchesGolden(Path file) throws IOException {
        String text = Files.readString(file);
        int split = text.indexOf(MARK);
        int eol = text.indexOf('\n', split);
        String input = text.substring(0, split);
        boolean fastMath = text.substring(split, eol).contains("fastMath");
        String expected = text.substring(eol + 1);

        Module m = IrParser.parse(input);
        IrVerifier.verify(m);
        ParallelLoops.Outcome outcome = ParallelLoops.run(m, m.entry(), fastMath);
        IrVerifier.verify(m);
        StringBuilder actual = new StringBuilder();
        for (String p : outcome.parallelised()) actual.append("// parallel: ").append(p).append('\n');
        for (String s : outcome.serial()) actual.append("// serial: ").append(s).append('\n');
        // The rewrite leaves blocks and values numbered in the order it made them; one trip through the text
        // form numbers them as the parser does, and from there the text is a fixed point.
        Module reparsed = IrParser.parse(IrPrinter.print(m));
        IrVerifier.verify(reparsed);
        String canonical = IrPrinter.print(reparsed);
        assertEquals(canonical, IrPrinter.print(IrParser.parse(canonical)), "round trip of " + file.getFileName());
        actual.append(canonical);

        if (Boolean.getBoolean("numbat.updateGolden")) {
            Files.writeString(file, text.substring(0, eol + 1) + actual);
            return;
        }
        assertEquals(expected.strip(), actual.toString().strip(), file.getFileName().toString());
    }
}
