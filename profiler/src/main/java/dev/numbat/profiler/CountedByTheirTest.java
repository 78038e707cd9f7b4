package dev.numbat.profiler;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * The loops whose back-edges need no counter of their own, because their test at the header counts them already:
 * a loop as javac compiles {@code for} and {@code while}, {@code h: ...; if (!cond) goto exit; body; goto h}, with one
 * way back (the {@code goto}) and one way out (the test). Every time the test falls through, the body runs to the
 * {@code goto}, so the test's fall-throughs are the loop's back-edges, and an iteration pays one {@code iinc} less
 * (a step towards the edge profiling on a spanning tree that counts fewest). The body must not leave the loop any
 * other way: no {@code break}, {@code return}, {@code throw} or {@code switch} case outside it, no jump into its
 * middle from outside, no exception handler over it. An exception that leaves the method from the body is the one
 * case left: that call counts one back-edge it did not take, a profile is a hint, not an exact record.
 */
final class CountedByTheirTest {
    private CountedByTheirTest() {}

    /** Header index to the index of its test, for each such loop; indices into {@code real}, the real instructions. */
    static Map<Integer, Integer> find(List<AbstractInsnNode> real, Map<LabelNode, Integer> labelTarget, List<TryCatchBlockNode> handlers) {
        List<int[]> edges = edges(real, labelTarget);
        Map<Integer, List<Integer>> backEdges = new HashMap<>();
        for (int[] e : edges) if (e[1] <= e[0]) backEdges.computeIfAbsent(e[1], h -> new ArrayList<>()).add(e[0]);
        Map<Integer, Integer> found = new HashMap<>();
        for (Map.Entry<Integer, List<Integer>> loop : backEdges.entrySet()) {
            int h = loop.getKey();
            if (loop.getValue().size() != 1) continue;
            int end = loop.getValue().get(0);
            if (real.get(end).getOpcode() != GOTO) continue;
            int test = h;
            while (test < end && !(real.get(test) instanceof JumpInsnNode) && !branchesOrLeaves(real.get(test).getOpcode())) test++;
            if (test >= end || !(real.get(test) instanceof JumpInsnNode j) || j.getOpcode() == GOTO || j.getOpcode() == JSR) continue;
            int exit = labelTarget.get(j.label);
            if (exit >= h && exit <= end) continue;
            if (onlyWayOut(h, test, end, edges, real) && noHandlerOver(h, end, handlers, labelTarget)) found.put(h, test);
        }
        return found;
    }

    /**
     * Of the loops {@code find} gave (header to test), the conditional jump each body runs first and exactly once per
     * iteration: reached from the test's fall-through by straight-line code that no jump enters. Its index to its
     * loop's test's.
     */
    static Map<Integer, Integer> firstBranchesOfBodies(List<AbstractInsnNode> real, Map<LabelNode, Integer> labelTarget,
                                                       Map<Integer, Integer> testOfHeader) {
        boolean[] target = new boolean[real.size() + 1];
        for (int[] e : edges(real, labelTarget)) target[e[1]] = true;
        Map<Integer, Integer> found = new HashMap<>();
        for (int test : testOfHeader.values()) {
            int k = test + 1;
            while (k < real.size() && !target[k] && !(real.get(k) instanceof JumpInsnNode) && !branchesOrLeaves(real.get(k).getOpcode())) k++;
            if (k < real.size() && !target[k] && real.get(k) instanceof JumpInsnNode j && j.getOpcode() != GOTO && j.getOpcode() != JSR) {
                found.put(k, test);
            }
        }
        return found;
    }

    /** {@code {from, to}} for every jump and switch case, as indices into {@code real}. */
    private static List<int[]> edges(List<AbstractInsnNode> real, Map<LabelNode, Integer> labelTarget) {
        List<int[]> edges = new ArrayList<>();
        for (int i = 0; i < real.size(); i++) {
            AbstractInsnNode n = real.get(i);
            if (n instanceof JumpInsnNode j) edges.add(new int[] {i, labelTarget.get(j.label)});
            else if (n instanceof TableSwitchInsnNode t) {
                edges.add(new int[] {i, labelTarget.get(t.dflt)});
                for (LabelNode l : t.labels) edges.add(new int[] {i, labelTarget.get(l)});
            } else if (n instanceof LookupSwitchInsnNode s) {
                edges.add(new int[] {i, labelTarget.get(s.dflt)});
                for (LabelNode l : s.labels) edges.add(new int[] {i, labelTarget.get(l)});
            }
        }
        return edges;
    }

    private static boolean onlyWayOut(int h, int test, int end, List<int[]> edges, List<AbstractInsnNode> real) {
        for (int[] e : edges) {
            boolean fromInside = e[0] >= h && e[0] <= end, toInside = e[1] >= h && e[1] <= end;
            if (fromInside && !toInside && e[0] != test) return false;     // another way out
            if (!fromInside && toInside && e[1] != h) return false;        // a way into the middle
            if (e[1] > h && e[1] <= test) return false;                    // the header is not straight-line code
        }
        for (int k = h; k <= end; k++) if (leavesTheMethod(real.get(k).getOpcode())) return false;
        return true;
    }

    private static boolean noHandlerOver(int h, int end, List<TryCatchBlockNode> handlers, Map<LabelNode, Integer> labelTarget) {
        for (TryCatchBlockNode t : handlers) {
            int from = labelTarget.get(t.start), to = labelTarget.get(t.end); // [from, to)
            if (from <= end && to > h) return false;
        }
        return true;
    }

    private static boolean leavesTheMethod(int op) { return (op >= IRETURN && op <= RETURN) || op == ATHROW || op == RET; }

    private static boolean branchesOrLeaves(int op) { return leavesTheMethod(op) || op == TABLESWITCH || op == LOOKUPSWITCH; }
}
