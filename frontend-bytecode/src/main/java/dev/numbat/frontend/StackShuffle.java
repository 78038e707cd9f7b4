package dev.numbat.frontend;

import static org.objectweb.asm.Opcodes.*;

import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * The JVM's operand-stack shuffles ({@code pop pop2 dup dup_x1 dup_x2 dup2 dup2_x1 dup2_x2 swap}) on a
 * list whose last element is the top. Entries are values, one per value whatever its size; {@code wide}
 * says which are longs or doubles, which decides the form of the {@code 2} variants (JVMS §6.5). The
 * translator shuffles IR values with it; the NPE message builder shuffles positions to trace a
 * duplicated reference back to the instruction that pushed it.
 */
final class StackShuffle {
    private StackShuffle() {}

    static boolean isShuffle(int opcode) { return opcode >= POP && opcode <= SWAP; }

    static <T> void apply(int opcode, List<T> s, Predicate<T> wide) {
        int n = s.size();
        switch (opcode) {
            case POP -> s.remove(n - 1);
            case POP2 -> {
                if (!wide.test(s.remove(n - 1))) s.remove(n - 2);
            }
            case DUP -> s.add(s.get(n - 1));
            case DUP_X1 -> s.add(n - 2, s.get(n - 1));
            case DUP_X2 -> s.add(wide.test(s.get(n - 2)) ? n - 2 : n - 3, s.get(n - 1));
            case DUP2 -> {
                if (wide.test(s.get(n - 1))) {
                    s.add(s.get(n - 1));
                } else {
                    s.add(s.get(n - 2));
                    s.add(s.get(n - 1));
                }
            }
            case DUP2_X1 -> {
                if (wide.test(s.get(n - 1))) {
                    s.add(n - 2, s.get(n - 1));
                } else {
                    T top = s.get(n - 1), second = s.get(n - 2);
                    s.add(n - 3, top);
                    s.add(n - 3, second);
                }
            }
            case DUP2_X2 -> {
                T top = s.get(n - 1);
                if (wide.test(top)) {
                    s.add(wide.test(s.get(n - 2)) ? n - 2 : n - 3, top);
                } else {
                    T second = s.get(n - 2);
                    int at = wide.test(s.get(n - 3)) ? n - 3 : n - 4;
                    s.add(at, top);
                    s.add(at, second);
                }
            }
            case SWAP -> Collections.swap(s, n - 1, n - 2);
            default -> throw new IllegalArgumentException("not a stack shuffle: " + opcode);
        }
    }
}
