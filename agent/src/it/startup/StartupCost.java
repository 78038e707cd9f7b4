import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;

/**
 * The start-up cost measurement's helper (run by startup-cost.sh with the JDK 25's source launcher:
 * {@code java StartupCost.java ...}).
 *
 * <ul>
 *   <li>{@code generate DIR N}: writes {@code DIR/app.jar}, an application of N + 1 classes without any
 *       {@code @Jit} method: {@code startup.Main} calls a static method of each of {@code startup.C0 ..
 *       C<N-1>} (so each is loaded, linked and initialised) and prints the sum; and three agents that split
 *       the agent's cost up: {@code empty-agent.jar} (a premain that does nothing), {@code noop-transformer-agent.jar}
 *       (a premain that registers a ClassFileTransformer returning null, not retransform-capable, as Numbat's premain)
 *       and {@code clock-agent.jar} (a premain that notes the time; given twice, around {@code -javaagent:numbat-agent.jar},
 *       the second prints how long the premains between them took).</li>
 *   <li>{@code stats FILE...}: each file holds one wall time in ms per line, a line per round; prints
 *       {@code name runs mean stddev min median} for each and, for all but the first, the mean of its round-by-round
 *       ratio to the first with a 95% confidence interval.</li>
 * </ul>
 */
public final class StartupCost {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "generate" -> generate(Path.of(args[1]), Integer.parseInt(args[2]));
            case "stats" -> stats(List.of(args).subList(1, args.length));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void generate(Path dir, int classes) throws Exception {
        Files.createDirectories(dir);
        List<Entry> app = new ArrayList<>();
        ClassDesc main = ClassDesc.of("startup.Main");
        ClassFile cf = ClassFile.of();
        long expected = 0;
        for (int i = 0; i < classes; i++) {
            ClassDesc c = ClassDesc.of("startup.C" + i);
            int value = i * 7 + 1;
            expected += value;
            byte[] bytes = cf.build(c, cb -> cb.withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL)
                    .withField("V", ConstantDescs.CD_int, ClassFile.ACC_STATIC | ClassFile.ACC_PRIVATE)
                    .withMethodBody("<clinit>", ConstantDescs.MTD_void, ClassFile.ACC_STATIC,
                            code -> code.loadConstant(value).putstatic(c, "V", ConstantDescs.CD_int).return_())
                    .withMethodBody("value", MethodTypeDesc.of(ConstantDescs.CD_int), ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC,
                            code -> code.getstatic(c, "V", ConstantDescs.CD_int).ireturn()));
            app.add(new Entry("startup/C" + i + ".class", bytes));
        }
        // main: long s = 0; s += C0.value(); ...; System.out.println(s). Split into methods of 1000 calls (64 KB limit).
        List<String> parts = new ArrayList<>();
        byte[] mainBytes = cf.build(main, cb -> {
            cb.withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL);
            for (int from = 0; from < classes; from += 1000) {
                int start = from, end = Math.min(classes, from + 1000);
                String name = "part" + parts.size();
                parts.add(name);
                cb.withMethodBody(name, MethodTypeDesc.of(ConstantDescs.CD_long), ClassFile.ACC_STATIC, code -> {
                    code.lconst_0();
                    for (int i = start; i < end; i++) {
                        code.invokestatic(ClassDesc.of("startup.C" + i), "value", MethodTypeDesc.of(ConstantDescs.CD_int)).i2l().ladd();
                    }
                    code.lreturn();
                });
            }
            cb.withMethodBody("main", MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_String.arrayType()),
                    ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, code -> {
                        code.lconst_0();
                        for (String p : parts) code.invokestatic(main, p, MethodTypeDesc.of(ConstantDescs.CD_long)).ladd();
                        code.lstore(1);
                        code.getstatic(ClassDesc.of("java.lang.System"), "out", ClassDesc.of("java.io.PrintStream"));
                        code.lload(1);
                        code.invokevirtual(ClassDesc.of("java.io.PrintStream"), "println", MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_long));
                        code.return_();
                    });
        });
        app.add(new Entry("startup/Main.class", mainBytes));
        jar(dir.resolve("app.jar"), null, app);
        Files.writeString(dir.resolve("expected.txt"), expected + "\n");

        agent(dir, "empty-agent.jar", "EmptyAgent", """
                package startup;
                public final class EmptyAgent {
                    public static void premain(String args, java.lang.instrument.Instrumentation inst) {}
                }
                """);
        agent(dir, "noop-transformer-agent.jar", "NoopTransformerAgent", """
                package startup;
                public final class NoopTransformerAgent {
                    public static void premain(String args, java.lang.instrument.Instrumentation inst) {
                        inst.addTransformer(new java.lang.instrument.ClassFileTransformer() {
                            @Override
                            public byte[] transform(Module m, ClassLoader l, String n, Class<?> c, java.security.ProtectionDomain d, byte[] b) {
                                return null;
                            }
                        }, false);
                    }
                }
                """);
        agent(dir, "clock-agent.jar", "Clock", """
                package startup;
                public final class Clock {
                    public static void premain(String args, java.lang.instrument.Instrumentation inst) {
                        long now = System.nanoTime();
                        if ("start".equals(args)) System.setProperty("startup.clock", Long.toString(now));
                        else System.err.printf(java.util.Locale.ROOT, "premain-ms=%.1f%n",
                                (now - Long.parseLong(System.getProperty("startup.clock"))) / 1e6);
                    }
                }
                """);
    }

    private record Entry(String name, byte[] bytes) {}

    private static void agent(Path dir, String jarName, String className, String source) throws IOException {
        Path src = Files.createTempDirectory("startup-agent"), out = Files.createTempDirectory("startup-agent-classes");
        Path file = src.resolve(className + ".java");
        Files.writeString(file, source);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(), file.toString());
        if (rc != 0) throw new IllegalStateException("javac failed for " + className);
        List<Entry> entries = new ArrayList<>();
        try (var files = Files.list(out.resolve("startup"))) {
            for (Path f : files.sorted().toList()) entries.add(new Entry("startup/" + f.getFileName(), Files.readAllBytes(f)));
        }
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Premain-Class", "startup." + className);
        m.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        jar(dir.resolve(jarName), m, entries);
    }

    private static void jar(Path file, Manifest manifest, List<Entry> entries) throws IOException {
        if (manifest == null) {
            manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        }
        try (OutputStream os = Files.newOutputStream(file); JarOutputStream out = new JarOutputStream(os, manifest)) {
            for (Entry e : entries) {
                out.putNextEntry(new JarEntry(e.name()));
                out.write(e.bytes());
                out.closeEntry();
            }
        }
    }

    private static void stats(List<String> files) throws IOException {
        System.out.printf(Locale.ROOT, "%-20s %5s %9s %8s %9s %9s   %s%n", "variant", "runs", "mean ms", "sd ms", "min ms", "median",
                "paired with the first, run by run: mean ratio, 95% interval");
        double[] first = null;
        for (String f : files) {
            double[] runs = Files.readAllLines(Path.of(f), StandardCharsets.UTF_8).stream().filter(s -> !s.isBlank())
                    .mapToDouble(Double::parseDouble).toArray();
            double[] v = runs.clone();
            java.util.Arrays.sort(v);
            double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            String name = Path.of(f).getFileName().toString().replaceFirst("\\.ms$", "");
            String paired = "";
            if (first == null) {
                first = runs;
            } else if (first.length == runs.length && runs.length > 2) {
                // The variants run interleaved, round by round, so a round's ratio cancels the drift of a busy host.
                double[] ratio = new double[runs.length];
                for (int i = 0; i < runs.length; i++) ratio[i] = runs[i] / first[i];
                double m = mean(ratio), half = tQuantile975(ratio.length - 1) * sd(ratio) / Math.sqrt(ratio.length);
                paired = String.format(Locale.ROOT, "%.3f (%+.1f%%), %+.1f%% to %+.1f%%", m, (m - 1) * 100, (m - half - 1) * 100,
                        (m + half - 1) * 100);
            }
            System.out.printf(Locale.ROOT, "%-20s %5d %9.1f %8.1f %9.1f %9.1f   %s%n", name, v.length, mean(v), sd(v), v[0], median, paired);
        }
    }

    private static double mean(double[] v) { return java.util.Arrays.stream(v).average().orElse(Double.NaN); }

    private static double sd(double[] v) {
        double m = mean(v);
        return Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / Math.max(1, v.length - 1));
    }

    /** Student's t at 97.5% for df degrees of freedom: the table below 10, then 1.96 + 2.4/df (within 0.01 of it). */
    private static double tQuantile975(int df) {
        double[] table = {12.71, 4.30, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26};
        return df < 10 ? table[df - 1] : 1.96 + 2.4 / df;
    }
}
