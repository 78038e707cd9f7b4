package dev.numbat.runtime.cache;

import dev.numbat.runtime.CompilerDriver;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** What the cache tests share: drivers with a cache, the differential check, child JVMs. */
final class Caches {
    static final Method WEIGHTED = method("weighted", double[].class, double[].class, int.class);
    static final Method QUOTIENT = method("quotient", long.class, long.class);

    private Caches() {}

    private static Method method(String name, Class<?>... params) {
        try {
            return CacheKernels.class.getMethod(name, params);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A fresh driver, as a new process would have, with {@code -Dnumbat.cache=dir}. The property is set only
     * while the driver reads it, and the shared driver is made first so that it never sees it.
     */
    static CompilerDriver driver(Path dir) {
        CompilerDriver.shared();
        String before = System.getProperty(ObjectCache.PROPERTY);
        System.setProperty(ObjectCache.PROPERTY, dir.toString());
        try {
            return new CompilerDriver();
        } finally {
            if (before == null) System.clearProperty(ObjectCache.PROPERTY);
            else System.setProperty(ObjectCache.PROPERTY, before);
        }
    }

    static CacheStatistics stats(Path dir) { return ObjectCache.at(dir).statistics(); }

    /**
     * Compiles {@link CacheKernels#weighted} with {@code driver} and checks it against the JVM: results bit for bit
     * on random arrays, and every exception with its class and message (NullPointerException messages name the
     * parameter, which only the current lift knows).
     */
    static void checkAgainstJvm(CompilerDriver driver) throws Throwable {
        MethodHandle weighted = driver.compile(WEIGHTED).handle();
        SplittableRandom r = new SplittableRandom(7);
        for (int n : new int[] {0, 1, 5, 100}) {
            double[] v = r.doubles(n, -10, 10).toArray(), w = r.doubles(n, -10, 10).toArray();
            assertEquals(Double.doubleToRawLongBits(CacheKernels.weighted(v, w, n)),
                    Double.doubleToRawLongBits((double) weighted.invokeExact(v, w, n)), "weighted, n = " + n);
        }
        double[] three = {1, 2, 3};
        sameThrow(() -> CacheKernels.weighted(null, three, 2), () -> { double d = (double) weighted.invokeExact((double[]) null, three, 2); });
        sameThrow(() -> CacheKernels.weighted(three, null, 2), () -> { double d = (double) weighted.invokeExact(three, (double[]) null, 2); });
        sameThrow(() -> CacheKernels.weighted(three, three, 4), () -> { double d = (double) weighted.invokeExact(three, three, 4); });
    }

    interface Body {
        void run() throws Throwable;
    }

    static void sameThrow(Body jvm, Body compiled) {
        Throwable expected = thrown(jvm), actual = thrown(compiled);
        assertNotNull(expected, "the JVM throws");
        assertEquals(expected.getClass(), Objects.requireNonNull(actual, "compiled code throws " + expected).getClass());
        assertEquals(expected.getMessage(), actual.getMessage());
    }

    private static Throwable thrown(Body b) {
        try {
            b.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** The only entry file in {@code dir}. */
    static Path entry(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> entries = files.filter(f -> f.getFileName().toString().endsWith(".numbat")).toList();
            assertEquals(1, entries.size(), "entries in " + dir + ": " + entries);
            return entries.get(0);
        }
    }

    static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    /** Starts {@code main} in a new JVM on this test class path; its output goes to {@code log}. */
    static Process java(Class<?> main, Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits for {@code p}, which must exit with 0; returns its output. */
    static String await(Process p, Path log) throws Exception {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM still running after 60 s: " + Files.readString(log));
        }
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);
        return output;
    }
}
