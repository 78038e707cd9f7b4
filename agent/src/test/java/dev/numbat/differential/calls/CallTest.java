package dev.numbat.differential.calls;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import dev.numbat.differential.Differential;
import dev.numbat.differential.EdgeValues;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Calls to static methods: in the same class, in another class ({@link OtherKernels}), inherited static
 * methods, pure-Java JDK methods (Integer.compare, Math.floorMod/floorDiv, Long.compareUnsigned,
 * Double.compare, Float.isNaN, Integer.highestOneBit, Integer.signum, ...), sub-int parameters and results
 * across calls, exceptions raised in callees (and array writes they made first), recursion, mutual recursion,
 * and recursion deep enough to overflow the stack: the JVM throws StackOverflowError for a depth of ten
 * million, so must Numbat (the class is compared, not the message).
 */
class CallTest {

    static final class Kernels {
        static int twice(int x) { return x + x; }
        static long square(long x) { return x * x; }
        static double half(double x) { return x * 0.5; }
        static void bump(int[] a, int i) { a[i] += 1; }
        static byte toByte(int x) { return (byte) x; }
        static char toChar(int x) { return (char) (x + 1); }
        static short toShort(int x) { return (short) (x * 3); }
        static boolean isOdd(int x) { return (x & 1) != 0; }
        static int fromSubInts(byte b, short s, char c, boolean z) { return b * 1000003 + s * 1009 + c * 7 + (z ? 1 : 0); }
        static int divide(int a, int b) { return a / b; }

        static int sameClass(int x) { return twice(x) + (int) square(x) + (int) half(x); }

        static int subIntsAcrossCalls(int x) {
            byte b = toByte(x);
            char c = toChar(x);
            short s = toShort(x);
            return fromSubInts(b, s, c, isOdd(x)) + fromSubInts((byte) c, (short) b, (char) s, !isOdd(x));
        }

        static int interfaceStatic(int x) { return StaticInInterface.twice(x) + StaticInInterface.LIMIT; }

        static int otherClass(int x) { return OtherKernels.mix(x, 3) + OtherKernels.INHERITED_BASE_CONSTANT; }

        static int inheritedStatic(int x) { return OtherKernels.baseHelper(x); }

        static int exceptionFromCallee(int a, int b) { return 1 + divide(a, b); }

        static void calleeWritesThenThrows(int[] a, int i) {
            bump(a, 0);
            bump(a, i);
            bump(a, 1);
        }

        static int loadFrom(int[] arr, int i) { return arr[i]; }

        /** The NullPointerException comes from the callee and names the callee's parameter. */
        static int nullIntoCallee(int[] a, int i) { return loadFrom(a, i) + loadFrom(null, i); }

        static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

        static int ackermann(int m, int n) {
            if (m == 0) return n + 1;
            if (n == 0) return ackermann(m - 1, 1);
            return ackermann(m - 1, ackermann(m, n - 1));
        }

        static boolean isEven(int n) { return n == 0 || isOddMutual(n - 1); }
        static boolean isOddMutual(int n) { return n != 0 && isEven(n - 1); }

        /** Not a tail call: the addition after the call keeps every frame. */
        static long depth(long n) { return n <= 0 ? 0 : 1 + depth(n - 1); }

        /** A tail call: a compiler may turn it into a loop, but then it must still overflow where the JVM does. */
        static long tailDepth(long n, long acc) { return n <= 0 ? acc : tailDepth(n - 1, acc + 1); }

        static int recursiveSumArray(int[] a, int i) { return i >= a.length ? 0 : a[i] + recursiveSumArray(a, i + 1); }

        static long voidCalleeInLoop(int n) {
            int[] t = new int[4];
            for (int i = 0; i < (n & 63); i++) bump(t, i & 3);
            return t[0] * 1_000_000L + t[1] * 10_000L + t[2] * 100L + t[3];
        }

        static int manyArguments(int a, long b, float c, double d, int e, long f, float g, double h, int i, byte j, char k) {
            return (int) (a + b * 3 + (long) c * 5 + (long) d * 7 + e * 11 + f * 13 + (long) g * 17 + (long) h * 19 + i * 23 + j * 29 + k * 31);
        }

        static int callsManyArguments(int x) {
            return manyArguments(x, x * 3L, x * 0.5f, x * 0.25, -x, ~(long) x, -x * 1.5f, x * 2.0, x >> 3, (byte) x, (char) x);
        }
    }

    /** Calls into the JDK's own pure-Java static methods, compiled from their bytecode. */
    static final class JdkKernels {
        static int integerCompare(int a, int b) { return Integer.compare(a, b); }
        static int integerCompareUnsigned(int a, int b) { return Integer.compareUnsigned(a, b); }
        static int floorMod(int a, int b) { return Math.floorMod(a, b); }
        static int floorDiv(int a, int b) { return Math.floorDiv(a, b); }
        static long floorModLong(long a, long b) { return Math.floorMod(a, b); }
        static long floorDivLong(long a, long b) { return Math.floorDiv(a, b); }
        static int longCompareUnsigned(long a, long b) { return Long.compareUnsigned(a, b); }
        static int longCompare(long a, long b) { return Long.compare(a, b); }
        static int doubleCompare(double a, double b) { return Double.compare(a, b); }
        static int floatCompare(float a, float b) { return Float.compare(a, b); }
        static boolean floatIsNaN(float a) { return Float.isNaN(a); }
        static int highestOneBit(int a) { return Integer.highestOneBit(a); }
        static int signum(int a) { return Integer.signum(a); }
        static int longSignum(long a) { return Long.signum(a); }
        static int divideUnsigned(int a, int b) { return Integer.divideUnsigned(a, b); }
        static int remainderUnsigned(int a, int b) { return Integer.remainderUnsigned(a, b); }
        static long divideUnsignedLong(long a, long b) { return Long.divideUnsigned(a, b); }
        static int integerSum(int a, int b) { return Integer.sum(a, b); }
        static long multiplyHigh(long a, long b) { return Math.multiplyHigh(a, b); }
        static long multiplyFull(int a, int b) { return Math.multiplyFull(a, b); }
        static int ceilDiv(int a, int b) { return Math.ceilDiv(a, b); }
    }

    @TestFactory
    Stream<DynamicTest> jdkStaticMethodsAtEdgeValues() {
        return Differential.kernels(JdkKernels.class).stream().map(m -> DynamicTest.dynamicTest(m.getName(), () -> {
            Differential.of(m).checkAll(EdgeValues.tuples(m));
        }));
    }

    @Test
    void callsWithinAndAcrossClasses() {
        Differential.Batch batch = new Differential.Batch();
        batch.run(() -> Differential.of(Kernels.class, "sameClass").checkAll(EdgeValues.tuples(int.class)));
        batch.run(() -> Differential.of(Kernels.class, "subIntsAcrossCalls").checkAll(EdgeValues.product(List.of(EdgeValues.ints(EdgeValues.SMALL_AND_EDGE_INTS)))));
        batch.run(() -> Differential.of(Kernels.class, "otherClass").checkAll(EdgeValues.tuples(int.class)));
        batch.run(() -> Differential.of(Kernels.class, "interfaceStatic").checkAll(EdgeValues.tuples(int.class)));
        batch.run(() -> Differential.of(Kernels.class, "inheritedStatic").checkAll(EdgeValues.tuples(int.class)));
        batch.run(() -> Differential.of(Kernels.class, "callsManyArguments").checkAll(EdgeValues.tuples(int.class)));
        // As the entry: more arguments than registers, so some are passed on the native stack.
        List<Object[]> many = new ArrayList<>();
        for (Object x : EdgeValues.of(int.class)) {
            int v = (int) x;
            many.add(new Object[] {v, v * 3L, v * 0.5f, v * 0.25, -v, ~(long) v, -v * 1.5f, v * 2.0, v >> 3, (byte) v, (char) v});
        }
        batch.run(() -> Differential.of(Kernels.class, "manyArguments").checkAll(many));
        batch.run(() -> Differential.of(Kernels.class, "voidCalleeInLoop").checkAll(EdgeValues.tuples(int.class)));
        batch.done();
    }

    @Test
    void exceptionsFromCallees() {
        Differential.Batch batch = new Differential.Batch();
        batch.run(() -> Differential.of(Kernels.class, "exceptionFromCallee").checkAll(EdgeValues.tuples(int.class, int.class)));
        batch.run(() -> Differential.of(Kernels.class, "calleeWritesThenThrows").checkAll(EdgeValues.product(
                List.of(new int[3], new int[1], new int[0]), EdgeValues.ints(-1, 0, 1, 2, 3, Integer.MAX_VALUE))));
        List<Object> nullAndArrays = new ArrayList<>();
        nullAndArrays.add(null);
        nullAndArrays.add(new int[2]);
        batch.run(() -> Differential.of(Kernels.class, "calleeWritesThenThrows").checkAll(EdgeValues.product(nullAndArrays, EdgeValues.ints(0))));
        batch.run(() -> Differential.of(Kernels.class, "nullIntoCallee").checkAll(EdgeValues.product(nullAndArrays, EdgeValues.ints(0, 5))));
        batch.done();
    }

    @Test
    void recursion() {
        Differential.Batch batch = new Differential.Batch();
        List<Object[]> fib = new ArrayList<>();
        for (int n = -2; n <= 22; n++) fib.add(new Object[] {n});
        batch.run(() -> Differential.of(Kernels.class, "fib").checkAll(fib));
        List<Object[]> ack = new ArrayList<>();
        for (int m = 0; m <= 2; m++) for (int n = 0; n <= 6; n++) ack.add(new Object[] {m, n});
        ack.add(new Object[] {3, 3});
        batch.run(() -> Differential.of(Kernels.class, "ackermann").checkAll(ack));
        batch.run(() -> Differential.of(Kernels.class, "recursiveSumArray").checkAll(EdgeValues.product(
                List.of(new int[] {1, 2, 3, 4, 5}, new int[0]), EdgeValues.ints(0, 2, 5, 6, -1))));
        batch.done();
    }

    @Test
    void mutualRecursion() {
        Differential.of(Kernels.class, "isEven").checkAll(EdgeValues.product(EdgeValues.ints(0, 1, 2, 7, 100, 1001)));
    }

    /** Depths that both the JVM (here with -Xss4m) and a native stack of 256 KiB or more get through. */
    @Test
    void moderateRecursionDoesNotOverflow() {
        Differential.Batch batch = new Differential.Batch();
        batch.run(() -> Differential.of(Kernels.class, "depth").checkAll(EdgeValues.product(List.<Object>of(0L, 1L, 100L, 1000L))));
        batch.run(() -> Differential.of(Kernels.class, "tailDepth").checkAll(EdgeValues.product(List.<Object>of(0L, 1L, 100L, 1000L), List.<Object>of(0L))));
        batch.done();
    }

    /**
     * Recursion 5000 frames deep, which the JVM gets through with its default stack: compiled code must get through
     * too. (How deep compiled code may go is bounded by -Dnumbat.nativeStack, 256 KiB by default, and differs from
     * HotSpot's limit by design, docs/semantics.md; 20000 frames, fine on the JVM with this suite's -Xss4m, already
     * overflow it.)
     */
    @Test
    void recursionTheJvmSurvives() {
        Differential.Batch batch = new Differential.Batch();
        assertDoesNotThrow(() -> Kernels.depth(5_000L), "the JVM itself must get through");
        batch.run(() -> Differential.of(Kernels.class, "depth").checkAll(EdgeValues.product(List.<Object>of(5_000L))));
        batch.run(() -> Differential.of(Kernels.class, "ackermann").check(2, 2000));
        batch.done();
    }

    /** invokestatic of an interface's static method (the constant pool entry is an InterfaceMethodref). */
    interface StaticInInterface {
        int LIMIT = Integer.getInteger("numbat.test.nonexistent", 9);

        static int twice(int x) { return x * 2 + helper(x); }

        private static int helper(int x) { return x >>> 28; }
    }

    /** A class whose static initializer fails: the JVM initialises a class when one of its static methods is called. */
    static final class FailingInitializer {
        static final int[] TABLE = new int[Integer.getInteger("numbat.test.nonexistent", -1)];

        static int identity(int x) { return x; }
    }

    static final class CallsFailingInitializer {
        static int call(int x) { return FailingInitializer.identity(x) + 1; }
    }

    /**
     * Calling a static method initialises its class (JVMS 5.5); when the initializer throws, the JVM throws
     * ExceptionInInitializerError (and NoClassDefFoundError on later calls). Compiled code must too, or refuse to
     * compile such a call.
     */
    @Test
    void callTriggersClassInitialization() throws Throwable {
        // The JVM's two answers, in order: the first call raises ExceptionInInitializerError, every later one
        // NoClassDefFoundError. The class is shared with the JVM side, so the compiled handle must give the first.
        java.lang.invoke.MethodHandle call = dev.numbat.Numbat.compile(
                CallsFailingInitializer.class.getDeclaredMethod("call", int.class));
        ExceptionInInitializerError first = org.junit.jupiter.api.Assertions.assertThrows(
                ExceptionInInitializerError.class, () -> { int r = (int) call.invokeExact(5); });
        org.junit.jupiter.api.Assertions.assertInstanceOf(NegativeArraySizeException.class, first.getCause());
        NoClassDefFoundError jvmLater = org.junit.jupiter.api.Assertions.assertThrows(
                NoClassDefFoundError.class, () -> CallsFailingInitializer.call(5));
        NoClassDefFoundError numbatLater = org.junit.jupiter.api.Assertions.assertThrows(
                NoClassDefFoundError.class, () -> { int r = (int) call.invokeExact(5); });
        org.junit.jupiter.api.Assertions.assertEquals(jvmLater.getMessage(), numbatLater.getMessage());
    }

    @Test
    void deepRecursionOverflows() {
        Differential.Batch batch = new Differential.Batch();
        batch.run(() -> Differential.of(Kernels.class, "depth").check(10_000_000L));
        batch.run(() -> Differential.of(Kernels.class, "tailDepth").check(10_000_000L, 0L));
        batch.run(() -> Differential.of(Kernels.class, "isEven").check(10_000_000));
        batch.done();
    }
}
