package dev.numbat.runtime.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The files of a cache: private directory, checked files, atomic writes, from any number of JVMs at once. */
class CacheDirectoryTest {
    private static final CacheKey KEY = CacheKey.ofBytes(CacheKey.sha256("concurrent".getBytes(StandardCharsets.UTF_8)));

    @Test
    void writesWholeFilesOnlyTheUserMayWrite(@TempDir Path parent) throws Exception {
        CacheDirectory dir = new CacheDirectory(parent.resolve("cache"));
        assertEquals(CacheDirectory.State.USABLE, dir.prepare());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.path())));
        assertNull(dir.read("missing.numbat"));
        dir.write("e.numbat", new byte[] {1, 2, 3});
        dir.write("e.numbat", new byte[] {4, 5});
        assertArrayEquals(new byte[] {4, 5}, dir.read("e.numbat"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.path().resolve("e.numbat"))));
        assertEquals(List.of("e.numbat"), Caches.names(dir.path()), "no temporary file left behind");
    }

    @Test
    void refusesWhatIsNotARegularFile(@TempDir Path parent) throws Exception {
        CacheDirectory dir = new CacheDirectory(parent);
        dir.prepare();
        Files.createDirectory(parent.resolve("d.numbat"));
        assertTrue(assertThrows(CacheDirectory.RejectedFileException.class, () -> dir.read("d.numbat")).getMessage()
                .contains("not a regular file"));
        Files.createSymbolicLink(parent.resolve("l.numbat"), parent.resolve("nowhere"));
        assertTrue(assertThrows(CacheDirectory.RejectedFileException.class, () -> dir.read("l.numbat")).getMessage()
                .contains("symbolic link"));
    }

    /**
     * Two JVMs write the same entry over and over, with objects of different sizes, while this one writes it
     * too and reads it all along: every read finds nothing yet or one whole entry of one of the writers.
     */
    @Test
    void concurrentWritersFromSeveralJvmsNeverLeaveAPartialEntry(@TempDir Path parent) throws Exception {
        Path path = parent.resolve("cache");
        CacheDirectory dir = new CacheDirectory(path);
        dir.prepare();
        int count = 150;
        Process a = Caches.java(EntryWriterChild.class, parent.resolve("a.log"), path.toString(), KEY.hex(), "A", "" + count);
        Process b = Caches.java(EntryWriterChild.class, parent.resolve("b.log"), path.toString(), KEY.hex(), "B", "" + count);
        AtomicInteger reads = new AtomicInteger();
        int n = 0;
        while (a.isAlive() || b.isAlive() || n < 50) {
            dir.write(KEY.fileName(), EntryWriterChild.entry("writerC_" + n, n).encode(KEY));
            n++;
            for (int k = 0; k < 5; k++) {
                byte[] file = dir.read(KEY.fileName());
                CacheEntry e = CacheEntry.decode(file, KEY);
                int dash = e.symbol().indexOf('_');
                assertTrue(e.symbol().matches("writer[ABC]_\\d+"), e.symbol());
                assertArrayEquals(EntryWriterChild.entry(e.symbol(), Integer.parseInt(e.symbol().substring(dash + 1))).objectCode(),
                        e.objectCode(), e.symbol());
                reads.incrementAndGet();
            }
        }
        assertTrue(Caches.await(a, parent.resolve("a.log")).contains("wrote " + count));
        assertTrue(Caches.await(b, parent.resolve("b.log")).contains("wrote " + count));
        CacheEntry last = CacheEntry.decode(dir.read(KEY.fileName()), KEY);
        assertTrue(last.symbol().matches("writer[ABC]_\\d+"), last.symbol());
        assertEquals(List.of(KEY.fileName()), Caches.names(path), "no temporary file left behind");
        assertTrue(reads.get() >= 250, reads + " reads");
    }
}
