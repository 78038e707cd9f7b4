package dev.numbat.differential.calls;

/** Static methods in another class than the caller, one of them inherited from a superclass. */
final class OtherKernels extends OtherKernelsBase {
    private OtherKernels() {}

    static final int INHERITED_BASE_CONSTANT = BASE_CONSTANT * 2;

    static int mix(int a, int b) {
        int h = a * 0x9E3779B9 + b;
        h ^= h >>> 16;
        return h * 0x85EBCA6B;
    }
}

class OtherKernelsBase {
    static final int BASE_CONSTANT = Integer.getInteger("numbat.test.nonexistent", 21);

    /** Called as {@code OtherKernels.baseHelper}: invokestatic resolves through the superclass. */
    static int baseHelper(int x) { return (x ^ BASE_CONSTANT) * 7 - (x >> 3); }
}
