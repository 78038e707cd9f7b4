package dev.numbat.profiler;

/**
 * The values seen for one integral parameter ({@code int}, {@code long}, {@code short}, {@code char}, {@code byte},
 * {@code boolean}): whether every call passed the same value, and which, which is what a compilation guarded by that
 * value needs. Plain fields, no lock: a race between two threads' first calls can record one value while another
 * was passed, or call varied values the same. The compiled code checks the value on every call and has a general
 * version beside the specialised one, so a wrong record costs speed, never a result.
 */
public final class ScalarProfile {
    private static final int NONE = 0, ONE = 1, VARIED = 2;

    private final int parameter;
    private final String descriptor;
    private int state = NONE;
    private long value;

    ScalarProfile(int parameter, String descriptor) {
        this.parameter = parameter;
        this.descriptor = descriptor;
    }

    /** The parameter's position among all parameters (0 for the first). */
    public int parameter() { return parameter; }

    /** Its JVM descriptor: {@code I}, {@code J}, ... */
    public String descriptor() { return descriptor; }

    void record(long v) {
        int s = state;
        if (s == ONE) {
            if (v != value) state = VARIED;
        } else if (s == NONE) {
            value = v;
            state = ONE;
        }
    }

    /** Whether calls were seen and all of them passed {@link #value()} (as far as the racy record knows). */
    public boolean isConstant() { return state == ONE; }

    /** Whether calls passed more than one value. */
    public boolean varied() { return state == VARIED; }

    /** The one value seen (sign-extended; {@code boolean} as 0 or 1), meaningful when {@link #isConstant()}. */
    public long value() { return value; }
}
