package dev.numbat.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.numbat.ir.loop.AlignmentPeeling;
import dev.numbat.ir.loop.NestRangeVersioning;
import dev.numbat.ir.loop.RangeCheckVersioning;
import dev.numbat.ir.loop.TripCountVersioning;
import dev.numbat.ir.loop.PredicatedJam;
import dev.numbat.ir.loop.UnrollAndJam;
import dev.numbat.ir.pass.DeadCodeElimination;
import dev.numbat.ir.pass.MergeStraightLineBlocks;
import dev.numbat.ir.pass.Pass;
import dev.numbat.ir.pass.PassPipeline;
import dev.numbat.ir.pass.RemoveTrivialPhis;
import dev.numbat.ir.pass.RemoveUnreachableBlocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cranelift-style golden tests: each file under {@code src/test/resources/passes} holds IR text, a line
 * {@code // after <pass>}, and the expected text after that pass ran. The verifier runs before and after.
 * {@code // after trip-versions MIN..MAX} gives every loop test the trip counts MIN to MAX (text-form branches have
 * no bytecode offset, so the range is keyed by the offset they all share, -1).
 */
class PassGoldenTest {
    static final Path DIR = Path.of("src/test/resources/passes");
    static final Map<String, Pass> PASSES = Map.of(
            "unreachable", new RemoveUnreachableBlocks(),
            "trivial-phis", new RemoveTrivialPhis(),
            "dce", new DeadCodeElimination(),
            "merge-blocks", new MergeStraightLineBlocks(),
            "range-versions", new RangeCheckVersioning(),
            "nest-versions", new NestRangeVersioning(),
            "unroll-jam", new UnrollAndJam(32, 16), // 4 and then 2 columns of long
            "predicated-jam", new PredicatedJam(2),
            "align-peel", new AlignmentPeeling(),
            "align-peel-fastmath", new AlignmentPeeling(true));

    private static Pass tripVersions(String range) {
        return new TripCountVersioning(Map.of(-1, TripCountVersioning.TripRange.parse(range)));
    }

    static Stream<Path> cases() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) { files = s.filter(p -> p.toString().endsWith(".ir")).sorted().toList(); }
        assertFalse(files.isEmpty(), "no golden files in " + DIR);
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void passOutputMatchesGolden(Path file) throws IOException {
        String text = Files.readString(file);
        int split = text.indexOf("// after ");
        int eol = text.indexOf('\n', split);
        String input = text.substring(0, split);
        String pass = text.substring(split + "// after ".length(), eol).strip();
        String expected = text.substring(eol + 1);
        Module m = IrParser.parse(input);
        IrVerifier.verify(m);
        Pass tested = pass.startsWith("trip-versions ") ? tripVersions(pass.substring("trip-versions ".length())) : PASSES.get(pass);
        // Passes that need reachable blocks get them first, as in the standard pipeline.
        PassPipeline pipeline = tested.requires().contains(Pass.Property.NO_UNREACHABLE_BLOCKS)
                ? PassPipeline.of(new RemoveUnreachableBlocks(), tested) : PassPipeline.of(tested);
        for (Function f : m.functions().values()) pipeline.verifyingEachPass(true).run(f);
        assertEquals(expected.strip(), IrPrinter.print(m).strip(), file.getFileName() + " after " + pass);
    }
}
