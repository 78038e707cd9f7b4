package dev.numbat.profiler;

import java.util.List;

/**
 * One {@code tableswitch} or {@code lookupswitch}: how often each of its targets was chosen. Cases that
 * share a target share a count (they are one outcome of the switch), so a target lists its keys.
 */
public record SwitchProfile(int bytecodeOffset, int line, List<Target> targets) {

    /** One distinct target: its keys (empty for the default only) and whether it is also the default. */
    public record Target(int[] keys, boolean isDefault, Counter count) {
        public long times() { return count.sum(); }

        String label() {
            StringBuilder s = new StringBuilder();
            for (int k : keys) s.append(s.isEmpty() ? "case " : ",").append(k);
            if (isDefault) s.append(s.isEmpty() ? "" : "+").append("default");
            return s.toString();
        }
    }

    public long executions() {
        long n = 0;
        for (Target t : targets) n += t.times();
        return n;
    }

    /** How often {@code key} was switched on (its target's count: other keys of that target included). */
    public long timesFor(int key) {
        Target dflt = null;
        for (Target t : targets) {
            for (int k : t.keys) if (k == key) return t.times();
            if (t.isDefault) dflt = t;
        }
        return dflt == null ? 0 : dflt.times();
    }
}
