package dev.numbat.ir.loop;

import dev.numbat.ir.Constant;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Type;
import dev.numbat.ir.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An index in a nest of two counted loops read as {@code x * p + y * q + terms + constant}: {@code x} the inner
 * loop's counter, {@code y} the outer's, {@code p} and {@code q} values from outside the nest (null for 1), the terms
 * values from outside with small coefficients. A stencil's {@code in[y * w + x - w]} is {@code x + y * w + {w: -1}},
 * a matrix product's {@code b[k * n + j]} is {@code k * n + j}. The JVM computes the index with wrapping adds and
 * multiplies, which agree with the exact sum modulo 2^32: where the exact sum lies in {@code [0, 2^31)}, so does the
 * JVM's index, and it is the same number.
 *
 * @param inner    whether the inner counter is part of the index (an access in the outer loop's own blocks has none)
 * @param p        what the inner counter is multiplied by, or null for 1
 * @param outer    whether the outer counter is part of the index
 * @param q        what the outer counter is multiplied by, or null for 1
 * @param terms    the other values from outside the nest, each with its coefficient (none 0); a term of two
 *                 values is their product ({@code i * n} in a matrix product's nest over {@code j} and {@code k})
 * @param constant the constants' sum, at most {@value #MAX_CONSTANT} either way
 */
record NestIndex(boolean inner, Value p, boolean outer, Value q, Map<List<Value>, Integer> terms, int constant) {
    private static final int MAX_DEPTH = 6;
    static final int MAX_CONSTANT = 1 << 20;
    /** Terms' coefficients stay this small, so that the guard's long sums of them cannot overflow. */
    private static final int MAX_COEFFICIENT = 16;

    NestIndex withConstant(int c) { return new NestIndex(inner, p, outer, q, terms, c); }

    /** Whether a counter is multiplied by a value (a row's stride), rather than only added: what makes a nest 2-D. */
    boolean strided() { return p != null || q != null; }

    /** {@code index} in that form, or null. */
    static NestIndex of(Value index, LoopCounter x, LoopCounter y) {
        Map<Key, Long> form = linear(index, x, y, MAX_DEPTH);
        if (form == null) return null;
        boolean inner = false, outer = false;
        Value p = null, q = null;
        Map<List<Value>, Integer> terms = new LinkedHashMap<>();
        int products = 0;
        long constant = 0;
        for (Map.Entry<Key, Long> e : form.entrySet()) {
            Key k = e.getKey();
            long coefficient = e.getValue();
            if (coefficient == 0) continue;
            switch (k.counter) {
                case X, Y -> {
                    if (coefficient != 1 || k.factors.size() > 1) return null;
                    Value factor = k.factors.isEmpty() ? null : k.factors.get(0);
                    if (k.counter == Counter.X) {
                        if (inner) return null;
                        inner = true;
                        p = factor;
                    } else {
                        if (outer) return null;
                        outer = true;
                        q = factor;
                    }
                }
                case NONE -> {
                    if (k.factors.isEmpty()) {
                        constant = coefficient;
                    } else {
                        // One product of two ints, at most 2^62, and small multiples of ints: the long sum cannot overflow.
                        if (k.factors.size() == 2 && (Math.abs(coefficient) != 1 || products++ > 0)) return null;
                        if (Math.abs(coefficient) > MAX_COEFFICIENT) return null;
                        terms.put(k.factors, (int) coefficient);
                    }
                }
            }
        }
        if (Math.abs(constant) > MAX_CONSTANT) return null;
        return new NestIndex(inner, p, outer, q, Collections.unmodifiableMap(terms), (int) constant);
    }

    private enum Counter { NONE, X, Y }

    /** One term of a linear form: a counter (or none) times values from outside the nest (none for 1). */
    private record Key(Counter counter, List<Value> factors) {}

    private static Map<Key, Long> linear(Value v, LoopCounter x, LoopCounter y, int depth) {
        Map<Key, Long> form = new LinkedHashMap<>();
        if (v == x.phi()) {
            form.put(new Key(Counter.X, List.of()), 1L);
        } else if (v == y.phi()) {
            form.put(new Key(Counter.Y, List.of()), 1L);
        } else if (v.type() != Type.INT) {
            return null;
        } else if (v instanceof Constant c) {
            form.put(new Key(Counter.NONE, List.of()), (long) c.intValue());
        } else if (y.loop().definedOutside(v)) {
            form.put(new Key(Counter.NONE, List.of(v)), 1L);
        } else if (depth > 0 && v instanceof Instruction i) {
            switch (i.opcode()) {
                case ADD, SUB -> {
                    Map<Key, Long> a = linear(i.operand(0), x, y, depth - 1), b = linear(i.operand(1), x, y, depth - 1);
                    if (a == null || b == null) return null;
                    form.putAll(a);
                    long sign = i.opcode() == Opcode.ADD ? 1 : -1;
                    for (Map.Entry<Key, Long> e : b.entrySet()) form.merge(e.getKey(), sign * e.getValue(), Long::sum);
                }
                case MUL -> {
                    Map<Key, Long> product = product(i, x, y, depth);
                    if (product == null) return null;
                    form.putAll(product);
                }
                default -> { return null; }
            }
        } else {
            return null;
        }
        for (long coefficient : form.values()) if (Math.abs(coefficient) > MAX_CONSTANT) return null;
        return form;
    }

    /**
     * A product one of whose sides is a constant, or a value from outside the nest times a form whose counters have no
     * factor yet and whose values are single.
     */
    private static Map<Key, Long> product(Instruction mul, LoopCounter x, LoopCounter y, int depth) {
        for (int side = 0; side < 2; side++) {
            Value factor = mul.operand(side);
            Map<Key, Long> other = linear(mul.operand(1 - side), x, y, depth - 1);
            if (other == null) return null;
            Map<Key, Long> form = new LinkedHashMap<>();
            if (factor instanceof Constant c && c.type() == Type.INT) {
                for (Map.Entry<Key, Long> e : other.entrySet()) form.put(e.getKey(), e.getValue() * c.intValue());
                return form;
            }
            if (factor.type() == Type.INT && y.loop().definedOutside(factor)) {
                for (Map.Entry<Key, Long> e : other.entrySet()) {
                    List<Value> factors = e.getKey().factors;
                    if (factors.size() > (e.getKey().counter == Counter.NONE ? 1 : 0)) return null;
                    // A constant times the value is the value as a term with that coefficient.
                    List<Value> more = new ArrayList<>(factors);
                    more.add(factor);
                    form.merge(new Key(e.getKey().counter, List.copyOf(more)), e.getValue(), Long::sum);
                }
                return form;
            }
        }
        return null;
    }
}
