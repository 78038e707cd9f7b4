package dev.numbat.fuzz;

import dev.numbat.fuzz.Ast.Block;
import dev.numbat.fuzz.Ast.Call;
import dev.numbat.fuzz.Ast.DoWhile;
import dev.numbat.fuzz.Ast.Expr;
import dev.numbat.fuzz.Ast.Field;
import dev.numbat.fuzz.Ast.For;
import dev.numbat.fuzz.Ast.ForEach;
import dev.numbat.fuzz.Ast.Labelled;
import dev.numbat.fuzz.Ast.If;
import dev.numbat.fuzz.Ast.Lit;
import dev.numbat.fuzz.Ast.Method;
import dev.numbat.fuzz.Ast.Node;
import dev.numbat.fuzz.Ast.Prim;
import dev.numbat.fuzz.Ast.Program;
import dev.numbat.fuzz.Ast.Stmt;
import dev.numbat.fuzz.Ast.Switch;
import dev.numbat.fuzz.Ast.While;
import java.lang.reflect.Array;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Delta debugging of a failing program: shrinks the program tree and the failing inputs step by step, keeping a
 * step only when the smaller case still fails the same way (the {@code interesting} predicate recompiles it with
 * javac and Numbat and compares again). Steps, repeated until none applies or time is up:
 *
 * <ol>
 *   <li>keep one failing argument tuple; drop methods the entry method cannot reach;</li>
 *   <li>remove statements from every block, in halving chunks down to single statements (ddmin);</li>
 *   <li>replace a statement by a part of it: an {@code if} by its then or else block, a loop or labelled block
 *       by its body, a switch by one arm, a nested block by its statements;</li>
 *   <li>replace an expression by 0, 1, false or true, or by one of its sub-expressions of the same type;</li>
 *   <li>remove a parameter (and its argument at every call, and in the tuple), a field;</li>
 *   <li>simplify the arguments: scalars to 0 or 1, arrays shorter or zeroed.</li>
 * </ol>
 *
 * Loop bounds, fuel, the recursion guard and the NaN guards are fields of their nodes, not sub-trees, so no step
 * can make the program loop forever or depend on unspecified behaviour. Candidates javac rejects (a variable
 * still used, a {@code break} outside a loop) are simply not interesting.
 */
final class Reducer {
    /** A program, the method under test, and its inputs. */
    record Case(Program program, String entry, List<Object[]> tuples, boolean debugInfo, double ulps) {
        Case copy() {
            List<Object[]> ts = new ArrayList<>();
            for (Object[] t : tuples) ts.add(Inputs.copy(t));
            return new Case(program.copy(), entry, ts, debugInfo, ulps);
        }

        Method method() { return program.method(entry); }
    }

    private final Predicate<Case> interesting;
    private final long deadline;
    private Case best;
    int tests;
    int accepted;

    private Reducer(Case start, Predicate<Case> interesting, long millis) {
        this.best = start;
        this.interesting = interesting;
        this.deadline = System.currentTimeMillis() + millis;
    }

    /** Reduces {@code start}, which must be interesting, for at most {@code millis}. */
    static Case reduce(Case start, Predicate<Case> interesting, long millis) {
        Reducer r = new Reducer(start.copy(), interesting, millis);
        r.run();
        return r.best;
    }

    static Reducer reducer(Case start, Predicate<Case> interesting, long millis) {
        return new Reducer(start.copy(), interesting, millis);
    }

    Case best() { return best; }

    void run() {
        oneTuple();
        pruneMethods();
        boolean progress = true;
        while (progress && !timeUp()) {
            int before = accepted;
            removeStatements();
            simplifyStatements();
            simplifyExpressions();
            removeParameters();
            removeFields();
            simplifyInputs();
            pruneMethods();
            progress = accepted != before;
        }
    }

    private boolean timeUp() { return System.currentTimeMillis() > deadline; }

    /** Applies {@code edit} to a copy of the best case; keeps it if the edit applied and the copy is interesting. */
    private boolean attempt(Edit edit) {
        if (timeUp()) return false;
        Case c = best.copy();
        if (!edit.apply(c)) return false;
        if (same(c, best)) return false;
        tests++;
        if (!interesting.test(c)) return false;
        best = c;
        accepted++;
        return true;
    }

    private static boolean same(Case a, Case b) {
        if (!a.program.source().equals(b.program.source()) || a.tuples.size() != b.tuples.size()) return false;
        for (int i = 0; i < a.tuples.size(); i++) {
            if (!Inputs.encode(a.tuples.get(i)).equals(Inputs.encode(b.tuples.get(i)))) return false;
        }
        return true;
    }

    @FunctionalInterface
    interface Edit {
        boolean apply(Case c);
    }

    // ---- steps ------------------------------------------------------------------------------------

    private void oneTuple() {
        if (best.tuples.size() <= 1) return;
        for (int i = 0; i < best.tuples.size(); i++) {
            int k = i;
            if (attempt(c -> {
                Object[] t = c.tuples.get(k);
                c.tuples.clear();
                c.tuples.add(t);
                return true;
            })) {
                return;
            }
        }
    }

    private void pruneMethods() {
        attempt(c -> {
            Set<String> reachable = reachable(c.program, c.entry);
            boolean removed = c.program.kids.removeIf(k -> k instanceof Method m && !reachable.contains(m.name));
            return removed;
        });
    }

    static Set<String> reachable(Program p, String entry) {
        Set<String> seen = new HashSet<>();
        Deque<String> work = new ArrayDeque<>(List.of(entry));
        while (!work.isEmpty()) {
            String n = work.pop();
            if (!seen.add(n)) continue;
            Method m = p.method(n);
            if (m == null) continue;
            for (Node x : preorder(m)) if (x instanceof Call call && p.method(call.name) != null) work.push(call.name);
        }
        return seen;
    }

    private void removeStatements() {
        for (int b = 0; b < blocks(best.program).size() && !timeUp(); b++) {
            int bi = b;
            int chunk = blocks(best.program).get(bi).kids.size();
            while (chunk >= 1) {
                int start = 0;
                while (start < blocks(best.program).get(bi).kids.size()) {
                    int s = start, n = chunk;
                    boolean ok = attempt(c -> {
                        Block block = blocks(c.program).get(bi);
                        if (s >= block.kids.size()) return false;
                        block.kids.subList(s, Math.min(block.kids.size(), s + n)).clear();
                        return true;
                    });
                    if (!ok) start += chunk;
                }
                chunk /= 2;
            }
        }
    }

    private void simplifyStatements() {
        for (int i = 0; i < statementSlots(best.program).size() && !timeUp(); i++) {
            int si = i;
            Node s = statementSlots(best.program).get(si).kid();
            int options = switch (s) {
                case If x -> 2;
                case For x -> 1;
                case ForEach x -> 1;
                case Labelled x -> 1;
                case While x -> 1;
                case DoWhile x -> 1;
                case Switch x -> x.kids.size() - 1;
                case Block x -> 1;
                default -> 0;
            };
            for (int o = 0; o < options; o++) {
                int option = o;
                if (attempt(c -> {
                    Slot slot = statementSlots(c.program).get(si);
                    Stmt st = (Stmt) slot.kid();
                    Block replacement = switch (st) {
                        case If x -> (Block) x.kid(1 + option);
                        case For x -> x.body();
                        case ForEach x -> x.body();
                        case Labelled x -> (Block) x.kid(0);
                        case While x -> (Block) x.kid(1);
                        case DoWhile x -> (Block) x.kid(1);
                        case Switch x -> (Block) x.kid(1 + option);
                        case Block x -> x;
                        default -> null;
                    };
                    if (replacement == null) return false;
                    slot.parent().kids.remove(slot.index());
                    slot.parent().kids.addAll(slot.index(), replacement.kids);
                    return true;
                })) {
                    i--; // look at what replaced it
                    break;
                }
            }
        }
    }

    private void simplifyExpressions() {
        for (int i = 0; i < expressionSlots(best.program).size() && !timeUp(); i++) {
            int ei = i;
            Expr e = (Expr) expressionSlots(best.program).get(ei).kid();
            List<Expr> options = new ArrayList<>();
            if (!e.type.array()) {
                Prim p = e.type.prim();
                if (p == Prim.BOOLEAN) {
                    options.add(Lit.of(p, 0));
                    options.add(Lit.of(p, 1));
                } else if (!(e instanceof Lit l) || !isSmall(l)) {
                    options.add(Lit.of(p, 0));
                    options.add(Lit.of(p, 1));
                    options.add(Lit.of(p, -1));
                }
            }
            for (Node d : sameTypedDescendants(e)) options.add((Expr) d);
            for (Expr option : options) {
                if (e instanceof Lit l && option instanceof Lit o && l.value.equals(o.value)) continue;
                if (attempt(c -> {
                    Slot slot = expressionSlots(c.program).get(ei);
                    slot.parent().kids.set(slot.index(), option.copy());
                    return true;
                })) {
                    break;
                }
            }
        }
    }

    private static boolean isSmall(Lit l) {
        return switch (l.value) {
            case Integer v -> v >= -1 && v <= 1;
            case Long v -> v >= -1 && v <= 1;
            case Byte v -> v >= -1 && v <= 1;
            case Short v -> v >= -1 && v <= 1;
            case Character v -> v <= 1;
            case Float v -> v == 0 || v == 1 || v == -1;
            case Double v -> v == 0 || v == 1 || v == -1;
            default -> true;
        };
    }

    /** Sub-expressions of {@code e} with its type, nearest first. */
    private static List<Node> sameTypedDescendants(Expr e) {
        List<Node> out = new ArrayList<>();
        Deque<Node> queue = new ArrayDeque<>(e.kids);
        while (!queue.isEmpty() && out.size() < 8) {
            Node n = queue.poll();
            if (n == null) continue;
            if (n instanceof Expr x && x.type != null && x.type.equals(e.type)) out.add(x);
            queue.addAll(n.kids);
        }
        return out;
    }

    private void removeParameters() {
        for (int mi = 0; mi < best.program.methods().size() && !timeUp(); mi++) {
            int mIndex = mi;
            for (int j = best.program.methods().get(mIndex).params.size() - 1; j >= 0; j--) {
                Method m = best.program.methods().get(mIndex);
                if (m.recursive && j == 0) continue;
                int pj = j;
                attempt(c -> {
                    Method target = c.program.methods().get(mIndex);
                    target.params.remove(pj);
                    for (Node n : preorder(c.program)) {
                        if (n instanceof Call call && call.name.equals(target.name)) {
                            int k = call.selfCall ? pj - 1 : pj;
                            if (k < 0 || k >= call.kids.size()) return false;
                            call.kids.remove(k);
                        }
                    }
                    if (target.name.equals(c.entry)) {
                        for (int t = 0; t < c.tuples.size(); t++) {
                            List<Object> args = new ArrayList<>(java.util.Arrays.asList(c.tuples.get(t)));
                            args.remove(pj);
                            c.tuples.set(t, args.toArray());
                        }
                    }
                    return true;
                });
            }
        }
    }

    private void removeFields() {
        for (int fi = best.program.fields().size() - 1; fi >= 0; fi--) {
            int f = fi;
            attempt(c -> {
                Field field = c.program.fields().get(f);
                return c.program.kids.remove(field);
            });
        }
    }

    private void simplifyInputs() {
        for (int t = 0; t < best.tuples.size(); t++) {
            for (int a = 0; a < best.tuples.get(t).length && !timeUp(); a++) {
                int ti = t, ai = a;
                Object v = best.tuples.get(t)[a];
                if (v == null) continue;
                if (v.getClass().isArray()) {
                    int n = Array.getLength(v);
                    for (int len : new int[] {0, 1, n / 2, n - 1}) {
                        if (len < 0 || len >= Array.getLength(best.tuples.get(ti)[ai])) continue;
                        attempt(c -> {
                            Object old = c.tuples.get(ti)[ai];
                            Object shorter = Array.newInstance(old.getClass().getComponentType(), len);
                            System.arraycopy(old, 0, shorter, 0, len);
                            replaceArray(c.tuples.get(ti), old, shorter);
                            return true;
                        });
                    }
                    attempt(c -> {
                        Object arr = c.tuples.get(ti)[ai];
                        boolean changed = false;
                        Object zero = zero(arr.getClass().getComponentType());
                        for (int i = 0; i < Array.getLength(arr); i++) {
                            if (!Array.get(arr, i).equals(zero)) {
                                Array.set(arr, i, zero);
                                changed = true;
                            }
                        }
                        return changed;
                    });
                } else {
                    Class<?> type = best.method().params.get(ai).type().cls();
                    for (Object simpler : new Object[] {zero(type), one(type)}) {
                        if (simpler.equals(v)) break;
                        if (attempt(c -> {
                            c.tuples.get(ti)[ai] = simpler;
                            return true;
                        })) {
                            break;
                        }
                    }
                }
            }
        }
    }

    private static void replaceArray(Object[] args, Object old, Object replacement) {
        for (int i = 0; i < args.length; i++) if (args[i] == old) args[i] = replacement;
    }

    private static Object zero(Class<?> c) {
        if (c == boolean.class) return false;
        if (c == byte.class) return (byte) 0;
        if (c == short.class) return (short) 0;
        if (c == char.class) return (char) 0;
        if (c == int.class) return 0;
        if (c == long.class) return 0L;
        if (c == float.class) return 0.0f;
        return 0.0;
    }

    private static Object one(Class<?> c) {
        if (c == boolean.class) return true;
        if (c == byte.class) return (byte) 1;
        if (c == short.class) return (short) 1;
        if (c == char.class) return (char) 1;
        if (c == int.class) return 1;
        if (c == long.class) return 1L;
        if (c == float.class) return 1.0f;
        return 1.0;
    }

    // ---- tree walking -----------------------------------------------------------------------------

    record Slot(Node parent, int index) {
        Node kid() { return parent.kids.get(index); }
    }

    static List<Node> preorder(Node root) {
        List<Node> out = new ArrayList<>();
        Deque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            out.add(n);
            for (int i = n.kids.size() - 1; i >= 0; i--) if (n.kids.get(i) != null) stack.push(n.kids.get(i));
        }
        return out;
    }

    static List<Slot> slots(Node root) {
        List<Slot> out = new ArrayList<>();
        for (Node n : preorder(root)) {
            for (int i = 0; i < n.kids.size(); i++) if (n.kids.get(i) != null) out.add(new Slot(n, i));
        }
        return out;
    }

    static List<Block> blocks(Program p) {
        List<Block> out = new ArrayList<>();
        for (Node n : preorder(p)) if (n instanceof Block b) out.add(b);
        return out;
    }

    /** Statements directly inside a block. */
    static List<Slot> statementSlots(Program p) {
        List<Slot> out = new ArrayList<>();
        for (Slot s : slots(p)) if (s.parent() instanceof Block) out.add(s);
        return out;
    }

    /** Expressions the reducer may replace. */
    static List<Slot> expressionSlots(Program p) {
        List<Slot> out = new ArrayList<>();
        for (Slot s : slots(p)) {
            if (s.kid() instanceof Expr && s.parent().replaceable(s.index())) out.add(s);
        }
        return out;
    }
}
