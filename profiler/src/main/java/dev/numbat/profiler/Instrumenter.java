package dev.numbat.profiler;

import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Writes the twin class of one static method: a class (defined as a hidden nestmate of the method's own class,
 * see {@link ProfiledTwin}) holding two copies of its bytecode, {@code plain} (unchanged, for the measured
 * policy to time against native code) and {@code profiled}, which records into a {@link Profile}:
 * <ul>
 *   <li>at entry, one call that counts the invocation and records the array arguments' lengths and aliasing, and
 *       whether each integral argument always had the same value;</li>
 *   <li>an {@code iinc} of a local counter after each conditional jump (its fall-through), before each backward
 *       {@code goto} (except where the loop's test counts its back-edges, {@link CountedByTheirTest}), and on each
 *       edge that enters a loop from outside (not on the header itself, which every iteration runs); a conditional
 *       jump's target and a switch's targets go through small trampolines that count them
 *       ({@code iinc; goto target});</li>
 *   <li>on each edge into a loop, the previous entry's trip count (the loop's back-edges since it was last entered)
 *       folded into two local running maxima, its largest and its smallest trip count ({@link LoopProfile});
 *       that costs a few instructions per entry, none per iteration;</li>
 *   <li>before each return, and in a catch-all handler that rethrows, the last entry's trip counts, then one call
 *       that adds the local counters to the profile's ({@link Profile#flush}), striped by thread
 *       ({@link StripedCounters}).</li>
 * </ul>
 * Sites are named by their bytecode offsets in the original class file, the offsets the frontend gives its IR.
 * The calls are {@code invokedynamic}s bound to the profile once ({@link ProfileSupport}); HotSpot inlines the
 * argument records, and calls the entry and the flush, which keeps the copy small enough for its callers to inline.
 * Exceptions the instrumented code throws are the original's, unchanged.
 */
public final class Instrumenter {
    /** Counters per flush call: a method descriptor takes at most 255 argument slots. */
    private static final int FLUSH_CHUNK = 200;
    /** Local counters at most; more would approach the JVM's 65,535 locals and a very long flush. */
    private static final int MAX_COUNTERS = 4000;
    private static final String SUPPORT = "dev/numbat/profiler/ProfileSupport";
    private static final String BSM_DESC = "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;)"
            + "Ljava/lang/invoke/CallSite;";
    private static final Handle ENTER = new Handle(H_INVOKESTATIC, SUPPORT, "enter", withExtra(BSM_DESC, "I"), false);
    private static final Handle FLUSH = new Handle(H_INVOKESTATIC, SUPPORT, "flush", withExtra(BSM_DESC, "II"), false);
    private static final Handle SCALAR = new Handle(H_INVOKESTATIC, SUPPORT, "scalar", withExtra(BSM_DESC, "II"), false);
    private static final Handle MEMBER = new Handle(H_INVOKESTATIC, SUPPORT, "member",
            withExtra(BSM_DESC, "IILjava/lang/String;Ljava/lang/String;"), false);

    private static String withExtra(String bsm, String extra) {
        return bsm.replace(")Ljava/lang/invoke/CallSite;", extra + ")Ljava/lang/invoke/CallSite;");
    }

    /** The twin's class file, its internal name, and the profile its {@code profiled} method records into. */
    public record Twin(byte[] classFile, String internalName, Profile profile) {}

    private Instrumenter() {}

    /**
     * The twin of {@code name + descriptor} of the class in {@code classFile}. {@code loader} resolves the types
     * that frame computation needs to merge (the method's own class's loader).
     *
     * @throws IllegalArgumentException when the method cannot be profiled (not found, not static, synchronized,
     *                                  jsr/ret, too many sites), with the reason
     */
    public static Twin instrument(byte[] classFile, String name, String descriptor, long threshold, MethodHandles.Lookup owner) {
        ClassLoader loader = owner.lookupClass().getClassLoader();
        ClassReader reader = new ClassReader(classFile);
        String ownerName = reader.getClassName();
        String methodName = ownerName.replace('/', '.') + "." + name + descriptor;
        int[] offsets = offsets(reader, name, descriptor);
        ClassNode profiledClass = read(reader);
        MethodNode profiled = find(profiledClass, name, descriptor);
        MethodNode plain = find(read(reader), name, descriptor);
        if ((profiled.access & ACC_STATIC) == 0) throw new IllegalArgumentException("not a static method");
        if ((profiled.access & ACC_SYNCHRONIZED) != 0) throw new IllegalArgumentException("synchronized (a copy would lock another class)");
        if ((profiled.access & (ACC_NATIVE | ACC_ABSTRACT)) != 0) throw new IllegalArgumentException("no bytecode");
        int id = ProfileSupport.newId();
        Profile profile = new Sites(profiled, offsets, methodName, threshold, id).instrument();
        MemberAccess access = new MemberAccess(owner.lookupClass(), id);
        access.forward(profiled);
        access.forward(plain);

        ClassNode twin = new ClassNode();
        twin.version = Math.max(profiledClass.version & 0xffff, V11); // nestmates, invokedynamic, frames
        twin.access = ACC_FINAL | ACC_SUPER | ACC_SYNTHETIC;
        twin.name = ownerName + "$NumbatTwin$" + id;
        twin.superName = "java/lang/Object";
        twin.sourceFile = profiledClass.sourceFile;
        twin.methods.add(copyAs(profiled, "profiled"));
        twin.methods.add(copyAs(plain, "plain"));
        ClassWriter w = new FrameComputingWriter(loader);
        twin.accept(w);
        byte[] bytes = w.toByteArray();
        ProfileSupport.register(id, profile, owner);
        return new Twin(bytes, twin.name, profile);
    }

    private static ClassNode read(ClassReader reader) {
        ClassNode c = new ClassNode();
        reader.accept(c, ClassReader.SKIP_FRAMES); // the twin's frames are computed afresh
        return c;
    }

    private static MethodNode find(ClassNode c, String name, String descriptor) {
        for (MethodNode m : c.methods) if (m.name.equals(name) && m.desc.equals(descriptor)) return m;
        throw new IllegalArgumentException("no method " + name + descriptor + " in " + c.name);
    }

    private static MethodNode copyAs(MethodNode m, String name) {
        m.name = name;
        m.access = ACC_PUBLIC | ACC_STATIC;
        m.visibleAnnotations = m.invisibleAnnotations = null;
        m.visibleParameterAnnotations = m.invisibleParameterAnnotations = null;
        m.visibleTypeAnnotations = m.invisibleTypeAnnotations = null;
        m.visibleLocalVariableAnnotations = m.invisibleLocalVariableAnnotations = null;
        return m;
    }

    /**
     * The bytecode offset of each real instruction of the method, in code order: ASM's tree drops offsets, so a
     * label is put before each instruction and the class written once more (with its constant pool, so every
     * instruction keeps its encoding) to resolve them.
     */
    private static int[] offsets(ClassReader reader, String name, String descriptor) {
        ClassNode c = read(reader);
        MethodNode m = find(c, name, descriptor);
        List<LabelNode> marks = new ArrayList<>();
        for (AbstractInsnNode n : m.instructions.toArray()) {
            if (n.getOpcode() >= 0) {
                LabelNode l = new LabelNode();
                m.instructions.insertBefore(n, l);
                marks.add(l);
            }
        }
        ClassWriter w = new ClassWriter(reader, 0);
        c.accept(w);
        int[] offsets = new int[marks.size()];
        for (int i = 0; i < offsets.length; i++) offsets[i] = marks.get(i).getLabel().getOffset();
        return offsets;
    }

    /** The sites of one method, found and instrumented in place. */
    private static final class Sites {
        private final MethodNode m;
        private final int[] offsets;
        private final String method;
        private final long threshold;
        private final List<AbstractInsnNode> real = new ArrayList<>();
        private final int[] lines;
        private final Map<LabelNode, Integer> labelTarget = new IdentityHashMap<>();
        /** Header offset of each loop to the local counter of its entries. */
        private final Map<Integer, Integer> entryCounter = new java.util.HashMap<>();
        /** The local counter of each loop's entries to what its trip range needs: see {@link #tripRecord}. */
        private final Map<Integer, TripLocals> tripLocals = new java.util.HashMap<>();
        /** Every increment of a loop's entry counter, after which the previous entry's trip count is recorded. */
        private final List<IincInsnNode> entryIncrements = new ArrayList<>();
        private final List<Counter> counters = new ArrayList<>();
        private final List<Integer> signs = new ArrayList<>();
        private final List<Boolean> maxMerged = new ArrayList<>();
        private final int base;
        private final int id;

        Sites(MethodNode m, int[] offsets, String method, long threshold, int id) {
            this.m = m;
            this.id = id;
            this.offsets = offsets;
            this.method = method;
            this.threshold = threshold;
            this.base = m.maxLocals;
            int line = -1;
            List<Integer> lineList = new ArrayList<>();
            List<LabelNode> pending = new ArrayList<>();
            for (AbstractInsnNode n : m.instructions.toArray()) {
                if (n instanceof LabelNode l) pending.add(l);
                if (n instanceof LineNumberNode ln) line = ln.line;
                if (n.getOpcode() >= 0) {
                    for (LabelNode l : pending) labelTarget.put(l, real.size());
                    pending.clear();
                    real.add(n);
                    lineList.add(line);
                }
            }
            for (LabelNode l : pending) labelTarget.put(l, real.size());
            if (real.size() != offsets.length) throw new IllegalStateException("instruction count changed between two reads");
            lines = lineList.stream().mapToInt(Integer::intValue).toArray();
        }

        private int counter(Counter a, int heatSign) { return counter(a, heatSign, false); }

        private int counter(Counter a, int heatSign, boolean runningMax) {
            if (counters.size() >= MAX_COUNTERS) throw new IllegalArgumentException("more than " + MAX_COUNTERS + " profiling counters");
            counters.add(a);
            signs.add(heatSign);
            maxMerged.add(runningMax);
            return base + counters.size() - 1;
        }

        /**
         * A loop's locals for its trip range: its back-edge counters (summed, they are the back-edges of this call so
         * far), the running maxima flushed to {@link LoopProfile#tripMax} and {@link LoopProfile#tripMinFlipped}, and
         * {@code snapshot}, the back-edges when the loop was last entered (not flushed; it starts at 1, so the first
         * entry, which has no previous one, records a trip count of -1, which neither maximum keeps).
         */
        private static final class TripLocals {
            final List<Integer> backEdges = new ArrayList<>();
            int max, minFlipped, snapshot;
        }

        /** The trip-range locals of {@code loop}. */
        private TripLocals tripsOf(LoopProfile loop) { return tripLocals.get(entryCounter.get(loop.headerOffset())); }

        /** {@code iinc entries 1}, remembered so that the trip count of the entry before it is recorded after it. */
        private IincInsnNode countEntry(int entryLocal) {
            IincInsnNode n = new IincInsnNode(entryLocal, 1);
            entryIncrements.add(n);
            return n;
        }

        /**
         * Folds the loop's trip count since its last entry ({@code d = backEdges - snapshot}) into its maxima and
         * takes a new snapshot; stack-neutral. {@code Integer.MAX_VALUE - d} wraps to {@code MIN_VALUE} for the
         * {@code d = -1} of a first entry, so that entry changes neither maximum.
         */
        private InsnList tripRecord(TripLocals t) {
            InsnList l = new InsnList();
            for (int k = 0; k < t.backEdges.size(); k++) {
                l.add(new VarInsnNode(ILOAD, t.backEdges.get(k)));
                if (k > 0) l.add(new InsnNode(IADD));
            }
            l.add(new InsnNode(DUP));
            l.add(new VarInsnNode(ILOAD, t.snapshot));
            l.add(new InsnNode(ISUB));                       // backEdges, d
            l.add(new InsnNode(SWAP));
            l.add(new VarInsnNode(ISTORE, t.snapshot));      // d
            l.add(new InsnNode(DUP));
            l.add(new VarInsnNode(ILOAD, t.max));
            l.add(new MethodInsnNode(INVOKESTATIC, "java/lang/Math", "max", "(II)I", false));
            l.add(new VarInsnNode(ISTORE, t.max));           // d
            l.add(new LdcInsnNode(Integer.MAX_VALUE));
            l.add(new InsnNode(SWAP));
            l.add(new InsnNode(ISUB));
            l.add(new VarInsnNode(ILOAD, t.minFlipped));
            l.add(new MethodInsnNode(INVOKESTATIC, "java/lang/Math", "max", "(II)I", false));
            l.add(new VarInsnNode(ISTORE, t.minFlipped));
            return l;
        }

        Profile instrument() {
            List<BranchProfile> branches = new ArrayList<>();
            List<SwitchProfile> switches = new ArrayList<>();
            // Loop headers first (targets of backward jumps), so that forward jumps to them can count entries.
            Map<Integer, LoopProfile> loops = new TreeMap<>();
            for (int i = 0; i < real.size(); i++) {
                if (real.get(i) instanceof JumpInsnNode j && labelTarget.get(j.label) <= i) loops.computeIfAbsent(labelTarget.get(j.label), this::loopAt);
            }
            // Loops whose header test's fall-throughs are their back-edges: their goto back counts nothing.
            Map<Integer, Integer> headerOfTest = new java.util.HashMap<>();
            Map<Integer, Integer> testOfHeader = CountedByTheirTest.find(real, labelTarget, m.tryCatchBlocks);
            testOfHeader.forEach((header, test) -> headerOfTest.put(test, header));
            // The first branch of such a loop's body runs once per iteration: it counts its fall-through only.
            Map<Integer, Integer> testOfBranch = CountedByTheirTest.firstBranchesOfBodies(real, labelTarget, testOfHeader);
            Map<Integer, BranchProfile> branchAtIndex = new java.util.HashMap<>();
            for (LoopProfile loop : loops.values()) {
                int entries = counter(loop.entryCount(), 0);
                entryCounter.put(loop.headerOffset(), entries);
                TripLocals t = new TripLocals();
                t.max = counter(loop.tripMax(), 0, true);
                t.minFlipped = counter(loop.tripMinFlipped(), 0, true);
                tripLocals.put(entries, t);
            }
            List<AbstractInsnNode> returns = new ArrayList<>();
            InsnList trampolines = new InsnList();
            for (int i = 0; i < real.size(); i++) {
                AbstractInsnNode n = real.get(i);
                int op = n.getOpcode();
                if (op == JSR || op == RET) throw new IllegalArgumentException("jsr/ret subroutines");
                if (op >= IRETURN && op <= RETURN) returns.add(n);
                if (n instanceof JumpInsnNode j) {
                    int target = labelTarget.get(j.label);
                    LoopProfile loop = target <= i ? loops.get(target) : null;
                    int entry = target > i ? entryInto(target) : -1;
                    if (op == GOTO) {
                        if (loop != null && testOfHeader.containsKey(target)) {
                            // counted by the loop's test (CountedByTheirTest)
                        } else if (loop != null) {
                            Counter g = new Counter();
                            loop.backwardGotos().add(g);
                            int local = counter(g, 1);
                            tripsOf(loop).backEdges.add(local);
                            m.instructions.insertBefore(j, new IincInsnNode(local, 1));
                        } else if (entry >= 0) {
                            m.instructions.insertBefore(j, countEntry(entry));
                        }
                        continue;
                    }
                    BranchProfile b = new BranchProfile(offsets[i], lines[i], JUMP_NAMES[op == IFNULL ? 17 : op == IFNONNULL ? 18 : op - IFEQ],
                            loop == null ? -1 : offsets[target]);
                    branches.add(b);
                    branchAtIndex.put(i, b);
                    if (loop != null) loop.backwardBranches().add(b);
                    // The first branch of a counted loop's body: its jumps are the test's fall-throughs less its own.
                    Integer executionsFrom = loop == null ? testOfBranch.get(i) : null;
                    if (executionsFrom != null) b.executionsFrom().add(branchAtIndex.get(executionsFrom));
                    int jumped = executionsFrom != null ? -1 : counter(b.jumped(), loop == null ? 0 : 1);
                    if (loop != null) tripsOf(loop).backEdges.add(jumped);
                    if (jumped >= 0 || entry >= 0) { // a trampoline counts the jump, or the loop entry it makes
                        LabelNode trampoline = new LabelNode();
                        trampolines.add(trampoline);
                        if (jumped >= 0) trampolines.add(new IincInsnNode(jumped, 1));
                        if (entry >= 0) trampolines.add(countEntry(entry));
                        trampolines.add(new JumpInsnNode(GOTO, j.label));
                        j.label = trampoline;
                    }
                    Integer countsLoop = headerOfTest.get(i);
                    int notTaken = counter(b.notTaken(), countsLoop == null ? 0 : 1);
                    if (countsLoop != null) {
                        LoopProfile counted = loops.get(countsLoop);
                        counted.countingTests().add(b);
                        tripsOf(counted).backEdges.add(notTaken);
                    }
                    m.instructions.insert(j, new IincInsnNode(notTaken, 1));
                } else if (n instanceof TableSwitchInsnNode t) {
                    int[] keys = new int[t.labels.size()];
                    for (int k = 0; k < keys.length; k++) keys[k] = t.min + k;
                    switches.add(switchSite(i, keys, t.labels, t.dflt, trampolines));
                    t.dflt = retarget(t.dflt);
                    t.labels.replaceAll(this::retarget);
                } else if (n instanceof LookupSwitchInsnNode s) {
                    int[] keys = s.keys.stream().mapToInt(Integer::intValue).toArray();
                    switches.add(switchSite(i, keys, s.labels, s.dflt, trampolines));
                    s.dflt = retarget(s.dflt);
                    s.labels.replaceAll(this::retarget);
                }
            }
            // Entries by falling through into a header: counted after the instruction before it (before the header's
            // labels, which the back-edges jump to); a header that starts the method is entered by the call itself.
            int entryAtStart = -1;
            for (int h : loops.keySet()) {
                if (h == 0) entryAtStart = entryInto(h);
                else if (fallsThrough(real.get(h - 1).getOpcode())) m.instructions.insert(real.get(h - 1), countEntry(entryInto(h)));
            }
            List<ArrayProfile> arrays = new ArrayList<>();
            List<AliasProfile> aliases = new ArrayList<>();
            List<ScalarProfile> scalars = new ArrayList<>();
            InsnList prologue = new InsnList();
            for (int k = 0; k < counters.size(); k++) {
                prologue.add(new InsnNode(ICONST_0));
                prologue.add(new VarInsnNode(ISTORE, base + k));
            }
            int snapshot = base + counters.size();
            for (TripLocals t : tripLocals.values()) {
                t.snapshot = snapshot++;
                prologue.add(new InsnNode(ICONST_1));
                prologue.add(new VarInsnNode(ISTORE, t.snapshot));
            }
            StringBuilder enterDesc = new StringBuilder("(");
            Type[] params = Type.getArgumentTypes(m.desc);
            int slot = 0;
            for (int p = 0; p < params.length; p++) {
                if (params[p].getSort() == Type.ARRAY) {
                    for (ArrayProfile earlier : arrays) {
                        if (earlier.descriptor().equals(params[p].getDescriptor())) {
                            aliases.add(new AliasProfile(earlier.parameter(), p));
                        }
                    }
                    arrays.add(new ArrayProfile(p, params[p].getDescriptor()));
                    prologue.add(new VarInsnNode(ALOAD, slot));
                    enterDesc.append(params[p].getDescriptor());
                }
                slot += params[p].getSize();
            }
            prologue.add(new InvokeDynamicInsnNode("enter", enterDesc.append(")V").toString(), ENTER, id));
            if (entryAtStart >= 0) prologue.add(countEntry(entryAtStart));
            // Then each integral value, one call each, bound to its own record (no array to collect them in).
            slot = 0;
            for (int p = 0; p < params.length; p++) {
                int sort = params[p].getSort();
                if (sort == Type.LONG || sort == Type.INT || sort == Type.SHORT || sort == Type.CHAR || sort == Type.BYTE
                        || sort == Type.BOOLEAN) {
                    prologue.add(new VarInsnNode(params[p].getOpcode(ILOAD), slot));
                    if (sort != Type.LONG) prologue.add(new InsnNode(I2L));
                    prologue.add(new InvokeDynamicInsnNode("scalar", "(J)V", SCALAR, id, scalars.size()));
                    scalars.add(new ScalarProfile(p, params[p].getDescriptor()));
                }
                slot += params[p].getSize();
            }
            LabelNode start = new LabelNode(), end = new LabelNode(), handler = new LabelNode();
            prologue.add(start);
            for (AbstractInsnNode r : returns) m.instructions.insertBefore(r, flush());
            m.instructions.insert(prologue);
            m.instructions.add(end);
            m.instructions.add(trampolines);
            for (IincInsnNode n : entryIncrements) m.instructions.insert(n, tripRecord(tripLocals.get(n.var)));
            if (!counters.isEmpty()) {
                // Counts of a call that throws are flushed too, and the exception rethrown unchanged.
                m.instructions.add(handler);
                m.instructions.add(flush());
                m.instructions.add(new InsnNode(ATHROW));
                m.tryCatchBlocks.add(new TryCatchBlockNode(start, end, handler, null));
            }
            int[] heatSigns = signs.stream().mapToInt(Integer::intValue).toArray();
            boolean[] runningMax = new boolean[maxMerged.size()];
            for (int k = 0; k < runningMax.length; k++) runningMax[k] = maxMerged.get(k);
            return new Profile(method, threshold, branches, new ArrayList<>(loops.values()), switches, arrays, aliases, scalars,
                    counters.toArray(new Counter[0]), heatSigns, runningMax);
        }

        private LoopProfile loopAt(int header) {
            return new LoopProfile(offsets[header], lines[header], new Counter(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                    new Counter(), new Counter());
        }

        private final Map<LabelNode, LabelNode> trampolineOf = new IdentityHashMap<>();

        private LabelNode retarget(LabelNode l) { return trampolineOf.get(l); }

        /** The local counter of entries into the loop whose header is real instruction {@code index}, or -1 if none is. */
        private int entryInto(int index) {
            if (index >= real.size()) return -1;
            return entryCounter.getOrDefault(offsets[index], -1);
        }

        private static boolean fallsThrough(int op) {
            return op != GOTO && op != ATHROW && op != TABLESWITCH && op != LOOKUPSWITCH && op != JSR && op != RET
                    && !(op >= IRETURN && op <= RETURN);
        }

        /** One trampoline per distinct target of the switch: {@code T: iinc count; goto target}. */
        private SwitchProfile switchSite(int i, int[] keys, List<LabelNode> labels, LabelNode dflt, InsnList trampolines) {
            Map<LabelNode, List<Integer>> keysByTarget = new LinkedHashMap<>();
            for (int k = 0; k < keys.length; k++) keysByTarget.computeIfAbsent(labels.get(k), x -> new ArrayList<>()).add(keys[k]);
            keysByTarget.computeIfAbsent(dflt, x -> new ArrayList<>());
            trampolineOf.clear();
            List<SwitchProfile.Target> targets = new ArrayList<>();
            for (Map.Entry<LabelNode, List<Integer>> e : keysByTarget.entrySet()) {
                SwitchProfile.Target t = new SwitchProfile.Target(e.getValue().stream().mapToInt(Integer::intValue).toArray(),
                        e.getKey() == dflt, new Counter());
                targets.add(t);
                LabelNode tramp = new LabelNode();
                trampolineOf.put(e.getKey(), tramp);
                trampolines.add(tramp);
                trampolines.add(new IincInsnNode(counter(t.count(), 0), 1));
                int target = labelTarget.get(e.getKey());
                if (target > i && entryInto(target) >= 0) trampolines.add(countEntry(entryInto(target)));
                trampolines.add(new JumpInsnNode(GOTO, e.getKey()));
            }
            return new SwitchProfile(offsets[i], lines[i], targets);
        }

        /** Loads every local counter and hands them to the profile, {@link #FLUSH_CHUNK} per call. */
        private InsnList flush() {
            InsnList l = new InsnList();
            for (TripLocals t : tripLocals.values()) l.add(tripRecord(t));
            for (int from = 0; from < counters.size(); from += FLUSH_CHUNK) {
                int to = Math.min(counters.size(), from + FLUSH_CHUNK);
                for (int k = from; k < to; k++) l.add(new VarInsnNode(ILOAD, base + k));
                l.add(new InvokeDynamicInsnNode("flush", "(" + "I".repeat(to - from) + ")V", FLUSH, id, from));
            }
            return l;
        }
    }

    /**
     * Rewrites the static calls and static field accesses of a copy that the twin class could not make itself
     * (private members, protected or non-public ones of another package) into {@code invokedynamic}s resolved with
     * the method's own class's access ({@link ProfileSupport#member}). Members that cannot be found here are left
     * as they are: the original could not link them either.
     */
    private record MemberAccess(Class<?> owner, int id) {
        void forward(MethodNode m) {
            for (AbstractInsnNode n : m.instructions.toArray()) {
                if (n instanceof MethodInsnNode c && c.getOpcode() == INVOKESTATIC && !c.owner.startsWith("[")) {
                    Member member = find(c.owner, c.name, c.desc, true);
                    if (member != null && !reachable(member)) {
                        m.instructions.set(c, new InvokeDynamicInsnNode(c.name, c.desc, MEMBER, id, ProfileSupport.INVOKE_STATIC, c.owner, c.desc));
                    }
                } else if (n instanceof FieldInsnNode f && (f.getOpcode() == GETSTATIC || f.getOpcode() == PUTSTATIC)) {
                    Member member = find(f.owner, f.name, f.desc, false);
                    if (member != null && !reachable(member)) {
                        boolean get = f.getOpcode() == GETSTATIC;
                        m.instructions.set(f, new InvokeDynamicInsnNode(f.name, get ? "()" + f.desc : "(" + f.desc + ")V", MEMBER, id,
                                get ? ProfileSupport.GET_STATIC : ProfileSupport.PUT_STATIC, f.owner, f.desc));
                    }
                }
            }
        }

        /** Whether a class of the owner's package, not nested in it, may use {@code member}. */
        private boolean reachable(Member member) {
            Class<?> c = member.getDeclaringClass();
            int mods = member.getModifiers();
            boolean samePackage = c.getPackageName().equals(owner.getPackageName()) && c.getClassLoader() == owner.getClassLoader();
            if (Modifier.isPrivate(mods)) return false;
            if (!Modifier.isPublic(c.getModifiers()) && !samePackage) return false;
            return Modifier.isPublic(mods) || samePackage;
        }

        private Member find(String internalName, String name, String desc, boolean method) {
            try {
                Class<?> c = Class.forName(internalName.replace('/', '.'), false, owner.getClassLoader());
                for (Class<?> k = c; k != null; k = k.getSuperclass()) {
                    if (method) {
                        for (Method x : k.getDeclaredMethods()) {
                            if (x.getName().equals(name) && Type.getMethodDescriptor(x).equals(desc)) return x;
                        }
                    } else {
                        for (Field x : k.getDeclaredFields()) {
                            if (x.getName().equals(name) && Type.getDescriptor(x.getType()).equals(desc)) return x;
                        }
                    }
                }
            } catch (ClassNotFoundException | LinkageError e) {
                return null;
            }
            return null;
        }
    }

    private static final String[] JUMP_NAMES = {"ifeq", "ifne", "iflt", "ifge", "ifgt", "ifle", "if_icmpeq", "if_icmpne", "if_icmplt",
        "if_icmpge", "if_icmpgt", "if_icmple", "if_acmpeq", "if_acmpne", "goto", "jsr", "ret", "ifnull", "ifnonnull"};

    /** Frames need the common superclass of two reference types; it is looked up through the method's class loader. */
    private static final class FrameComputingWriter extends ClassWriter {
        private final ClassLoader loader;

        FrameComputingWriter(ClassLoader loader) {
            super(COMPUTE_FRAMES);
            this.loader = loader;
        }

        @Override
        protected ClassLoader getClassLoader() { return loader != null ? loader : ClassLoader.getPlatformClassLoader(); }

        @Override
        protected String getCommonSuperClass(String a, String b) {
            try {
                return super.getCommonSuperClass(a, b);
            } catch (RuntimeException | LinkageError e) {
                return "java/lang/Object"; // a type that cannot be loaded here: the verifier then checks the twin
            }
        }
    }
}
