package dev.numbat.differential;

import dev.numbat.NotCompiledException;
import dev.numbat.Numbat;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.Executable;

/**
 * Differential testing of one static method: the JVM runs it (by reflection) and Numbat runs it (through
 * {@link Numbat#compile}), each on its own deep copy of the arguments, and everything observable must agree.
 *
 * <ul>
 *   <li>the result: integral values and booleans by {@code equals}; {@code float}/{@code double} by raw bits
 *       ({@link Float#floatToRawIntBits}, {@link Double#doubleToRawLongBits}), except that two NaNs are
 *       equal whatever their payload (either side may canonicalise NaN), so {@code -0.0 != 0.0} and
 *       {@code NaN == NaN};</li>
 *   <li>the exception: same class and same message ({@link StackOverflowError}: class only, as the JVM
 *       gives it no message and its depth differs);</li>
 *   <li>every array argument afterwards, element by element with the same float rule, also when an exception
 *       was thrown: writes made before the throw must be visible. Arguments that are the same array stay the
 *       same array in both copies, so aliasing is tested too.</li>
 * </ul>
 *
 * <p>{@link #checkAllWithinUlps} is the one relaxation: for {@code Math}'s transcendental functions, whose
 * Javadoc allows an error of some ulps, a finite non-zero result may differ from the JVM's by that many ulps
 * of the JVM's result (see {@link Ulps}). NaN, infinities and signed zeros must still agree exactly.
 *
 * <p>Checks collect every mismatch of a batch of argument tuples and fail once, listing the first
 * {@value #SHOWN} of them, so one failing kernel shows its whole pattern of failures.
 */
public final class Differential {
    static final int SHOWN = 12;

    /**
     * How a refusal of a method whose unsupported construct lies in JDK code must read: a construct (no colon, so
     * "internal compiler error: ..." and "LLVM backend: ..." do not match), its bytecode offset and source line,
     * and the JDK method that holds it.
     */
    public static final Pattern REFUSED_IN_THE_JDK = Pattern.compile(
            "[a-z][^:]* at bytecode offset \\d+ \\(\\w+\\.java:\\d+\\) in (java\\.lang|jdk\\.internal\\.math)\\.[\\w$.]+\\([^)]*\\)\\S+");

    static {
        // Every compilation in the differential tests runs the IR verifier after each pass (PassPipeline reads
        // this property when the driver builds its pipeline), so a frontend bug shows as a verification failure.
        // -Dnumbat.verify=false (in the test JVM's argLine) shows what users get instead.
        if (System.getProperty("numbat.verify") == null) System.setProperty("numbat.verify", "true");
    }

    private final Method method;
    private final MethodHandle candidate;

    private Differential(Method method, MethodHandle candidate) {
        this.method = method;
        this.candidate = candidate;
    }

    /** Compiles {@code method} with Numbat; a {@link dev.numbat.NotCompiledException} propagates and fails the test. */
    public static Differential of(Method method) {
        if (!Modifier.isStatic(method.getModifiers())) throw new IllegalArgumentException("not static: " + method);
        method.setAccessible(true);
        MethodHandle h = Numbat.compile(method);
        MethodType expected = MethodType.methodType(method.getReturnType(), method.getParameterTypes());
        if (!h.type().equals(expected)) {
            throw new AssertionError("Numbat.compile(" + method.getName() + ") has type " + h.type() + ", not the method's own " + expected);
        }
        return new Differential(method, h);
    }

    /** The only declared method named {@code name} in {@code owner}. */
    public static Differential of(Class<?> owner, String name) {
        return of(method(owner, name));
    }

    /** Compares {@code method} against an arbitrary handle of the same type: for testing this class itself. */
    static Differential against(Method method, MethodHandle candidate) {
        method.setAccessible(true);
        return new Differential(method, candidate);
    }

    public static Method method(Class<?> owner, String name) {
        List<Method> found = Arrays.stream(owner.getDeclaredMethods()).filter(m -> m.getName().equals(name)).toList();
        if (found.size() != 1) throw new IllegalArgumentException(found.size() + " methods named " + name + " in " + owner);
        return found.get(0);
    }

    /** The static methods of a kernels class (not synthetic, not lambdas), sorted by name; never empty. */
    public static List<Method> kernels(Class<?> owner) {
        List<Method> ms = Arrays.stream(owner.getDeclaredMethods())
                .filter(m -> Modifier.isStatic(m.getModifiers()) && !m.isSynthetic() && !m.getName().startsWith("lambda$"))
                .sorted(java.util.Comparator.comparing(Method::getName))
                .toList();
        if (ms.isEmpty()) throw new IllegalStateException("no kernels in " + owner);
        return ms;
    }

    public Method method() { return method; }

    /**
     * For methods whose compilation depends on JDK code that may or may not be in the supported subset: either
     * Numbat compiles {@code method}, and then it must agree with the JVM exactly on every tuple, or it refuses
     * it with a {@link NotCompiledException} whose whole message matches {@code reason}. A refusal for any other
     * reason (an internal compiler error, a message without its location) fails. Returns a line saying which,
     * with the reason of a refusal, for the test output.
     */
    public static String exactOrRefused(Method method, Pattern reason, Iterable<Object[]> tuples) {
        String name = method.getDeclaringClass().getSimpleName() + "." + method.getName();
        Differential d;
        try {
            d = of(method);
        } catch (NotCompiledException e) {
            if (!reason.matcher(e.getMessage()).matches()) {
                throw new AssertionError(name + " was refused for an unexpected reason:\n  " + e.getMessage()
                        + "\n  expected a message matching " + reason.pattern(), e);
            }
            return "numbat differential: " + name + " not compiled: " + e.getMessage();
        }
        d.checkAll(tuples);
        return "numbat differential: " + name + " compiled, bit-exact";
    }

    /**
     * One dynamic test per kernel of {@code kernels}: the kernel at every combination of the edge values of its
     * parameter types ({@link EdgeValues#tuples(Method)}).
     */
    public static Stream<DynamicTest> atEdges(Class<?> kernels) {
        return kernels(kernels).stream().map(m -> DynamicTest.dynamicTest(m.getName(),
                () -> of(m).checkAll(EdgeValues.tuples(m))));
    }

    // ---- checks -----------------------------------------------------------------------------------

    /** One argument tuple. */
    public Differential check(Object... args) {
        return checkAll(List.<Object[]>of(args));
    }

    /** Every argument tuple; fails once with all mismatches. */
    public Differential checkAll(Iterable<Object[]> tuples) {
        return run(tuples, 0, Ulps.EXACT);
    }

    public Differential checkAll(Stream<Object[]> tuples) {
        return checkAll(tuples.toList());
    }

    /**
     * Every argument tuple, where a {@code double} result may be off by {@code ulps} ulps of the JVM's result
     * (NaN, infinite and zero results must agree exactly, and the sign always).
     */
    public Differential checkAllWithinUlps(double ulps, Iterable<Object[]> tuples) {
        return run(tuples, ulps, Ulps.WITHIN);
    }

    private enum Ulps { EXACT, WITHIN }

    private Differential run(Iterable<Object[]> tuples, double ulps, Ulps mode) {
        List<String> mismatches = new ArrayList<>();
        int count = 0;
        for (Object[] args : tuples) {
            count++;
            String m = compare(args, ulps, mode);
            if (m != null) mismatches.add(m);
        }
        if (count == 0) throw new IllegalStateException("no argument tuples for " + method);
        if (!mismatches.isEmpty()) {
            throw new AssertionError(mismatches.size() + " of " + count + " runs of " + signature()
                    + " differ from the JVM" + (mode == Ulps.WITHIN ? " (tolerance " + ulps + " ulp)" : "") + ":\n  "
                    + mismatches.stream().limit(SHOWN).collect(Collectors.joining("\n  "))
                    + (mismatches.size() > SHOWN ? "\n  ... " + (mismatches.size() - SHOWN) + " more" : ""));
        }
        return this;
    }

    /** A description of the difference, or null when both runs agree. */
    private String compare(Object[] args, double ulps, Ulps mode) {
        Object[] jvmArgs = deepCopy(args);
        Object[] nativeArgs = deepCopy(args);
        Outcome jvm = runJvm(jvmArgs);
        Outcome nat = runCompiled(nativeArgs);
        List<String> diffs = new ArrayList<>();
        if (jvm.thrown != null || nat.thrown != null) {
            if (!sameThrowable(Segments.named(jvm.thrown, jvmArgs), Segments.named(nat.thrown, nativeArgs))) diffs.add("JVM " + describe(jvm) + ", Numbat " + describe(nat));
        } else {
            boolean same = mode == Ulps.WITHIN ? withinUlps(jvm.result, nat.result, ulps) : sameValue(jvm.result, nat.result);
            if (!same) diffs.add("JVM returned " + show(jvm.result) + ", Numbat " + show(nat.result));
        }
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof java.lang.foreign.MemorySegment && !Segments.sameContents(jvmArgs[i], nativeArgs[i])) {
                diffs.add("segment argument " + i + " afterwards differs at byte "
                        + Segments.firstDifference(jvmArgs[i], nativeArgs[i]) + " (after " + describe(jvm) + ")");
            }
            if (args[i] != null && args[i].getClass().isArray() && !sameArray(jvmArgs[i], nativeArgs[i])) {
                diffs.add("argument " + i + " afterwards: JVM " + show(jvmArgs[i]) + ", Numbat " + show(nativeArgs[i])
                        + " (after " + describe(jvm) + ")");
            }
        }
        return diffs.isEmpty() ? null : call(args) + ": " + String.join("; ", diffs);
    }

    private record Outcome(Object result, Throwable thrown) {}

    private Outcome runJvm(Object[] args) {
        try {
            return new Outcome(method.invoke(null, args), null);
        } catch (InvocationTargetException e) {
            return new Outcome(null, e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private Outcome runCompiled(Object[] args) {
        try {
            return new Outcome(candidate.invokeWithArguments(args), null);
        } catch (Throwable t) {
            return new Outcome(null, t);
        }
    }

    /**
     * Several independent checks in one test: each runs at once, a failure is kept and the next check still runs,
     * and {@link #done()} fails with all of them, so one failing kernel does not hide the others.
     */
    public static final class Batch {
        private final List<Throwable> failures = new ArrayList<>();

        public Batch run(Executable check) {
            try {
                check.execute();
            } catch (Throwable t) {
                failures.add(t);
            }
            return this;
        }

        public void done() {
            if (failures.isEmpty()) return;
            if (failures.size() == 1 && failures.get(0) instanceof AssertionError a) throw a;
            AssertionError e = new AssertionError(failures.size() + " checks failed:\n" + failures.stream()
                    .map(t -> (t instanceof AssertionError ? "" : t.getClass().getName() + ": ") + t.getMessage())
                    .collect(Collectors.joining("\n")));
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    // ---- comparisons ------------------------------------------------------------------------------

    static boolean sameThrowable(Throwable a, Throwable b) {
        if (a == null || b == null) return a == b;
        if (a.getClass() != b.getClass()) return false;
        if (a instanceof StackOverflowError) return true;
        return Objects.equals(a.getMessage(), b.getMessage());
    }

    /** Raw-bit equality, except that NaN equals NaN. */
    static boolean sameValue(Object a, Object b) {
        if (a instanceof Double x && b instanceof Double y) {
            return Double.isNaN(x) ? Double.isNaN(y) : Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits(y);
        }
        if (a instanceof Float x && b instanceof Float y) {
            return Float.isNaN(x) ? Float.isNaN(y) : Float.floatToRawIntBits(x) == Float.floatToRawIntBits(y);
        }
        return Objects.equals(a, b);
    }

    static boolean withinUlps(Object a, Object b, double ulps) {
        if (!(a instanceof Double x) || !(b instanceof Double y)) return sameValue(a, b);
        // The special cases of the Math Javadoc are exact: NaN, infinities, and two zeros keep their signs.
        if (Double.isNaN(x) || Double.isNaN(y) || Double.isInfinite(x) || Double.isInfinite(y)) return sameValue(a, b);
        if (x == 0 && y == 0) return sameValue(a, b);
        if (Math.copySign(1.0, x) != Math.copySign(1.0, y)) return false;
        return Math.abs(x - y) <= ulps * Math.ulp(x);
    }

    /** Element-wise, float elements by bits with NaN equal to NaN (what Arrays.equals does). */
    static boolean sameArray(Object a, Object b) {
        return switch (a) {
            case int[] x -> Arrays.equals(x, (int[]) b);
            case long[] x -> Arrays.equals(x, (long[]) b);
            case byte[] x -> Arrays.equals(x, (byte[]) b);
            case short[] x -> Arrays.equals(x, (short[]) b);
            case char[] x -> Arrays.equals(x, (char[]) b);
            case boolean[] x -> Arrays.equals(x, (boolean[]) b);
            case float[] x -> Arrays.equals(x, (float[]) b);
            case double[] x -> Arrays.equals(x, (double[]) b);
            case Object[] rows -> {
                Object[] other = (Object[]) b;
                boolean same = rows.length == other.length;
                for (int r = 0; same && r < rows.length; r++) {
                    same = rows[r] == null ? other[r] == null : other[r] != null && sameArray(rows[r], other[r]);
                }
                yield same;
            }
            default -> throw new IllegalArgumentException("not a primitive array: " + a);
        };
    }

    /** Copies every array argument; arguments that are one array become one copy. */
    static Object[] deepCopy(Object[] args) {
        Map<Object, Object> copies = new IdentityHashMap<>();
        Object[] out = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof java.lang.foreign.MemorySegment segment) {
                out[i] = copies.computeIfAbsent(segment, x -> Segments.copy(segment));
                continue;
            }
            out[i] = a != null && a.getClass().isArray() ? copyOf(a, copies) : a;
        }
        return out;
    }

    /** One copy per distinct array: rows of a 2-D argument that are one array, or also an argument, stay one. */
    private static Object copyOf(Object a, Map<Object, Object> copies) {
        Object known = copies.get(a);
        if (known != null) return known;
        Object copy;
        if (a instanceof Object[] rows) {
            Object[] table = rows.clone();
            copies.put(a, table);
            for (int r = 0; r < rows.length; r++) table[r] = rows[r] == null ? null : copyOf(rows[r], copies);
            return table;
        }
        copy = copyArray(a);
        copies.put(a, copy);
        return copy;
    }

    private static Object copyArray(Object a) {
        return switch (a) {
            case int[] x -> x.clone();
            case long[] x -> x.clone();
            case byte[] x -> x.clone();
            case short[] x -> x.clone();
            case char[] x -> x.clone();
            case boolean[] x -> x.clone();
            case float[] x -> x.clone();
            case double[] x -> x.clone();
            default -> throw new IllegalArgumentException("not a primitive array: " + a);
        };
    }

    // ---- text -------------------------------------------------------------------------------------

    private String signature() {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName()
                + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }

    private String call(Object[] args) {
        return method.getName() + Arrays.stream(args).map(Differential::show).collect(Collectors.joining(", ", "(", ")"));
    }

    private static String describe(Outcome o) {
        if (o.thrown == null) return "returned " + show(o.result);
        return "threw " + o.thrown.getClass().getName() + (o.thrown.getMessage() == null ? "" : "(\"" + o.thrown.getMessage() + "\")");
    }

    /** Values as a reader needs them: floats with their bits, chars as numbers, arrays shortened. */
    static String show(Object v) {
        return switch (v) {
            case null -> "null";
            case Double d -> d + "[0x" + Long.toHexString(Double.doubleToRawLongBits(d)) + "]";
            case Float f -> f + "f[0x" + Integer.toHexString(Float.floatToRawIntBits(f)) + "]";
            case Long l -> l + "L";
            case Character c -> "(char)" + (int) c;
            case Byte b -> "(byte)" + b;
            case Short s -> "(short)" + s;
            case int[] a -> shorten(Arrays.toString(a));
            case long[] a -> shorten(Arrays.toString(a));
            case byte[] a -> shorten(Arrays.toString(a));
            case short[] a -> shorten(Arrays.toString(a));
            case char[] a -> shorten(Arrays.toString(charsAsInts(a)));
            case boolean[] a -> shorten(Arrays.toString(a));
            case float[] a -> shorten(Arrays.toString(a));
            case double[] a -> shorten(Arrays.toString(a));
            case Object[] rows -> shorten(Arrays.deepToString(rows));
            default -> String.valueOf(v);
        };
    }

    private static int[] charsAsInts(char[] a) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i];
        return r;
    }

    private static String shorten(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...]";
    }
}
