package dev.numbat.runtime.cache;

import dev.numbat.llvm.CompileOptions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What identifies the object code of one compilation: the SHA-256 of a text that names everything the
 * generated code depends on (see {@link #preimage}). Two compilations with the same key produce
 * interchangeable code; anything that could change the code changes the key.
 */
final class CacheKey {
    private final byte[] digest;

    private CacheKey(byte[] digest) {
        if (digest.length != LENGTH) throw new IllegalArgumentException("a key is " + LENGTH + " bytes, not " + digest.length);
        this.digest = digest.clone();
    }

    /** Bytes in a key (SHA-256). */
    static final int LENGTH = 32;

    /**
     * The text whose hash is the key, one part per line, the typed IR last:
     * <pre>
     * numbat object cache, format 1
     * numbat: 5f1c...       (hash of the compiler's own classes, see CompilerFingerprint)
     * llvm: LLVM 20.1.7 (JavaCPP presets 20.1.7-1.5.12)
     * target: x86_64-unknown-linux-gnu znver4 +64bit,+adx,...   (every CPU feature)
     * fastMath: false
     * nativeStackBytes: 262144
     * ir:
     * function com/example/K.dot([D[D)D (...) -> double { ... }   (after Numbat's passes, with every callee)
     * </pre>
     * The typed IR holds the lifted bytecode of the method and of every method it calls (static-final constants
     * folded, and everything else the frontend read from class files), and the bytecode offset and line of
     * every instruction that may throw, which is what numbers the sites the code reports exceptions at. It
     * lacks NullPointerException messages (they name local variables): those are taken from the current lift
     * on a hit ({@link dev.numbat.llvm.LlvmBackend#sitesOf}), never from the cache.
     */
    static String preimage(String typedIr, CompileOptions options, String target, String llvmVersion, String numbatVersion) {
        return "numbat object cache, format " + CacheEntry.FORMAT + "\n"
                + "numbat: " + numbatVersion + "\n"
                + "llvm: " + llvmVersion + "\n"
                + "target: " + target + "\n"
                + "fastMath: " + options.fastMath() + "\n"
                + "nativeStackBytes: " + options.nativeStackBytes() + "\n"
                + "threads: " + options.threads() + "\n"
                + "ir:\n" + typedIr;
    }

    static CacheKey of(String typedIr, CompileOptions options, String target, String llvmVersion, String numbatVersion) {
        return new CacheKey(sha256(preimage(typedIr, options, target, llvmVersion, numbatVersion).getBytes(StandardCharsets.UTF_8)));
    }

    static CacheKey ofBytes(byte[] digest) { return new CacheKey(digest); }

    byte[] bytes() { return digest.clone(); }

    /** The name of the key's entry in the cache directory: {@code <64 hex digits>.numbat}. */
    String fileName() { return hex() + ".numbat"; }

    String hex() { return HexFormat.of().formatHex(digest); }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override public boolean equals(Object o) { return o instanceof CacheKey k && Arrays.equals(k.digest, digest); }
    @Override public int hashCode() { return Arrays.hashCode(digest); }
    @Override public String toString() { return hex(); }
}
