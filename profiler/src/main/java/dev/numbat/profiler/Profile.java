package dev.numbat.profiler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Locale;

/**
 * What one method's instrumented twin ({@link Instrumenter}) recorded: invocations, loops, branches,
 * switches, array lengths and aliasing. Many threads run the twin at once: every count is a
 * {@link Counter} striped by thread ({@link StripedCounters}: plain additions to a block of the thread's own, no
 * lock and no atomic instruction), and the twin counts in local variables during a call and adds them here
 * once, when the call returns or throws, so a loop iteration costs an {@code iinc}. Counts are exact once the
 * threads that counted are joined; read while calls run, they may lag a little and be a few calls apart.
 *
 * <p>The profile also decides when the method is hot: its heat is invocations plus back-edges, kept in a
 * plain field (a lost update under a race only delays the moment a little), and the first time it reaches
 * the threshold the {@linkplain #whenHot listener} runs, once, on the calling thread.
 */
public final class Profile {
    private static final VarHandle FIRED;
    static {
        try {
            FIRED = MethodHandles.lookup().findVarHandle(Profile.class, "fired", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String method;
    private final long threshold;
    private final Counter invocations = new Counter();
    private final List<BranchProfile> branches;
    private final List<LoopProfile> loops;
    private final List<SwitchProfile> switches;
    private final List<ArrayProfile> arrays;
    private final List<AliasProfile> aliases;
    private final List<ScalarProfile> scalars;
    /** Every count; the twin's local counter number k is added to slot k. */
    private final StripedCounters stripes;
    /** +1 for a counter of back-edges, -1 for one that subtracts from them (a backward jump's fall-through), 0 else. */
    private final int[] heatSigns;
    /** Counters that keep a running maximum (a loop's trip range, see {@link LoopProfile}) instead of a sum. */
    private final boolean[] maxMerged;
    /** For each alias pair, the places of its two arrays among the array arguments {@link #enter} gets. */
    private final int[][] aliasPairs;
    /** Invocations plus back-edges, approximately (unsynchronised on purpose: see the class comment). */
    private long heat;
    @SuppressWarnings("unused") // through FIRED
    private volatile boolean fired;
    private volatile Runnable hotListener;

    Profile(String method, long threshold, List<BranchProfile> branches, List<LoopProfile> loops, List<SwitchProfile> switches,
            List<ArrayProfile> arrays, List<AliasProfile> aliases, List<ScalarProfile> scalars, Counter[] counters, int[] heatSigns,
            boolean[] maxMerged) {
        this.method = method;
        this.threshold = threshold;
        this.branches = List.copyOf(branches);
        this.loops = List.copyOf(loops);
        this.switches = List.copyOf(switches);
        this.arrays = List.copyOf(arrays);
        this.aliases = List.copyOf(aliases);
        this.scalars = List.copyOf(scalars);
        this.heatSigns = heatSigns;
        this.maxMerged = maxMerged;
        List<Counter> all = new java.util.ArrayList<>(List.of(counters));
        all.add(invocations);
        for (ArrayProfile a : this.arrays) {
            all.add(a.nulls());
            all.addAll(List.of(a.buckets()));
        }
        for (AliasProfile a : this.aliases) all.add(a.aliased());
        stripes = new StripedCounters(all.size());
        for (int k = 0; k < all.size(); k++) all.get(k).bind(stripes, k);
        aliasPairs = new int[this.aliases.size()][];
        for (int k = 0; k < aliasPairs.length; k++) {
            aliasPairs[k] = new int[] {arrayIndexOf(this.aliases.get(k).first()), arrayIndexOf(this.aliases.get(k).second())};
        }
    }

    private int arrayIndexOf(int parameter) {
        for (int k = 0; k < arrays.size(); k++) if (arrays.get(k).parameter() == parameter) return k;
        throw new IllegalArgumentException("parameter " + parameter + " is not an array");
    }

    /** {@code com.example.Kernels.dot([D[D)D}. */
    public String method() { return method; }

    public long threshold() { return threshold; }

    public long invocations() { return invocations.sum(); }

    public List<BranchProfile> branches() { return branches; }

    public List<LoopProfile> loops() { return loops; }

    public List<SwitchProfile> switches() { return switches; }

    public List<ArrayProfile> arrays() { return arrays; }

    public List<AliasProfile> aliases() { return aliases; }

    /** The integral parameters, each with the one value it always had, if it had one. */
    public List<ScalarProfile> scalars() { return scalars; }

    /** The branch at this bytecode offset of the original method, or null. */
    public BranchProfile branchAt(int bytecodeOffset) {
        for (BranchProfile b : branches) if (b.bytecodeOffset() == bytecodeOffset) return b;
        return null;
    }

    /** Back-edges of all loops. */
    public long backEdges() {
        long n = 0;
        for (LoopProfile l : loops) n += l.backEdges();
        return n;
    }

    /** Whether the heat has reached the threshold. */
    public boolean isHot() { return fired || heat >= threshold; }

    /**
     * Runs {@code listener} once, on the thread of the call that makes the method hot (or of the next call, if
     * it is hot already). It should only hand work to another thread.
     */
    public void whenHot(Runnable listener) { this.hotListener = listener; }

    // ---- called by the instrumented twin, through ProfileSupport's call sites ----

    /** At the start of every call: one invocation, and the array arguments' lengths and identities. */
    void enter(Object[] arrayArguments) {
        long[] block = stripes.block();
        block[invocations.index()]++;
        for (int k = 0; k < arrayArguments.length; k++) {
            Object a = arrayArguments[k];
            if (a == null) block[arrays.get(k).nulls().index()]++;
            else arrays.get(k).record(block, java.lang.reflect.Array.getLength(a));
        }
        for (int k = 0; k < aliasPairs.length; k++) {
            Object a = arrayArguments[aliasPairs[k][0]];
            if (a != null && a == arrayArguments[aliasPairs[k][1]]) block[aliases.get(k).aliased().index()]++;
        }
        addHeat(1);
    }

    /** At every return or throw: the call's local counters {@code base ..}, added to the shared ones. */
    void flush(int base, int[] counts) {
        long back = 0;
        long[] block = stripes.block();
        for (int k = 0; k < counts.length; k++) {
            int v = counts[k];
            if (v != 0) {
                if (maxMerged[base + k]) {
                    block[base + k] = Math.max(block[base + k], v);
                } else {
                    block[base + k] += v;
                    back += (long) heatSigns[base + k] * v;
                }
            }
        }
        if (back != 0) addHeat(back);
    }

    private void addHeat(long delta) {
        long h = heat + delta;
        heat = h;
        if (h >= threshold) {
            Runnable l = hotListener;
            if (l != null && FIRED.compareAndSet(this, false, true)) l.run();
        }
    }

    /** The profile as text, one line per site; see docs/profiler.md. */
    public String text() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "profile %s: %,d invocations, %,d back-edges%s%n", method, invocations(), backEdges(),
                isHot() ? ", hot (threshold " + String.format(Locale.ROOT, "%,d", threshold) + ")" : ""));
        for (LoopProfile l : loops) {
            s.append(String.format(Locale.ROOT, "  loop @%d%s: %,d entries, %,d back-edges, %s iterations per entry%s%n",
                    l.headerOffset(), line(l.line()), l.entries(), l.backEdges(), decimal(l.meanTripCount()),
                    l.hasTripRange() ? String.format(Locale.ROOT, " (%,d..%,d)", l.minTripCount(), l.maxTripCount()) : ""));
        }
        for (BranchProfile b : branches) {
            s.append(String.format(Locale.ROOT, "  branch @%d%s %s%s: taken %,d, not taken %,d (%s taken)%n", b.bytecodeOffset(),
                    line(b.line()), b.opcode(), b.loopHeader() >= 0 ? " (back to @" + b.loopHeader() + ")" : "", b.taken(),
                    b.fallThrough(), percent(b.takenRatio())));
        }
        for (SwitchProfile w : switches) {
            s.append(String.format(Locale.ROOT, "  switch @%d%s:", w.bytecodeOffset(), line(w.line())));
            for (SwitchProfile.Target t : w.targets()) s.append(String.format(Locale.ROOT, " %s: %,d;", t.label(), t.times()));
            s.setLength(s.length() - 1);
            s.append(System.lineSeparator());
        }
        for (ArrayProfile a : arrays) {
            s.append(String.format(Locale.ROOT, "  array parameter %d (%s): lengths %s, %,d null", a.parameter(), a.descriptor(),
                    a.smallest() < 0 ? "none" : a.smallest() + ".." + a.largest(), a.nullCount()));
            StringBuilder h = new StringBuilder();
            for (int k = 0; k < 32; k++) {
                long n = a.bucket(k);
                if (n != 0) h.append(h.isEmpty() ? "" : ", ").append(k == 0 ? "0" : "<" + (1L << k)).append(": ").append(n);
            }
            if (!h.isEmpty()) s.append(" (").append(h).append(')');
            s.append(System.lineSeparator());
        }
        for (AliasProfile p : aliases) {
            s.append(String.format(Locale.ROOT, "  array parameters %d and %d: the same array in %,d calls%n", p.first(), p.second(),
                    p.times()));
        }
        for (ScalarProfile v : scalars) {
            s.append(String.format(Locale.ROOT, "  parameter %d (%s): %s%n", v.parameter(), v.descriptor(),
                    v.isConstant() ? "always " + v.value() : v.varied() ? "varied" : "not seen"));
        }
        return s.toString();
    }

    @Override public String toString() { return text(); }

    private static String line(int line) { return line >= 0 ? " (line " + line + ")" : ""; }

    private static String decimal(double d) { return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.1f", d); }

    private static String percent(double d) { return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * d); }
}
