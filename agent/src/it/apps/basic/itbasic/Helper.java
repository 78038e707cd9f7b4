package itbasic;

import dev.numbat.Jit;

/** Initialised during main, at its first call: with numbat.mode=eager its method compiles then, not before main. */
public final class Helper {
    private Helper() {}

    @Jit
    public static int cube(int x) {
        return x * x * x;
    }
}
