package dev.numbat.llvm;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.Function;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Intrinsic;
import dev.numbat.ir.Module;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.loop.Loop;
import dev.numbat.ir.loop.LoopForest;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which code computes a family of {@code Math} functions in a module ({@code exp} and {@code log}; {@code pow};
 * {@code sin}, {@code cos} and {@code tan}): fdlibm's, which vectorises ({@link FdlibmLowering} inline, {@link TrigFunctions} as functions
 * with vector versions), or glibc's, called. Both are within Math's 1 ulp; one module uses one of them for every
 * call, so a method never gives two answers for one argument, nor breaks semi-monotonicity between them.
 *
 * <p>fdlibm's branch-free code vectorises: a loop that calls exp or log on values independent of each other
 * (Black-Scholes, an element of an array each) runs them in vectors, 2-3x faster than glibc lane by lane. But its
 * critical path (a reduction, a division, a polynomial) is three times glibc's, so a chain in which each call waits
 * for the last ({@code x = Math.log(Math.exp(x) + 0.5)}) runs three times slower, and slower than HotSpot. So:
 * fdlibm where some loop calls one of the family (directly or through a helper it calls) and no call's result comes
 * back to a value the loop carries to its next iteration; glibc otherwise (no loop, or a recurrence anywhere).
 * A chain through memory ({@code a[i + 1] = Math.exp(a[i])}) is not seen, and gets fdlibm's longer latency.
 */
final class FdlibmChoice {
    private FdlibmChoice() {}

    /**
     * The families among {@code families} whose functions {@code module} computes with fdlibm's code. The loops of
     * every function are found once, whatever the number of families.
     */
    static Set<Set<Intrinsic>> fdlibm(Module module, List<Set<Intrinsic>> families) {
        // For each family, the functions that call one of it directly; families no function calls are decided.
        Map<Set<Intrinsic>, Set<Function>> computing = new LinkedHashMap<>();
        for (Set<Intrinsic> family : families) {
            Set<Function> direct = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Function f : module.functions().values()) if (computesDirectly(f, family)) direct.add(f);
            if (!direct.isEmpty()) computing.put(family, direct);
        }
        Set<Set<Intrinsic>> inLoop = new HashSet<>(), recurrent = new HashSet<>();
        if (computing.isEmpty()) return inLoop; // none of them: no loops to look at
        for (Function f : module.functions().values()) {
            Dominators dom = Dominators.of(f);
            LoopForest forest = LoopForest.of(f, dom);
            for (BasicBlock block : f.blocks()) {
                Loop outermost = outermostAround(forest, block);
                if (outermost == null) continue;
                for (Instruction i : block.instructions()) {
                    Boolean carried = null; // asked once per instruction, whatever the families it belongs to
                    for (Map.Entry<Set<Intrinsic>, Set<Function>> e : computing.entrySet()) {
                        if (!isOneOf(i, e.getKey()) && !(i.opcode() == Opcode.CALL && e.getValue().contains(i.callee()))) continue;
                        if (carried == null) carried = feedsCarriedValue(i, outermost, forest);
                        (carried ? recurrent : inLoop).add(e.getKey());
                    }
                }
            }
        }
        inLoop.removeAll(recurrent);
        return inLoop;
    }

    private static boolean computesDirectly(Function f, Set<Intrinsic> family) {
        for (BasicBlock block : f.blocks()) for (Instruction i : block.instructions()) if (isOneOf(i, family)) return true;
        return false;
    }

    private static boolean isOneOf(Instruction i, Set<Intrinsic> family) {
        return i.opcode() == Opcode.INTRINSIC && family.contains(i.intrinsic());
    }

    private static Loop outermostAround(LoopForest forest, BasicBlock block) {
        for (Loop l : forest.topLevel()) if (l.contains(block)) return l;
        return null;
    }

    /** Whether {@code i}'s value flows, inside {@code loop}, into a phi of a loop header there: a recurrence. */
    private static boolean feedsCarriedValue(Instruction i, Loop loop, LoopForest forest) {
        Set<Instruction> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Instruction> work = new ArrayDeque<>();
        work.push(i);
        while (!work.isEmpty()) {
            Instruction v = work.pop();
            for (Instruction user : v.users()) {
                if (!loop.contains(user.block()) || !seen.add(user)) continue;
                if (user.isPhi() && forest.withHeader(user.block()) != null) return true;
                work.push(user);
            }
        }
        return false;
    }
}
