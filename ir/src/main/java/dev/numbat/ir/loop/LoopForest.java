package dev.numbat.ir.loop;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.Function;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The natural loops of a function and how they nest, found from back edges (an edge to a block that
 * dominates its source). The frontend refuses irreducible control flow, so every cycle is such a loop.
 * A snapshot: any change to the control flow invalidates it.
 */
public final class LoopForest {
    private final Map<BasicBlock, Loop> byHeader = new LinkedHashMap<>();
    private final List<Loop> topLevel = new ArrayList<>();

    public static LoopForest of(Function f, Dominators dom) {
        LoopForest forest = new LoopForest();
        for (BasicBlock b : dom.reversePostorder()) {
            for (BasicBlock s : b.successors()) {
                if (!dom.dominates(s, b)) continue;
                Loop loop = forest.byHeader.computeIfAbsent(s, h -> new Loop(h, new LinkedHashSet<>(List.of(h))));
                collect(loop, b, dom);
            }
        }
        List<Loop> bySize = new ArrayList<>(forest.byHeader.values());
        bySize.sort(Comparator.comparingInt(l -> l.blocks().size()));
        for (int i = 0; i < bySize.size(); i++) {
            Loop inner = bySize.get(i);
            for (int j = i + 1; j < bySize.size(); j++) {
                Loop outer = bySize.get(j);
                if (outer != inner && outer.contains(inner.header())) {
                    inner.parent = outer;
                    outer.children.add(inner);
                    break;
                }
            }
            if (inner.parent == null) forest.topLevel.add(inner);
        }
        forest.topLevel.sort(Comparator.comparingInt(l -> f.blocks().indexOf(l.header())));
        return forest;
    }

    /** Adds every block that reaches {@code latch} without passing the header. */
    private static void collect(Loop loop, BasicBlock latch, Dominators dom) {
        Set<BasicBlock> body = new LinkedHashSet<>();
        Deque<BasicBlock> work = new ArrayDeque<>();
        work.push(latch);
        while (!work.isEmpty()) {
            BasicBlock b = work.pop();
            if (b == loop.header() || !dom.isReachable(b) || !body.add(b)) continue;
            for (BasicBlock p : b.predecessors()) work.push(p);
        }
        for (BasicBlock b : body) loop.add(b);
    }

    public List<Loop> topLevel() { return topLevel; }

    /** The loops with no loop inside, outer loops' first. */
    public List<Loop> innermost() {
        List<Loop> out = new ArrayList<>();
        collectInnermost(topLevel, out);
        return out;
    }

    private static void collectInnermost(List<Loop> loops, List<Loop> out) {
        for (Loop l : loops) {
            if (l.children().isEmpty()) out.add(l);
            else collectInnermost(l.children(), out);
        }
    }

    /** The loop whose header is {@code header}, or null. */
    public Loop withHeader(BasicBlock header) { return byHeader.get(header); }
}
