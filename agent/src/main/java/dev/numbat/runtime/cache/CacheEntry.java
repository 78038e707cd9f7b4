package dev.numbat.runtime.cache;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * One cache file: the object code of a compilation, its entry symbol, and the listings inspection shows.
 * All integers big-endian:
 * <pre>
 * offset  size  what
 *      0     8  magic "NUMBAT" 0x00 0x4F ("NUMBAT\0O")
 *      8     4  format version ({@value #FORMAT})
 *     12    32  the key (SHA-256, see {@link CacheKey})
 *     44     4  n, the payload's length
 *     48     n  payload: four fields, each a 4-byte length and as many bytes:
 *                 entry symbol (UTF-8), optimised LLVM IR (UTF-8), assembly (UTF-8), object code
 *   48+n    32  SHA-256 of bytes 0 .. 48+n
 * </pre>
 * {@link #decode} accepts a file only if every part checks: magic, version, a length that accounts for every
 * byte, the checksum, the key it was asked for, and fields that fill the payload exactly.
 */
record CacheEntry(String symbol, String llvmIr, String assembly, byte[] objectCode) {
    static final int FORMAT = 1;
    private static final byte[] MAGIC = {'N', 'U', 'M', 'B', 'A', 'T', 0, 'O'};
    private static final int HEADER = MAGIC.length + 4 + CacheKey.LENGTH + 4;
    private static final int CHECKSUM = 32;

    CacheEntry {
        if (symbol.isEmpty()) throw new IllegalArgumentException("no symbol");
        if (objectCode.length == 0) throw new IllegalArgumentException("no object code");
        objectCode = objectCode.clone();
    }

    @Override
    public byte[] objectCode() { return objectCode.clone(); }

    /** Why a file is not an entry that may be used. */
    static final class InvalidEntryException extends Exception {
        InvalidEntryException(String reason) { super(reason, null, false, false); }
    }

    byte[] encode(CacheKey key) {
        byte[] s = symbol.getBytes(StandardCharsets.UTF_8), ir = llvmIr.getBytes(StandardCharsets.UTF_8),
                asm = assembly.getBytes(StandardCharsets.UTF_8);
        long payload = 16L + s.length + ir.length + asm.length + objectCode.length;
        if (HEADER + payload + CHECKSUM > Integer.MAX_VALUE) throw new IllegalArgumentException("entry too large");
        ByteBuffer b = ByteBuffer.allocate(HEADER + (int) payload + CHECKSUM);
        b.put(MAGIC).putInt(FORMAT).put(key.bytes()).putInt((int) payload);
        for (byte[] field : new byte[][] {s, ir, asm, objectCode}) b.putInt(field.length).put(field);
        byte[] bytes = b.array();
        System.arraycopy(checksum(bytes, b.position()), 0, bytes, b.position(), CHECKSUM);
        return bytes;
    }

    /**
     * The entry in {@code file}, which must be one for {@code expected}.
     *
     * @throws InvalidEntryException saying what does not check
     */
    static CacheEntry decode(byte[] file, CacheKey expected) throws InvalidEntryException {
        if (file.length < HEADER + CHECKSUM) throw new InvalidEntryException("truncated: " + file.length + " bytes");
        if (!Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) throw new InvalidEntryException("not a Numbat cache entry");
        ByteBuffer b = ByteBuffer.wrap(file);
        b.position(MAGIC.length);
        int format = b.getInt();
        if (format != FORMAT) throw new InvalidEntryException("format " + format + ", not " + FORMAT);
        byte[] key = new byte[CacheKey.LENGTH];
        b.get(key);
        int payload = b.getInt();
        if (payload < 0 || (long) HEADER + payload + CHECKSUM != file.length) {
            throw new InvalidEntryException("truncated or overlong: " + file.length + " bytes for a payload of " + payload);
        }
        int end = HEADER + payload;
        if (!MessageDigest.isEqual(checksum(file, end), Arrays.copyOfRange(file, end, file.length))) {
            throw new InvalidEntryException("checksum mismatch");
        }
        if (!CacheKey.ofBytes(key).equals(expected)) {
            throw new InvalidEntryException("written for key " + CacheKey.ofBytes(key).hex() + ", not " + expected.hex());
        }
        try {
            b.limit(end);
            String symbol = text(field(b)), ir = text(field(b)), asm = text(field(b));
            byte[] object = field(b);
            if (b.hasRemaining()) throw new InvalidEntryException("malformed payload: " + b.remaining() + " bytes left over");
            return new CacheEntry(symbol, ir, asm, object);
        } catch (BufferUnderflowException | IllegalArgumentException | CharacterCodingException e) {
            throw new InvalidEntryException("malformed payload: " + e);
        }
    }

    private static byte[] field(ByteBuffer b) throws InvalidEntryException {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) throw new InvalidEntryException("malformed payload: a field of " + n + " bytes");
        byte[] f = new byte[n];
        b.get(f);
        return f;
    }

    private static String text(byte[] utf8) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
    }

    private static byte[] checksum(byte[] bytes, int length) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(bytes, 0, length);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
