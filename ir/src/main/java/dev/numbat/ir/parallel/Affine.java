package dev.numbat.ir.parallel;

import dev.numbat.ir.Constant;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Value;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An int index as a sum of loop counters times coefficients plus an offset, every coefficient and
 * offset term being a constant factor times at most one loop-invariant value. Exact over the integers:
 * when the whole sum lies in [0, length) the JVM's wrapping 32-bit evaluation gives the same number.
 *
 * <p>Factors stay small enough that the checks evaluating this form in 64 bits cannot overflow: a term
 * with an invariant has factor +-1 (|term| < 2^62 after multiplying by a counter), at most one counter
 * coefficient has an invariant, and constant factors stay within 2^20.
 */
final class Affine {
    /** {@code factor * invariant}, or just {@code factor} when {@code invariant} is null. */
    record Term(long factor, Value invariant) {
        Term times(long k) { return new Term(factor * k, invariant); }
        boolean sameShape(Term o) { return Objects.equals(invariant, o.invariant); }
    }

    static final long MAX_FACTOR = 1L << 20;
    private static final int MAX_TERMS = 16;

    /** Coefficient of each counter phi. */
    final Map<Instruction, Term> coefficients;
    final List<Term> offset;

    private Affine(Map<Instruction, Term> coefficients, List<Term> offset) {
        this.coefficients = coefficients;
        this.offset = offset;
    }

    static Affine constant(long c) { return new Affine(new LinkedHashMap<>(), new ArrayList<>(List.of(new Term(c, null)))); }
    static Affine invariant(Value v) {
        if (v instanceof Constant c) return constant(c.intValue());
        return new Affine(new LinkedHashMap<>(), new ArrayList<>(List.of(new Term(1, v))));
    }
    static Affine counter(Instruction phi) {
        Map<Instruction, Term> m = new LinkedHashMap<>();
        m.put(phi, new Term(1, null));
        return new Affine(m, new ArrayList<>());
    }

    /** The coefficient of {@code counter}, or null when the index does not depend on it. */
    Term coefficient(Instruction counter) { return coefficients.get(counter); }

    Affine plus(Affine o) {
        if (o == null) return null;
        Map<Instruction, Term> m = new LinkedHashMap<>(coefficients);
        for (var e : o.coefficients.entrySet()) {
            Term mine = m.get(e.getKey());
            if (mine == null) m.put(e.getKey(), e.getValue());
            else if (mine.sameShape(e.getValue())) m.put(e.getKey(), new Term(mine.factor + e.getValue().factor, mine.invariant));
            else return null;
        }
        List<Term> off = new ArrayList<>(offset);
        off.addAll(o.offset);
        return new Affine(m, off).checked();
    }

    Affine times(long k) {
        Map<Instruction, Term> m = new LinkedHashMap<>();
        for (var e : coefficients.entrySet()) m.put(e.getKey(), e.getValue().times(k));
        List<Term> off = new ArrayList<>();
        for (Term t : offset) off.add(t.times(k));
        return new Affine(m, off).checked();
    }

    /** This times an invariant value: only a form without invariants of its own can take one. */
    Affine times(Value invariant) {
        if (invariant instanceof Constant c) return times(c.intValue());
        Map<Instruction, Term> m = new LinkedHashMap<>();
        for (var e : coefficients.entrySet()) {
            if (e.getValue().invariant != null) return null;
            m.put(e.getKey(), new Term(e.getValue().factor, invariant));
        }
        List<Term> off = new ArrayList<>();
        for (Term t : offset) {
            if (t.invariant != null) return null;
            off.add(new Term(t.factor, invariant));
        }
        return new Affine(m, off).checked();
    }

    /** Null when the form leaves the bounds that keep 64-bit checks exact. */
    private Affine checked() {
        int withInvariant = 0;
        for (Term t : coefficients.values()) {
            if (t.invariant != null) {
                withInvariant++;
                if (Math.abs(t.factor) != 1) return null;
            } else if (Math.abs(t.factor) > MAX_FACTOR) {
                return null;
            }
        }
        if (withInvariant > 1 || offset.size() + coefficients.size() > MAX_TERMS) return null;
        for (Term t : offset) {
            if (Math.abs(t.factor) > (t.invariant == null ? 1L << 40 : MAX_FACTOR)) return null;
        }
        coefficients.values().removeIf(t -> t.factor == 0);
        return this;
    }
}
