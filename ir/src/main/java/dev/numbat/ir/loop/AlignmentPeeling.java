package dev.numbat.ir.loop;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Condition;
import dev.numbat.ir.Constant;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Intrinsic;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Site;
import dev.numbat.ir.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Gives a long loop that stores to an array at its counter a pre-loop, as HotSpot's C2 aligns its main loop to a
 * store: a first copy runs until the element stored to lies on a 64-byte boundary, and a second copy goes on from
 * there, its vectorised body writing whole cache lines:
 * <pre>
 *   for (i = 0; i &lt; x.length; i++) y[i] = a * x[i] + y[i];
 * becomes
 *   if (x == null || x.length - 0 &lt; 1024)             // under 4 KiB of y: the loop as it was
 *       for (i = 0; i &lt; x.length; i++) y[i] = a * x[i] + y[i];
 *   else {
 *       peelEnd = 0 + alignPeel(y, 0);                 // 0 to 15 floats before y's next 64-byte boundary
 *       for (i = 0; i &lt; min(x.length, peelEnd); i++) y[i] = a * x[i] + y[i];
 *       for (; i &lt; x.length; i++) y[i] = a * x[i] + y[i];
 *   }
 * </pre>
 * Why: a vector of 64 bytes that straddles two cache lines is two accesses, and a Java array's data is only 8-byte
 * aligned. In a C probe of saxpy over 2,048 floats (AVX-512), an aligned store made the loop about 1.3x faster; in
 * JMH, Numbat's saxpy and stencil at their DRAM sizes ran 1.36x-1.45x faster with this pass (docs/performance.md).
 * LLVM's vectoriser does not peel for alignment itself.
 *
 * <p>The first copy runs a prefix of the loop's own iterations, exactly as the loop would (same checks, same
 * exceptions at the same places), and never more of them than the loop would: its test is the loop's, with the bound
 * lowered to the peel's end. How many it runs depends on where the array lies, never what the loop computes. The
 * short path keeps the loop itself, as LLVM would see it without the pass.
 *
 * <p>Only a loop of this shape: innermost; its counter stepping by one while below its bound (not inclusive); the
 * bound computable before the loop ({@link GuardedBound}); leaving only from its header (the exit may be shared, as
 * after range-check versioning); storing a primitive element to an array from outside the loop at the counter or at
 * the counter plus a value from outside the loop (the first such store picks the array), or, in a loop that writes no
 * memory and does only cheap work, loading one so (a sum or dot product: its first such load picks the array; aligning
 * one of a dot product's two arrays made a C probe's {@code -ffast-math} loop over 65,536 doubles about 6% faster);
 * with no floating-point phi in its header besides, unless the method has {@code fastMath} (a strict floating-point
 * reduction is never vectorised, so its alignment buys nothing).
 *
 * <p>Runs after {@link RangeCheckVersioning} (whose copies it then peels; the fast one stores at {@code inRange} of
 * the counter) and needs reachable blocks (for dominators); adds phis at the loop's exit for the values it hands on.
 */
public final class AlignmentPeeling extends InnermostLoopPass {
    /**
     * The least the loop must cover of the stored array for its first iterations to run in a copy. Peeling costs up
     * to a vector's worth of scalar iterations and a loop entry per run of the loop: peeling every loop made the
     * stencil over rows of 254 doubles (2 KiB) slower (30.5 against 25.6 µs, JMH, two forks each way), and saxpy
     * over 2,048 floats (8 KiB) faster.
     */
    static final int MIN_BYTES = 4096;
    /** How deep the guard may compute the bound: {@code x.length} is one. */
    private static final int MAX_BOUND_DEPTH = 2;

    private final boolean reductionsVectorise;

    /** For a method without {@code fastMath}: loops with a floating-point reduction are left alone. */
    public AlignmentPeeling() { this(false); }

    /** {@code reductionsVectorise}: the method has {@code fastMath}, under which LLVM vectorises floating-point reductions. */
    public AlignmentPeeling(boolean reductionsVectorise) { this.reductionsVectorise = reductionsVectorise; }

    @Override public String name() { return "align-peel"; }

    @Override public String description() { return "runs a long loop's first iterations in a copy until the array it stores to (or reads) is 64-byte aligned"; }

    @Override public Set<Property> invalidates() { return Set.of(Property.NO_DEAD_CODE); }

    @Override
    boolean rewrite(FunctionBuilder builder, Dominators dom, Loop loop) {
        LoopCounter counter = LoopCounter.of(loop);
        if (counter == null || counter.init() == null || counter.inclusive()) return false;
        BasicBlock exit = LoopCopy.exitOf(counter);
        if (!LoopCopy.leavesOnlyFromItsHeader(loop)) return false;
        BasicBlock preheader = LoopCopy.preheaderOf(loop);
        if (preheader == null) return false;
        if (!reductionsVectorise) {
            for (Instruction phi : loop.header().phis()) if (phi != counter.phi() && phi.type().isFloating()) return false;
        }
        Instruction access = firstAccessAtCounter(loop, counter, Opcode.ARRAY_STORE);
        if (access == null && !GuardedBound.writesMemory(loop) && onlyCheapWork(loop)) access = firstAccessAtCounter(loop, counter, Opcode.ARRAY_LOAD);
        if (access == null) return false;
        if (!GuardedBound.computable(counter.bound(), loop, MAX_BOUND_DEPTH)) return false;
        Value offset = offsetFromCounter(access.operand(1), counter, loop);
        int minElements = MIN_BYTES / access.operand(0).type().element().byteSize();

        // Two copies for a long run: the first runs until the stored element is aligned, the second from there on.
        // Shorter runs take the loop as it was (general), which stays exactly as LLVM would see it without the pass.
        exit = LoopCopy.ownExit(builder, loop, exit);
        BasicBlock general = builder.splitEdge(preheader, loop.header());
        BasicBlock start = builder.newBlock(), peelStart = builder.newBlock();
        builder.at(start);
        Value bound = GuardedBound.compute(builder, counter.bound(), loop, general);
        // Where bound - init wraps (a span past MAX_VALUE) the loop only misses the peel.
        Value span = isZero(counter.init()) ? bound : builder.binary(Opcode.SUB, bound, counter.init(), Site.UNKNOWN);
        builder.branch(Condition.LT, span, Constant.ofInt(minElements), general, peelStart);
        builder.at(peelStart);
        Value firstIndex = offset == null ? counter.init()
                : isZero(counter.init()) ? offset : builder.binary(Opcode.ADD, counter.init(), offset, Site.UNKNOWN);
        Value peel = builder.intrinsic(Intrinsic.ALIGN_PEEL, List.of(access.operand(0), firstIndex), Site.UNKNOWN);
        // Past MAX_VALUE this wraps to a negative end, and the first copy runs no iteration: still a prefix.
        Value peelEnd = isZero(counter.init()) ? peel : builder.binary(Opcode.ADD, counter.init(), peel, Site.UNKNOWN);
        Instruction test = loop.header().terminator();
        LoopCopy aligned = LoopCopy.of(builder, dom, loop, general, exit, (b, original, operands) -> operands);
        LoopCopy first = LoopCopy.prefix(builder, dom, loop, general, exit, (b, original, operands) -> {
            if (original != test) return operands;
            List<Value> lowered = new ArrayList<>(operands);
            lowered.set(counter.boundOperand(), b.intrinsic(Intrinsic.MIN, List.of(operands.get(counter.boundOperand()), peelEnd), Site.UNKNOWN));
            return lowered;
        }, aligned);
        builder.at(peelStart).jump(first.entry);
        builder.removeBlocks(List.of(aligned.entry)); // the aligned copy is entered from the first only
        builder.retarget(preheader, general, start);
        return true;
    }

    /** The loop's first {@code kind} (store or load) of a primitive element of an array from outside it, at the counter or an offset from it. */
    private static Instruction firstAccessAtCounter(Loop loop, LoopCounter counter, Opcode kind) {
        for (BasicBlock b : loop.blocks()) {
            if (b == loop.header()) continue;
            for (Instruction i : b.instructions()) {
                if (i.opcode() == kind && loop.accessesArrayFromOutside(i) && atCounter(i.operand(1), counter, loop)) return i;
            }
        }
        return null;
    }

    /**
     * No division, call or library function: a loop that only reads is worth aligning when memory bounds it. Where each
     * iteration computes a square root and a division (n-body's forces under fastMath), the pre-loop's scalar
     * iterations cost more than aligned loads gain (1.96 against 1.84 ms at 2,048 bodies, two forks each way).
     */
    private static boolean onlyCheapWork(Loop loop) {
        for (BasicBlock b : loop.blocks()) {
            for (Instruction i : b.instructions()) {
                Opcode op = i.opcode();
                if (op == Opcode.DIV || op == Opcode.REM || op == Opcode.CALL) return false;
                if (op == Opcode.INTRINSIC && !CHEAP_INTRINSICS.contains(i.intrinsic())) return false;
            }
        }
        return true;
    }

    private static final Set<Intrinsic> CHEAP_INTRINSICS = Set.of(Intrinsic.ABS, Intrinsic.MIN, Intrinsic.MAX,
            Intrinsic.COPY_SIGN, Intrinsic.FMA, Intrinsic.IN_RANGE, Intrinsic.ADD_NO_WRAP,
            Intrinsic.MUL_NO_WRAP);

    /** The counter, {@code inRange} of it, or the counter plus a value from outside the loop (either way round). */
    private static boolean atCounter(Value index, LoopCounter counter, Loop loop) {
        Value v = RangeProof.unwrap(index);
        return v == counter.phi() || offsetFromCounter(v, counter, loop) != null;
    }

    /** For {@code counter + offset} (or {@code offset + counter}), with {@code offset} from outside the loop: the offset. */
    private static Value offsetFromCounter(Value index, LoopCounter counter, Loop loop) {
        Value offset = counter.addedTo(RangeProof.unwrap(index));
        return offset != null && loop.definedOutside(offset) ? offset : null;
    }

    private static boolean isZero(Value v) { return v instanceof Constant c && c.intValue() == 0; }
}
