package dev.numbat.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.numbat.frontend.samples.Kernels;
import dev.numbat.ir.IrPrinter;
import dev.numbat.ir.IrVerifier;
import dev.numbat.ir.Module;
import dev.numbat.ir.pass.PassPipeline;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests: the IR lifted from each sample method, after the standard passes, must equal the text
 * in {@code src/test/resources/golden/<method>.ir}. Run with {@code -Dnumbat.updateGolden=true} to
 * rewrite the files after a deliberate change, then review the diff.
 */
class LiftGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden");

    static Stream<String> samples() {
        return Arrays.stream(Kernels.class.getDeclaredMethods())
                .filter(m -> java.lang.reflect.Modifier.isPublic(m.getModifiers())).map(Method::getName).sorted();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void liftedIrMatchesGolden(String name) throws Exception {
        Method m = Arrays.stream(Kernels.class.getDeclaredMethods()).filter(x -> x.getName().equals(name)).findFirst().orElseThrow();
        Module module = BytecodeFrontend.lift(m);
        IrVerifier.verify(module);
        for (var f : module.functions().values()) PassPipeline.standard().verifyingEachPass(true).run(f);
        String actual = IrPrinter.print(module);
        Path file = GOLDEN.resolve(name + ".ir");
        if (Boolean.getBoolean("numbat.updateGolden")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, actual);
        }
        assertTrue(Files.exists(file), "missing golden file " + file + " (run with -Dnumbat.updateGolden=true)");
        assertEquals(read(file), actual, "IR of " + name + " differs from " + file);
    }

    private static String read(Path p) throws IOException { return Files.readString(p); }
}
