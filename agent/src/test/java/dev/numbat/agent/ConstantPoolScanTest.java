package dev.numbat.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The agent's prefilter walks the constant pool instead of searching every byte; over every class file of
 * the JDK's java.base (all constant kinds, module-info included) it must answer as the byte search does,
 * for descriptors some classes have and some do not.
 */
class ConstantPoolScanTest {
    static final List<String> DESCRIPTORS = List.of("Ldev/numbat/Jit;", "Ljava/lang/Deprecated;",
            "Ljdk/internal/vm/annotation/IntrinsicCandidate;", "Ljava/lang/FunctionalInterface;");

    static boolean byteSearch(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0, end = haystack.length - needle.length; i <= end; i++) {
            for (int k = 0; k < needle.length; k++) if (haystack[i + k] != needle[k]) continue outer;
            return true;
        }
        return false;
    }

    @Test
    void agreesWithAByteSearchOnEveryClassOfJavaBase() throws IOException {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        List<Path> classes;
        try (Stream<Path> s = Files.walk(jrt.getPath("/modules/java.base"))) {
            classes = s.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertTrue(classes.size() > 3000, "java.base has only " + classes.size() + " classes?");
        int[] found = new int[DESCRIPTORS.size()];
        for (Path c : classes) {
            byte[] bytes = Files.readAllBytes(c);
            for (int d = 0; d < DESCRIPTORS.size(); d++) {
                byte[] needle = DESCRIPTORS.get(d).getBytes(StandardCharsets.US_ASCII);
                boolean expected = byteSearch(bytes, needle);
                assertEquals(expected, ConstantPoolScan.mentions(bytes, needle), c + " and " + DESCRIPTORS.get(d));
                if (expected) found[d]++;
            }
        }
        assertEquals(0, found[0], "java.base mentions @Jit?");
        for (int d = 1; d < found.length; d++) assertTrue(found[d] > 0, "no class of java.base mentions " + DESCRIPTORS.get(d));
    }

    @Test
    void findsTheJitAnnotationOfATestKernel() throws IOException {
        byte[] jit = "Ldev/numbat/Jit;".getBytes(StandardCharsets.US_ASCII);
        assertTrue(ConstantPoolScan.mentions(classBytes("dev.numbat.differential.parallel.ParallelLoopTest$Kernels"), jit));
        // (not this class: it holds the descriptor as a string constant)
        assertFalse(ConstantPoolScan.mentions(classBytes("dev.numbat.differential.EdgeValues"), jit));
    }

    @Test
    void malformedClassFilesAreNotMatches() {
        byte[] needle = "Ldev/numbat/Jit;".getBytes(StandardCharsets.US_ASCII);
        assertFalse(ConstantPoolScan.mentions(new byte[0], needle));
        assertFalse(ConstantPoolScan.mentions(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 65, 0, 9, 1, 0}, needle));
    }

    private static byte[] classBytes(String name) throws IOException {
        try (InputStream in = ConstantPoolScanTest.class.getClassLoader().getResourceAsStream(name.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }
}
