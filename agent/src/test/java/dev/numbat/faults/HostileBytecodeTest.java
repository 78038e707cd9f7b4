package dev.numbat.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.objectweb.asm.Opcodes.V1_1;
import static org.objectweb.asm.Opcodes.V1_2;
import static org.objectweb.asm.Opcodes.V1_3;
import static org.objectweb.asm.Opcodes.V1_4;
import static org.objectweb.asm.Opcodes.V1_5;
import static org.objectweb.asm.Opcodes.V1_6;

import dev.numbat.NotCompiledException;
import dev.numbat.Numbat;
import dev.numbat.differential.Differential;
import dev.numbat.differential.EdgeValues;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Unusual but valid class files ({@link HostileClassFiles}) never crash the JVM or hang the compiler: each
 * compiles and agrees with the JVM running the same bytecode, or is refused with a one-line reason. The timeouts
 * run each test on a thread of its own, so a hang fails it instead of stalling the build. (A 5,000-case
 * {@code tableswitch} and 50 plain nested loops are also in {@code HandWrittenBytecodeDifferentialTest}; ecj's
 * class files in {@link EcjBytecodeTest}.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileBytecodeTest {

    private static final List<Object> INTS = EdgeValues.ints(-1, 0, 1, 2, 3, 7, 100, -100_000, Integer.MIN_VALUE, Integer.MAX_VALUE);

    private static List<Object[]> intArrays() {
        List<Object> arrays = new ArrayList<>();
        arrays.add(null);
        arrays.add(new int[0]);
        arrays.add(new int[] {5, -3, 0, 2});
        arrays.add(new int[] {Integer.MIN_VALUE, -1, Integer.MAX_VALUE, 7, 8, 9});
        return EdgeValues.product(INTS, arrays);
    }

    /** Class files of Java 1.1 to 1.6 as old compilers wrote them: no stack map frames, ACC_SUPER, ldc2_w constants. */
    @ParameterizedTest
    @ValueSource(ints = {V1_1, V1_2, V1_3, V1_4, V1_5, V1_6})
    void oldClassFilesWithoutStackMapFrames(int version) {
        HostileClassFiles.Built c = HostileClassFiles.oldKernels(version);
        assertEquals(version & 0xFFFF, ((c.bytes()[6] & 0xFF) << 8) | (c.bytes()[7] & 0xFF));
        List<Object> arrays = new ArrayList<>();
        arrays.add(null);
        arrays.add(new int[0]);
        arrays.add(new int[] {1, -2, 3, Integer.MAX_VALUE, 5});
        Differential.Batch batch = new Differential.Batch();
        batch.run(() -> Differential.of(c.method("sumPositive")).checkAll(EdgeValues.product(arrays)));
        batch.run(() -> Differential.of(c.method("horner")).checkAll(EdgeValues.tuples(double.class)));
        batch.run(() -> Differential.of(c.method("mix")).checkAll(EdgeValues.product(EdgeValues.of(long.class),
                EdgeValues.ints(-1, 0, 1, 5, 63, 64, 65))));
        List<Object> floats = new ArrayList<>();
        floats.add(null);
        floats.add(new float[] {1.5f, -0f, Float.NaN, 3e38f});
        batch.run(() -> Differential.of(c.method("scale")).checkAll(EdgeValues.product(floats, EdgeValues.ints(-1, 0, 2, 4, 5),
                List.of(2f, -0.5f, Float.POSITIVE_INFINITY))));
        batch.done();
    }

    /** About 2,000 diamonds and 500 array updates in a method of some 63,000 bytes, near the JVM's 65,535. */
    @Test
    void methodNearThe64KiBLimit() {
        HostileClassFiles.Built c = HostileClassFiles.branchy(63_000);
        int length = c.codeLength("branchy");
        assertTrue(length > 60_000 && length <= HostileClassFiles.MAX_CODE_BYTES, "code length " + length);
        Differential.of(c.method("branchy")).checkAll(intArrays());
    }

    /** 48 nested loops (every eighth runs n times, the rest once) around an array update. */
    @Test
    void fortyEightNestedLoops() {
        HostileClassFiles.Built c = HostileClassFiles.nestedLoops(48);
        List<Object> arrays = new ArrayList<>();
        arrays.add(null);
        arrays.add(new long[3]);
        arrays.add(new long[] {1, 2, 3, 4, 5, 6, 7, 8});
        Differential.of(c.method("nested")).checkAll(EdgeValues.product(EdgeValues.ints(-1, 0, 1, 2, 3), arrays));
    }

    /** A tableswitch of 5,400 cases (a third falling through) filling some 63,000 bytes. */
    @Test
    void hugeTableswitchWithFallThrough() {
        HostileClassFiles.Built c = HostileClassFiles.tableswitch(5_400);
        assertTrue(c.codeLength("table") > 60_000, "code length " + c.codeLength("table"));
        List<Object> keys = new ArrayList<>(EdgeValues.ints(-1, 0, 1, 2, 3, 5_398, 5_399, 5_400, Integer.MIN_VALUE, Integer.MAX_VALUE));
        for (int k = 5; k < 5_400; k += 131) keys.add(k);
        Differential.of(c.method("table")).checkAll(EdgeValues.product(keys, EdgeValues.ints(0, 1, -7, Integer.MAX_VALUE)));
    }

    /**
     * A 65,000-byte method that is one basic block of 19,500 IR instructions: LLVM would need some 14 s for it at -O3
     * on 2 cores (its code generation is superlinear in a block's length), so the size guard of the compile-time
     * budget refuses it before LLVM starts, within a second or two, with a reason naming the budget. The JVM runs it.
     */
    @Test
    void monsterBlockIsRefusedFastByTheCompileBudget() throws Throwable {
        HostileClassFiles.Built c = HostileClassFiles.straightLine(65_000);
        long start = System.nanoTime();
        NotCompiledException e = assertThrows(NotCompiledException.class, () -> Numbat.compile(c.method("straight")));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.getMessage().matches("compile-time budget: LLVM would take about [0-9,]+ ms for [0-9,]+ IR instructions"
                + " \\([0-9,]+ in the largest block\\), more than the [0-9,]+ ms left of the [0-9,]+ ms budget \\(-Dnumbat.compileBudgetMs\\)"),
                e.getMessage());
        assertTrue(millis < 4_000, "the refusal took " + millis + " ms");
        System.out.println("numbat faults: " + e.diagnosticLine() + " (in " + millis + " ms)");
    }

    /** With a budget of 1 ms, a method of 20,000 bytes is refused at a stage boundary. */
    @Test
    void tinyBudgetRefusesBetweenStages() throws Exception {
        HostileClassFiles.Built c = HostileClassFiles.branchy(20_000);
        String before = System.getProperty("numbat.compileBudgetMs");
        System.setProperty("numbat.compileBudgetMs", "1");
        NotCompiledException e;
        try {
            e = assertThrows(NotCompiledException.class, () -> Numbat.compile(c.method("branchy")));
        } finally {
            if (before == null) System.clearProperty("numbat.compileBudgetMs");
            else System.setProperty("numbat.compileBudgetMs", before);
        }
        assertTrue(e.getMessage().matches("compile-time budget: [0-9,]+ ms spent by the end of (lifting|the IR passes of .*) of the 1 ms budget"
                + " \\(-Dnumbat.compileBudgetMs\\)"), e.getMessage());
    }

    /** A lookupswitch of 4,000 keys spread over the whole int range, both ends included. */
    @Test
    void hugeSparseLookupswitch() {
        HostileClassFiles.Built c = HostileClassFiles.lookupswitch(4_000);
        List<Object> keys = new ArrayList<>(EdgeValues.of(int.class));
        for (int k = 0; k < 4_000; k += 37) {
            keys.add(HostileClassFiles.sparseKey(k));
            keys.add(HostileClassFiles.sparseKey(k) + 1);
        }
        keys.add(HostileClassFiles.sparseKey(3_999));
        Differential.of(c.method("sparse")).checkAll(EdgeValues.product(keys));
    }

    /**
     * A chain of 300 static methods, each calling the next: more than the 256 methods one module may hold, so the
     * first is refused with a one-line reason naming the limit, while the chain's last 200 compile and agree.
     */
    @Test
    void callChainLongerThanAModuleMayHold() {
        HostileClassFiles.Built c = HostileClassFiles.callChain(300);
        NotCompiledException e = assertThrows(NotCompiledException.class, () -> Numbat.compile(c.method("m0")));
        assertTrue(e.getMessage().startsWith("more code than the compile budget allows (256 methods, 100000 instructions)"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        Differential.of(c.method("m100")).checkAll(EdgeValues.tuples(int.class));
    }
}
