package dev.numbat.fuzz;

import dev.numbat.Numbat;
import dev.numbat.fuzz.Ast.Method;
import dev.numbat.fuzz.Ast.Node;
import dev.numbat.fuzz.Ast.Program;
import dev.numbat.fuzz.Harness.Kind;
import dev.numbat.fuzz.Harness.Verdict;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A fuzzing run: generates classes from a seed, checks each of their methods against the JVM, and reduces and
 * saves what fails.
 *
 * <p>The unit counted is a <b>program</b>: one generated method, compiled by Numbat as an entry point (with every
 * generated method it calls, transitively, in its module), and run on {@link Config#tuples} argument tuples. Each
 * class holds 4 to 9 methods, so one javac run serves several programs. Class {@code k} of seed {@code s} is
 * generated from its own seed, {@link #classSeed}, so {@code -Dfuzz.seed=s -Dfuzz.firstClass=k -Dfuzz.programs=1}
 * reproduces it alone.
 */
final class Campaign {

    record Config(long seed, int programs, int tuples, int firstClass, boolean reduce, int reduceSeconds, int maxReductions,
            Path saveDir, Path journal, PrintStream log) {

        static final long DEFAULT_SEED = 0x5EED_F022L;

        static Config fromSystemProperties(PrintStream log) {
            Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
            String save = System.getProperty("fuzz.saveDir", base.resolve("src/test/resources/fuzz/known-bugs").toString());
            return new Config(
                    Long.decode(System.getProperty("fuzz.seed", Long.toString(DEFAULT_SEED))),
                    Integer.getInteger("fuzz.programs", 500),
                    Integer.getInteger("fuzz.tuples", 8),
                    Integer.getInteger("fuzz.firstClass", 0),
                    Boolean.parseBoolean(System.getProperty("fuzz.reduce", "true")),
                    Integer.getInteger("fuzz.reduceSeconds", 300),
                    Integer.getInteger("fuzz.maxReductions", 3),
                    save.isEmpty() || save.equals("false") ? null : Path.of(save),
                    base.resolve("target/fuzz/current.java"),
                    log);
        }
    }

    /** One program that failed, before and after reduction. */
    record Failure(String signature, String where, Verdict verdict, Reducer.Case original, Reducer.Case reduced, Path saved,
            String reducedText) {}

    final Config config;
    int programs;
    int passed;
    int classes;
    final Map<Kind, Integer> byKind = new TreeMap<>();
    final Map<String, Integer> bySignature = new LinkedHashMap<>();
    final List<Failure> failures = new ArrayList<>();
    final List<String> generatorDefects = new ArrayList<>();
    /** Classes javac wrote and the JVM's verifier rejected (see {@link Harness.Unverifiable}). */
    final List<String> unverifiable = new ArrayList<>();
    final Map<String, Integer> features = new TreeMap<>();
    /** What the JVM did with each argument tuple: returned, or which exception it threw. */
    final Map<String, Integer> jvmOutcomes = new TreeMap<>();
    int reductions;
    long millis;

    Campaign(Config config) {
        this.config = config;
    }

    static long classSeed(long seed, int k) {
        long z = seed * 0x9E3779B97F4A7C15L + (k + 1) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static String className(long seed, int k) {
        return "Fuzz" + Long.toUnsignedString(seed, 36) + "_" + k;
    }

    Campaign run() {
        long start = System.currentTimeMillis();
        for (int k = config.firstClass; programs < config.programs; k++) {
            runClass(k);
            if (classes % 10 == 0) {
                config.log.printf("numbat fuzz: %d programs (%d classes), %d passed, %d failed, %.0f s%n", programs, classes,
                        passed, programs - passed, (System.currentTimeMillis() - start) / 1000.0);
            }
        }
        millis = System.currentTimeMillis() - start;
        return this;
    }

    private void runClass(int k) {
        long cs = classSeed(config.seed, k);
        String name = className(config.seed, k);
        Program p = new Generator(cs).generate(name);
        boolean debugInfo = new Random(cs).nextBoolean();
        classes++;
        count(p);
        String source = p.source();
        Class<?> cls;
        try {
            cls = Harness.load(name, source, debugInfo);
        } catch (Harness.Unverifiable e) {
            // javac's bug, not the generator's or Numbat's: listed in the summary, and its programs are not run.
            unverifiable.add(name + " (seed " + config.seed + ", class " + k + "): " + e.getMessage().lines().findFirst().orElse(""));
            return;
        } catch (Harness.CompileError e) {
            generatorDefects.add("javac rejected generated class " + name + " (seed " + config.seed + ", class " + k + "):\n"
                    + e.getMessage() + "\n" + numbered(source));
            programs++; // counted, so a broken generator cannot loop forever
            byKind.merge(Kind.ERROR, 1, Integer::sum);
            return;
        }
        List<Method> methods = p.methods();
        for (int i = 0; i < methods.size() && programs < config.programs; i++) {
            Method m = methods.get(i);
            Random inputs = new Random(cs + 31L * (i + 1));
            List<Object[]> tuples = Inputs.generate(m.params, inputs, config.tuples);
            double ulps = m.tail == null ? 0 : Library.TRANSCENDENTAL.get(m.tail);
            Reducer.Case c = new Reducer.Case(p, m.name, tuples, debugInfo, ulps);
            journal(c, k);
            java.lang.reflect.Method jm = Harness.method(cls, m.name);
            for (Object[] t : tuples) {
                String o = Harness.jvmOutcome(jm, t);
                jvmOutcomes.merge(o.contains(".") ? o.substring(o.lastIndexOf('.') + 1) : "returned", 1, Integer::sum);
            }
            Verdict v = Harness.check(jm, tuples, ulps);
            programs++;
            byKind.merge(v.kind(), 1, Integer::sum);
            if (!v.failed()) {
                passed++;
                var inspection = Numbat.inspect(jm);
                if (inspection.optimizedLlvmIr().contains("vector.body")) features.merge("compiled with a vectorised loop", 1, Integer::sum);
                if (inspection.typedIr().contains(" = inRange ")) features.merge("compiled with a loop range-checked once", 1, Integer::sum);
                if (dev.numbat.differential.arrays.UnrollAndJamTest.hasJammedLoop(inspection.typedIr())) {
                    features.merge("compiled with columns summed together", 1, Integer::sum);
                }
                if (dev.numbat.differential.control.PredicatedJamTest.hasPredicatedJam(inspection.typedIr())) {
                    features.merge("compiled with escape loops side by side", 1, Integer::sum);
                }
                if (dev.numbat.differential.control.PredicatedJamTest.hasPredicatedJamReadingArrays(inspection.typedIr())) {
                    features.merge("compiled with solvers side by side", 1, Integer::sum);
                }
                if (m.parallel) {
                    features.merge("compiled with @Jit(parallel = true)", 1, Integer::sum);
                    String ir = inspection.typedIr();
                    if (ir.contains(" = parallel ") || ir.contains("  parallel ")) features.merge("compiled with a parallel loop", 1, Integer::sum);
                }
                continue;
            }
            String where = "seed " + config.seed + ", class " + k + " (" + name + "), method " + m.name;
            failed(c, jm, v, where);
        }
    }

    private void failed(Reducer.Case c, java.lang.reflect.Method jm, Verdict v, String where) {
        String signature = signature(v, jm, c.tuples(), c.ulps());
        boolean fresh = !bySignature.containsKey(signature);
        bySignature.merge(signature, 1, Integer::sum);
        config.log.println("numbat fuzz: FAILED " + where + ": " + signature + "\n" + v.message());
        if (v.kind() == Kind.REFUSED && !isCompilerBug(v.message())) {
            generatorDefects.add("Numbat refused a generated method (" + where + "); the generator must stay inside the supported"
                    + " subset:\n" + v.message() + "\n" + numbered(c.program().source()));
        }
        Reducer.Case reduced = null;
        Path saved = null;
        String text = null;
        if (fresh && config.reduce && reductions < config.maxReductions) {
            reductions++;
            long t0 = System.currentTimeMillis();
            Reducer r = Reducer.reducer(c, candidate -> signatureOf(candidate).equals(signature), config.reduceSeconds * 1000L);
            r.run();
            reduced = r.best();
            config.log.printf("numbat fuzz: reduced in %.0f s (%d candidates tried, %d kept)%n",
                    (System.currentTimeMillis() - t0) / 1000.0, r.tests, r.accepted);
            Verdict now = checkCase(reduced);
            Regression reg = regression(reduced, signature, where, now != null && now.failed() ? now : v);
            text = reg.text();
            config.log.println("numbat fuzz: reduced program:\n" + text);
            if (config.saveDir != null) {
                try {
                    Files.createDirectories(config.saveDir);
                    saved = config.saveDir.resolve(reg.className() + ".java");
                    Files.writeString(saved, text, StandardCharsets.UTF_8);
                    config.log.println("numbat fuzz: saved as " + saved);
                } catch (IOException e) {
                    config.log.println("numbat fuzz: could not save " + saved + ": " + e);
                }
            }
        }
        failures.add(new Failure(signature, where, v, c, reduced, saved, text));
    }

    static boolean isCompilerBug(String refusal) {
        return refusal.startsWith("internal compiler error") || refusal.startsWith("LLVM backend");
    }

    /** The reduced case as a regression program under a name derived from its text. */
    static Regression regression(Reducer.Case c, String signature, String where, Verdict original) {
        String src0 = c.program().source();
        String hash = Integer.toHexString(src0.hashCode() ^ Inputs.encode(c.tuples().get(0)).hashCode());
        String name = "Bug" + ("00000000" + hash).substring(hash.length());
        Program renamed = c.program().renamed(name);
        List<String> notes = new ArrayList<>();
        notes.add("Numbat fuzz regression, reduced automatically from " + where + ".");
        notes.add("Failure: " + signature);
        String msg = original.message() == null ? "" : original.message();
        String[] lines = msg.split("\n");
        for (int i = 0; i < Math.min(lines.length, 4); i++) {
            String l = lines[i];
            notes.add("  " + (l.length() > 300 ? l.substring(0, 300) + "..." : l));
        }
        return new Regression(name, renamed.source(), c.entry(), c.debugInfo(), c.ulps(), c.tuples(), notes);
    }

    /** The verdict on a case, or null when javac rejects it. */
    static Verdict checkCase(Reducer.Case c) {
        try {
            Class<?> cls = Harness.load(c.program().className, c.program().source(), c.debugInfo());
            return Harness.check(Harness.method(cls, c.entry()), c.tuples(), c.ulps());
        } catch (Harness.CompileError | IllegalArgumentException e) {
            return null;
        }
    }

    /** Compiles and checks a candidate of the reducer; its signature, or "" when javac rejects it. */
    static String signatureOf(Reducer.Case c) {
        Class<?> cls;
        try {
            cls = Harness.load(c.program().className, c.program().source(), c.debugInfo());
        } catch (Harness.CompileError e) {
            return "";
        }
        java.lang.reflect.Method jm;
        try {
            jm = Harness.method(cls, c.entry());
        } catch (IllegalArgumentException e) {
            return "";
        }
        Verdict v = Harness.check(jm, c.tuples(), c.ulps());
        if (!v.failed()) return "pass";
        return signature(v, jm, c.tuples(), c.ulps());
    }

    /**
     * What kind of failure this is, in words that do not depend on the program: for a difference, what the JVM and
     * Numbat did with the first tuple that differs (the result's type or the exception's class, and whether
     * values, messages or arrays differ); for a refusal, its reason with names and numbers blanked.
     */
    static String signature(Verdict v, java.lang.reflect.Method jm, List<Object[]> tuples, double ulps) {
        if (v.kind() != Kind.DIFFERS) return v.kind() + ": " + normalise(v.message());
        MethodHandle h;
        try {
            h = Numbat.compile(jm);
        } catch (RuntimeException e) {
            return "DIFFERS: compiled handle unavailable";
        }
        for (Object[] t : tuples) {
            Verdict one = Harness.check(jm, List.<Object[]>of(t), ulps);
            if (!one.failed()) continue;
            String jvm = Harness.jvmOutcome(jm, t);
            String nat;
            try {
                Object r = h.invokeWithArguments(Inputs.copy(t));
                nat = r == null ? "void" : r.getClass().getSimpleName();
            } catch (Throwable e) {
                nat = e.getClass().getName();
            }
            if (!jvm.equals(nat)) return "DIFFERS: JVM " + jvm + ", Numbat " + nat;
            String m = one.message() == null ? "" : one.message();
            String what = m.contains("afterwards") ? "array contents" : m.contains("JVM threw") ? "exception message" : "value";
            return "DIFFERS: " + what + " (both " + jvm + ")";
        }
        return "DIFFERS: not on any single tuple";
    }

    static String normalise(String message) {
        if (message == null) return "";
        String s = message.replaceAll("\\([^()]*\\)\\S*", "(..)").replaceAll("Fuzz\\w+|Bug\\w+", "C").replaceAll("\\b[mlptifLK]\\d+\\b", "v").replaceAll("\\d+", "N");
        return s.length() > 160 ? s.substring(0, 160) : s;
    }

    private void journal(Reducer.Case c, int k) {
        try {
            Files.createDirectories(config.journal.getParent());
            StringBuilder sb = new StringBuilder("// numbat fuzz: running seed " + config.seed + ", class " + k + ", method " + c.entry()
                    + " (if the JVM died here, this is the program)\n");
            sb.append("// entry: ").append(c.entry()).append('\n');
            sb.append("// javac: ").append(c.debugInfo() ? "-g" : "-g:none").append('\n');
            sb.append("// ulps: ").append(c.ulps()).append('\n');
            for (Object[] t : c.tuples()) sb.append("// args: ").append(Inputs.encode(t)).append('\n');
            sb.append(c.program().source());
            Files.writeString(config.journal, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            // the journal only helps after a crash
        }
    }

    private void count(Program p) {
        for (Node n : Reducer.preorder(p)) {
            if (n instanceof Method m) {
                for (Node x : Reducer.preorder(m)) {
                    if (x instanceof Ast.Call call && call.selfCall && !call.name.equals(m.name)) {
                        features.merge("Call(mutually recursive)", 1, Integer::sum);
                    }
                }
            }
            String k = n.getClass().getSimpleName();
            if (n instanceof Ast.Call call) k = call.selfCall ? "Call(recursive)" : p.method(call.name) != null ? "Call(generated)" : "Call(JDK)";
            if (n instanceof Ast.Switch s) k = s.arrows ? "Switch(arrows)" : "Switch(colons)";
            if ((n instanceof Ast.Switch || n instanceof Ast.SwitchExpr) && n.kids.size() > 20) features.merge("Switch(over 20 arms)", 1, Integer::sum);
            if (n instanceof Ast.Method m && m.body().kids.size() > 100 && m.body().kids.get(0) instanceof Ast.Decl d
                    && d.name.startsWith("w")) {
                features.merge("Method(over 200 local slots)", 1, Integer::sum);
            }
            if (n instanceof Ast.Method m && m.tail != null) features.merge("Method(transcendental tail)", 1, Integer::sum);
            if (n instanceof Ast.Method m && m.recursive) features.merge("Method(recursive)", 1, Integer::sum);
            if (n instanceof Ast.Method m && m.owner == Method.BASE) features.merge("Method(in the superclass)", 1, Integer::sum);
            if (n instanceof Ast.Method m && m.owner == Method.INTERFACE) features.merge("Method(in an interface)", 1, Integer::sum);
            features.merge(k, 1, Integer::sum);
        }
    }

    static String numbered(String source) {
        StringBuilder sb = new StringBuilder();
        String[] lines = source.split("\n");
        for (int i = 0; i < lines.length; i++) sb.append(String.format("%4d  %s%n", i + 1, lines[i]));
        return sb.toString();
    }

    String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("numbat fuzz: seed %d: %d programs in %d classes, %d passed, in %.1f s%n", config.seed, programs,
                classes, passed, millis / 1000.0));
        sb.append("  verdicts: ").append(byKind).append('\n');
        sb.append("  JVM outcomes of the tuples: ").append(jvmOutcomes).append('\n');
        sb.append("  tuples passed despite a message HotSpot lost: ").append(Harness.LOST_NPE_MESSAGES.get())
                .append(" at fast_icaload, ").append(Harness.FAST_THROWS.get()).append(" preallocated (fast throw)\n");
        sb.append("  generated nodes: ").append(features).append('\n');
        for (String u : unverifiable) sb.append("  not run, javac wrote a class the verifier rejects: ").append(u).append('\n');
        bySignature.forEach((s, n) -> sb.append("  failure x").append(n).append(": ").append(s).append('\n'));
        return sb.toString();
    }
}
