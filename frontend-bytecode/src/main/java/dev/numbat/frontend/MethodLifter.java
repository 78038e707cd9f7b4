package dev.numbat.frontend;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Condition;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.Function;
import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Parameter;
import dev.numbat.ir.Site;
import dev.numbat.ir.Type;
import dev.numbat.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SimpleVerifier;

/**
 * Lifts one method's bytecode into a {@link Function} in SSA form. ASM's {@link Analyzer} with a
 * {@link SimpleVerifier} gives the type of every local and stack slot at every instruction; basic
 * blocks start at branch targets and after branches; {@link SsaBuilder} turns the JVM's locals and
 * stack slots into SSA values; {@link InstructionTranslator} handles each opcode family.
 */
final class MethodLifter {
    final BytecodeFrontend.Session session;
    final ClassNode owner;
    final MethodNode method;
    final Function function;
    final FunctionBuilder builder;
    private final AbstractInsnNode[] insns;
    private final int[] offsets;
    private final int[] lines;
    private final Map<LabelNode, Integer> labelIndex = new HashMap<>();
    private final TreeMap<Integer, BasicBlock> blockAtLeader = new TreeMap<>();
    /** Every leader, reachable or not: blocks end where the next one starts. */
    private final java.util.TreeSet<Integer> leaders = new java.util.TreeSet<>();
    private final Map<BasicBlock, Integer> leaderOfBlock = new HashMap<>();
    /** The last instruction translated into each block, for diagnostics about the block as a whole. */
    private final Map<BasicBlock, Integer> lastIndexOfBlock = new HashMap<>();
    private Frame<BasicValue>[] frames;
    private SsaBuilder ssa;
    private NullPointerMessages nullMessages;

    // The block being filled, where it starts, and its simulated operand stack.
    BasicBlock current;
    private int currentLeader;
    final List<Value> stack = new ArrayList<>();

    MethodLifter(BytecodeFrontend.Session session, ClassNode owner, MethodNode method, Function function, int[] rawOffsets) {
        this.session = session;
        this.owner = owner;
        this.method = method;
        this.function = function;
        this.builder = new FunctionBuilder(function);
        this.insns = method.instructions.toArray();
        this.offsets = new int[insns.length];
        this.lines = new int[insns.length];
        int real = 0, line = -1;
        for (int i = 0; i < insns.length; i++) {
            if (insns[i] instanceof LineNumberNode ln) line = ln.line;
            if (insns[i] instanceof LabelNode l) labelIndex.put(l, i);
            lines[i] = line;
            offsets[i] = insns[i].getOpcode() >= 0 && real < rawOffsets.length ? rawOffsets[real++] : -1;
        }
    }

    void lift(boolean isEntry) throws UnsupportedConstructException {
        String problem = SupportCheck.ofMethod(method);
        if (problem == null && isEntry) problem = SupportCheck.ofEntry(method);
        if (problem != null) throw unsupported(-1, problem);
        boolean[] reachable = reachableInstructions();
        // A synchronized block is named before the constant it locks on, which javac loads first.
        for (int i = 0; i < insns.length; i++) {
            if (reachable[i] && insns[i].getOpcode() == Opcodes.MONITORENTER) throw unsupported(i, SupportCheck.ofInstruction(insns[i]));
        }
        for (int i = 0; i < insns.length; i++) {
            String p = reachable[i] ? SupportCheck.ofInstruction(insns[i]) : null;
            if (p != null) throw unsupported(i, p);
        }
        problem = SupportCheck.ofHandlers(method);
        if (problem != null) throw unsupported(-1, problem);
        analyzeTypes();
        builder.setSourceFile(owner.sourceFile);
        BasicBlock entry = builder.newBlock();
        findBlocks();
        ssa = new SsaBuilder(builder, this::typeAtEntry);
        // The entry only binds parameters, so the first bytecode block may be a loop header.
        List<BasicBlock> order = reachableBlocks();
        enterParameters(entry);
        ssa.seal(entry);
        Map<BasicBlock, Set<BasicBlock>> predecessors = predecessorsOf(order);
        predecessors.get(order.get(0)).add(entry);
        Map<BasicBlock, Integer> filledPredecessors = new HashMap<>();
        builder.at(entry).jump(order.get(0));
        filled(entry, predecessors, filledPredecessors);
        for (BasicBlock b : order) {
            fill(b);
            filled(b, predecessors, filledPredecessors);
        }
        for (BasicBlock b : order) ssa.seal(b);
        checkReducible();
    }

    /**
     * Instructions some path from the start reaches, by the jumps alone: dead code (which ASM may
     * rewrite into {@code nop ... athrow}) must not make a method unsupported.
     */
    private boolean[] reachableInstructions() {
        boolean[] seen = new boolean[insns.length];
        java.util.ArrayDeque<Integer> work = new java.util.ArrayDeque<>();
        work.add(0);
        while (!work.isEmpty()) {
            int i = work.pop();
            if (i >= insns.length || seen[i]) continue;
            seen[i] = true;
            AbstractInsnNode n = insns[i];
            for (LabelNode l : targetsOf(n)) work.push(labelIndex.get(l));
            int op = n.getOpcode();
            boolean ends = op == Opcodes.GOTO || op == Opcodes.ATHROW || n instanceof TableSwitchInsnNode
                    || n instanceof LookupSwitchInsnNode || (op >= Opcodes.IRETURN && op <= Opcodes.RETURN)
                    || op == Opcodes.JSR || op == Opcodes.RET;
            if (!ends) work.push(i + 1);
        }
        return seen;
    }

    // ---- blocks --------------------------------------------------------------------------------

    private void findBlocks() {
        leaders.add(0);
        for (int i = 0; i < insns.length; i++) {
            AbstractInsnNode n = insns[i];
            List<LabelNode> targets = targetsOf(n);
            for (LabelNode l : targets) leaders.add(labelIndex.get(l));
            int op = n.getOpcode();
            if (!targets.isEmpty() || (op >= Opcodes.IRETURN && op <= Opcodes.RETURN)) leaders.add(i + 1);
        }
        leaders.removeIf(l -> l >= insns.length);
        for (int leader : leaders) {
            if (leader < insns.length && firstReal(leader) >= 0 && frames[firstReal(leader)] != null) {
                BasicBlock b = builder.newBlock();
                blockAtLeader.put(leader, b);
                leaderOfBlock.put(b, leader);
            }
        }
    }

    private static List<LabelNode> targetsOf(AbstractInsnNode n) {
        List<LabelNode> t = new ArrayList<>();
        if (n instanceof JumpInsnNode j) t.add(j.label);
        if (n instanceof TableSwitchInsnNode s) { t.add(s.dflt); t.addAll(s.labels); }
        if (n instanceof LookupSwitchInsnNode s) { t.add(s.dflt); t.addAll(s.labels); }
        return t;
    }

    /** The first real instruction at or after {@code i} before the next leader, or -1. */
    private int firstReal(int i) {
        for (int k = i; k < insns.length; k++) {
            if (insns[k].getOpcode() >= 0) return k;
        }
        return -1;
    }

    private List<BasicBlock> reachableBlocks() { return new ArrayList<>(blockAtLeader.values()); }

    BasicBlock blockAt(LabelNode label) { return blockAt(labelIndex.get(label)); }

    private BasicBlock blockAt(int index) {
        Map.Entry<Integer, BasicBlock> e = blockAtLeader.ceilingEntry(index);
        // A label between a leader and its first real instruction belongs to that block.
        if (e == null || firstReal(e.getKey()) != firstReal(index)) throw new IllegalStateException("no block at " + index);
        return e.getValue();
    }

    private Map<BasicBlock, Set<BasicBlock>> predecessorsOf(List<BasicBlock> order) {
        Map<BasicBlock, Set<BasicBlock>> preds = new HashMap<>();
        for (BasicBlock b : order) preds.put(b, new LinkedHashSet<>());
        for (BasicBlock b : order) {
            for (BasicBlock s : successorsInBytecode(b)) preds.get(s).add(b);
        }
        return preds;
    }

    private List<BasicBlock> successorsInBytecode(BasicBlock b) {
        int start = leaderOfBlock.get(b);
        Integer end = leaders.higher(start);
        int last = -1;
        for (int k = start; k < (end == null ? insns.length : end); k++) if (insns[k].getOpcode() >= 0) last = k;
        List<BasicBlock> s = new ArrayList<>();
        AbstractInsnNode n = insns[last];
        for (LabelNode l : targetsOf(n)) s.add(blockAt(l));
        int op = n.getOpcode();
        boolean fallsThrough = op != Opcodes.GOTO && !(n instanceof TableSwitchInsnNode) && !(n instanceof LookupSwitchInsnNode)
                && !(op >= Opcodes.IRETURN && op <= Opcodes.RETURN);
        if (fallsThrough && end != null) s.add(blockAt(end));
        return s;
    }

    private void filled(BasicBlock b, Map<BasicBlock, Set<BasicBlock>> preds, Map<BasicBlock, Integer> count) {
        for (BasicBlock s : new LinkedHashSet<>(b.successors())) {
            int n = count.merge(s, 1, Integer::sum);
            if (n == preds.get(s).size()) ssa.seal(s);
        }
    }

    private void fill(BasicBlock b) throws UnsupportedConstructException {
        current = b;
        builder.at(b);
        stack.clear();
        int leader = leaderOfBlock.get(b);
        currentLeader = leader;
        Frame<BasicValue> entryFrame = frames[firstReal(leader)];
        for (int i = 0; i < entryFrame.getStackSize(); i++) stack.add(ssa.read(method.maxLocals + i, b));
        Integer end = leaders.higher(leader);
        int stop = end == null ? insns.length : end;
        InstructionTranslator t = new InstructionTranslator(this);
        for (int i = leader; i < stop; i++) {
            if (insns[i].getOpcode() < 0) continue;
            lastIndexOfBlock.put(b, i);
            t.translate(i, insns[i]);
            if (current == null) return; // a terminator ended the block
        }
        // Falls through into the next block.
        writeStack();
        builder.jump(blockAt(end));
        current = null;
    }

    // ---- services for the translator -----------------------------------------------------------

    void push(Value v) { stack.add(v); }

    Value pop() { return stack.remove(stack.size() - 1); }

    Value readLocal(int slot) { return ssa.read(slot, current); }

    void writeLocal(int slot, Value v) { ssa.write(slot, current, v); }

    /** Before a terminator: the values left on the stack become the successors' stack variables. */
    void writeStack() {
        for (int i = 0; i < stack.size(); i++) ssa.write(method.maxLocals + i, current, stack.get(i));
    }

    void endBlock() { current = null; }

    /** The block control reaches by not taking a conditional branch. */
    BasicBlock fallThroughBlock() { return blockAt(leaders.higher(currentLeader)); }

    Site site(int index) { return new Site(offsets[index], lines[index]); }

    /** The site of an array access at {@code index} whose array is {@code depth} slots below the top. */
    Site arraySite(int index, int depth) {
        if (nullMessages == null) nullMessages = new NullPointerMessages(owner.name, method);
        return new Site(offsets[index], lines[index], nullMessages.messageFor(index, depth));
    }

    Frame<BasicValue> frameAt(int index) { return frames[index]; }

    UnsupportedConstructException unsupported(int index, String construct) {
        int offset = index >= 0 ? offsets[index] : -1;
        int line = index >= 0 ? lines[index] : firstLine();
        return new UnsupportedConstructException(owner.name.replace('/', '.'), method.name, method.desc,
                offset, line, owner.sourceFile, construct);
    }

    private int firstLine() {
        for (int l : lines) if (l >= 0) return l;
        return -1;
    }

    // ---- types ---------------------------------------------------------------------------------

    private void analyzeTypes() throws UnsupportedConstructException {
        SimpleVerifier verifier = new SimpleVerifier(Opcodes.ASM9, org.objectweb.asm.Type.getObjectType(owner.name),
                org.objectweb.asm.Type.getObjectType(owner.superName == null ? "java/lang/Object" : owner.superName),
                List.of(), false) { };
        verifier.setClassLoader(session.classLoader());
        try {
            frames = new Analyzer<>(verifier).analyze(owner.name, method);
        } catch (AnalyzerException e) {
            int index = e.node == null ? -1 : method.instructions.indexOf(e.node);
            throw unsupported(index, "bytecode the type analysis rejects: " + e.getMessage());
        } catch (RuntimeException e) {
            throw unsupported(-1, "bytecode the type analysis cannot follow: " + e);
        }
    }

    private Type typeAtEntry(BasicBlock block, int var) {
        Frame<BasicValue> f = frames[firstReal(leaderOfBlock.get(block))];
        BasicValue v = var < method.maxLocals ? f.getLocal(var) : f.getStack(var - method.maxLocals);
        return irType(v);
    }

    /** The IR type of a value the analyzer saw: stack types, so sub-int values are int. */
    static Type irType(BasicValue v) {
        org.objectweb.asm.Type t = v.getType();
        if (t == null) throw new IllegalStateException("read of an uninitialised slot");
        if (t.getSort() == org.objectweb.asm.Type.OBJECT && t.getInternalName().equals("null")) return Type.NULL;
        Type ir = Type.fromDescriptor(t.getDescriptor());
        if (ir == null) throw new IllegalStateException("unsupported value type " + t);
        return ir.stackType();
    }

    private void enterParameters(BasicBlock entry) {
        builder.at(entry);
        org.objectweb.asm.Type[] args = org.objectweb.asm.Type.getArgumentTypes(method.desc);
        int slot = 0;
        Set<String> names = new HashSet<>();
        for (int k = 0; k < args.length; k++) {
            String name = parameterName(slot, k);
            if (!names.add(name)) name = name + "_" + slot;
            Parameter p = builder.addParameter(Type.fromDescriptor(args[k].getDescriptor()), name);
            Value v = p.type().isSubInt() ? builder.convert(p, Type.INT) : p;
            ssa.write(slot, entry, v);
            slot += args[k].getSize();
        }
    }

    private String parameterName(int slot, int k) {
        if (method.localVariables != null) {
            for (LocalVariableNode lv : method.localVariables) {
                if (lv.index == slot && method.instructions.indexOf(lv.start) == 0 && lv.name.matches("[A-Za-z_$][\\w$]*")) {
                    return lv.name;
                }
            }
        }
        return "p" + k;
    }

    // ---- loops ---------------------------------------------------------------------------------

    /** Irreducible loops (two entries into one cycle) come only from hand-made bytecode; refuse them. */
    private void checkReducible() throws UnsupportedConstructException {
        Dominators dom = Dominators.of(function);
        Map<BasicBlock, Integer> state = new HashMap<>(); // 1 on the DFS stack, 2 done
        List<BasicBlock> stackBlocks = new ArrayList<>();
        List<Integer> next = new ArrayList<>();
        stackBlocks.add(function.entry());
        next.add(0);
        state.put(function.entry(), 1);
        while (!stackBlocks.isEmpty()) {
            int top = stackBlocks.size() - 1;
            BasicBlock b = stackBlocks.get(top);
            List<BasicBlock> succ = b.successors();
            int k = next.get(top);
            if (k == succ.size()) {
                state.put(b, 2);
                stackBlocks.remove(top);
                next.remove(top);
                continue;
            }
            next.set(top, k + 1);
            BasicBlock s = succ.get(k);
            Integer st = state.get(s);
            if (st == null) {
                state.put(s, 1);
                stackBlocks.add(s);
                next.add(0);
            } else if (st == 1 && !dom.dominates(s, b)) {
                throw unsupported(lastIndexOfBlock.getOrDefault(b, -1), "irreducible loop");
            }
        }
    }

    /** Kept for the translator: a comparison against zero or null. */
    Instruction branch(Condition c, Value a, Value b, BasicBlock t, BasicBlock f, Site site) {
        return builder.branch(c, a, b, t, f, site);
    }
}
