package dev.numbat.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * The only way to change a {@link Function}. Every change keeps operands and users consistent, and
 * keeps each block's predecessor list equal to the edges of the terminators that point at it, so a
 * pass never sees a half-updated graph. Instructions are appended at the end of the current block;
 * phis are always placed at the block's head.
 */
public final class FunctionBuilder {
    private final Function function;
    private BasicBlock current;

    public FunctionBuilder(Function function) { this.function = function; }

    public Function function() { return function; }

    public Parameter addParameter(Type type, String name) {
        Parameter p = new Parameter(function.parameters.size(), type, name);
        function.parameters.add(p);
        return p;
    }

    public BasicBlock newBlock() {
        BasicBlock b = new BasicBlock(function, function.nextBlockId++);
        function.blocks.add(b);
        return b;
    }

    /** Subsequent instructions go to the end of {@code block}, which must not be terminated yet. */
    public FunctionBuilder at(BasicBlock block) {
        if (block.terminator() != null) throw new IllegalStateException(block + " is already terminated");
        current = block;
        return this;
    }

    public BasicBlock currentBlock() { return current; }

    public void setSourceFile(String file) { function.sourceFile = file; }

    // ---- straight-line instructions ------------------------------------------------------------

    public Instruction binary(Opcode op, Value a, Value b, Site site) {
        if (!op.isBinaryArithmetic() && op != Opcode.CMP && op != Opcode.CMPL && op != Opcode.CMPG) {
            throw new IllegalArgumentException(op + " is not binary");
        }
        Type t = (op == Opcode.CMP || op == Opcode.CMPL || op == Opcode.CMPG) ? Type.INT : a.type();
        return append(new Instruction(op, t), site, a, b);
    }

    public Instruction neg(Value a) { return append(new Instruction(Opcode.NEG, a.type()), Site.UNKNOWN, a); }

    public Instruction convert(Value a, Type to) { return append(new Instruction(Opcode.CONVERT, to), Site.UNKNOWN, a); }

    public Instruction arrayLength(Value array, Site site) {
        return append(new Instruction(Opcode.ARRAY_LENGTH, Type.INT), site, array);
    }

    public Instruction arrayLoad(Value array, Value index, Site site) {
        return append(new Instruction(Opcode.ARRAY_LOAD, array.type().element()), site, array, index);
    }

    public Instruction arrayStore(Value array, Value index, Value value, Site site) {
        return append(new Instruction(Opcode.ARRAY_STORE, Type.VOID), site, array, index, value);
    }

    /** {@code segment.byteSize()}. */
    public Instruction segmentSize(Value segment, Site site) {
        return append(new Instruction(Opcode.SEGMENT_SIZE, Type.LONG), site, segment);
    }

    /** {@code segment.get(layout, offset)} ({@link Opcode#SEGMENT_GET}) or {@code getAtIndex(layout, index)}. */
    public Instruction segmentGet(Opcode op, Value segment, Constant layout, Value offset, Site site) {
        if (op != Opcode.SEGMENT_GET && op != Opcode.SEGMENT_GET_AT_INDEX) throw new IllegalArgumentException(op + " is not a segment read");
        return append(new Instruction(op, layout.layout().element()), site, segment, layout, offset);
    }

    /** {@code segment.set(layout, offset, value)} ({@link Opcode#SEGMENT_SET}) or {@code setAtIndex(layout, index, value)}. */
    public Instruction segmentSet(Opcode op, Value segment, Constant layout, Value offset, Value value, Site site) {
        if (!op.isSegmentStore()) throw new IllegalArgumentException(op + " is not a segment write");
        return append(new Instruction(op, Type.VOID), site, segment, layout, offset, value);
    }

    public Instruction newArray(Type elementType, Value length, Site site) {
        return append(new Instruction(Opcode.NEW_ARRAY, Type.arrayOf(elementType)), site, length);
    }

    public Instruction call(Function callee, List<? extends Value> args, Site site) {
        Instruction i = new Instruction(Opcode.CALL, callee.returnType());
        i.callee = callee;
        return append(i, site, args.toArray(Value[]::new));
    }

    public Instruction intrinsic(Intrinsic intrinsic, List<? extends Value> args, Site site) {
        List<Type> types = new ArrayList<>();
        for (Value v : args) types.add(v.type());
        Type result = intrinsic.resultType(types);
        if (result == null) throw new IllegalArgumentException(intrinsic.text() + " does not take " + types);
        Instruction i = new Instruction(Opcode.INTRINSIC, result);
        i.intrinsic = intrinsic;
        return append(i, site, args.toArray(Value[]::new));
    }

    /** Runs {@code body} over a counter range on several threads: args are (from, to, the values it reads...). */
    public Instruction parallel(Function body, Reduction reduction, List<? extends Value> args) {
        if ((reduction == Reduction.NONE) != (body.returnType() == Type.VOID)) {
            throw new IllegalArgumentException("a parallel body returns a value exactly when it reduces one");
        }
        Instruction i = new Instruction(Opcode.PARALLEL, body.returnType());
        i.callee = body;
        i.reduction = reduction;
        return append(i, Site.UNKNOWN, args.toArray(Value[]::new));
    }

    /**
     * Appends a copy of {@code original} (any instruction but a phi or a terminator, possibly of another
     * function) with the given operands: same opcode, type, attributes and site.
     */
    public Instruction copy(Instruction original, List<? extends Value> operands) {
        if (original.isPhi() || original.isTerminator()) throw new IllegalArgumentException("cannot copy " + original);
        Instruction i = new Instruction(original.opcode(), original.type());
        i.callee = original.callee;
        i.intrinsic = original.intrinsic;
        i.reduction = original.reduction;
        return append(i, original.site, operands.toArray(Value[]::new));
    }

    /** A phi with no operands yet at the head of {@code block}; see {@link #addIncoming}. */
    public Instruction phi(BasicBlock block, Type type) {
        Instruction phi = new Instruction(Opcode.PHI, type);
        phi.id = function.nextValueId++;
        phi.block = block;
        block.instructions.add(block.phis().size(), phi);
        return phi;
    }

    public void addIncoming(Instruction phi, BasicBlock from, Value value) {
        if (!phi.isPhi()) throw new IllegalArgumentException(phi + " is not a phi");
        phi.operands.add(value);
        phi.incoming.add(from);
        value.users.add(phi);
    }

    // ---- terminators ---------------------------------------------------------------------------

    public Instruction jump(BasicBlock target) {
        Instruction i = new Instruction(Opcode.GOTO, Type.VOID);
        return terminate(i, List.of(target));
    }

    public Instruction branch(Condition c, Value a, Value b, BasicBlock ifTrue, BasicBlock ifFalse) {
        return branch(c, a, b, ifTrue, ifFalse, Site.UNKNOWN);
    }

    /**
     * A branch that remembers the conditional jump it was lifted from ({@code ifTrue} is where that jump goes), so
     * that a run-time profile of the jump can weigh it; the site is not printed (a branch cannot throw), and the
     * frontend gives it no line (diagnostics take a loop's line from the instructions that may throw).
     */
    public Instruction branch(Condition c, Value a, Value b, BasicBlock ifTrue, BasicBlock ifFalse, Site site) {
        Instruction i = new Instruction(Opcode.IF, Type.VOID);
        i.condition = c;
        link(i, a, b);
        terminate(i, List.of(ifTrue, ifFalse));
        i.site = site == null ? Site.UNKNOWN : site; // after terminate, which appends with no site
        return i;
    }

    /** {@code targets} holds one block per key, then the default. */
    public Instruction switchOn(Value key, int[] keys, List<BasicBlock> targets) {
        if (targets.size() != keys.length + 1) throw new IllegalArgumentException("keys and targets differ");
        Instruction i = new Instruction(Opcode.SWITCH, Type.VOID);
        i.switchKeys = keys.clone();
        link(i, key);
        return terminate(i, targets);
    }

    public Instruction ret(Value value) {
        Instruction i = new Instruction(Opcode.RETURN, Type.VOID);
        if (value != null) link(i, value);
        return terminate(i, List.of());
    }

    // ---- rewriting -----------------------------------------------------------------------------

    /** Makes every user of {@code old} use {@code replacement} instead. */
    public void replaceAllUses(Value old, Value replacement) {
        if (old == replacement) return;
        for (Instruction user : new ArrayList<>(old.users)) {
            for (int k = 0; k < user.operands.size(); k++) {
                if (user.operands.get(k) == old) {
                    user.operands.set(k, replacement);
                    replacement.users.add(user);
                }
            }
        }
        old.users.clear();
    }

    /** Removes instructions used by nothing outside the set (dead cycles of phis included). */
    public void removeAll(java.util.Collection<Instruction> dead) {
        for (Instruction i : dead) {
            for (Instruction u : i.users) {
                if (!dead.contains(u)) throw new IllegalStateException(i + " is still used by " + u);
            }
        }
        for (Instruction i : dead) unlink(i);
        for (Instruction i : dead) {
            i.users.clear();
            i.block.instructions.remove(i);
            i.block = null;
        }
    }

    /** Removes an unused instruction, dropping its own uses. */
    public void remove(Instruction i) {
        if (!i.users.stream().allMatch(u -> u == i)) throw new IllegalStateException(i + " still has users " + i.users);
        if (i.isTerminator()) throw new IllegalStateException("use replaceTerminator for " + i);
        unlink(i);
        i.users.clear();
        i.block.instructions.remove(i);
        i.block = null;
    }

    /**
     * Removes blocks that no block outside the set branches to (unreachable ones), with their
     * instructions and outgoing edges; phis of surviving successors lose the matching operands.
     */
    public void removeBlocks(java.util.Collection<BasicBlock> dead) {
        for (BasicBlock b : dead) {
            for (BasicBlock p : b.predecessors) {
                if (!dead.contains(p)) throw new IllegalStateException(b + " is still reached from " + p);
            }
        }
        for (BasicBlock b : dead) {
            for (BasicBlock s : b.successors()) removeEdge(b, s);
        }
        for (BasicBlock b : dead) {
            for (Instruction i : b.instructions) {
                for (Value v : i.operands) v.users.remove(i);
                i.users.removeIf(u -> dead.contains(u.block));
            }
            b.instructions.clear();
            function.blocks.remove(b);
        }
    }

    /**
     * Merges the only successor of {@code block} into it, when {@code block} ends in a jump and is that
     * successor's only predecessor. The successor's phis (one operand each) are replaced by their
     * operand, its instructions move up, and its successors' edges and phi operands now name {@code block}.
     */
    public void mergeWithSuccessor(BasicBlock block) {
        Instruction jump = block.terminator();
        if (jump == null || jump.opcode() != Opcode.GOTO) throw new IllegalArgumentException(block + " does not end in a jump");
        BasicBlock next = jump.targets.get(0);
        if (next == block || next.predecessors.size() != 1) throw new IllegalArgumentException(next + " has other predecessors");
        for (Instruction phi : next.phis()) {
            replaceAllUses(phi, phi.operands.get(0));
            remove(phi);
        }
        unlink(jump);
        block.instructions.remove(jump);
        next.predecessors.clear();
        for (Instruction i : next.instructions) {
            i.block = block;
            block.instructions.add(i);
        }
        next.instructions.clear();
        for (BasicBlock s : block.successors()) {
            java.util.Collections.replaceAll(s.predecessors, next, block);
            for (Instruction phi : s.phis()) java.util.Collections.replaceAll(phi.incoming, next, block);
        }
        function.blocks.remove(next);
    }

    /** Replaces the terminator of {@code block} by a jump to {@code target}. */
    public void replaceWithJump(BasicBlock block, BasicBlock target) {
        Instruction old = block.terminator();
        for (BasicBlock s : old.targets) removeEdge(block, s);
        unlink(old);
        block.instructions.remove(old);
        current = block;
        jump(target);
    }

    /**
     * Puts a new block on the edge {@code from -> to} (which must be a single edge): {@code from} branches
     * to it, it jumps to {@code to}, and the phis of {@code to} name it as their predecessor.
     */
    public BasicBlock splitEdge(BasicBlock from, BasicBlock to) {
        Instruction t = from.terminator();
        if (java.util.Collections.frequency(t.targets, to) != 1) throw new IllegalArgumentException(from + " -> " + to + " is not a single edge");
        BasicBlock middle = newBlock();
        t.targets.set(t.targets.indexOf(to), middle);
        middle.predecessors.add(from);
        to.predecessors.set(to.predecessors.indexOf(from), middle);
        for (Instruction phi : to.phis()) java.util.Collections.replaceAll(phi.incoming, from, middle);
        BasicBlock saved = current;
        current = middle;
        Instruction jump = new Instruction(Opcode.GOTO, Type.VOID);
        append(jump, Site.UNKNOWN);
        jump.targets.add(to);
        current = saved;
        return middle;
    }

    /**
     * Makes the single edge {@code from -> to} go to {@code newTarget} instead. {@code to}'s phis lose
     * their operand for {@code from}; {@code newTarget} must have no phis.
     */
    public void retarget(BasicBlock from, BasicBlock to, BasicBlock newTarget) {
        Instruction t = from.terminator();
        if (java.util.Collections.frequency(t.targets, to) != 1) throw new IllegalArgumentException(from + " -> " + to + " is not a single edge");
        if (!newTarget.phis().isEmpty()) throw new IllegalArgumentException(newTarget + " has phis");
        removeEdge(from, to);
        t.targets.set(t.targets.indexOf(to), newTarget);
        newTarget.predecessors.add(from);
    }

    /** Makes the users of {@code old} that {@code where} accepts use {@code replacement} instead. */
    public void replaceUses(Value old, Value replacement, java.util.function.Predicate<Instruction> where) {
        for (Instruction user : new ArrayList<>(old.users)) {
            if (user == replacement || !where.test(user)) continue;
            replaceOperands(user, old, replacement);
        }
    }

    /** Gives {@code i} the site {@code site} (a branch a pass made, marked {@link Site#GUARD_FAILURE_FIRST}). */
    public void setSite(Instruction i, Site site) { i.site = site; }

    /** Replaces operand {@code index} of {@code user}. */
    public void setOperand(Instruction user, int index, Value v) {
        Value old = user.operands.set(index, v);
        old.users.remove(user);
        v.users.add(user);
    }

    /** Gives values and blocks consecutive numbers in block order, for stable text. */
    public void renumber() {
        int v = 0, b = 0;
        for (BasicBlock block : function.blocks) {
            block.id = b++;
            for (Instruction i : block.instructions) {
                if (i.type() != Type.VOID) i.id = v++;
            }
        }
        function.nextValueId = v;
        function.nextBlockId = b;
    }

    /** Narrows the type a {@code null} constant or phi had before its array type was known. */
    public void refineType(Value v, Type type) {
        if (!v.type().isReference() || !type.isReference()) throw new IllegalArgumentException("only references are refined");
        v.setType(type);
    }

    // ---- internals -----------------------------------------------------------------------------

    private static void replaceOperands(Instruction user, Value old, Value replacement) {
        for (int k = 0; k < user.operands.size(); k++) {
            if (user.operands.get(k) == old) {
                user.operands.set(k, replacement);
                replacement.users.add(user);
            }
        }
        while (old.users.remove(user)) { /* every occurrence */ }
    }

    private void removeEdge(BasicBlock from, BasicBlock to) {
        int k = to.predecessors.indexOf(from);
        to.predecessors.remove(k);
        for (Instruction phi : to.phis()) {
            int j = phi.incoming.indexOf(from);
            if (j < 0) continue;
            phi.incoming.remove(j);
            Value v = phi.operands.remove(j);
            v.users.remove(phi);
        }
    }

    private void unlink(Instruction i) {
        for (Value v : i.operands) v.users.remove(i);
        i.operands.clear();
    }

    private static void link(Instruction i, Value... operands) {
        for (Value v : operands) {
            i.operands.add(v);
            v.users.add(i);
        }
    }

    private Instruction append(Instruction i, Site site, Value... operands) {
        if (current == null) throw new IllegalStateException("no current block");
        link(i, operands);
        i.site = site == null ? Site.UNKNOWN : site;
        i.block = current;
        if (i.type() != Type.VOID) i.id = function.nextValueId++;
        current.instructions.add(i);
        return i;
    }

    private Instruction terminate(Instruction i, List<BasicBlock> targets) {
        append(i, Site.UNKNOWN);
        for (BasicBlock t : targets) {
            i.targets.add(t);
            t.predecessors.add(current);
        }
        current = null;
        return i;
    }
}
