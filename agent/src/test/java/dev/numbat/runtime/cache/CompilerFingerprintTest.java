package dev.numbat.runtime.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Numbat's version for the key: a hash of its class files, wherever they were loaded from. */
class CompilerFingerprintTest {
    /** A class of its own, loaded from {@code root} (a directory or a jar) by a loader that sees nothing else. */
    private static Class<?> loadFrom(Path root) throws Exception {
        URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
        return Class.forName(CacheKernels.class.getName(), false, loader);
    }

    private static byte[] classFile(Class<?> c) throws Exception {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }

    private static final String PACKAGE = "dev/numbat/runtime/cache/";

    @Test
    void changesWithAnyClassOfThePackageInADirectory(@TempDir Path root) throws Exception {
        Path pkg = Files.createDirectories(root.resolve(PACKAGE));
        Files.write(pkg.resolve("CacheKernels.class"), classFile(CacheKernels.class));
        Files.write(pkg.resolve("Other.class"), new byte[] {1, 2, 3});
        Files.createDirectories(pkg.resolve("sub"));
        Files.write(pkg.resolve("sub/Inner.class"), new byte[] {4});
        Class<?> anchor = loadFrom(root);
        String before = CompilerFingerprint.of(List.of(anchor));
        assertEquals(before, CompilerFingerprint.of(List.of(anchor)), "the same classes, the same fingerprint");
        Files.write(pkg.resolve("sub/Inner.class"), new byte[] {5});
        String subpackageChanged = CompilerFingerprint.of(List.of(anchor));
        assertNotEquals(before, subpackageChanged);
        Files.write(pkg.resolve("Added.class"), new byte[0]);
        String added = CompilerFingerprint.of(List.of(anchor));
        assertNotEquals(subpackageChanged, added);
        Files.writeString(pkg.resolve("thread-pool.ll"), "define void @f() {\n  ret void\n}\n");
        assertNotEquals(added, CompilerFingerprint.of(List.of(anchor)), "LLVM IR the backend compiles counts");
        Files.writeString(pkg.resolve("notes.txt"), "not a class");
        Files.write(root.resolve("dev/numbat/Elsewhere.class"), new byte[] {9});
        String unrelated = CompilerFingerprint.of(List.of(anchor));
        Files.delete(pkg.resolve("notes.txt"));
        assertEquals(unrelated, CompilerFingerprint.of(List.of(anchor)), "only class and .ll files of the package count");
    }

    @Test
    void readsJarsAsDirectories(@TempDir Path dir) throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.createDirectories(tree.resolve(PACKAGE));
        Files.write(tree.resolve(PACKAGE + "CacheKernels.class"), classFile(CacheKernels.class));
        Files.write(tree.resolve(PACKAGE + "Other.class"), new byte[] {1, 2, 3});
        Path jar = dir.resolve("numbat.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of(PACKAGE + "CacheKernels.class", PACKAGE + "Other.class")) {
                out.putNextEntry(new JarEntry(name));
                out.write(Files.readAllBytes(tree.resolve(name)));
                out.closeEntry();
            }
        }
        assertEquals(CompilerFingerprint.of(List.of(loadFrom(tree))), CompilerFingerprint.of(List.of(loadFrom(jar))));
    }

    @Test
    void refusesClassesItCannotRead() {
        assertThrows(java.io.IOException.class, () -> CompilerFingerprint.of(List.of(String.class)), "no code source");
    }

    @Test
    void theRunningCompilerHasOne() throws Exception {
        String f = CompilerFingerprint.get();
        assertEquals(64, f.length());
        assertEquals(f, CompilerFingerprint.of(CompilerFingerprint.ANCHORS));
    }
}
