package dev.numbat.ptx;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Constant;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.Function;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Parameter;
import dev.numbat.ir.Type;
import dev.numbat.ir.Value;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The outermost loop of a {@code @Jit(parallel = true, target = PTX)} method, turned into a grid-stride
 * loop: its counter starts at {@code start + globalId(0)} and steps by the number of threads in the grid,
 * so any grid covers every iteration exactly once. Nothing else of the IR changes. The loop must be
 * javac's counted form {@code for (int i = start; i < bound; i++)} with the bound computed before the loop
 * and no other value carried between iterations (a reduction is not independent), and the code outside the
 * loop, which every thread runs, must not write arrays or call methods. Additions that would pass
 * {@code Integer.MAX_VALUE} stop at it, so the {@code i < bound} test ends the loop as Java's would.
 */
final class ParallelLoop {
    private final Instruction counter;
    private final BasicBlock outside;
    private final Instruction increment;

    private ParallelLoop(Instruction counter, BasicBlock outside, Instruction increment) {
        this.counter = counter;
        this.outside = outside;
        this.increment = increment;
    }

    static ParallelLoop find(Function f, KernelModuleWriter module) throws PtxCompileException {
        Dominators dom = Dominators.of(f);
        for (BasicBlock h : dom.reversePostorder()) {
            BasicBlock latch = null, entry = null;
            for (BasicBlock p : h.predecessors()) {
                if (dom.isReachable(p) && dom.isBackEdge(p, h)) {
                    if (latch != null) throw refuse(f, "its outermost loop has more than one back edge");
                    latch = p;
                } else if (dom.isReachable(p)) {
                    if (entry != null) throw refuse(f, "its outermost loop is entered from more than one place");
                    entry = p;
                }
            }
            if (latch == null) continue;
            return of(f, h, entry, latch, body(h, latch));
        }
        throw refuse(f, "it has no loop to spread over the GPU's threads");
    }

    private static ParallelLoop of(Function f, BasicBlock h, BasicBlock entry, BasicBlock latch, Set<BasicBlock> body)
            throws PtxCompileException {
        List<Instruction> phis = h.phis();
        if (phis.size() != 1 || phis.get(0).type() != Type.INT) {
            throw refuse(f, "its outermost loop carries " + phis.size() + " values from one iteration to the next"
                    + " (only an int counter can become the grid; a reduction cannot)");
        }
        Instruction counter = phis.get(0);
        Value next = counter.incomingValue(latch);
        if (!(next instanceof Instruction inc) || inc.opcode() != Opcode.ADD || inc.users().size() != 1
                || !(inc.operand(0) == counter && isOne(inc.operand(1)) || inc.operand(1) == counter && isOne(inc.operand(0)))) {
            throw refuse(f, "its outermost loop does not count up by 1");
        }
        Instruction test = h.terminator();
        boolean counted = test.opcode() == Opcode.IF && test.operand(0) == counter && definedOutside(test.operand(1), body)
                && (test.condition() == dev.numbat.ir.Condition.LT && body.contains(test.targets().get(0)) && !body.contains(test.targets().get(1))
                || test.condition() == dev.numbat.ir.Condition.GE && !body.contains(test.targets().get(0)) && body.contains(test.targets().get(1)));
        if (!counted) throw refuse(f, "its outermost loop is not of the form for (int i = start; i < bound; i++)");
        for (BasicBlock b : f.blocks()) {
            if (body.contains(b)) continue;
            for (Instruction i : b.instructions()) {
                if (i.opcode() == Opcode.ARRAY_STORE || i.opcode() == Opcode.CALL) {
                    throw refuse(f, "code outside its outermost loop " + (i.opcode() == Opcode.CALL ? "calls a method" : "writes an array")
                            + ", which every GPU thread would do");
                }
            }
        }
        return new ParallelLoop(counter, entry, inc);
    }

    private static boolean isOne(Value v) { return v instanceof Constant c && c.type() == Type.INT && c.intValue() == 1; }

    /**
     * The same in every iteration: defined before the loop, or (as javac's {@code i < a.length}, which reloads
     * the length each time) a length or arithmetic without side effects on such values.
     */
    private static boolean definedOutside(Value v, Set<BasicBlock> body) {
        if (v instanceof Constant || v instanceof Parameter) return true;
        if (!(v instanceof Instruction i)) return false;
        if (!body.contains(i.block())) return true;
        boolean pure = switch (i.opcode()) {
            case ARRAY_LENGTH, ADD, SUB, MUL, NEG, AND, OR, XOR, SHL, SHR, USHR, CONVERT -> true;
            case INTRINSIC -> !i.mayThrow();
            default -> false;
        };
        if (!pure) return false;
        for (Value o : i.operands()) if (!definedOutside(o, body)) return false;
        return true;
    }

    /** The natural loop of the back edge latch -> h. */
    private static Set<BasicBlock> body(BasicBlock h, BasicBlock latch) {
        Set<BasicBlock> body = new HashSet<>();
        body.add(h);
        Deque<BasicBlock> work = new ArrayDeque<>();
        work.push(latch);
        while (!work.isEmpty()) {
            BasicBlock b = work.pop();
            if (body.add(b)) for (BasicBlock p : b.predecessors()) work.push(p);
        }
        return body;
    }

    private static PtxCompileException refuse(Function f, String why) {
        return new PtxCompileException("parallel loop offload of " + f.displayName() + " refused: " + why);
    }

    // ---- lowering hooks, called by FunctionWriter ------------------------------------------------

    void writePrelude(FunctionWriter w) {
        GpuCalls gpu = new GpuCalls(w);
        String id = w.let("mul i32 " + gpu.register("ctaid", "x") + ", " + gpu.register("ntid", "x"));
        w.emit("%par.gid = add i32 " + id + ", " + gpu.register("tid", "x"));
        w.emit("%par.stride = mul i32 " + gpu.register("nctaid", "x") + ", " + gpu.register("ntid", "x"));
    }

    void beforeTerminator(FunctionWriter w, BasicBlock block) {
        if (block == outside) w.emit("%par.init = " + clampedAdd(w, w.val(counter.incomingValue(outside)), "%par.gid"));
    }

    boolean replacesIncoming(Instruction phi, BasicBlock from) { return phi == counter && from == outside; }

    String initial() { return "%par.init"; }

    boolean isIncrement(Instruction i) { return i == increment; }

    void writeIncrement(FunctionWriter w, Instruction i) {
        w.emit(w.val(i) + " = " + clampedAdd(w, w.val(counter), "%par.stride"));
    }

    private static String clampedAdd(FunctionWriter w, String a, String b) {
        w.module().declare("declare { i32, i1 } @llvm.sadd.with.overflow.i32(i32, i32)");
        String pair = w.let("call { i32, i1 } @llvm.sadd.with.overflow.i32(i32 " + a + ", i32 " + b + ")");
        String sum = w.let("extractvalue { i32, i1 } " + pair + ", 0");
        String over = w.let("extractvalue { i32, i1 } " + pair + ", 1");
        return "select i1 " + over + ", i32 2147483647, i32 " + sum;
    }
}
