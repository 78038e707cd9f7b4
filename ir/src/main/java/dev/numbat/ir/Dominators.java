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
    /**
     * Where each block is entered and left in a depth-first walk of the dominator tree: {@code a} dominates {@code b}
     * exactly when {@code b}'s interval lies in {@code a}'s. Walking up the tree instead cost a function of 2,000
     * diamonds (a tree 4,000 deep) about 270 ms per loop pass, for every edge that LoopForest tests.
     */
    private final Map<BasicBlock, int[]> interval = new HashMap<>();

    private Dominators(List<BasicBlock> rpo) {
        this.reversePostorder = rpo;
        for (int k = 0; k < rpo.size(); k++) order.put(rpo.get(k), k);
    }

    public static Dominators of(Function f) {
        Dominators d = new Dominators(reversePostorder(f));
        d.compute();
        d.numberTree();
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

    private void numberTree() {
        Map<BasicBlock, List<BasicBlock>> children = new HashMap<>();
        for (BasicBlock b : reversePostorder) {
            BasicBlock up = idom.get(b);
            if (up != null && up != b) children.computeIfAbsent(up, k -> new ArrayList<>()).add(b);
        }
        // Iterative: the tree of a long chain of diamonds is thousands deep.
        int clock = 0;
        List<BasicBlock> stack = new ArrayList<>(List.of(reversePostorder.get(0)));
        List<Integer> next = new ArrayList<>(List.of(0));
        interval.put(reversePostorder.get(0), new int[] {clock++, 0});
        while (!stack.isEmpty()) {
            int top = stack.size() - 1;
            List<BasicBlock> kids = children.getOrDefault(stack.get(top), List.of());
            int k = next.get(top);
            if (k < kids.size()) {
                next.set(top, k + 1);
                BasicBlock c = kids.get(k);
                interval.put(c, new int[] {clock++, 0});
                stack.add(c);
                next.add(0);
            } else {
                interval.get(stack.get(top))[1] = clock++;
                stack.remove(top);
                next.remove(top);
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
        int[] outer = interval.get(a), inner = interval.get(b);
        return outer != null && outer[0] <= inner[0] && inner[1] <= outer[1];
    }

    /** True when the edge from {@code from} to {@code to} goes back to a block that dominates it. */
    public boolean isBackEdge(BasicBlock from, BasicBlock to) { return dominates(to, from); }
}
