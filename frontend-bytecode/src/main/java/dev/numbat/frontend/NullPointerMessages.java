package dev.numbat.frontend;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * The helpful NullPointerException messages of JEP 358, as HotSpot words them for array accesses:
 * {@code Cannot load from int array because "x" is null}. HotSpot names the instruction that pushed
 * the null reference; ASM's {@link SourceInterpreter} finds the same instruction. When several
 * instructions may have pushed it, HotSpot leaves out the "because" clause, and so do we.
 */
final class NullPointerMessages {
    private final MethodNode method;
    private final Frame<SourceValue>[] frames;

    NullPointerMessages(String owner, MethodNode method) {
        this.method = method;
        Frame<SourceValue>[] f;
        try {
            f = new Analyzer<>(new SourceInterpreter()).analyze(owner, method);
        } catch (AnalyzerException e) {
            f = null; // the type analysis reports the problem; messages just lose their cause
        }
        this.frames = f;
    }

    /** The message for the array instruction at {@code index}, whose array operand is at stack depth {@code depth} from the top. */
    String messageFor(int index, int depth) {
        AbstractInsnNode insn = method.instructions.get(index);
        String action = insn instanceof MethodInsnNode call ? invokeAction(call) : action(insn.getOpcode());
        if (frames == null || frames[index] == null) return action;
        Frame<SourceValue> frame = frames[index];
        AbstractInsnNode source = pushedBy(frame.getStack(frame.getStackSize() - 1 - depth));
        String name = source == null ? null : describe(source, MAX_DETAIL);
        return name == null ? action : action + " because \"" + name + "\" is null";
    }

    /**
     * The instruction that pushed {@code value}, looking through stack shuffles as HotSpot does:
     * a {@code dup} copies a value, it does not make one. Null when several instructions may have.
     */
    private AbstractInsnNode pushedBy(SourceValue value) {
        for (int hops = 0; hops < 64; hops++) {
            if (value.insns.size() != 1) return null;
            AbstractInsnNode insn = value.insns.iterator().next();
            if (!StackShuffle.isShuffle(insn.getOpcode())) return insn;
            int at = method.instructions.indexOf(insn);
            Frame<SourceValue> before = frames[at], after = frames[at + 1];
            if (before == null || after == null) return null;
            int out = -1;
            for (int p = 0; p < after.getStackSize(); p++) if (after.getStack(p) == value) out = p;
            if (out < 0) return null;
            List<Integer> positions = new ArrayList<>();
            for (int p = 0; p < before.getStackSize(); p++) positions.add(p);
            StackShuffle.apply(insn.getOpcode(), positions, p -> before.getStack(p).getSize() == 2);
            value = before.getStack(positions.get(out));
        }
        return null;
    }

    /** How deep HotSpot describes nested sources ({@code a[i][j]}) before it gives up. */
    private static final int MAX_DETAIL = 5;

    /**
     * What HotSpot calls the value {@code source} pushed: a local's name, a constant, {@code a[i]} for a row
     * of a 2-D array (with {@code <array>} or {@code ...} where it stops describing); null when it names none.
     */
    private String describe(AbstractInsnNode source, int detail) {
        if (detail <= 0) return null;
        int op = source.getOpcode();
        if (op == Opcodes.ACONST_NULL) return "null";
        if (op >= Opcodes.ICONST_M1 && op <= Opcodes.ICONST_5) return String.valueOf(op - Opcodes.ICONST_0);
        if (op == Opcodes.BIPUSH || op == Opcodes.SIPUSH) return String.valueOf(((org.objectweb.asm.tree.IntInsnNode) source).operand);
        if (op == Opcodes.AALOAD) {
            int at = method.instructions.indexOf(source);
            Frame<SourceValue> frame = frames[at];
            if (frame == null) return null;
            AbstractInsnNode array = pushedBy(frame.getStack(frame.getStackSize() - 2));
            AbstractInsnNode index = pushedBy(frame.getStack(frame.getStackSize() - 1));
            String a = array == null ? null : describe(array, detail - 1);
            String i = index == null ? null : describe(index, detail - 1);
            return (a == null ? "<array>" : a) + "[" + (i == null ? "..." : i) + "]";
        }
        if (!(source instanceof VarInsnNode load) || op < Opcodes.ILOAD || op > Opcodes.ALOAD) return null;
        int slot = load.var;
        InsnList insns = method.instructions;
        int at = insns.indexOf(source);
        List<LocalVariableNode> locals = method.localVariables;
        if (locals != null) {
            for (LocalVariableNode lv : locals) {
                if (lv.index == slot && insns.indexOf(lv.start) <= at && at < insns.indexOf(lv.end)) return lv.name;
            }
        }
        boolean isStatic = (method.access & Opcodes.ACC_STATIC) != 0;
        if (!isStatic && slot == 0) return "this";
        int s = isStatic ? 0 : 1, n = 1;
        for (Type p : Type.getArgumentTypes(method.desc)) {
            if (s == slot) return "<parameter" + n + ">";
            s += p.getSize();
            n++;
        }
        return "<local" + slot + ">";
    }

    /** HotSpot's words for a call on null: the class and parameter types by their external names. */
    private static String invokeAction(MethodInsnNode call) {
        StringBuilder b = new StringBuilder("Cannot invoke \"").append(Type.getObjectType(call.owner).getClassName())
                .append('.').append(call.name).append('(');
        Type[] args = Type.getArgumentTypes(call.desc);
        for (int k = 0; k < args.length; k++) b.append(k == 0 ? "" : ", ").append(args[k].getClassName());
        return b.append(")\"").toString();
    }

    private static String action(int opcode) {
        return switch (opcode) {
            case Opcodes.ARRAYLENGTH -> "Cannot read the array length";
            case Opcodes.IALOAD -> "Cannot load from int array";
            case Opcodes.LALOAD -> "Cannot load from long array";
            case Opcodes.FALOAD -> "Cannot load from float array";
            case Opcodes.DALOAD -> "Cannot load from double array";
            case Opcodes.BALOAD -> "Cannot load from byte/boolean array";
            case Opcodes.CALOAD -> "Cannot load from char array";
            case Opcodes.SALOAD -> "Cannot load from short array";
            case Opcodes.AALOAD -> "Cannot load from object array";
            case Opcodes.IASTORE -> "Cannot store to int array";
            case Opcodes.LASTORE -> "Cannot store to long array";
            case Opcodes.FASTORE -> "Cannot store to float array";
            case Opcodes.DASTORE -> "Cannot store to double array";
            case Opcodes.BASTORE -> "Cannot store to byte/boolean array";
            case Opcodes.CASTORE -> "Cannot store to char array";
            case Opcodes.SASTORE -> "Cannot store to short array";
            default -> throw new IllegalArgumentException("not an array access: " + opcode);
        };
    }
}
