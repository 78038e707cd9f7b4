package dev.numbat.frontend;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * Names the first construct outside the compiled subset, before any lifting starts, so a user gets
 * one precise line instead of a failure deep in the compiler. Returns null when the method may be lifted.
 */
final class SupportCheck {
    private SupportCheck() {}

    /** A problem with the method as a whole (signature, flags, handlers), or null. */
    static String ofMethod(MethodNode m) {
        if ((m.access & Opcodes.ACC_STATIC) == 0) return "instance method (only static methods are compiled)";
        if ((m.access & Opcodes.ACC_NATIVE) != 0) return "native method";
        if ((m.access & Opcodes.ACC_ABSTRACT) != 0 || m.instructions.size() == 0) return "method without bytecode";
        if ((m.access & Opcodes.ACC_SYNCHRONIZED) != 0) return "synchronized method";
        for (Type t : Type.getArgumentTypes(m.desc)) {
            if (!isSupportedValueType(t)) return "parameter of type " + t.getClassName()
                    + " (supported: primitives, arrays of primitives with one or two dimensions, and MemorySegment)";
        }
        Type r = Type.getReturnType(m.desc);
        if (r.getSort() == Type.ARRAY) return "returning an array (an allocation escaping the method)";
        if (r.getDescriptor().equals(SEGMENT)) return "returning a MemorySegment";
        if (!isSupportedValueType(r) && r.getSort() != Type.VOID) return "return type " + r.getClassName();
        return null;
    }

    /** Exception handlers, checked after the instructions so a synchronized block is named as such. */
    static String ofHandlers(MethodNode m) {
        return m.tryCatchBlocks != null && !m.tryCatchBlocks.isEmpty() ? "try/catch or finally block" : null;
    }

    /** What only the method Numbat is asked for must satisfy, since its parameters come from Java. */
    static String ofEntry(MethodNode m) {
        for (Type t : Type.getArgumentTypes(m.desc)) {
            if (t.getDescriptor().equals("[Z")) {
                return "boolean[] parameter (FFM cannot pass a boolean array without copying; use byte[])";
            }
            if (t.getDescriptor().equals("[[Z")) return "boolean[][] parameter (use byte[][])";
        }
        return null;
    }

    private static final String SEGMENT = "L" + SegmentMethods.OWNER + ";";

    static boolean isSupportedValueType(Type t) {
        return switch (t.getSort()) {
            case Type.BOOLEAN, Type.BYTE, Type.SHORT, Type.CHAR, Type.INT, Type.LONG, Type.FLOAT, Type.DOUBLE -> true;
            case Type.ARRAY -> t.getDimensions() <= 2 && t.getElementType().getSort() <= Type.DOUBLE;
            case Type.OBJECT -> t.getDescriptor().equals(SEGMENT);
            default -> false;
        };
    }

    /** The unsupported construct this instruction is, or null. Calls and static reads are checked where lifted. */
    static String ofInstruction(AbstractInsnNode insn) {
        return switch (insn.getOpcode()) {
            case Opcodes.GETFIELD, Opcodes.PUTFIELD -> "object field access (" + field(insn) + ")";
            case Opcodes.PUTSTATIC -> "write to a static field (" + field(insn) + ")";
            case Opcodes.NEW -> "object allocation (new " + Type.getObjectType(((TypeInsnNode) insn).desc).getClassName() + ")";
            case Opcodes.ANEWARRAY -> "array of objects (new " + Type.getObjectType(((TypeInsnNode) insn).desc).getClassName() + "[])";
            case Opcodes.MULTIANEWARRAY -> "multi-dimensional array (new " + Type.getType(((MultiANewArrayInsnNode) insn).desc).getClassName() + ")";
            // aaload is lifted where the array is known to be a two-dimensional primitive array.
            case Opcodes.AASTORE -> "store into an array of references (replacing a row of a 2-D array)";
            case Opcodes.INVOKEINTERFACE -> {
                MethodInsnNode m = (MethodInsnNode) insn;
                yield SegmentMethods.opcodeOf(m.owner, m.name, m.desc) != null ? null : "virtual call (" + method(insn) + ")";
            }
            case Opcodes.INVOKEVIRTUAL -> "virtual call (" + method(insn) + ")";
            case Opcodes.INVOKESPECIAL -> "constructor or private instance call (" + method(insn) + ")";
            case Opcodes.INVOKEDYNAMIC -> "invokedynamic (lambda, string concatenation or pattern switch: "
                    + ((InvokeDynamicInsnNode) insn).name + ")";
            case Opcodes.ATHROW -> "throw statement";
            case Opcodes.MONITORENTER, Opcodes.MONITOREXIT -> "synchronized block";
            case Opcodes.CHECKCAST, Opcodes.INSTANCEOF -> "type test or cast of an object";
            case Opcodes.JSR, Opcodes.RET -> "jsr/ret subroutine (old finally)";
            case Opcodes.ARETURN -> "returning an array (an allocation escaping the method)";
            case Opcodes.LDC -> {
                Object c = ((LdcInsnNode) insn).cst;
                yield c instanceof Integer || c instanceof Long || c instanceof Float || c instanceof Double ? null
                        : c instanceof String ? "string constant" : "constant of type " + c.getClass().getSimpleName();
            }
            default -> null;
        };
    }

    private static String field(AbstractInsnNode insn) {
        FieldInsnNode f = (FieldInsnNode) insn;
        return Type.getObjectType(f.owner).getClassName() + "." + f.name;
    }

    static String method(AbstractInsnNode insn) {
        MethodInsnNode m = (MethodInsnNode) insn;
        return Type.getObjectType(m.owner).getClassName() + "." + m.name + m.desc;
    }
}
