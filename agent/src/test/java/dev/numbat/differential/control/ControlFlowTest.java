package dev.numbat.differential.control;

import dev.numbat.differential.Differential;
import dev.numbat.differential.EdgeValues;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Control flow: if/else chains, nested loops with break/continue and labeled break/continue, do-while,
 * switches (dense: tableswitch; sparse: lookupswitch; fall-through; default; switch expressions), early
 * returns, loop-carried values that swap (the SSA "swap" and "lost copy" problems). Loops are bounded by
 * masking their counts, so every int is a valid argument: one-parameter kernels run at -40..40 and the int
 * edges, two-parameter kernels at all pairs of -6..6 and the int edges.
 */
class ControlFlowTest {

    static final class Kernels {
        static int ifElseChain(int x) {
            if (x < -100) return 1;
            else if (x < 0) return 2;
            else if (x == 0) return 3;
            else if (x <= 31) return 4;
            else if (x != Integer.MAX_VALUE) return 5;
            else return 6;
        }

        static int nestedIf(int a, int b) {
            int r = 0;
            if (a > 0) {
                if (b > 0) r = 1;
                else if (b < -3) r = 2;
                else r = 3;
            } else if (a == b) {
                r = 4;
            }
            return r * 10 + (a > b ? 1 : 0);
        }

        static int nestedLoopsBreakContinue(int n) {
            int m = n & 31, s = 0;
            for (int i = 0; i < m; i++) {
                if (i % 5 == 4) continue;
                for (int j = 0; j < m; j++) {
                    if (j > i) break;
                    if ((i + j) % 3 == 0) continue;
                    s += i * j ^ n;
                }
                if (s > 5000) break;
            }
            return s;
        }

        static int labeledBreakContinue(int n) {
            int m = n & 15, s = 0;
            outer:
            for (int i = 0; i < m; i++) {
                middle:
                for (int j = 0; j < m; j++) {
                    for (int k = 0; k < m; k++) {
                        if (k == j) continue middle;
                        if (i * j * k > 40) continue outer;
                        if (s > 300 + n % 7) break outer;
                        s += k + j - i;
                    }
                }
            }
            return s;
        }

        static int doWhile(int n) {
            int x = n, steps = 0;
            do {
                x = (x & 1) == 0 ? x >> 1 : 3 * x + 1;
                steps++;
            } while (x != 1 && x != 0 && steps < 200);
            return steps * 1000 + (x & 0xff);
        }

        static int whileTrueBreak(int n) {
            int i = 0, s = n;
            while (true) {
                s = s * 31 + i;
                if (++i >= (n & 7) + 1) break;
            }
            return s;
        }

        static int denseSwitch(int x) {
            switch (x) {
                case 0: return 100;
                case 1: return 101;
                case 2: return 102;
                case 3: return 103;
                case 4: return 104;
                case 5: return 105;
                case 6: return 106;
                case 7: return 107;
                default: return -1;
            }
        }

        static int sparseSwitch(int x) {
            switch (x) {
                case Integer.MIN_VALUE: return 1;
                case -1000: return 2;
                case -1: return 3;
                case 7: return 4;
                case 1 << 20: return 5;
                case Integer.MAX_VALUE: return 6;
                default: return 7;
            }
        }

        static int fallThrough(int x) {
            int r = 0;
            switch (x & 7) {
                case 0: r += 1;
                case 1: r += 10;
                case 2: r += 100; break;
                case 3: r += 1000;
                case 5: r += 10000;
                default: r += 100000;
            }
            return r;
        }

        static int negativeDenseSwitch(int x) {
            switch (x) {
                case -3: return 3;
                case -2: return 2;
                case -1: return 1;
                case 0: return 0;
                case 1: return -1;
                default: return 42;
            }
        }

        static int switchNoDefault(int x) {
            int r = 5;
            switch (x) {
                case 1 -> r = 10;
                case 2 -> r = 20;
                case 30 -> r = 300;
            }
            return r;
        }

        static int switchExpression(int x) {
            return switch (x % 4) {
                case 0 -> x * 2;
                case 1, -1 -> x - 7;
                case 2 -> { int y = x; for (int i = 0; i < 3; i++) y ^= y << 1; yield y; }
                default -> -x;
            };
        }

        static int switchOnChar(int x) {
            char c = (char) x;
            switch (c) {
                case 'a': case 'e': case 'i': case 'o': case 'u': return 1;
                case ' ': return 2;
                case '\uffff': return 3;
                default: return 0;
            }
        }

        static int switchInLoop(int n) {
            int s = 0;
            for (int i = 0; i < (n & 63); i++) {
                switch (i % 6) {
                    case 0: continue;
                    case 1: s += i; break;
                    case 2: s -= 3; // fall through
                    case 3: s ^= i << 2; break;
                    default: if (s > 1000) return s;
                }
                s++;
            }
            return s;
        }

        static int earlyReturns(int a, int b) {
            if (a == b) return 0;
            for (int i = 0; i < 10; i++) {
                if (a + i == b) return i;
                if (a - i == b) return -i;
            }
            if (a > b) return 100;
            return -100;
        }

        static int gcd(int a, int b) {
            int x = Math.abs(a % 100000), y = Math.abs(b % 100000);
            while (y != 0) { int t = x % y; x = y; y = t; }
            return x;
        }

        /** a, b = b, a + b: the loop-carried values swap (phi parallel copies). */
        static long fibonacciIterative(int n) {
            long a = 0, b = 1;
            for (int i = 0; i < (n & 127); i++) { long t = a + b; a = b; b = t; }
            return a;
        }

        /** The swap problem: two phis that exchange values every iteration. */
        static int swapLoop(int a, int b) {
            int x = a, y = b;
            for (int i = 0; i < (a & 7); i++) { int t = x; x = y; y = t; }
            return x * 31 + y;
        }

        /** The lost-copy problem: the value before the update is live after the loop. */
        static int lostCopy(int n) {
            int x = 1, y;
            int i = 0;
            do { y = x; x = x + 2; i++; } while (i < (n & 15));
            return y * 1000 + x;
        }

        static int countDownLong(int n) {
            long s = 0;
            for (long i = n & 255; i > 0; i -= 3) s += i * i;
            return (int) (s ^ (s >>> 32));
        }

        static double floatLoop(int n) {
            double s = 0;
            float f = 0.1f;
            for (int i = 0; i < (n & 31); i++) { s += f; f *= 1.5f; }
            return s;
        }

        static int loopWithDivision(int a, int b) {
            int s = 0;
            for (int i = -2; i <= 2; i++) s += a / (b + i);
            return s;
        }

        static boolean isPrime(int n) {
            if (n < 2) return false;
            int m = n % 10007;
            if (m < 2) return false;
            for (int d = 2; d * d <= m; d++) if (m % d == 0) return false;
            return true;
        }

        /** Ternaries inside expressions: values stay on the operand stack across the branches (stack phis). */
        static long stackLiveAcrossBranches(int x, int y) {
            long r = x * 31L + (y > 0 ? y : -y);
            r = r * (x < y ? 3L : 5L) - (x == y ? 1 : (y < 0 ? 2 : 4));
            double d = r * (x > 3 ? 2.0 : 0.5) + (y % 3 == 0 ? 1.5f : -1.5f);
            return (long) d + x + (y > x ? (x > 0 ? 10 : 20) : 30) + Math.max(x, y > 5 ? y : 5);
        }

        static int booleanArguments(int x, int y) {
            return Helpers.pick(x, y > 0, x < y, y) + Helpers.pick(y, x == y || x > 100, !(y < 3), x);
        }

        /** javac reuses local slots across scopes with values of other types. */
        static double slotReuseAcrossScopes(int n) {
            double r = 0;
            { int i = n * 2; r += i; }
            { double d = n * 0.5; r += d; }
            { long l = n * 3L; r += l; }
            for (int k = 0; k < (n & 3); k++) { float f = k * 1.5f; r += f; }
            if (n > 0) { long l2 = n; r -= l2; } else { double d2 = -n; r += d2; }
            { int[] arr = new int[2]; arr[1] = n; r += arr[1]; }
            return r;
        }

        static int conditionalAssignmentChain(int a) {
            int r = a > 0 ? (a > 10 ? (a > 100 ? 3 : 2) : 1) : (a < -10 ? -2 : a < 0 ? -1 : 0);
            boolean flag = (a & 1) == 0 || a < 0 && a > -20;
            return flag ? r : -r;
        }
    }

    static final class Helpers {
        static int pick(int a, boolean p, boolean q, int b) { return p ? (q ? a : b) : (q ? -a : -b); }
    }

    /** Loops that end only because their counter wraps around: no "no signed overflow" assumption may be made. */
    static final class OverflowLoops {
        static int countUntilIntWraps(int start) {
            int n = 0;
            for (int i = start; i > 0; i++) n++;
            return n;
        }

        static long countUntilLongWraps(long start) {
            long n = 0;
            for (long i = start; i > 0; i += 1000) n++;
            return n;
        }

        static int multiplyUntilNegative(int x) {
            int n = 0;
            for (int v = x; v > 0 && n < 100; v *= 3) n++;
            return n;
        }

        static int indexWraps(int[] a, int start) {
            int s = 0;
            for (int i = start; i < a.length && i >= 0; i += 0x40000000) s += a[i & 3];
            return s;
        }
    }

    @Test
    void loopsThatEndByOverflow() {
        Differential.Batch batch = new Differential.Batch();
        batch.run(() -> Differential.of(OverflowLoops.class, "countUntilIntWraps").checkAll(EdgeValues.product(
                EdgeValues.ints(Integer.MAX_VALUE, Integer.MAX_VALUE - 1, Integer.MAX_VALUE - 5, Integer.MAX_VALUE - 1000, 0, -1, Integer.MIN_VALUE))));
        batch.run(() -> Differential.of(OverflowLoops.class, "countUntilLongWraps").checkAll(EdgeValues.product(
                List.of(Long.MAX_VALUE, Long.MAX_VALUE - 999, Long.MAX_VALUE - 1_000_000, 0L, -1L))));
        batch.run(() -> Differential.of(OverflowLoops.class, "multiplyUntilNegative").checkAll(EdgeValues.product(EdgeValues.ints(EdgeValues.SMALL_AND_EDGE_INTS))));
        batch.run(() -> Differential.of(OverflowLoops.class, "indexWraps").checkAll(EdgeValues.product(List.of(new int[] {1, 2, 3, 4}),
                EdgeValues.ints(0, 1, 3, -1, Integer.MAX_VALUE))));
        batch.done();
    }

    private static final int[] PAIR_VALUES = pairValues();

    private static int[] pairValues() {
        List<Integer> v = new ArrayList<>();
        for (int i = -6; i <= 6; i++) v.add(i);
        for (int e : EdgeValues.INTS) if (!v.contains(e)) v.add(e);
        return v.stream().mapToInt(Integer::intValue).toArray();
    }

    private static List<Object[]> arguments(Method m) {
        int n = m.getParameterCount();
        List<Object> values = EdgeValues.ints(n == 1 ? EdgeValues.SMALL_AND_EDGE_INTS : PAIR_VALUES);
        List<List<Object>> axes = new ArrayList<>();
        for (int i = 0; i < n; i++) axes.add(values);
        if (!Arrays.stream(m.getParameterTypes()).allMatch(t -> t == int.class)) throw new IllegalStateException(m.toString());
        return EdgeValues.product(axes);
    }

    @TestFactory
    Stream<DynamicTest> controlFlowKernels() {
        return Differential.kernels(Kernels.class).stream().map(m -> DynamicTest.dynamicTest(m.getName(),
                () -> Differential.of(m).checkAll(arguments(m))));
    }
}
