package dev.numbat.bench.suite;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The C twins of the suite's kernels ({@code jmh/src/main/c}, packaged as resources): compiled once into a shared
 * library with the clang that {@code org.bytedeco:llvm} ships, then bound as FFM downcalls with
 * {@link Linker.Option#critical(boolean) critical(true)} and heap arrays, the way Numbat calls its own code, so the
 * twin is the reference for what LLVM makes of the same loop as C.
 *
 * <p>Clang: {@code -Dnumbat.clang=/path/to/clang} or the environment variable {@code NUMBAT_CLANG} if given, else
 * the binary {@code Loader.load(org.bytedeco.llvm.program.clang.class)} extracts into the JavaCPP cache. That binary
 * needs {@code libclang-cpp.so.20.1} and {@code libLLVM.so.20.1}, which the cache holds only as
 * {@code libclang-cpp.so} and {@code libLLVM.so} (the preset's preload names still say 19.1), so the sonames it needs
 * are linked, in a private folder given to it as {@code LD_LIBRARY_PATH}, to the files beside it.
 *
 * <p>The library lands in {@code jmh/target/clang-twins/} (the {@code target} folder that holds these classes or
 * {@code benchmarks.jar}; {@code -Dnumbat.twins.dir} overrides), named by a hash of the sources, the flags and the
 * compiler, so each JMH fork after the first reuses it.
 */
public final class ClangTwins {
    private ClangTwins() {}

    /**
     * {@code -O3 -march=native} and no fast-math, as issue 4 asks, plus two flags that change no result but make
     * C mean what the Java source means: {@code -ffp-contract=off} (clang would otherwise fuse {@code a * b + c}
     * into an FMA, which Java never does, and the results would differ) and {@code -fno-math-errno} (Java's
     * {@code Math.sqrt} sets no {@code errno}, so Numbat's {@code sqrt} is the bare instruction; without the flag
     * clang must keep a library call for negative inputs).
     */
    public static final List<String> FLAGS = List.of("-O3", "-march=native", "-ffp-contract=off", "-fno-math-errno",
            "-fvisibility=hidden", "-fPIC", "-shared");

    /** The sources, in {@code jmh/src/main/c} and as resources beside this class. */
    static final List<String> SOURCES = List.of("twins.h", "array_kernels.c", "grid_kernels.c", "sparse_kernels.c",
            "nbody_kernels.c", "blackscholes_kernels.c", "layout.c");

    /** Thrown when there is no clang, or the twins do not compile: the message says why. */
    public static final class UnavailableException extends RuntimeException {
        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static SymbolLookup library;
    private static Path libraryPath;
    private static String compilerVersion;
    private static UnavailableException unavailable;

    /** Whether the twins compiled (compiling them on the first call). */
    public static boolean available() {
        try {
            load();
            return true;
        } catch (UnavailableException e) {
            return false;
        }
    }

    /** Why the twins are not available, or null when they are. */
    public static String unavailableReason() {
        try {
            load();
            return null;
        } catch (UnavailableException e) {
            return e.getMessage();
        }
    }

    /** The compiler's first {@code --version} line and the flags, as the benchmark report shows them. */
    public static synchronized String compilerDescription() {
        load();
        return compilerVersion + ", " + String.join(" ", FLAGS);
    }

    /** The compiled library (compiling it on the first call). */
    public static synchronized Path libraryPath() {
        load();
        return libraryPath;
    }

    /**
     * The twin {@code twin_<name>} as a handle of the Java kernel's own type {@code (params) -> ret}: each array
     * argument is passed as a heap segment (its elements, not copied) followed by its length.
     */
    public static MethodHandle bind(String name, Class<?> ret, Class<?>... params) {
        SymbolLookup lib = load();
        MemorySegment entry = lib.find("twin_" + name)
                .orElseThrow(() -> new UnavailableException("no symbol twin_" + name + " in " + libraryPath, null));
        List<MemoryLayout> layouts = new ArrayList<>();
        for (Class<?> p : params) {
            if (p.isArray()) {
                layouts.add(ValueLayout.ADDRESS);
                layouts.add(ValueLayout.JAVA_INT);
            } else {
                layouts.add(layoutOf(p));
            }
        }
        MemoryLayout[] args = layouts.toArray(MemoryLayout[]::new);
        FunctionDescriptor fd = ret == void.class ? FunctionDescriptor.ofVoid(args) : FunctionDescriptor.of(layoutOf(ret), args);
        MethodHandle h = Linker.nativeLinker().downcallHandle(entry, fd, Linker.Option.critical(true));
        try {
            // Right to left, so that the native positions of the earlier parameters stay where they are.
            int[] nativePos = new int[params.length];
            for (int k = 0, pos = 0; k < params.length; k++) {
                nativePos[k] = pos;
                pos += params[k].isArray() ? 2 : 1;
            }
            for (int k = params.length - 1; k >= 0; k--) {
                if (!params[k].isArray()) continue;
                int pos = nativePos[k];
                MethodHandle segment = MethodHandles.lookup().findStatic(MemorySegment.class, "ofArray",
                        MethodType.methodType(MemorySegment.class, params[k]));
                h = MethodHandles.filterArguments(h, pos, segment, MethodHandles.arrayLength(params[k]));
                MethodType merged = h.type().dropParameterTypes(pos + 1, pos + 2);
                int[] reorder = new int[h.type().parameterCount()];
                for (int i = 0; i < reorder.length; i++) reorder[i] = i <= pos ? i : i - 1;
                h = MethodHandles.permuteArguments(h, merged, reorder);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return h.asType(MethodType.methodType(ret, params));
    }

    private static MemoryLayout layoutOf(Class<?> p) {
        if (p == double.class) return ValueLayout.JAVA_DOUBLE;
        if (p == float.class) return ValueLayout.JAVA_FLOAT;
        if (p == long.class) return ValueLayout.JAVA_LONG;
        if (p == int.class) return ValueLayout.JAVA_INT;
        throw new IllegalArgumentException("no twin parameter type " + p);
    }

    private static synchronized SymbolLookup load() {
        if (library != null) return library;
        if (unavailable != null) throw unavailable;
        try {
            libraryPath = compile();
            library = SymbolLookup.libraryLookup(libraryPath, Arena.global());
            return library;
        } catch (UnavailableException e) {
            unavailable = e;
        } catch (IOException | RuntimeException | LinkageError e) {
            unavailable = new UnavailableException("C twins not available: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable = new UnavailableException("C twins not available: interrupted", e);
        }
        throw unavailable;
    }

    private static Path compile() throws IOException, InterruptedException {
        Path clang = findClang();
        Path dir = workDir();
        Files.createDirectories(dir);
        Map<String, String> env = clangEnvironment(clang, dir);
        String version = runClang(List.of(clang.toString(), "--version"), env, dir).lines().findFirst().orElse("?");
        compilerVersion = version;

        MessageDigest sha = sha256();
        List<byte[]> contents = new ArrayList<>();
        for (String s : SOURCES) {
            try (InputStream in = ClangTwins.class.getResourceAsStream("c/" + s)) {
                if (in == null) throw new UnavailableException("C twin source " + s + " is not on the class path", null);
                byte[] b = in.readAllBytes();
                contents.add(b);
                sha.update(s.getBytes(StandardCharsets.UTF_8));
                sha.update(b);
            }
        }
        sha.update((String.join(" ", FLAGS) + "\n" + clang + "\n" + version).getBytes(StandardCharsets.UTF_8));
        String key = HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        Path lib = dir.resolve("libnumbat-twins-" + key + ".so");
        if (Files.isRegularFile(lib)) return lib;

        Path src = Files.createTempDirectory(dir, "src-");
        List<String> cmd = new ArrayList<>(List.of(clang.toString()));
        cmd.addAll(FLAGS);
        Path tmp = src.resolve("lib.so");
        cmd.addAll(List.of("-o", tmp.toString()));
        for (int i = 0; i < SOURCES.size(); i++) {
            Path f = src.resolve(SOURCES.get(i));
            Files.write(f, contents.get(i));
            if (SOURCES.get(i).endsWith(".c")) cmd.add(f.toString());
        }
        cmd.add("-lm");
        long t0 = System.nanoTime();
        runClang(cmd, env, src);
        // Atomic: a fork or a test JVM that finds the file finds all of it.
        Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        System.err.printf("ClangTwins: compiled %s with %s %s in %d ms%n", lib, version, String.join(" ", FLAGS),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return lib;
    }

    /** The clang to use: {@code numbat.clang}, {@code NUMBAT_CLANG}, else the one org.bytedeco:llvm ships. */
    static Path findClang() {
        String given = System.getProperty("numbat.clang", System.getenv("NUMBAT_CLANG"));
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given);
            if (!Files.isExecutable(p)) throw new UnavailableException("numbat.clang / NUMBAT_CLANG=" + given + " is not an executable", null);
            return p;
        }
        String loaded;
        try {
            loaded = org.bytedeco.javacpp.Loader.load(org.bytedeco.llvm.program.clang.class);
        } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError, ...: any of them means no clang here
            throw new UnavailableException("no clang: Loader.load(org.bytedeco.llvm.program.clang.class) failed: " + e, e);
        }
        if (loaded == null || !Files.isExecutable(Path.of(loaded))) {
            throw new UnavailableException("no clang: org.bytedeco.llvm gave " + loaded + ", not an executable", null);
        }
        return Path.of(loaded);
    }

    private static final Pattern SONAME = Pattern.compile("lib[A-Za-z0-9_+-]+\\.so(\\.[0-9]+)+");

    /**
     * The sonames the binary asks for (its dynamic string table, read as text) that are not beside it but whose
     * unversioned file is, linked in {@code dir/clang-libs} and put on {@code LD_LIBRARY_PATH}.
     */
    private static Map<String, String> clangEnvironment(Path clang, Path dir) throws IOException {
        Path home = clang.toRealPath().getParent();
        String text = new String(Files.readAllBytes(clang), StandardCharsets.ISO_8859_1);
        Set<String> needed = new LinkedHashSet<>();
        Matcher m = SONAME.matcher(text);
        while (m.find()) needed.add(m.group());
        Path libs = dir.resolve("clang-libs");
        Files.createDirectories(libs);
        for (String soname : needed) {
            Path unversioned = home.resolve(soname.substring(0, soname.indexOf(".so") + 3));
            Path link = libs.resolve(soname);
            if (!Files.exists(home.resolve(soname)) && Files.exists(unversioned) && !Files.exists(link)) {
                try {
                    Files.createSymbolicLink(link, unversioned);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another JVM made it
                }
            }
        }
        String old = System.getenv("LD_LIBRARY_PATH");
        return Map.of("LD_LIBRARY_PATH", libs + (old == null || old.isEmpty() ? "" : ":" + old));
    }

    private static String runClang(List<String> cmd, Map<String, String> env, Path cwd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new UnavailableException("clang did not finish in 120 s: " + String.join(" ", cmd), null);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new UnavailableException("clang failed (exit " + p.exitValue() + "): " + String.join(" ", cmd) + "\n" + text, null);
        }
        return text;
    }

    /** {@code numbat.twins.dir}, else {@code clang-twins} in the {@code target} folder these classes come from. */
    private static Path workDir() throws IOException {
        String given = System.getProperty("numbat.twins.dir");
        if (given != null) return Path.of(given);
        try {
            Path location = Path.of(ClangTwins.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = location.getParent(); // target/classes or target/benchmarks.jar
            if (target != null && Files.isWritable(target)) return target.resolve("clang-twins");
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to a temporary folder
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "numbat-clang-twins-" + System.getProperty("user.name"));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
