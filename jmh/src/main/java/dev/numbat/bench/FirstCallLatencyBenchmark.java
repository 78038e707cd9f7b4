package dev.numbat.bench;

import dev.numbat.Numbat;
import dev.numbat.kernels.Kernels;
import dev.numbat.runtime.cache.CacheStatistics;
import dev.numbat.runtime.cache.ObjectCache;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long the first call of a Numbat method takes: {@link Numbat#compile} of {@link Kernels#dot} and one call of
 * the handle on two arrays of 1024 doubles, measured once per fork (single-shot), each fork a fresh JVM.
 *
 * <ul>
 *   <li>{@link #cold}: nothing of Numbat or LLVM has run in the JVM: the time includes loading LLVM's native
 *       library and creating its JIT, lifting with a cold HotSpot, compiling at O3 and binding;</li>
 *   <li>{@link #warm}: {@link Kernels#sum} was compiled first (in the trial's setup), so LLVM is loaded and its
 *       JIT made: the time is that of compiling one more method;</li>
 *   <li>{@link #cacheCold}: as {@link #cold}, but {@code -Dnumbat.cache} points at a directory that holds the
 *       entry of {@code dot}, which a child JVM wrote in the trial's setup (so this JVM has loaded neither Numbat
 *       nor LLVM): the second run of an application;</li>
 *   <li>{@link #cacheWarm}: as {@link #warm} (with {@code sum} compiled, and written to the cache, first), with
 *       {@code dot}'s entry in the cache: the cost of a hit alone.</li>
 * </ul>
 *
 * The result of every measured call is checked bit for bit against the JVM's, and every cache run checks that
 * {@code dot} came from the cache, in the trial's teardown (outside the measurement). Only the defaults make
 * sense (no warm-up, one measured call, many forks): a second call in the same JVM fails the benchmark rather
 * than report the time of a lookup as a first call's.
 *
 * <pre>
 * java -jar jmh/target/benchmarks.jar FirstCallLatency -f 30
 * </pre>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 10, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class FirstCallLatencyBenchmark {
    static final Method DOT = method("dot", double[].class, double[].class);
    static final Method SUM = method("sum", double[].class);
    private static final int SIZE = 1024;
    private static final AtomicInteger CALLS = new AtomicInteger();

    private static Method method(String name, Class<?>... params) {
        try {
            return Kernels.class.getMethod(name, params);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The arrays of the first call, and its result, checked against the JVM's when the trial ends. */
    @State(Scope.Benchmark)
    public static class Call {
        double[] a;
        double[] b;
        double result;

        @Setup(Level.Trial)
        public void arrays() {
            SplittableRandom r = new SplittableRandom(42);
            a = r.doubles(SIZE, -1, 1).toArray();
            b = r.doubles(SIZE, -1, 1).toArray();
        }

        @TearDown(Level.Trial)
        public void check() {
            double expected = Kernels.dot(a, b);
            if (Double.doubleToRawLongBits(expected) != Double.doubleToRawLongBits(result)) {
                throw new AssertionError("dot: Numbat gave " + result + ", the JVM " + expected);
            }
        }

        double call() throws Throwable {
            if (CALLS.incrementAndGet() != 1) {
                // Numbat.compile returns the handle it made before: a second call in a JVM measures nothing.
                throw new IllegalStateException("one measured call per fork: run with -wi 0 -i 1 (this class's defaults)");
            }
            MethodHandle dot = Numbat.compile(DOT);
            result = (double) dot.invokeExact(a, b);
            return result;
        }
    }

    /** LLVM loaded and its JIT made, by compiling {@link Kernels#sum}. */
    @State(Scope.Benchmark)
    public static class LlvmLoaded {
        @Setup(Level.Trial)
        public void compileAnother() throws Throwable {
            MethodHandle sum = Numbat.compile(SUM);
            double s = (double) sum.invokeExact(new double[] {1, 2, 3});
            if (s != 6.0) throw new AssertionError("sum: " + s);
        }
    }

    /** {@link LlvmLoaded} after {@link Cache}: {@code sum} is compiled with the cache on (a miss, written). */
    @State(Scope.Benchmark)
    public static class LlvmLoadedAfterCache {
        @Setup(Level.Trial)
        public void compileAnother(Cache cache) throws Throwable {
            new LlvmLoaded().compileAnother();
        }
    }

    /** A cache directory holding {@code dot}'s entry, written by another JVM, and {@code -Dnumbat.cache} set to it. */
    @State(Scope.Benchmark)
    public static class Cache {
        Path dir;

        @Setup(Level.Trial)
        public void populate() throws Exception {
            dir = Files.createTempDirectory("numbat-bench-cache");
            Path log = dir.resolveSibling(dir.getFileName() + ".log");
            Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    Populate.class.getName(), dir.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("populating " + dir + " failed: " + Files.readString(log));
            }
            Files.delete(log);
            // Read when Numbat's driver is made, that is, at the first compilation in this JVM, after this setup.
            System.setProperty(ObjectCache.PROPERTY, dir.toString());
        }

        @TearDown(Level.Trial)
        public void checkAndClear() throws IOException {
            CacheStatistics s = ObjectCache.at(dir).statistics();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
            }
            if (s.hits() != 1 || s.rejected() != 0) throw new AssertionError("dot was not loaded from the cache: " + s);
        }
    }

    /** The child JVM of {@link Cache#populate}: compiles {@code dot} with {@code -Dnumbat.cache=args[0]}. */
    public static final class Populate {
        private Populate() {}

        public static void main(String[] args) throws Throwable {
            System.setProperty(ObjectCache.PROPERTY, args[0]);
            MethodHandle dot = Numbat.compile(DOT);
            double[] x = {1, 2, 3};
            double d = (double) dot.invokeExact(x, x);
            CacheStatistics s = ObjectCache.at(Path.of(args[0])).statistics();
            if (d != 14.0 || s.writes() != 1) throw new AssertionError("dot gave " + d + "; cache " + s);
        }
    }

    @Benchmark
    public double cold(Call call) throws Throwable {
        return call.call();
    }

    @Benchmark
    public double warm(LlvmLoaded llvm, Call call) throws Throwable {
        return call.call();
    }

    @Benchmark
    public double cacheCold(Cache cache, Call call) throws Throwable {
        return call.call();
    }

    @Benchmark
    public double cacheWarm(Cache cache, LlvmLoadedAfterCache llvm, Call call) throws Throwable {
        return call.call();
    }
}
