package dev.numbat.frontend;

import static org.objectweb.asm.Opcodes.*;

import dev.numbat.ir.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.ClassNode;

/**
 * The contents of {@code private static final} primitive arrays of JDK classes, read from the class's
 * static initializer without running it. Such tables (fdlibm's coefficients in {@code java.lang.FdLibm},
 * for instance) are private to the JDK, which never writes them after initialisation, so compiled code
 * may read a copy. The JDK's module system keeps reflection out of {@code java.lang}; its static
 * initializers are plain {@code newarray; dup; index; constant; xastore; ...; putstatic} sequences,
 * which this interprets. Anything else leaves the table unknown, and the method is refused.
 */
final class StaticTables {
    private StaticTables() {}

    /** Whether Numbat trusts {@code owner}'s private static final arrays never to change. */
    static boolean trusted(String owner) {
        return owner.startsWith("java/lang/");
    }

    /** The table's elements as raw bits, or null if the field is not such a table or its contents are unknown. */
    static long[] read(ClassNode owner, String field, String descriptor) {
        FieldNode f = null;
        for (FieldNode n : owner.fields) if (n.name.equals(field) && n.desc.equals(descriptor)) f = n;
        int required = ACC_PRIVATE | ACC_STATIC | ACC_FINAL;
        if (f == null || (f.access & required) != required) return null;
        for (MethodNode m : owner.methods) {
            if (m.name.equals("<clinit>")) return interpret(owner.name, m, field, Type.fromDescriptor(descriptor));
        }
        return null;
    }

    private static long[] interpret(String owner, MethodNode clinit, String field, Type arrayType) {
        Deque<Object> stack = new ArrayDeque<>();
        Map<String, long[]> assigned = new HashMap<>();
        for (AbstractInsnNode insn : clinit.instructions) {
            int op = insn.getOpcode();
            if (op < 0) continue;
            switch (op) {
                case ICONST_M1, ICONST_0, ICONST_1, ICONST_2, ICONST_3, ICONST_4, ICONST_5 -> stack.push((long) (op - ICONST_0));
                case LCONST_0, LCONST_1 -> stack.push((long) (op - LCONST_0));
                case FCONST_0, FCONST_1, FCONST_2 -> stack.push((long) Float.floatToRawIntBits(op - FCONST_0));
                case DCONST_0, DCONST_1 -> stack.push(Double.doubleToRawLongBits(op - DCONST_0));
                case BIPUSH, SIPUSH -> stack.push((long) ((IntInsnNode) insn).operand);
                case LDC -> {
                    Object c = ((LdcInsnNode) insn).cst;
                    if (c instanceof Integer i) stack.push((long) i);
                    else if (c instanceof Long l) stack.push(l);
                    else if (c instanceof Float x) stack.push((long) Float.floatToRawIntBits(x));
                    else if (c instanceof Double x) stack.push(Double.doubleToRawLongBits(x));
                    else return assigned.get(field);
                }
                case NEWARRAY -> {
                    if (!(stack.peek() instanceof Long n) || n < 0 || n > 1 << 20) return assigned.get(field);
                    stack.pop();
                    stack.push(new long[(int) (long) n]);
                }
                case DUP -> stack.push(stack.peek());
                case IASTORE, LASTORE, FASTORE, DASTORE, BASTORE, CASTORE, SASTORE -> {
                    if (stack.size() < 3 || !(stack.pop() instanceof Long v) || !(stack.pop() instanceof Long i)
                            || !(stack.pop() instanceof long[] a) || i < 0 || i >= a.length) return assigned.get(field);
                    a[(int) (long) i] = narrow(op, v);
                }
                case PUTSTATIC -> {
                    FieldInsnNode put = (FieldInsnNode) insn;
                    Object v = stack.isEmpty() ? null : stack.pop();
                    if (put.owner.equals(owner) && v instanceof long[] a) assigned.put(put.name, a);
                }
                default -> {
                    // Past the plain initialisers: what was assigned so far is final (the fields are final).
                    return assigned.get(field);
                }
            }
        }
        return assigned.get(field);
    }

    private static long narrow(int op, long v) {
        return switch (op) {
            case BASTORE -> (byte) v;
            case CASTORE -> (char) v;
            case SASTORE -> (short) v;
            case IASTORE, FASTORE -> (int) v;
            default -> v;
        };
    }
}
