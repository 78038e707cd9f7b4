package dev.numbat.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * LLVM's native library missing or unloadable: an application under the agent keeps running its {@code @Jit}
 * methods as bytecode, with the JVM's results, one {@code not compiled ...: LLVM backend: ...} line per method
 * and exit status 0. Each case is a child JVM running {@link FaultsApp} on this JVM's test class path with the
 * {@code org.bytedeco:llvm} natives jar for linux-x86_64 taken out, replaced by a damaged copy, or with a bogus
 * JavaCPP cache folder.
 */
class LlvmUnavailableTest {
    static final Pattern NATIVES_JAR = Pattern.compile("llvm-[^/]*-linux-x86_64\\.jar");

    private static Path nativesJar(List<Path> classPath) {
        List<Path> found = classPath.stream().filter(p -> NATIVES_JAR.matcher(p.getFileName().toString()).matches()).toList();
        assertEquals(1, found.size(), () -> "expected one org.bytedeco:llvm natives jar on the test class path: " + classPath);
        return found.get(0);
    }

    /** A JavaCPP cache folder of this test's own, so that libraries extracted by earlier runs play no part. */
    private static Path freshCache(String name) throws IOException {
        Path dir = FaultChildJvm.WORK.resolve("javacpp-" + name + "-" + ProcessHandle.current().pid());
        Files.createDirectories(dir);
        return dir;
    }

    private static List<Pattern> allRefused(String reason) {
        return Collections.nCopies(FaultRuns.KERNELS.size(), Pattern.compile("LLVM backend: " + reason));
    }

    @Test
    void nativesJarMissingFromTheClassPath() throws Exception {
        List<Path> cp = new ArrayList<>(FaultChildJvm.testClassPath());
        cp.remove(nativesJar(cp));
        FaultChildJvm.Run run = FaultRuns.runApp(List.of("-Dorg.bytedeco.javacpp.cachedir=" + freshCache("missing")), cp);
        FaultRuns.assertRanCorrectly(run, allRefused("the LLVM native library could not be loaded: java.lang.UnsatisfiedLinkError: .*jniLLVM.*"));
    }

    /**
     * A copy of the natives jar whose libraries are cut to their first 64 KiB (valid ELF headers, segments past the
     * end). Loaded as such, dlopen would crash the JVM with SIGBUS; Numbat's check of the headers refuses them first.
     */
    @Test
    void nativesJarWithTruncatedLibraries() throws Exception {
        List<Path> cp = new ArrayList<>(FaultChildJvm.testClassPath());
        Path real = nativesJar(cp);
        Path damaged = FaultChildJvm.WORK.resolve("damaged").resolve(real.getFileName());
        Files.createDirectories(damaged.getParent());
        try (JarFile in = new JarFile(real.toFile()); OutputStream os = Files.newOutputStream(damaged); JarOutputStream out = new JarOutputStream(os)) {
            for (JarEntry e : Collections.list(in.entries())) {
                String n = e.getName();
                if (!n.startsWith("META-INF/") && !n.matches("org/bytedeco/llvm/linux-x86_64/lib(LLVM|LTO|Remarks|jniLLVM)\\.so")) continue;
                out.putNextEntry(new JarEntry(n));
                try (InputStream data = in.getInputStream(e)) {
                    out.write(data.readNBytes(n.endsWith(".so") ? 65536 : Integer.MAX_VALUE));
                }
                out.closeEntry();
            }
        }
        cp.set(cp.indexOf(real), damaged);
        FaultChildJvm.Run run = FaultRuns.runApp(List.of("-Dorg.bytedeco.javacpp.cachedir=" + freshCache("damaged")), cp);
        FaultRuns.assertRanCorrectly(run, allRefused("the native library jar:file:.*/damaged/" + Pattern.quote(real.getFileName().toString())
                + "!/org/bytedeco/llvm/linux-x86_64/lib\\w+\\.so is damaged: .*"));
    }

    /**
     * JavaCPP's cache folder given as a path below a regular file, so it can never be created: JavaCPP then loads the
     * libraries without caching them, and everything compiles. (Either way the application must run correctly.)
     */
    @Test
    void javacppCacheFolderThatCannotBeCreated() throws Exception {
        Path file = FaultChildJvm.WORK.resolve("not-a-folder");
        Files.createDirectories(FaultChildJvm.WORK);
        Files.writeString(file, "a file where JavaCPP's cache folder should be\n");
        FaultChildJvm.Run run = FaultRuns.runApp(List.of("-Dorg.bytedeco.javacpp.cachedir=" + file.resolve("cache")),
                FaultChildJvm.testClassPath());
        FaultRuns.assertRanCorrectly(run, Collections.nCopies(FaultRuns.KERNELS.size(), null));
    }
}
