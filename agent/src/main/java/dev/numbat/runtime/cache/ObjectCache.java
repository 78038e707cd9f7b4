package dev.numbat.runtime.cache;

import dev.numbat.ir.IrPrinter;
import dev.numbat.ir.Module;
import dev.numbat.llvm.CompileOptions;
import dev.numbat.llvm.AssemblyListing;
import dev.numbat.llvm.LlvmBackend;
import dev.numbat.llvm.NativeCode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The on-disk cache of compiled code, {@code -Dnumbat.cache=DIR} (or {@code =true} for
 * {@link #defaultDirectory()}): a compilation whose object code is in the cache links that object into the JIT
 * instead of running LLVM, so the second run of an application starts without compiling. Off unless asked for,
 * like Numba's {@code cache=True}: it writes to the user's disk, and it trusts the files it finds there.
 *
 * <p>An entry is used only if everything checks (see docs/cache.md): its key, a SHA-256 of everything the code
 * depends on ({@link CacheKey}); the key and a checksum stored in the file ({@link CacheEntry}); the file's owner
 * (the current user) and permissions (no group or other write), and the directory's ({@link CacheDirectory}).
 * Anything else is compiled as if there were no cache and written anew; no problem with the cache ever makes a
 * compilation fail.
 *
 * <p>One instance per directory, shared by every {@link dev.numbat.runtime.CompilerDriver} that uses it, with
 * its {@linkplain #statistics() statistics}. Thread-safe.
 */
public final class ObjectCache {
    /** The system property that turns the cache on: a directory, or {@code true} for the default one. */
    public static final String PROPERTY = "numbat.cache";

    private static final ObjectCache OFF = new ObjectCache(null);
    private static final Map<Path, ObjectCache> BY_DIRECTORY = new ConcurrentHashMap<>();
    private static final AtomicBoolean FINGERPRINT_WARNED = new AtomicBoolean();
    /** Where warnings go: standard error, one line each ({@code numbat: cache ...}); tests catch them. */
    static volatile Consumer<String> warnings = line -> System.err.println(line);

    private final CacheDirectory directory;
    private final AtomicLong hits = new AtomicLong(), misses = new AtomicLong(), rejected = new AtomicLong(),
            writes = new AtomicLong(), failures = new AtomicLong();
    private final AtomicBoolean warned = new AtomicBoolean();
    private volatile String lastProblem;

    private ObjectCache(CacheDirectory directory) {
        this.directory = directory;
        if (directory != null) CompilerFingerprint.start();
    }

    /**
     * The cache {@code -Dnumbat.cache} asks for, read now: off when the property is unset, empty or
     * {@code false}; the {@linkplain #defaultDirectory() default directory} for {@code true}; else the directory
     * it names (relative to the working directory). Never throws: a setting that names no usable path leaves
     * the cache off, with a warning.
     */
    public static ObjectCache configured() {
        String setting = System.getProperty(PROPERTY);
        try {
            return fromSetting(setting, System.getenv(), System.getProperty("user.home"));
        } catch (RuntimeException e) {
            warnings.accept("numbat: cache off: -D" + PROPERTY + "=" + setting + " names no usable directory: " + e.getMessage());
            return OFF;
        }
    }

    static ObjectCache fromSetting(String setting, Map<String, String> environment, String userHome) {
        if (setting == null) return OFF;
        String s = setting.strip();
        if (s.isEmpty() || s.equalsIgnoreCase("false")) return OFF;
        if (s.equalsIgnoreCase("true")) {
            Path d = defaultDirectory(environment, userHome);
            if (!d.isAbsolute()) throw new IllegalArgumentException("no home directory to put " + d + " in");
            return at(d);
        }
        return at(Path.of(s));
    }

    /** {@code $XDG_CACHE_HOME/numbat}, or {@code $HOME/.cache/numbat} when that is unset or relative. */
    public static Path defaultDirectory() {
        return defaultDirectory(System.getenv(), System.getProperty("user.home"));
    }

    static Path defaultDirectory(Map<String, String> environment, String userHome) {
        String xdg = environment.get("XDG_CACHE_HOME");
        // The XDG Base Directory specification: a relative path is invalid and must be ignored.
        if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) return Path.of(xdg, "numbat");
        String home = environment.get("HOME");
        if (home == null || home.isEmpty()) home = userHome;
        return Path.of(home, ".cache", "numbat");
    }

    /** The cache in {@code directory} (made when first written), the same instance for the same directory. */
    public static ObjectCache at(Path directory) {
        return BY_DIRECTORY.computeIfAbsent(directory.toAbsolutePath().normalize(), d -> new ObjectCache(new CacheDirectory(d)));
    }

    /** No cache: every compilation runs LLVM. */
    public static ObjectCache off() { return OFF; }

    public boolean isOn() { return directory != null; }

    public Optional<Path> directory() { return Optional.ofNullable(directory).map(CacheDirectory::path); }

    public CacheStatistics statistics() {
        return new CacheStatistics(hits.get(), misses.get(), rejected.get(), writes.get(), failures.get(), lastProblem);
    }

    /**
     * The code for {@code module}: loaded from the cache when it holds a valid entry for the module's key, else
     * compiled by {@code backend} and written to the cache. {@code module} is the module after Numbat's passes,
     * as it would be compiled; on a hit its sites (with their NullPointerException messages) are those of the
     * code returned.
     *
     * @throws dev.numbat.llvm.BackendException as {@link LlvmBackend#compile} does; never for a problem with the cache
     */
    public NativeCode compile(LlvmBackend backend, Module module, CompileOptions options) {
        if (directory == null) return backend.compile(module, options);
        CacheKey key;
        CacheDirectory.State state;
        try {
            String numbat = CompilerFingerprint.get();
            key = CacheKey.of(IrPrinter.print(module), options, backend.targetIdentity(), backend.llvmVersion(), numbat);
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            lastProblem = "no key: " + e.getMessage();
            if (e instanceof IOException && FINGERPRINT_WARNED.compareAndSet(false, true)) {
                warnings.accept("numbat: cache off: cannot fingerprint Numbat's own classes: " + e.getMessage());
            }
            return backend.compile(module, options);
        }
        try {
            state = directory.prepare();
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            lastProblem = "directory " + directory.path() + " not used: " + e.getMessage();
            if (warned.compareAndSet(false, true)) warnings.accept("numbat: cache " + lastProblem);
            return backend.compile(module, options);
        }
        if (state == CacheDirectory.State.USABLE) {
            NativeCode hit = load(backend, module, key);
            if (hit != null) return hit;
        } else {
            reject(key, "the directory was writable by group or others; made it private (0700), not trusting what it held");
            warnings.accept("numbat: cache directory " + directory.path() + " was writable by group or others: made it "
                    + "private (0700); its entries are compiled again");
        }
        NativeCode code = backend.compile(module, options);
        store(key, code);
        return code;
    }

    /** The code of a valid entry for {@code key}, or null (counted as a miss or a rejection) to compile. */
    private NativeCode load(LlvmBackend backend, Module module, CacheKey key) {
        byte[] file;
        try {
            file = directory.read(key.fileName());
        } catch (CacheDirectory.RejectedFileException e) {
            reject(key, e.getMessage());
            return null;
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            lastProblem = "cannot read " + key.fileName() + ": " + e;
            return null;
        }
        if (file == null) {
            misses.incrementAndGet();
            return null;
        }
        CacheEntry entry;
        try {
            entry = CacheEntry.decode(file, key);
        } catch (CacheEntry.InvalidEntryException e) {
            reject(key, e.getMessage());
            return null;
        }
        try {
            NativeCode code = backend.load(entry.objectCode(), entry.symbol(), LlvmBackend.sitesOf(module));
            hits.incrementAndGet();
            // Entries keep the assembly only if someone had asked for it before they were written.
            AssemblyListing listing = entry.assembly().isEmpty() ? backend.listingOf(entry.llvmIr()) : AssemblyListing.of(entry.assembly());
            return code.withListings(entry.llvmIr(), listing);
        } catch (RuntimeException e) {
            reject(key, "the JIT refused it: " + e.getMessage());
            return null;
        }
    }

    private void store(CacheKey key, NativeCode code) {
        try {
            byte[] bytes = new CacheEntry(code.symbol(), code.optimizedLlvmIr(), code.listing().textIfMade(), code.objectCode()).encode(key);
            directory.write(key.fileName(), bytes);
            writes.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            lastProblem = "cannot write " + key.fileName() + ": " + e;
            if (warned.compareAndSet(false, true)) warnings.accept("numbat: cache " + lastProblem);
        }
    }

    private void reject(CacheKey key, String reason) {
        rejected.incrementAndGet();
        lastProblem = key.fileName() + ": " + reason;
        if (Boolean.getBoolean("numbat.verbose")) {
            warnings.accept("numbat: cache entry " + directory.path().resolve(key.fileName()) + " not used: " + reason + "; compiling");
        }
    }

    @Override
    public String toString() {
        return directory == null ? "ObjectCache[off]" : "ObjectCache[" + directory.path() + "]";
    }
}
