package dev.numbat.agent;

/**
 * Whether a class file's constant pool holds a given UTF-8 constant, found by walking the pool's entries
 * rather than searching every byte: a few hundred steps per class instead of thousands, which matters
 * because the agent sees every class the application loads, mostly while its own code is still
 * interpreted. An annotation's type is always such a constant ({@code Ldev/numbat/Jit;}), so a class
 * without it has no {@code @Jit} method.
 */
final class ConstantPoolScan {
    private ConstantPoolScan() {}

    /**
     * True when the pool has {@code utf8} (ASCII) as a CONSTANT_Utf8, and also for a constant tag this
     * scan does not know (a newer class file format), so that the caller looks closer. False for a class
     * file too short or malformed to walk: the JVM will reject it anyway.
     */
    static boolean mentions(byte[] classFile, byte[] utf8) {
        try {
            int count = u2(classFile, 8);
            int p = 10;
            for (int i = 1; i < count; i++) {
                switch (classFile[p] & 0xff) {
                    case 1 -> { // Utf8: u2 length, bytes
                        int length = u2(classFile, p + 1);
                        if (length == utf8.length && equalsAt(classFile, p + 3, utf8)) return true;
                        p += 3 + length;
                    }
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> p += 5; // Integer, Float, refs, NameAndType, (Invoke)Dynamic
                    case 5, 6 -> { // Long, Double: two slots
                        p += 9;
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> p += 3; // Class, String, MethodType, Module, Package
                    case 15 -> p += 4; // MethodHandle
                    default -> { return true; }
                }
            }
            return false;
        } catch (ArrayIndexOutOfBoundsException e) {
            return false;
        }
    }

    private static int u2(byte[] b, int at) { return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff); }

    private static boolean equalsAt(byte[] b, int at, byte[] s) {
        for (int k = 0; k < s.length; k++) if (b[at + k] != s[k]) return false;
        return true;
    }
}
