package itisolated;

import dev.numbat.Jit;

/**
 * Loaded by a class loader whose parent is the platform loader: it sees neither the agent nor the
 * annotation, so the agent must leave it alone (its rewritten code could not link against JitSupport).
 */
public final class Isolated {
    private Isolated() {}

    @Jit
    public static int twice(int x) {
        return 2 * x;
    }
}
