package dev.numbat.runtime;

import dev.numbat.Inspection;
import dev.numbat.NotCompiledException;
import dev.numbat.frontend.BytecodeFrontend;
import dev.numbat.frontend.UnsupportedConstructException;
import dev.numbat.ir.Function;
import dev.numbat.ir.IrDot;
import dev.numbat.ir.IrPrinter;
import dev.numbat.ir.Module;
import dev.numbat.ir.parallel.ParallelLoops;
import dev.numbat.ir.loop.AlignmentPeeling;
import dev.numbat.ir.loop.NestRangeVersioning;
import dev.numbat.ir.loop.RangeCheckVersioning;
import dev.numbat.ir.loop.TripCountVersioning;
import dev.numbat.ir.loop.PredicatedJam;
import dev.numbat.ir.loop.UnrollAndJam;
import dev.numbat.ir.pass.Pass;
import dev.numbat.ir.pass.DeadCodeElimination;
import dev.numbat.ir.pass.PassPipeline;
import dev.numbat.ir.pass.RemoveUnreachableBlocks;
import dev.numbat.llvm.BranchWeights;
import dev.numbat.llvm.EntrySpecialisation;
import dev.numbat.llvm.CompileOptions;
import dev.numbat.llvm.LlvmBackend;
import dev.numbat.llvm.NativeCode;
import dev.numbat.profiler.Profile;
import dev.numbat.runtime.cache.ObjectCache;
import dev.numbat.runtime.jfr.CompilationEvent;
import dev.numbat.runtime.policy.VersionChoice;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Owns compilation: runs the pipeline once per method (concurrent first requests wait for the one
 * compilation) and remembers the outcome, a {@link CompiledMethod} or the reason it was not compiled.
 */
public final class CompilerDriver {
    private static final CompilerDriver SHARED = new CompilerDriver();

    private final Map<Method, FutureTask<Outcome>> outcomes = new ConcurrentHashMap<>();
    /** Methods this thread is compiling: a compilation that leads back to itself must not wait for itself. */
    private static final ThreadLocal<Set<Method>> IN_PROGRESS = ThreadLocal.withInitial(HashSet::new);
    private volatile LlvmBackend backend;
    /** What {@link NativeLibraryCheck} found wrong with LLVM's native libraries, "" if nothing; null until checked. */
    private String nativeDamage;
    /** The on-disk cache of object code, as -Dnumbat.cache set it when this driver was made; off by default. */
    private final ObjectCache cache = ObjectCache.configured();

    private record Outcome(CompiledMethod compiled, NotCompiledException failure) {}

    public static CompilerDriver shared() { return SHARED; }

    /**
     * The compiled method, compiling it first if needed; throws {@link NotCompiledException} with the
     * reason. Concurrent first requests wait for the one compilation. The compilation runs outside any
     * lock, since it may initialise classes whose static initializers ask for other compilations.
     */
    public CompiledMethod compile(Method method) { return compile(method, null); }

    /**
     * {@link #compile(Method)}, steered by {@code profile} (null: none) if this is the method's first compilation;
     * a method is compiled once, so a later profile changes nothing.
     */
    public CompiledMethod compile(Method method, Profile profile) {
        FutureTask<Outcome> task = outcomes.get(method);
        if (task == null) {
            FutureTask<Outcome> mine = new FutureTask<>(() -> attempt(method, profile));
            task = outcomes.putIfAbsent(method, mine);
            if (task == null) {
                task = mine;
                IN_PROGRESS.get().add(method);
                try {
                    mine.run();
                } finally {
                    IN_PROGRESS.get().remove(method);
                }
            }
        }
        if (!task.isDone() && IN_PROGRESS.get().contains(method)) {
            throw new NotCompiledException(name(method), "its compilation needs itself compiled first "
                    + "(a static initializer run by the compilation calls it)", null);
        }
        Outcome o = outcomeOf(task, method);
        if (o.failure != null) throw o.failure;
        return o.compiled;
    }

    private static Outcome outcomeOf(FutureTask<Outcome> task, Method method) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the compilation is shared: finish waiting, keep the interrupt
                } catch (ExecutionException e) {
                    // attempt() catches everything itself, unless even its catch failed (out of memory again): the
                    // caller still gets a refusal, which the agent answers by running bytecode.
                    Throwable c = e.getCause();
                    return new Outcome(null, new NotCompiledException(name(method), "internal compiler error: " + c, c));
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private Outcome attempt(Method method, Profile profile) {
        Outcome o;
        CompilationEvent event = new CompilationEvent();
        event.begin();
        StageClock clock = new StageClock();
        try {
            o = new Outcome(pipeline(method, profile, clock), null);
        } catch (NotCompiledException e) {
            o = new Outcome(null, e);
        } catch (OutOfMemoryError e) {
            // Not a compiler bug: what the compilation held is garbage now, and the application goes on.
            o = new Outcome(null, new NotCompiledException(name(method), "out of memory while compiling (" + e + ")", e));
        } catch (RuntimeException | Error e) {
            // A compiler bug must cost the method its speed, never the application its life.
            o = new Outcome(null, new NotCompiledException(name(method), "internal compiler error: " + e, e));
        }
        if (o.compiled != null) Diagnostics.compiled(o.compiled);
        else Diagnostics.notCompiled(o.failure);
        if (event.shouldCommit()) {
            event.method = name(method);
            event.outcome = o.compiled != null ? "compiled" : o.failure.getMessage();
            event.profiled = profile != null;
            event.lift = clock.lift;
            event.passes = clock.passes;
            event.llvm = clock.llvm;
            event.bind = clock.bind;
            event.codeSize = clock.codeSize;
            event.commit();
        }
        return o;
    }

    /**
     * The whole pipeline, stage by stage, within the method's compile-time budget ({@link CompileBudget}); the
     * {@link InjectedFault} hooks do nothing unless the fault tests set {@code -Dnumbat.test.injectFault}.
     */
    private CompiledMethod pipeline(Method method, Profile profile, StageClock clock) {
        long start = System.nanoTime();
        CompileBudget budget = new CompileBudget(name(method));
        // 1. Read the bytecode of the method and its static callees; lift it into typed SSA IR.
        InjectedFault.at("lift", method);
        Module module = lift(method);
        clock.lift = System.nanoTime() - start;
        budget.check("lifting");
        // 2. Numbat's IR passes: unreachable blocks, trivial phis, dead code (verified in tests).
        PassPipeline passes = InjectedFault.inPasses(PassPipeline.standard(), method);
        for (Function f : module.functions().values()) {
            passes.run(f);
            budget.check("the IR passes of " + f.name());
        }
        // 2b. @Jit(parallel = true): independent top-level loops run on all cores, behind run-time checks.
        if (JitAnnotation.parallel(method)) {
            Diagnostics.loops(name(method), ParallelLoops.run(module, module.entry(), JitAnnotation.fastMath(method),
                    Long.getLong("numbat.parallel.minimumWork", ParallelLoops.DEFAULT_MINIMUM_WORK)));
        }
        // 2c. With a profile: short loops get a second version for the trip counts seen, behind a guard.
        TripCountVersioning tripVersions = ProfileTripCounts.pass(profile);
        PassPipeline.of(new RemoveUnreachableBlocks(), tripVersions).run(module.entry()); // the first keeps the pipeline's contract
        if (!tripVersions.versioned().isEmpty()) {
            Diagnostics.profiler("versioned loops of " + name(method) + " by the trip counts seen: "
                    + String.join(", ", tripVersions.versioned()) + " (other counts run the loop as it was)");
        }
        // 2d. Nests over a flat 2-D array (y * w + x) check the corners of their index rectangle once; then counted
        //     loops (a CSR row, then the loop over rows) check their index range once; each before a copy whose
        //     accesses need no bounds checks.
        // 2e. Nests whose inner loop sums down columns (a matrix product) run neighbouring columns together, in the
        //     copies without checks, so that each step reads a row of neighbours. Nests whose inner loop leaves on what
        //     it computes (an escape-time loop) run neighbouring iterations side by side, each lane stopping on its own.
        // 2f. Long innermost loops that store at their counter (or only read) run their first iterations in a copy,
        //     until the element stored (or read) is 64-byte aligned, so that the vectorised loop after it writes whole
        //     cache lines.
        List<Pass> loopPasses = new ArrayList<>(List.of(new RemoveUnreachableBlocks()));
        boolean jamLoops = Boolean.parseBoolean(System.getProperty("numbat.jamLoops", "true"));
        if (Boolean.parseBoolean(System.getProperty("numbat.rangeVersions", "true"))) {
            loopPasses.add(new NestRangeVersioning(jamLoops));
            loopPasses.add(new RangeCheckVersioning());
        }
        if (jamLoops) loopPasses.add(new UnrollAndJam());
        if (jamLoops) loopPasses.add(new PredicatedJam());
        if (Boolean.parseBoolean(System.getProperty("numbat.alignLoops", "true"))) loopPasses.add(new AlignmentPeeling(JitAnnotation.fastMath(method)));
        // The copies' indices the guards rebuilt leave the JVM's wrapping ones dead; LLVM would merge a live one with
        // its rebuilt twin and drop the twin's no-overflow flag.
        loopPasses.add(new DeadCodeElimination());
        PassPipeline loops = PassPipeline.of(loopPasses.toArray(Pass[]::new));
        for (Function f : module.functions().values()) loops.run(f);
        String typedIr = IrPrinter.print(module);
        clock.passes = System.nanoTime() - start - clock.lift;
        // 3. Lower to LLVM IR with the JVM's semantics, optimise at O3 for this CPU, JIT with ORC; a module whose
        //    estimated LLVM time does not fit in the budget is refused first, since LLVM cannot be interrupted.
        budget.checkBeforeLlvm(module);
        InjectedFault.at("llvm", method);
        long llvmStart = System.nanoTime();
        EntrySpecialisation specialisation = ProfileSpecialisation.of(profile, module);
        NativeCode code = llvm(method, module, profile != null, ProfileWeights.of(profile), specialisation);
        if (!specialisation.isEmpty()) {
            Diagnostics.profiler("specialised " + name(method) + " to its profile: " + specialisation.description()
                    + " (checked on every call; other calls run the general code)");
        }
        clock.llvm = System.nanoTime() - llvmStart;
        clock.codeSize = code.objectCode().length;
        // 4. Bind an FFM downcall that passes arrays without copying and raises the JVM's exceptions.
        InjectedFault.at("bind", method);
        long bindStart = System.nanoTime();
        // A version specialised to the profile is kept only if it measures faster than the general code.
        MethodHandle handle = VersionChoice.of(bind(method, module, code), code.versionSwitch(), code.versionParts(), name(method));
        clock.bind = System.nanoTime() - bindStart;
        double millis = (System.nanoTime() - start) / 1e6;
        String dot = IrDot.of(module.entry());
        Supplier<Inspection> inspector = () -> new Inspection(name(method), typedIr, code.optimizedLlvmIr(), code.assembly(),
                dot, code.target());
        return new CompiledMethod(method, handle, name(method), code.target(), inspector, millis);
    }

    /** Stage times (ns) and code size of one compilation, for its JFR event; 0 for what was not reached. */
    private static final class StageClock {
        long lift, passes, llvm, bind, codeSize;
    }

    /**
     * Why the agent should keep running {@code method}'s bytecode ({@link CallPolicy}), or null; null too when
     * it cannot be lifted, for {@link #compile} to say why. Lifts without compiling, so LLVM stays unloaded.
     */
    public String reasonToKeepBytecode(Method method) {
        try {
            Module module = BytecodeFrontend.lift(method);
            for (Function f : module.functions().values()) PassPipeline.standard().run(f);
            return CallPolicy.reasonToKeepBytecode(module);
        } catch (RuntimeException | UnsupportedConstructException e) {
            return null;
        }
    }

    private static Module lift(Method method) {
        try {
            return BytecodeFrontend.lift(method);
        } catch (UnsupportedConstructException e) {
            throw new NotCompiledException(name(method), e.getMessage(), null);
        }
    }

    private NativeCode llvm(Method method, Module module, boolean profiled, BranchWeights weights, EntrySpecialisation specialisation) {
        CompileOptions defaults = CompileOptions.defaults();
        CompileOptions options = new CompileOptions(JitAnnotation.fastMath(method),
                Integer.getInteger("numbat.nativeStack", defaults.nativeStackBytes()),
                Integer.getInteger("numbat.threads", defaults.threads()));
        try {
            // A profile steers the code, and the cache's key does not hold it: profiled code is neither cached nor
            // loaded from the cache.
            if (profiled) return backend().compile(module, options, weights, specialisation);
            // With -Dnumbat.cache, a valid entry is loaded instead of compiling; cache problems just compile.
            return cache.compile(backend(), module, options);
        } catch (RuntimeException | LinkageError e) {
            throw new NotCompiledException(name(method), "LLVM backend: " + e.getMessage(), e);
        }
    }

    private LlvmBackend backend() {
        LlvmBackend b = backend;
        if (b == null) {
            synchronized (this) {
                if (backend == null) {
                    // A damaged native library would crash the JVM in dlopen: check it before LLVM loads, once.
                    if (nativeDamage == null) {
                        String damage = NativeLibraryCheck.damage(LlvmBackend.class.getClassLoader());
                        nativeDamage = damage == null ? "" : damage;
                    }
                    if (!nativeDamage.isEmpty()) throw new IllegalStateException(nativeDamage);
                    backend = LlvmBackend.host();
                }
                b = backend;
            }
        }
        return b;
    }

    private static MethodHandle bind(Method method, Module module, NativeCode code) {
        try {
            MethodHandle handle = NativeBinding.bind(method, code.entryAddress(), new NativeExceptions(code.sites()));
            return ClassInitialisation.beforeFirstCall(handle, module, method.getDeclaringClass().getClassLoader());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code com.example.Kernels.dot([D[D)D}, as diagnostics name methods. */
    public static String name(Method m) {
        return m.getDeclaringClass().getName() + "." + m.getName() + descriptor(m);
    }

    /** The JVM descriptor of a method, e.g. {@code ([D[D)D}. */
    public static String descriptor(Method m) {
        return org.objectweb.asm.Type.getMethodDescriptor(m);
    }
}
