package dev.numbat.runtime.cache;

/**
 * What a cache has done since the process started, counted per cache directory.
 *
 * @param hits        compilations answered by loading an entry
 * @param misses      compilations that found no entry for their key
 * @param rejected    compilations that found an entry they must not use (corrupt, truncated, written for another
 *                    key or format, not the user's, writable by others, refused by the JIT) or a directory they
 *                    could not trust, and compiled instead
 * @param writes      entries written
 * @param failures    times the cache could not be used at all or an entry could not be written (I/O errors,
 *                    a directory of another user); the compilation went on without it
 * @param lastProblem the latest reason for a rejection or a failure, or null
 */
public record CacheStatistics(long hits, long misses, long rejected, long writes, long failures, String lastProblem) {}
