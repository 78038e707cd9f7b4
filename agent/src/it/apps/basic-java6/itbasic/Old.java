package itbasic;

import dev.numbat.Jit;

/**
 * Compiled with --release 8, then its class file version set to 50 (Java 6) by AgentIT: invokedynamic
 * needs a Java 7 class file, so the agent cannot give it a dispatch prologue and it stays bytecode.
 */
public final class Old {
    private Old() {}

    @Jit
    public static int old(int x) {
        return 3 * x + 1;
    }
}
