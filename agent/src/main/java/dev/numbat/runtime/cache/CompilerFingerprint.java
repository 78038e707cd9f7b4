package dev.numbat.runtime.cache;

import dev.numbat.frontend.BytecodeFrontend;
import dev.numbat.ir.Module;
import dev.numbat.llvm.LlvmBackend;
import dev.numbat.runtime.CompilerDriver;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The version of Numbat as far as generated code is concerned: a hash of the class files (and LLVM IR resources,
 * such as the backend's thread pool) of the compiler
 * itself ({@link #of}), the packages of the frontend ({@code dev.numbat.frontend}), the IR and its passes
 * ({@code dev.numbat.ir}), the LLVM backend ({@code dev.numbat.llvm}) and the runtime ({@code dev.numbat.runtime},
 * this cache included), with their subpackages, read from wherever they were loaded: directories or jars,
 * shaded or not. Any change to any of them, released or not, committed or not, changes it; so does a mere
 * rebuild that changes their bytes (another javac), which costs one compilation per method, never wrong code.
 * No version number or git commit could promise as much: a snapshot build keeps its version across changes,
 * and a jar need not come from a git checkout.
 */
final class CompilerFingerprint {
    /** One class of each package tree that makes the compiler. */
    static final List<Class<?>> ANCHORS = List.of(BytecodeFrontend.class, Module.class, LlvmBackend.class, CompilerDriver.class);

    private CompilerFingerprint() {}

    private static final Object LOCK = new Object();
    private static CompletableFuture<String> running;

    /**
     * Starts computing the fingerprint of the running compiler on a daemon thread of its own, once per process:
     * reading the class files (a jar's whole directory, in a big shaded jar) takes long enough that a cache hit
     * should not wait for it, so the cache starts it when it is configured, and the first compilation lifts its
     * method and loads LLVM meanwhile.
     */
    static void start() {
        future();
    }

    private static CompletableFuture<String> future() {
        synchronized (LOCK) {
            if (running == null) {
                CompletableFuture<String> f = new CompletableFuture<>();
                running = f;
                Thread.ofPlatform().daemon().name("numbat-fingerprint").start(() -> {
                    try {
                        f.complete(of(ANCHORS));
                    } catch (Throwable e) {
                        f.completeExceptionally(e);
                    }
                });
            }
            return running;
        }
    }

    /**
     * The fingerprint of the running compiler, computed once per process.
     *
     * @throws IOException when the class files cannot be found or read (a class loader that does not say where
     *                     its classes come from): the cache then stays off
     */
    static String get() throws IOException {
        try {
            return future().join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            throw new IOException(String.valueOf(cause), cause);
        }
    }

    /**
     * SHA-256 over the name, size, CRC-32 and CRC-32C of every class file (and {@code .ll} file) of the packages of {@code anchors} (and
     * their subpackages), in the order of their names. The two checksums (64 bits together) stand for the
     * contents because they are computed natively, fast even in a JVM that has just started, where SHA-256 over
     * the half megabyte of the compiler's classes would run interpreted for a good part of a second; a class
     * file that changes keeps both only by a coincidence of about one in 2^64.
     */
    static String of(List<Class<?>> anchors) throws IOException {
        // Each jar or directory is read once, for all the packages it holds.
        Map<Path, List<Class<?>>> byLocation = new LinkedHashMap<>();
        for (Class<?> anchor : anchors) byLocation.computeIfAbsent(location(anchor), l -> new ArrayList<>()).add(anchor);
        Map<String, byte[]> classes = new TreeMap<>();
        for (Map.Entry<Path, List<Class<?>>> l : byLocation.entrySet()) collect(l.getKey(), l.getValue(), classes);
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        ByteBuffer record = ByteBuffer.allocate(16);
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
            byte[] bytes = c.getValue();
            CRC32 crc = new CRC32();
            crc.update(bytes);
            CRC32C crcC = new CRC32C();
            crcC.update(bytes);
            sha.update(c.getKey().getBytes(StandardCharsets.UTF_8));
            sha.update(record.clear().putInt(0).putInt(bytes.length).putInt((int) crc.getValue()).putInt((int) crcC.getValue()).array());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The jar or directory {@code anchor} was loaded from. */
    private static Path location(Class<?> anchor) throws IOException {
        CodeSource source = anchor.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) throw new IOException("no code source for " + anchor.getName());
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new IOException("cannot read the classes at " + source.getLocation() + ": " + e, e);
        }
    }

    /** The class files under the packages of {@code anchors} in {@code location}, by name. */
    private static void collect(Path location, List<Class<?>> anchors, Map<String, byte[]> into) throws IOException {
        List<String> prefixes = anchors.stream().map(a -> a.getPackageName().replace('.', '/') + "/").toList();
        if (Files.isDirectory(location)) {
            for (String prefix : prefixes) {
                try (Stream<Path> files = Files.walk(location.resolve(prefix))) {
                    for (Path p : (Iterable<Path>) files.filter(f -> isCode(f.toString()))::iterator) {
                        into.put(location.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
                    }
                }
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile(), false)) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    JarEntry entry = e.nextElement();
                    String name = entry.getName();
                    if (!isCode(name) || !startsWithAny(name, prefixes)) continue;
                    try (InputStream in = jar.getInputStream(entry)) {
                        into.put(name, in.readAllBytes());
                    }
                }
            }
        }
        for (Class<?> anchor : anchors) {
            if (!into.containsKey(anchor.getName().replace('.', '/') + ".class")) {
                throw new IOException("the class files of " + anchor.getName() + " are not at " + location);
            }
        }
    }

    /** Class files, and LLVM IR in text form, which the backend compiles into the JIT next to the objects it caches. */
    private static boolean isCode(String name) {
        return name.endsWith(".class") || name.endsWith(".ll");
    }

    private static boolean startsWithAny(String name, List<String> prefixes) {
        for (String p : prefixes) if (name.startsWith(p)) return true;
        return false;
    }
}
