package dev.numbat.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the invariants every pass must keep: one terminator per block at its end, phis only at the
 * head with one operand per predecessor edge, predecessor lists that match the edges, use lists that
 * match the operands, operand types that fit each opcode, and every use dominated by its definition.
 * Tests run it after every pass.
 */
public final class IrVerifier {
    private final Function f;
    private final List<String> problems = new ArrayList<>();
    /** Position of every instruction in its block, so checks stay linear in the function's size. */
    private final Map<Instruction, Integer> position = new java.util.IdentityHashMap<>();

    private IrVerifier(Function f) { this.f = f; }

    /** Throws {@link IllegalStateException} listing every problem found, with the function's text. */
    public static void verify(Function f) {
        IrVerifier v = new IrVerifier(f);
        v.run();
        if (!v.problems.isEmpty()) {
            throw new IllegalStateException("IR verification failed for " + f.name() + ":\n  "
                    + String.join("\n  ", v.problems) + "\n" + IrPrinter.print(f));
        }
    }

    public static void verify(Module m) {
        for (Function f : m.functions().values()) verify(f);
    }

    private void problem(Object where, String what) { problems.add(where + ": " + what); }

    private void run() {
        if (f.blocks().isEmpty()) { problem(f.name(), "no blocks"); return; }
        if (!f.entry().predecessors().isEmpty()) problem(f.entry(), "the entry block has predecessors");
        for (BasicBlock b : f.blocks()) {
            for (int k = 0; k < b.instructions.size(); k++) position.put(b.instructions.get(k), k);
        }
        Set<BasicBlock> blocks = new HashSet<>(f.blocks());
        Map<BasicBlock, List<BasicBlock>> edgesIn = new HashMap<>();
        for (BasicBlock p : f.blocks()) {
            for (BasicBlock s : p.successors()) edgesIn.computeIfAbsent(s, k -> new ArrayList<>()).add(p);
        }
        for (BasicBlock b : f.blocks()) {
            checkShape(b, blocks, edgesIn.getOrDefault(b, List.of()));
            for (Instruction i : b.instructions()) {
                checkUses(i);
                checkTypes(i);
            }
        }
        if (problems.isEmpty()) checkDominance();
    }

    private void checkShape(BasicBlock b, Set<BasicBlock> blocks, List<BasicBlock> edgesIn) {
        List<Instruction> is = b.instructions();
        if (b.terminator() == null) problem(b, "has no terminator");
        boolean pastPhis = false;
        for (int k = 0; k < is.size(); k++) {
            Instruction i = is.get(k);
            if (i.block() != b) problem(i, "belongs to another block");
            if (i.isTerminator() && k != is.size() - 1) problem(i, "terminator before the end of " + b);
            if (i.isPhi() && pastPhis) problem(i, "phi after a non-phi");
            if (!i.isPhi()) pastPhis = true;
        }
        List<BasicBlock> preds = new ArrayList<>(b.predecessors());
        for (BasicBlock p : edgesIn) if (!preds.remove(p)) problem(b, "edge from " + p + " missing in predecessors");
        if (!preds.isEmpty()) problem(b, "predecessors without edges " + preds);
        for (BasicBlock s : b.successors()) if (!blocks.contains(s)) problem(b, "branches to removed block " + s);
        for (Instruction phi : b.phis()) {
            List<BasicBlock> in = new ArrayList<>(phi.incoming());
            for (BasicBlock p : b.predecessors()) if (!in.remove(p)) problem(phi, "no operand for predecessor " + p);
            if (!in.isEmpty()) problem(phi, "operands for non-predecessors " + in);
        }
    }

    private void checkUses(Instruction i) {
        for (Value v : i.operands()) {
            if (!v.users.contains(i)) problem(i, "not among the users of " + v.reference());
            if (v instanceof Instruction d && (d.block() == null || !position.containsKey(d))) {
                problem(i, "uses removed instruction " + d.reference());
            }
        }
        for (Instruction u : i.users) if (!u.operands.contains(i)) problem(i, "stale user " + u);
    }

    private void checkTypes(Instruction i) {
        List<Value> ops = i.operands();
        Type t = i.type();
        switch (i.opcode()) {
            case ADD, SUB, MUL, DIV, REM -> expect(i, t.isArithmetic() && same(ops, t, 2), "operands and result of one arithmetic type");
            case AND, OR, XOR -> expect(i, t.isIntegral() && same(ops, t, 2), "int or long operands");
            case SHL, SHR, USHR -> expect(i, t.isIntegral() && ops.size() == 2 && ops.get(0).type() == t
                    && ops.get(1).type() == Type.INT, "int or long shifted by an int");
            case NEG -> expect(i, t.isArithmetic() && same(ops, t, 1), "one arithmetic operand");
            case CMP -> expect(i, t == Type.INT && same(ops, Type.LONG, 2), "two longs");
            case CMPL, CMPG -> expect(i, t == Type.INT && ops.size() == 2 && ops.get(0).type().isFloating()
                    && ops.get(1).type() == ops.get(0).type(), "two floats or two doubles");
            case CONVERT -> expect(i, ops.size() == 1 && validConversion(ops.get(0).type(), t), "a JVM conversion");
            case ARRAY_LENGTH -> expect(i, t == Type.INT && ops.size() == 1 && ops.get(0).type().isReference(), "an array");
            case ARRAY_LOAD -> expect(i, ops.size() == 2 && ops.get(0).type().isArray() && ops.get(1).type() == Type.INT
                    && ops.get(0).type().element() == t, "array and int index");
            case ARRAY_STORE -> expect(i, ops.size() == 3 && ops.get(0).type().isArray() && ops.get(1).type() == Type.INT
                    && ops.get(2).type() == ops.get(0).type().element(), "array, int index and an element value");
            case SEGMENT_SIZE -> expect(i, t == Type.LONG && ops.size() == 1 && ops.get(0).type().isSegment(), "a segment");
            case SEGMENT_GET, SEGMENT_GET_AT_INDEX -> expect(i, ops.size() == 3 && ops.get(0).type().isSegment()
                    && ops.get(1) instanceof Constant l && l.type() == Type.LAYOUT && l.layout().element() == t
                    && ops.get(2).type() == Type.LONG, "segment, layout constant of the result's type, long offset");
            case SEGMENT_SET, SEGMENT_SET_AT_INDEX -> expect(i, t == Type.VOID && ops.size() == 4 && ops.get(0).type().isSegment()
                    && ops.get(1) instanceof Constant l && l.type() == Type.LAYOUT && ops.get(2).type() == Type.LONG
                    && ops.get(3).type() == l.layout().element(), "segment, layout constant, long offset, value of the layout's type");
            case NEW_ARRAY -> expect(i, ops.size() == 1 && ops.get(0).type() == Type.INT && t.isArray(), "an int length");
            case CALL -> expect(i, i.callee() != null && i.callee().parameterTypes().equals(types(ops))
                    && i.callee().returnType() == t, "arguments of the callee's types");
            case PARALLEL -> expect(i, i.callee() != null && i.callee().parameterTypes().equals(types(ops))
                    && i.callee().returnType() == t && ops.size() >= 2 && ops.get(0).type() == Type.INT
                    && ops.get(1).type() == Type.INT && (i.reduction() == Reduction.NONE) == (t == Type.VOID),
                    "(from, to, values...) of the body's types, and a reduction exactly when it returns a value");
            case INTRINSIC -> expect(i, i.intrinsic().resultType(types(ops)) == t, "a signature of " + i.intrinsic().text());
            case PHI -> {
                for (Value v : ops) {
                    boolean ok = v.type() == t || (t.isReference() && v.type() == Type.NULL);
                    expect(i, ok, "operands of type " + t);
                }
            }
            case IF -> expect(i, ops.size() == 2 && (ops.get(0).type() == Type.INT && ops.get(1).type() == Type.INT
                    || ops.get(0).type().isReference() && ops.get(1).type().isReference()
                    && (i.condition() == Condition.EQ || i.condition() == Condition.NE)), "two ints, or two references for eq/ne");
            case SWITCH -> expect(i, ops.size() == 1 && ops.get(0).type() == Type.INT, "an int key");
            case RETURN -> {
                Type r = f.returnType();
                boolean ok = r == Type.VOID ? ops.isEmpty()
                        : ops.size() == 1 && (ops.get(0).type() == r || r.isArray() && ops.get(0).type() == Type.NULL);
                expect(i, ok, "a value of the return type " + r);
            }
            case GOTO -> expect(i, ops.isEmpty(), "no operands");
        }
    }

    static boolean validConversion(Type from, Type to) {
        if (from == to) return false;
        if (from.isArithmetic() && to.isArithmetic()) return true;
        if (from == Type.INT && to.isSubInt()) return true;   // i2b, i2s, i2c, i2z
        return from.isSubInt() && to == Type.INT;             // b2i, s2i, c2i, z2i
    }

    private void expect(Instruction i, boolean ok, String what) {
        if (!ok) problem(i, "expects " + what);
    }

    private static boolean same(List<Value> ops, Type t, int n) {
        if (ops.size() != n) return false;
        for (Value v : ops) if (v.type() != t) return false;
        return true;
    }

    private static List<Type> types(List<Value> ops) {
        List<Type> t = new ArrayList<>();
        for (Value v : ops) t.add(v.type());
        return t;
    }

    private void checkDominance() {
        Dominators dom = Dominators.of(f);
        for (BasicBlock b : f.blocks()) {
            if (!dom.isReachable(b)) continue;
            List<Instruction> is = b.instructions();
            for (int k = 0; k < is.size(); k++) {
                Instruction i = is.get(k);
                for (int op = 0; op < i.operands().size(); op++) {
                    if (!(i.operand(op) instanceof Instruction d)) continue;
                    boolean ok;
                    if (i.isPhi()) {
                        BasicBlock pred = i.incoming().get(op);
                        ok = !dom.isReachable(pred) || dom.dominates(d.block(), pred);
                    } else if (d.block() == b) {
                        ok = position.get(d) < k;
                    } else {
                        ok = dom.dominates(d.block(), b);
                    }
                    if (!ok) problem(i, "use of " + d.reference() + " not dominated by its definition");
                }
            }
        }
    }
}
