package dev.numbat.frontend;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The bytecode offset of every instruction of every method, read from the class file itself: ASM's
 * tree API drops offsets, but diagnostics and the JVM's messages are about offsets. Instructions are
 * listed in code order, which is the order of the real (non-pseudo) nodes in an ASM {@code InsnList}.
 */
final class BytecodeOffsets {
    private final Map<String, int[]> offsetsByMethod = new HashMap<>();

    BytecodeOffsets(byte[] classFile) {
        ByteBuffer in = ByteBuffer.wrap(classFile);
        in.position(8);
        int cpCount = in.getShort() & 0xffff;
        String[] utf8 = new String[cpCount];
        for (int i = 1; i < cpCount; i++) {
            int tag = in.get() & 0xff;
            switch (tag) {
                case 1 -> {
                    int len = in.getShort() & 0xffff;
                    byte[] b = new byte[len];
                    in.get(b);
                    utf8[i] = decodeModifiedUtf8(b);
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.position(in.position() + 4);
                case 5, 6 -> { in.position(in.position() + 8); i++; }
                case 7, 8, 16, 19, 20 -> in.position(in.position() + 2);
                case 15 -> in.position(in.position() + 3);
                default -> throw new IllegalArgumentException("bad constant pool tag " + tag);
            }
        }
        in.position(in.position() + 6);
        int interfaces = in.getShort() & 0xffff;
        in.position(in.position() + 2 * interfaces);
        int fields = in.getShort() & 0xffff;
        for (int f = 0; f < fields; f++) {
            in.position(in.position() + 6);
            skipAttributes(in);
        }
        int methods = in.getShort() & 0xffff;
        for (int m = 0; m < methods; m++) {
            in.position(in.position() + 2);
            String name = utf8[in.getShort() & 0xffff];
            String desc = utf8[in.getShort() & 0xffff];
            int attrs = in.getShort() & 0xffff;
            for (int a = 0; a < attrs; a++) {
                String attrName = utf8[in.getShort() & 0xffff];
                int len = in.getInt();
                int end = in.position() + len;
                if (attrName.equals("Code")) {
                    in.position(in.position() + 4);
                    int codeLength = in.getInt();
                    offsetsByMethod.put(name + desc, scan(classFile, in.position(), codeLength));
                }
                in.position(end);
            }
        }
    }

    /** Offsets of the method's instructions in code order; empty if it has no code. */
    int[] of(String name, String descriptor) {
        return offsetsByMethod.getOrDefault(name + descriptor, new int[0]);
    }

    private static void skipAttributes(ByteBuffer in) {
        int attrs = in.getShort() & 0xffff;
        for (int a = 0; a < attrs; a++) {
            in.position(in.position() + 2);
            int len = in.getInt();
            in.position(in.position() + len);
        }
    }

    private static int[] scan(byte[] b, int start, int length) {
        int[] out = new int[length];
        int n = 0, pc = 0;
        while (pc < length) {
            out[n++] = pc;
            int op = b[start + pc] & 0xff;
            pc += switch (op) {
                case 0xaa -> { // tableswitch
                    int p = (pc + 4) & ~3;
                    int lo = readInt(b, start + p + 4), hi = readInt(b, start + p + 8);
                    yield p - pc + 12 + 4 * (hi - lo + 1);
                }
                case 0xab -> { // lookupswitch
                    int p = (pc + 4) & ~3;
                    int pairs = readInt(b, start + p + 4);
                    yield p - pc + 8 + 8 * pairs;
                }
                case 0xc4 -> (b[start + pc + 1] & 0xff) == 0x84 ? 6 : 4; // wide iinc / wide load-store
                default -> LENGTHS[op];
            };
        }
        int[] r = new int[n];
        System.arraycopy(out, 0, r, 0, n);
        return r;
    }

    private static int readInt(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }

    private static String decodeModifiedUtf8(byte[] b) {
        StringBuilder s = new StringBuilder(b.length);
        for (int i = 0; i < b.length; ) {
            int c = b[i++] & 0xff;
            if (c < 0x80) s.append((char) c);
            else if ((c & 0xe0) == 0xc0) s.append((char) ((c & 0x1f) << 6 | (b[i++] & 0x3f)));
            else s.append((char) ((c & 0x0f) << 12 | (b[i++] & 0x3f) << 6 | (b[i++] & 0x3f)));
        }
        return s.toString();
    }

    /** Instruction lengths by opcode for the fixed-size instructions (0 = not a valid opcode here). */
    private static final int[] LENGTHS = new int[256];
    static {
        java.util.Arrays.fill(LENGTHS, 1);
        for (int op : new int[] {0x10, 0x12, 0x15, 0x16, 0x17, 0x18, 0x19, 0x36, 0x37, 0x38, 0x39, 0x3a, 0xa9, 0xbc}) LENGTHS[op] = 2;
        for (int op : new int[] {0x11, 0x13, 0x14, 0x84, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xbb, 0xbd, 0xc0, 0xc1,
                0xc6, 0xc7}) LENGTHS[op] = 3;
        for (int op = 0x99; op <= 0xa8; op++) LENGTHS[op] = 3; // if*, goto, jsr
        LENGTHS[0xc5] = 4; // multianewarray
        LENGTHS[0xb9] = 5; LENGTHS[0xba] = 5; // invokeinterface, invokedynamic
        LENGTHS[0xc8] = 5; LENGTHS[0xc9] = 5; // goto_w, jsr_w
    }
}
