package dev.numbat.bench;

import dev.numbat.Jit;
import dev.numbat.Numbat;
import dev.numbat.agent.NumbatAgent;
import dev.numbat.frontend.BytecodeFrontend;
import dev.numbat.ir.Function;
import dev.numbat.ir.Module;
import dev.numbat.ir.pass.PassPipeline;
import dev.numbat.llvm.CompileOptions;
import dev.numbat.llvm.LlvmBackend;
import dev.numbat.llvm.NativeAbi;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one call of a tiny {@code @Jit} method costs through the agent's dispatch stub, against the other
 * ways to reach the same native code and against HotSpot. Each benchmark makes {@value #CALLS} calls in a
 * hot Java loop, each call's argument depending on the previous result, and JMH reports the time per call.
 *
 * <ul>
 *   <li>{@code xxxPlain}: a copy of the method without {@code @Jit}, run by HotSpot (C2 inlines it);</li>
 *   <li>{@code xxxAgentStub}: the {@code @Jit} method itself, rewritten by the agent: its invokedynamic
 *       guard, then the native call site, then the handle below;</li>
 *   <li>{@code xxxHandle}: the {@link MethodHandle} {@link Numbat#compile} returns for the same method (the
 *       one the agent calls), in a {@code static final} field, with {@code invokeExact};</li>
 *   <li>{@code xxxRawDowncall}: the bare FFM downcall ({@code Linker.Option.critical(true)}) of the same method
 *       compiled by the same pipeline (frontend, passes, LLVM), called with one context block allocated once:
 *       no per-call context, no status check, no class-initialisation site. Numbat has no public way to get
 *       the address of the code its handle calls, so this is a second compilation of the same IR, giving the
 *       same machine code; it is the lower bound of any FFM dispatch;</li>
 *   <li>{@code addRefusedAgentStub}: a {@code @Jit} method Numbat refuses (it contains a {@code throw}): after
 *       the refusal its guard is the constant {@code false} and it runs as bytecode; against {@code addPlain}
 *       it shows what the guard costs then.</li>
 * </ul>
 *
 * <p>The forked JVMs get {@code -javaagent:agent/target/numbat-agent.jar}, a path relative to the working
 * directory: run from the repository root ({@code jmh/run-benchmarks.sh} does), or give the JMH option
 * {@code -jvmArgsAppend "--enable-native-access=ALL-UNNAMED -javaagent:/path/to/numbat-agent.jar"} (it replaces
 * the options below). {@link #setUp} fails without the agent.
 *
 * <p>Eight warm-up seconds, not three: until C2 has compiled the benchmark loop with the call inlined, calls
 * through the stub or the handle run at about 250 ns, and with three seconds some measured iterations
 * still did (see docs/benchmarks.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-javaagent:agent/target/numbat-agent.jar", "-Dnumbat.verbose=true",
        "-Dnumbat.policy=always"})
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
public class DispatchBenchmark {
    static final int CALLS = 1000;
    static final int SMALL = 16;

    /** The methods under test. */
    public static final class Kernels {
        private Kernels() {}

        @Jit
        public static int add(int a, int b) {
            return a + b;
        }

        public static int addPlain(int a, int b) {
            return a + b;
        }

        /** Refused by Numbat (a throw), so the agent leaves it bytecode behind a constant-false guard. */
        @Jit
        public static int addRefused(int a, int b) {
            if (a == Integer.MIN_VALUE + 1 && b == Integer.MIN_VALUE + 1) throw new IllegalStateException();
            return a + b;
        }

        @Jit
        public static double sum(double[] a) {
            double s = 0;
            for (int i = 0; i < a.length; i++) s += a[i];
            return s;
        }

        public static double sumPlain(double[] a) {
            double s = 0;
            for (int i = 0; i < a.length; i++) s += a[i];
            return s;
        }
    }

    private static final MethodHandle ADD_HANDLE, SUM_HANDLE, ADD_RAW, SUM_RAW;
    private static final MemorySegment CONTEXT = Arena.global().allocate(8L * NativeAbi.CONTEXT_SLOTS, 8);

    static {
        try {
            Method add = Kernels.class.getMethod("add", int.class, int.class), sum = Kernels.class.getMethod("sum", double[].class);
            ADD_HANDLE = Numbat.compile(add);
            SUM_HANDLE = Numbat.compile(sum);
            ADD_RAW = rawDowncall(add, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            SUM_RAW = rawDowncall(sum, FunctionDescriptor.of(ValueLayout.JAVA_DOUBLE, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The entry of {@code method} compiled by Numbat's pipeline, as a bare critical downcall (see the class comment). */
    private static MethodHandle rawDowncall(Method method, FunctionDescriptor descriptor) throws Exception {
        Module module = BytecodeFrontend.lift(method);
        for (Function f : module.functions().values()) PassPipeline.standard().run(f);
        MemorySegment entry = LlvmBackend.host().compile(module, CompileOptions.defaults()).entryAddress();
        return Linker.nativeLinker().downcallHandle(entry, descriptor, Linker.Option.critical(true));
    }

    private final double[] small = new double[SMALL];
    private int seed;

    @Setup
    public void setUp() throws Throwable {
        if (!NumbatAgent.isInstalled()) {
            throw new IllegalStateException("the Numbat agent is not installed: run from the repository root, or pass"
                    + " -jvmArgsAppend \"-javaagent:/path/to/agent/target/numbat-agent.jar\"");
        }
        for (int i = 0; i < SMALL; i++) small[i] = i * 0.25;
        seed = 12345;
        // The first calls compile (lazy mode) or refuse; all four ways must agree before anything is measured.
        int a = Kernels.add(3, 4), b = Kernels.addPlain(3, 4), c = (int) ADD_HANDLE.invokeExact(3, 4), d = (int) ADD_RAW.invokeExact(CONTEXT, 3, 4);
        if (a != 7 || b != 7 || c != 7 || d != 7 || Kernels.addRefused(3, 4) != 7) throw new AssertionError("add: " + a + " " + b + " " + c + " " + d);
        double s1 = Kernels.sum(small), s2 = Kernels.sumPlain(small), s3 = (double) SUM_HANDLE.invokeExact(small);
        double s4 = (double) SUM_RAW.invokeExact(CONTEXT, MemorySegment.ofArray(small), small.length);
        if (s1 != s2 || s2 != s3 || s3 != s4) throw new AssertionError("sum: " + s1 + " " + s2 + " " + s3 + " " + s4);
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int addPlain() {
        int acc = seed;
        for (int i = 0; i < CALLS; i++) acc = Kernels.addPlain(acc, i);
        return acc;
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int addAgentStub() {
        int acc = seed;
        for (int i = 0; i < CALLS; i++) acc = Kernels.add(acc, i);
        return acc;
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int addHandle() throws Throwable {
        int acc = seed;
        for (int i = 0; i < CALLS; i++) acc = (int) ADD_HANDLE.invokeExact(acc, i);
        return acc;
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int addRawDowncall() throws Throwable {
        int acc = seed;
        for (int i = 0; i < CALLS; i++) acc = (int) ADD_RAW.invokeExact(CONTEXT, acc, i);
        return acc;
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int addRefusedAgentStub() {
        int acc = seed;
        for (int i = 0; i < CALLS; i++) acc = Kernels.addRefused(acc, i);
        return acc;
    }

    // sum over 16 doubles; each call changes one element first, so no call can be hoisted out of the loop.

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public double sumPlain() {
        double acc = 0;
        for (int i = 0; i < CALLS; i++) {
            small[i & (SMALL - 1)] = acc;
            acc = Kernels.sumPlain(small) * 0.5;
        }
        return acc;
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public double sumAgentStub() {
        double acc = 0;
        for (int i = 0; i < CALLS; i++) {
            small[i & (SMALL - 1)] = acc;
            acc = Kernels.sum(small) * 0.5;
        }
        return acc;
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public double sumHandle() throws Throwable {
        double acc = 0;
        for (int i = 0; i < CALLS; i++) {
            small[i & (SMALL - 1)] = acc;
            acc = (double) SUM_HANDLE.invokeExact(small) * 0.5;
        }
        return acc;
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public double sumRawDowncall() throws Throwable {
        double acc = 0;
        for (int i = 0; i < CALLS; i++) {
            small[i & (SMALL - 1)] = acc;
            acc = (double) SUM_RAW.invokeExact(CONTEXT, MemorySegment.ofArray(small), SMALL) * 0.5;
        }
        return acc;
    }
}
