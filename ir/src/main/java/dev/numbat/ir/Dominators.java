package dev.numbat.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Immediate dominators by the Cooper–Harvey–Kennedy iteration over reverse postorder, and the
 * reverse postorder itself, which passes and backends use as a block order.
 */
public final class Dominators {
    private final List<BasicBlock> reversePostorder;
    private final Map<BasicBlock, Integer> order = new HashMap<>();
    private final Map<BasicBlock, BasicBlock> idom = new HashMap<>();

    private Dominators(List<BasicBlock> rpo) {
        this.reversePostorder = rpo;
        for (int k = 0; k < rpo.size(); k++) order.put(rpo.get(k), k);
    }

    public static Dominators of(Function f) {
        Dominators d = new Dominators(reversePostorder(f));
        d.compute();
        return d;
    }

    /** Blocks reachable from the entry, each before its successors except along back edges. */
    public static List<BasicBlock> reversePostorder(Function f) {
        List<BasicBlock> post = new ArrayList<>();
        Set<BasicBlock> seen = new HashSet<>();
        // Iterative DFS: deep loop nests must not overflow the compiler's stack.
        List<BasicBlock> stack = new ArrayList<>();
        List<Integer> next = new ArrayList<>();
        stack.add(f.entry());
        next.add(0);
        seen.add(f.entry());
        while (!stack.isEmpty()) {
            int top = stack.size() - 1;
            BasicBlock b = stack.get(top);
            List<BasicBlock> succ = b.successors();
            int k = next.get(top);
            if (k < succ.size()) {
                next.set(top, k + 1);
                BasicBlock s = succ.get(k);
                if (seen.add(s)) { stack.add(s); next.add(0); }
            } else {
                post.add(b);
                stack.remove(top);
                next.remove(top);
            }
        }
        List<BasicBlock> rpo = new ArrayList<>(post.size());
        for (int k = post.size() - 1; k >= 0; k--) rpo.add(post.get(k));
        return rpo;
    }

    private void compute() {
        BasicBlock entry = reversePostorder.get(0);
        idom.put(entry, entry);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int k = 1; k < reversePostorder.size(); k++) {
                BasicBlock b = reversePostorder.get(k);
                BasicBlock newIdom = null;
                for (BasicBlock p : b.predecessors()) {
                    if (!idom.containsKey(p)) continue;
                    newIdom = newIdom == null ? p : intersect(p, newIdom);
                }
                if (newIdom != null && idom.get(b) != newIdom) {
                    idom.put(b, newIdom);
                    changed = true;
                }
            }
        }
    }

    private BasicBlock intersect(BasicBlock a, BasicBlock b) {
        while (a != b) {
            while (order.get(a) > order.get(b)) a = idom.get(a);
            while (order.get(b) > order.get(a)) b = idom.get(b);
        }
        return a;
    }

    public List<BasicBlock> reversePostorder() { return reversePostorder; }
    public boolean isReachable(BasicBlock b) { return order.containsKey(b); }
    /** The immediate dominator; the entry is its own. */
    public BasicBlock idom(BasicBlock b) { return idom.get(b); }

    public boolean dominates(BasicBlock a, BasicBlock b) {
        if (!isReachable(b)) return true;
        while (true) {
            if (a == b) return true;
            BasicBlock up = idom.get(b);
            if (up == b || up == null) return false;
            b = up;
        }
    }

    /** True when the edge from {@code from} to {@code to} goes back to a block that dominates it. */
    public boolean isBackEdge(BasicBlock from, BasicBlock to) { return dominates(to, from); }
}
