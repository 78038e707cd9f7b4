/**
 * The on-disk cache of compiled code ({@code -Dnumbat.cache=DIR|true}, see docs/cache.md).
 *
 * <p>{@link dev.numbat.runtime.cache.ObjectCache} is the entry point the compiler driver calls instead of the
 * backend: it computes the {@code CacheKey} of a module (SHA-256 over the typed IR, the options, the target, the
 * LLVM version and the {@code CompilerFingerprint} of Numbat's own classes), looks for the key's entry in the
 * {@code CacheDirectory}, checks it ({@code CacheEntry}: format, length, checksum, key) and links its object with
 * {@link dev.numbat.llvm.LlvmBackend#load}; otherwise it compiles and writes the entry atomically.
 */
package dev.numbat.runtime.cache;
