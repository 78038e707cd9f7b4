package dev.numbat.runtime.cache;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The entry format on its own: it reads back what it wrote, and nothing else. */
class CacheEntryTest {
    private static final CacheKey KEY = CacheKey.ofBytes(CacheKey.sha256("k".getBytes(StandardCharsets.UTF_8)));
    private static final CacheEntry ENTRY = new CacheEntry("numbat_t_1_dot", "define double @numbat_t_1_dot() ; é",
            "numbat_t_1_dot:\n\tret", new byte[] {0x7f, 'E', 'L', 'F', 1, 2, 3, 4, 5, 6, 7, 8});

    private static String reason(byte[] file) {
        return assertThrows(CacheEntry.InvalidEntryException.class, () -> CacheEntry.decode(file, KEY)).getMessage();
    }

    @Test
    void readsBackWhatItWrote() throws Exception {
        byte[] file = ENTRY.encode(KEY);
        assertEquals(48 + 16 + 14 + 36 + 20 + 12 + 32, file.length, "header, four lengths, the fields, the checksum");
        assertArrayEquals("NUMBAT\0O".getBytes(StandardCharsets.ISO_8859_1), Arrays.copyOf(file, 8));
        CacheEntry back = CacheEntry.decode(file, KEY);
        assertEquals(ENTRY.symbol(), back.symbol());
        assertEquals(ENTRY.llvmIr(), back.llvmIr());
        assertEquals(ENTRY.assembly(), back.assembly());
        assertArrayEquals(ENTRY.objectCode(), back.objectCode());
    }

    @Test
    void everyFlippedBitIsCaught() {
        byte[] file = ENTRY.encode(KEY);
        for (int k = 0; k < file.length; k++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] b = file.clone();
                b[k] ^= (byte) (1 << bit);
                String reason = reason(b);
                assertTrue(reason.equals("checksum mismatch") || reason.equals("not a Numbat cache entry")
                        || reason.startsWith("format ") || reason.startsWith("truncated or overlong"), k + "." + bit + ": " + reason);
            }
        }
    }

    @Test
    void everyTruncationAndExtensionIsCaught() {
        byte[] file = ENTRY.encode(KEY);
        for (int n = 0; n < file.length; n++) {
            String reason = reason(Arrays.copyOf(file, n));
            assertTrue(reason.startsWith("truncated"), n + ": " + reason);
        }
        assertTrue(reason(Arrays.copyOf(file, file.length + 1)).startsWith("truncated or overlong"));
    }

    @Test
    void anEntryForAnotherKeyIsCaught() {
        CacheKey other = CacheKey.ofBytes(CacheKey.sha256("other".getBytes(StandardCharsets.UTF_8)));
        assertTrue(reason(ENTRY.encode(other)).startsWith("written for key " + other.hex() + ", not " + KEY.hex()));
    }

    @Test
    void fieldsMustFillThePayloadExactly() throws Exception {
        // A well-formed header and checksum around a payload whose fields disagree with its length.
        byte[] file = ENTRY.encode(KEY);
        byte[] longField = file.clone();
        longField[48] = 0x7f; // the symbol's length: far more than the payload holds
        assertTrue(reason(rechecksum(longField)).startsWith("malformed payload"));
        byte[] badUtf8 = file.clone();
        badUtf8[52] = (byte) 0xff; // the symbol's first byte
        assertTrue(reason(rechecksum(badUtf8)).startsWith("malformed payload"));
    }

    private static byte[] rechecksum(byte[] b) throws Exception {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update(b, 0, b.length - 32);
        System.arraycopy(sha.digest(), 0, b, b.length - 32, 32);
        return b;
    }

    @Test
    void entriesAreWholeCopies() {
        byte[] object = {1, 2, 3};
        CacheEntry e = new CacheEntry("s", "", "", object);
        object[0] = 9;
        assertEquals(1, e.objectCode()[0]);
        assertThrows(IllegalArgumentException.class, () -> new CacheEntry("", "", "", object));
        assertThrows(IllegalArgumentException.class, () -> new CacheEntry("s", "", "", new byte[0]));
    }
}
