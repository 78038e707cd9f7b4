// Kernels for dev.numbat.faults.EcjBytecodeTest, compiled by ecj (the Eclipse compiler) at test time. They use
// constructs whose bytecode ecj shapes differently from javac: loops tested at the bottom, boolean expressions
// as branches, compound assignments on sub-int arrays, enhanced for loops, switch layouts, labelled jumps,
// inlined constants and conditional expressions of mixed types. Every method is static and deterministic.
public final class EcjKernels {
    static final int MASK = 0x7F;
    static final double SCALE = 1.0 / 3.0;

    public static boolean logic(int a, int b, long c, double d) {
        return a > b && c != 0L || !(d < 0.5) && (a & 1) == 0 || b == Integer.MIN_VALUE;
    }

    public static int dot(int[] a, int[] b) {
        int s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    public static double enhancedFor(double[] xs, float bias) {
        double s = 0;
        for (double x : xs) {
            if (x != x) continue;
            s = s * SCALE + x - bias;
        }
        return s;
    }

    public static int subIntCompound(byte[] b, short[] s, char[] c, int k) {
        int n = 0;
        for (int i = 0; i < b.length; i++) {
            b[i] += k;
            b[i] >>>= 1;
            s[i & 3] *= b[i];
            c[i % 5]++;
            n += b[i] ^ s[i & 3] ^ c[i % 5];
        }
        return n;
    }

    public static long switches(int key, long acc) {
        switch (key & MASK) {
            case 0: acc += 1;
            case 1: acc *= 3; break;
            case 2: case 3: acc ^= key; break;
            case 100: return -acc;
            default: acc -= key;
        }
        switch (key) {
            case -1000000: acc <<= 3; break;
            case 7: acc >>= 1; break;
            case Integer.MAX_VALUE: acc = ~acc; break;
        }
        return acc;
    }

    public static int labelled(int n, int m) {
        int count = 0;
        outer:
        for (int i = 0; i < (n & 15); i++) {
            int j = 0;
            while (true) {
                if (j >= (m & 15)) continue outer;
                if (i * j > 40) break outer;
                count += i ^ j++;
            }
        }
        do {
            count = count * 7 + 1;
        } while (count < 1000 && count > 0);
        return count;
    }

    public static double mixedTernary(int i, long l, float f, boolean z) {
        double r = z ? i : l;
        r += i > 0 ? f : (i < 0 ? l : 0.5);
        long q = z ? (long) f : i / (l == 0 ? 1 : l);
        return r + q + (char) i + (short) l + (byte) f;
    }

    public static int chained(int[] a, int x) {
        int y, z;
        y = z = x * 3;
        a[0] = a[1] = y++ + --z;
        return a[a.length - 1] += y << z;
    }

    public static int divisions(int a, int b, long c) {
        return a / b + (int) (c % b) + Math.floorMod(a, 7) + Integer.divideUnsigned(a, b | 1);
    }

    public static long recursive(int n, long acc) {
        if (n <= 0 || n > 16) return acc;
        return recursive(n - 1, acc * 31 + n) ^ recursive(n - 2, acc);
    }

    public static float floats(float a, float b, int k) {
        float s = a;
        for (int i = 0; i < (k & 7); i++) s = s * b + (float) Math.sqrt(Math.abs(s)) - i;
        return Math.max(s, -b) + Math.min(a, s);
    }

    public static int nullAndBounds(long[] a, int i, int[] b) {
        int n = b.length;
        a[i] = a[i + 1] - n;
        return (int) a[i] + b[i & 1];
    }
}
