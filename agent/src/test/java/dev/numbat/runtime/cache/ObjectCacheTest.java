package dev.numbat.runtime.cache;

import dev.numbat.Inspection;
import dev.numbat.runtime.CompilerDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cache end to end, through {@link CompilerDriver}: a hit in a fresh driver and in a second JVM, and every
 * kind of bad entry or directory, after which the method must still behave exactly as the JVM's (results by raw
 * bits, exceptions with their messages) and the entry must have been written anew. A fresh driver stands for a
 * new run of the application: it compiles everything again, and only the cache can spare it LLVM.
 */
class ObjectCacheTest {
    /** Holds the entry of {@link CacheKernels#weighted} written by a compilation in this JVM. */
    @TempDir
    static Path goldenDir;
    private static String entryName;
    private static byte[] golden;

    /** The warnings the cache gave during a test, instead of standard error. */
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private Consumer<String> stderr;

    @BeforeEach
    void catchWarnings() {
        stderr = ObjectCache.warnings;
        ObjectCache.warnings = warnings::add;
    }

    @AfterEach
    void releaseWarnings() {
        ObjectCache.warnings = stderr;
    }

    @BeforeAll
    static void populate() throws Throwable {
        Caches.checkAgainstJvm(Caches.driver(goldenDir));
        assertEquals(new CacheStatistics(0, 1, 0, 1, 0, null), Caches.stats(goldenDir));
        Path entry = Caches.entry(goldenDir);
        entryName = entry.getFileName().toString();
        golden = Files.readAllBytes(entry);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(goldenDir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(entry)));
    }

    private static Path withGoldenEntry(Path dir) throws IOException {
        Path entry = dir.resolve(entryName);
        Files.write(entry, golden);
        Files.setPosixFilePermissions(entry, PosixFilePermissions.fromString("rw-------"));
        return entry;
    }

    private static CacheKey key() { return CacheKey.ofBytes(HexFormat.of().parseHex(entryName.substring(0, 64))); }

    /** A fresh driver loads the entry instead of compiling, and the code behaves as the JVM's. */
    private static void assertHit(Path dir) throws Throwable {
        CacheStatistics before = Caches.stats(dir);
        Caches.checkAgainstJvm(Caches.driver(dir));
        CacheStatistics after = Caches.stats(dir);
        assertEquals(before.hits() + 1, after.hits(), after.toString());
        assertEquals(before.writes(), after.writes(), after.toString());
        assertEquals(before.rejected(), after.rejected(), after.toString());
    }

    /** A fresh driver does not use what is there, for {@code reason}; it compiles, right, and writes the entry anew. */
    private static void assertRecompiledAndRewritten(Path dir, String reason) throws Throwable {
        CacheStatistics before = Caches.stats(dir);
        Caches.checkAgainstJvm(Caches.driver(dir));
        CacheStatistics after = Caches.stats(dir);
        assertEquals(before.hits(), after.hits(), after.toString());
        assertEquals(before.rejected() + 1, after.rejected(), after.toString());
        assertEquals(before.writes() + 1, after.writes(), after.toString());
        assertTrue(after.lastProblem().contains(reason), after.lastProblem());

        Path entry = dir.resolve(entryName);
        PosixFileAttributes a = Files.readAttributes(entry, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertTrue(a.isRegularFile(), "a regular file again");
        assertEquals("rw-------", PosixFilePermissions.toString(a.permissions()));
        assertEquals(Files.getOwner(goldenDir), a.owner());
        CacheEntry.decode(Files.readAllBytes(entry), key());
        assertEquals(List.of(entryName), Caches.names(dir).stream().filter(n -> !n.startsWith("elsewhere")).toList(),
                "no temporary files left");
        assertHit(dir);
    }

    private static void chown(Path path, int uid) throws IOException {
        try {
            Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        } catch (FileSystemException | UnsupportedOperationException e) {
            Assumptions.abort("cannot give " + path + " to uid " + uid + " (tests not run as root?): " + e);
        }
    }

    /** {@code entry} with bytes 8..12 (the format version) set to {@code format} and the checksum made right. */
    private static byte[] withFormat(byte[] entry, int format) throws Exception {
        byte[] b = entry.clone();
        b[8] = (byte) (format >>> 24);
        b[9] = (byte) (format >>> 16);
        b[10] = (byte) (format >>> 8);
        b[11] = (byte) format;
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(b, 0, b.length - 32);
        System.arraycopy(sha.digest(), 0, b, b.length - 32, 32);
        return b;
    }

    @Test
    void aFreshDriverLoadsTheEntryInsteadOfCompiling(@TempDir Path dir) throws Throwable {
        CompilerDriver first = Caches.driver(dir);
        Caches.checkAgainstJvm(first);
        assertEquals(new CacheStatistics(0, 1, 0, 1, 0, null), Caches.stats(dir));
        CompilerDriver second = Caches.driver(dir);
        Caches.checkAgainstJvm(second);
        assertEquals(new CacheStatistics(1, 1, 0, 1, 0, null), Caches.stats(dir));
        Inspection compiled = first.compile(Caches.WEIGHTED).inspection(), loaded = second.compile(Caches.WEIGHTED).inspection();
        assertEquals(compiled.typedIr(), loaded.typedIr());
        assertEquals(compiled.optimizedLlvmIr(), loaded.optimizedLlvmIr(), "listings kept with the object");
        assertEquals(compiled.assembly(), loaded.assembly());
        assertEquals(compiled.target(), loaded.target());
        assertEquals(List.of(), warnings);
    }

    @Test
    void aSecondRunOfTheApplicationLoadsTheObjectTheFirstCompiled(@TempDir Path dir) throws Throwable {
        Path log = dir.resolve("elsewhere.log");
        Path cache = dir.resolve("cache");
        String first = Caches.await(Caches.java(CacheChild.class, log, cache.toString()), log);
        assertTrue(first.contains("hits=0 misses=1 rejected=0 writes=1"), first);
        // This JVM links the object another process compiled: its symbol carries the other process's tag.
        assertHit(cache);
        assertEquals(1, Caches.stats(cache).hits());
    }

    @Test
    void eachMethodHasItsOwnEntry(@TempDir Path dir) throws Throwable {
        CompilerDriver d = Caches.driver(dir);
        Caches.checkAgainstJvm(d);
        Caches.sameThrow(() -> CacheKernels.quotient(1, 0), () -> { long q = (long) d.compile(Caches.QUOTIENT).handle().invokeExact(1L, 0L); });
        assertEquals(2, Caches.names(dir).size());
        assertEquals(new CacheStatistics(0, 2, 0, 2, 0, null), Caches.stats(dir));
        CompilerDriver again = Caches.driver(dir);
        assertEquals(-3L, (long) again.compile(Caches.QUOTIENT).handle().invokeExact(7L, -2L));
        assertEquals(1, Caches.stats(dir).hits());
    }

    @Test
    void aFlippedByteIsCaught(@TempDir Path dir) throws Throwable {
        Path entry = withGoldenEntry(dir);
        byte[] b = golden.clone();
        b[b.length / 2] ^= 0x10;
        Files.write(entry, b);
        assertRecompiledAndRewritten(dir, "checksum mismatch");
    }

    @Test
    void aTruncatedEntryIsCaught(@TempDir Path dir) throws Throwable {
        Path entry = withGoldenEntry(dir);
        Files.write(entry, Arrays.copyOf(golden, golden.length - 100));
        assertRecompiledAndRewritten(dir, "truncated");
    }

    @Test
    void anEmptyEntryIsCaught(@TempDir Path dir) throws Throwable {
        Files.write(withGoldenEntry(dir), new byte[0]);
        assertRecompiledAndRewritten(dir, "truncated");
    }

    @Test
    void anEntryForAnotherKeyIsCaught(@TempDir Path dir) throws Throwable {
        CacheEntry e = CacheEntry.decode(golden, key());
        byte[] otherKey = key().bytes();
        otherKey[0] ^= 1;
        Files.write(withGoldenEntry(dir), e.encode(CacheKey.ofBytes(otherKey)));
        assertRecompiledAndRewritten(dir, "written for key");
    }

    @Test
    void anEntryOfAnotherFormatIsCaught(@TempDir Path dir) throws Throwable {
        Files.write(withGoldenEntry(dir), withFormat(golden, CacheEntry.FORMAT + 1));
        assertRecompiledAndRewritten(dir, "format " + (CacheEntry.FORMAT + 1));
    }

    @Test
    void anObjectTheJitRefusesIsCompiledAgain(@TempDir Path dir) throws Throwable {
        CacheEntry e = CacheEntry.decode(golden, key());
        byte[] garbage = new byte[512];
        Arrays.fill(garbage, (byte) 0x5a);
        Files.write(withGoldenEntry(dir), new CacheEntry("numbat_not_an_object", e.llvmIr(), e.assembly(), garbage).encode(key()));
        assertRecompiledAndRewritten(dir, "the JIT refused it");
    }

    @Test
    void anEntryOfAnotherUserIsCaught(@TempDir Path dir) throws Throwable {
        chown(withGoldenEntry(dir), 65534);
        assertRecompiledAndRewritten(dir, "owned by");
    }

    @Test
    void aGroupWritableEntryIsCaught(@TempDir Path dir) throws Throwable {
        Files.setPosixFilePermissions(withGoldenEntry(dir), PosixFilePermissions.fromString("rw-rw-r--"));
        assertRecompiledAndRewritten(dir, "writable by group or others");
    }

    @Test
    void aLinkInPlaceOfAnEntryIsCaught(@TempDir Path dir) throws Throwable {
        Path target = dir.resolve("elsewhere.numbat");
        Files.write(target, golden);
        Files.createSymbolicLink(dir.resolve(entryName), target);
        assertRecompiledAndRewritten(dir, "symbolic link");
        assertArrayEquals(golden, Files.readAllBytes(target), "the link was replaced, not written through");
    }

    @Test
    void aDirectoryOthersCouldWriteIsMadePrivateAndItsEntriesAreNotTrusted(@TempDir Path dir) throws Throwable {
        withGoldenEntry(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertRecompiledAndRewritten(dir, "writable by group or others");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals(List.of("numbat: cache directory " + dir + " was writable by group or others: made it private (0700); "
                + "its entries are compiled again"), warnings);
    }

    @Test
    void aDirectoryOfAnotherUserIsNotUsed(@TempDir Path parent) throws Throwable {
        Path dir = Files.createDirectory(parent.resolve("theirs"));
        Path entry = withGoldenEntry(dir);
        chown(dir, 65534);
        try {
            Caches.checkAgainstJvm(Caches.driver(dir));
            CacheStatistics s = Caches.stats(dir);
            assertEquals(0, s.hits() + s.writes() + s.rejected(), s.toString());
            assertEquals(1, s.failures(), s.toString());
            assertTrue(s.lastProblem().contains("owned by"), s.lastProblem());
            assertArrayEquals(golden, Files.readAllBytes(entry), "left alone");
            assertEquals(List.of("numbat: cache directory " + dir + " not used: owned by " + Files.getOwner(dir).getName()
                    + ", not by " + Files.getOwner(parent).getName()), warnings);
        } finally {
            chown(dir, (Integer) Files.getAttribute(parent, "unix:uid"));
        }
    }

    @Test
    void aFileInPlaceOfTheDirectoryIsNotUsed(@TempDir Path parent) throws Throwable {
        Path file = Files.writeString(parent.resolve("not-a-directory"), "x");
        Caches.checkAgainstJvm(Caches.driver(file));
        CacheStatistics s = Caches.stats(file);
        assertEquals(1, s.failures(), s.toString());
        assertTrue(s.lastProblem().contains("not a directory"), s.lastProblem());
        assertEquals("x", Files.readString(file));
        assertEquals(List.of("numbat: cache directory " + file + " not used: not a directory"), warnings);
    }

    @Test
    void aMissingDirectoryIsMadePrivateToTheUser(@TempDir Path parent) throws Throwable {
        Path dir = parent.resolve("a").resolve("b").resolve("numbat");
        Caches.checkAgainstJvm(Caches.driver(dir));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals(List.of(entryName), Caches.names(dir));
        assertHit(dir);
    }

    @Test
    void theSettingTurnsTheCacheOn() {
        Map<String, String> env = Map.of("HOME", "/home/u");
        assertFalse(ObjectCache.fromSetting(null, env, "/x").isOn(), "off unless asked for");
        assertFalse(ObjectCache.fromSetting("", env, "/x").isOn());
        assertFalse(ObjectCache.fromSetting("false", env, "/x").isOn());
        assertEquals(Path.of("/home/u/.cache/numbat"), ObjectCache.fromSetting("true", env, "/x").directory().orElseThrow());
        assertEquals(Path.of("/xdg/numbat"),
                ObjectCache.fromSetting("TRUE", Map.of("HOME", "/home/u", "XDG_CACHE_HOME", "/xdg"), "/x").directory().orElseThrow());
        assertEquals(Path.of("/home/u/.cache/numbat"),
                ObjectCache.fromSetting("true", Map.of("HOME", "/home/u", "XDG_CACHE_HOME", "relative"), "/x").directory().orElseThrow(),
                "a relative XDG_CACHE_HOME is ignored, as the specification says");
        assertEquals(Path.of("/x/.cache/numbat"), ObjectCache.fromSetting("true", Map.of(), "/x").directory().orElseThrow());
        assertEquals(Path.of("/tmp/c"), ObjectCache.fromSetting("/tmp/c/", env, "/x").directory().orElseThrow());
        assertEquals(Path.of("rel").toAbsolutePath(), ObjectCache.fromSetting("rel", env, "/x").directory().orElseThrow());
        assertSame(ObjectCache.at(Path.of("/tmp/c")), ObjectCache.fromSetting("/tmp/./c", env, "/x"), "one instance per directory");
        assertFalse(ObjectCache.off().isOn());
        assertThrows(IllegalArgumentException.class, () -> ObjectCache.fromSetting("true", Map.of(), "?"), "no home: no default");
    }
}
