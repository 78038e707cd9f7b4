package dev.numbat.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A saved fuzz program (agent/src/test/resources/fuzz/**.java): Java source of one class preceded by a header
 * of {@code //} lines that says which method to run, with which javac options and arguments:
 *
 * <pre>
 * // entry: m2
 * // javac: -g
 * // ulps: 0.0
 * // args: I:5 | [D:3ff0000000000000,0 | null
 * </pre>
 *
 * Other comment lines describe the bug. {@link FuzzRegressionTest} replays each file: the method must agree with
 * the JVM on every {@code args} line (within {@code ulps} for a returned transcendental function).
 */
record Regression(String className, String source, String entry, boolean debugInfo, double ulps, List<Object[]> tuples,
        List<String> notes) {

    private static final Pattern CLASS = Pattern.compile("public final class (\\w+)");

    String text() {
        StringBuilder sb = new StringBuilder();
        for (String n : notes) {
            for (String line : n.split("\n", -1)) sb.append("// ").append(line).append('\n');
        }
        sb.append("// entry: ").append(entry).append('\n');
        sb.append("// javac: ").append(debugInfo ? "-g" : "-g:none").append('\n');
        sb.append("// ulps: ").append(ulps).append('\n');
        for (Object[] t : tuples) sb.append("// args: ").append(Inputs.encode(t)).append('\n');
        sb.append(source);
        return sb.toString();
    }

    static Regression parse(String text) {
        String entry = null;
        boolean debug = true;
        double ulps = 0;
        List<Object[]> tuples = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        StringBuilder source = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("// entry: ")) entry = line.substring(10).trim();
            else if (line.startsWith("// javac: ")) debug = line.substring(10).trim().equals("-g");
            else if (line.startsWith("// ulps: ")) ulps = Double.parseDouble(line.substring(9).trim());
            else if (line.startsWith("// args: ")) tuples.add(Inputs.decode(line.substring(9)));
            else if (line.startsWith("// ") && source.isEmpty()) notes.add(line.substring(3));
            else source.append(line).append('\n');
        }
        Matcher m = CLASS.matcher(source);
        if (!m.find()) throw new IllegalArgumentException("no 'public final class' in a fuzz program");
        if (entry == null) throw new IllegalArgumentException("no '// entry:' line in a fuzz program");
        if (tuples.isEmpty()) throw new IllegalArgumentException("no '// args:' line in a fuzz program");
        return new Regression(m.group(1), source.toString().strip() + "\n", entry, debug, ulps, tuples, notes);
    }
}
