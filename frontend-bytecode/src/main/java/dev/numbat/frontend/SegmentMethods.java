package dev.numbat.frontend;

import dev.numbat.ir.Opcode;
import org.objectweb.asm.Type;

/**
 * The {@code java.lang.foreign.MemorySegment} methods compiled as loads and stores: {@code get} and {@code set}
 * at a byte offset, {@code getAtIndex} and {@code setAtIndex} at an element index, each with one of the
 * {@code ValueLayout.OfX} layouts of a primitive other than boolean, and {@code byteSize()}.
 */
final class SegmentMethods {
    static final String OWNER = "java/lang/foreign/MemorySegment";
    private static final String LAYOUT_PREFIX = "Ljava/lang/foreign/ValueLayout$Of";

    private SegmentMethods() {}

    /** The IR opcode of this call, or null when it is not one Numbat compiles. */
    static Opcode opcodeOf(String owner, String name, String desc) {
        if (!owner.equals(OWNER)) return null;
        if (name.equals("byteSize")) return desc.equals("()J") ? Opcode.SEGMENT_SIZE : null;
        Type[] args = Type.getArgumentTypes(desc);
        Type ret = Type.getReturnType(desc);
        boolean read = name.equals("get") || name.equals("getAtIndex");
        boolean write = name.equals("set") || name.equals("setAtIndex");
        if (!read && !write) return null;
        if (args.length != (read ? 2 : 3) || !args[0].getDescriptor().startsWith(LAYOUT_PREFIX)
                || args[1].getSort() != Type.LONG) {
            return null;
        }
        Type element = read ? ret : args[2];
        if (element.getSort() < Type.CHAR || element.getSort() > Type.DOUBLE || (write && ret.getSort() != Type.VOID)) return null;
        boolean indexed = name.endsWith("AtIndex");
        if (read) return indexed ? Opcode.SEGMENT_GET_AT_INDEX : Opcode.SEGMENT_GET;
        return indexed ? Opcode.SEGMENT_SET_AT_INDEX : Opcode.SEGMENT_SET;
    }

    /** How many values the call takes besides the segment. */
    static int argumentCount(Opcode op) {
        return switch (op) {
            case SEGMENT_SIZE -> 0;
            case SEGMENT_GET, SEGMENT_GET_AT_INDEX -> 2;
            default -> 3;
        };
    }
}
