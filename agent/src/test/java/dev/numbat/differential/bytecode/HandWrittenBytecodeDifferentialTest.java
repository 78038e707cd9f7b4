package dev.numbat.differential.bytecode;

import dev.numbat.frontend.asm.Asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.objectweb.asm.Opcodes.T_BOOLEAN;
import static org.objectweb.asm.Opcodes.T_BYTE;
import static org.objectweb.asm.Opcodes.T_CHAR;
import static org.objectweb.asm.Opcodes.T_INT;
import static org.objectweb.asm.Opcodes.T_SHORT;

import dev.numbat.NotCompiledException;
import dev.numbat.Numbat;
import dev.numbat.differential.Differential;
import dev.numbat.differential.EdgeValues;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.LineNumberInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bytecode javac does not write, run through Numbat against the JVM running the same bytecode: every stack
 * shuffle in every form (dup_x1, dup_x2, dup2, dup2_x1, dup2_x2 over ints, longs and doubles, swap, pop2),
 * the raw results of lcmp/fcmpl/fcmpg/dcmpl/dcmpg, stores to sub-int arrays without the narrowing javac
 * would put before them (bastore on boolean[] keeps the low bit, on byte[] the low byte), wide locals and
 * wide iinc, unreachable code, a 5000-case tableswitch, 50 nested loops, and an irreducible loop, which must
 * be refused. The same samples are lifted and verified in the frontend's own tests
 * ({@code dev.numbat.frontend.asm.HandWrittenBytecodeTest}), with their Java equivalents.
 */
class HandWrittenBytecodeDifferentialTest {

    /** Pops {@code n} ints into slots {@code base..base+n-1} (top last) and returns r = r * 31 + next, bottom first. */
    static Asm foldInts(Asm a, int n, int base) {
        for (int k = n - 1; k >= 0; k--) a.istore(base + k);
        a.iload(base);
        for (int k = 1; k < n; k++) a.iconst(31).imul().iload(base + k).iadd();
        return a.ireturn();
    }

    private static final List<Object> FEW_INTS = EdgeValues.ints(0, 1, -1, 7, 31, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x55555555);
    private static final List<Object> FEW_LONGS = List.of(0L, 1L, -1L, 7L, Long.MIN_VALUE, Long.MAX_VALUE, 0x5555555555555555L);

    @Test
    void intStackShuffles() {
        Differential.Batch batch = new Differential.Batch();
        Asm a = Asm.method("dupX1", "(II)I").iload(0).iload(1).dupX1();
        foldInts(a, 3, 2);
        a.and("dupX2", "(III)I").iload(0).iload(1).iload(2).dupX2();
        foldInts(a, 4, 3);
        a.and("dup2", "(II)I").iload(0).iload(1).dup2();
        foldInts(a, 4, 2);
        a.and("dup2X1", "(III)I").iload(0).iload(1).iload(2).dup2X1();
        foldInts(a, 5, 3);
        a.and("dup2X2", "(IIII)I").iload(0).iload(1).iload(2).iload(3).dup2X2();
        foldInts(a, 6, 4);
        a.and("swap", "(II)I").iload(0).iload(1).swap();
        foldInts(a, 2, 2);
        a.and("pop2", "(III)I").iload(0).iload(1).iload(2).pop2().ireturn();
        Asm.Built built = a.build();
        for (String m : List.of("dupX1", "dup2", "swap")) {
            batch.run(() -> Differential.of(built.method(m)).checkAll(EdgeValues.product(FEW_INTS, FEW_INTS)));
        }
        for (String m : List.of("dupX2", "dup2X1", "pop2")) {
            batch.run(() -> Differential.of(built.method(m)).checkAll(EdgeValues.product(FEW_INTS, FEW_INTS, EdgeValues.ints(3, -5))));
        }
        batch.run(() -> Differential.of(built.method("dup2X2")).checkAll(EdgeValues.product(FEW_INTS, FEW_INTS, EdgeValues.ints(3), EdgeValues.ints(-5, 9))));
        batch.done();
    }

    @Test
    void wideStackShuffles() {
        Differential.Batch batch = new Differential.Batch();
        Asm a = Asm.method("dupX2OverLong", "(JI)J").lload(0).iload(2).dupX2()
                .i2l().ladd().lstore(3).i2l().lconst(31).lmul().lload(3).lsub().lreturn()
                .and("dupX2OverDouble", "(DI)D").dload(0).iload(2).dupX2()
                .i2d().dadd().dstore(3).i2d().dload(3).dsub().dreturn()
                .and("dup2Long", "(J)J").lload(0).dup2().lconst(1).ladd().lmul().lreturn()
                .and("dup2X1Long", "(IJ)J").iload(0).lload(1).dup2X1()
                .lstore(3).i2l().lsub().lconst(31).lmul().lload(3).ladd().lreturn()
                .and("dup2X2Form2", "(IIJ)J").iload(0).iload(1).lload(2).dup2X2()
                .lstore(4).istore(6).istore(7)
                .lconst(31).lmul().iload(7).i2l().ladd().lconst(31).lmul().iload(6).i2l().ladd().lconst(31).lmul().lload(4).ladd()
                .lreturn()
                .and("dup2X2Form3", "(JII)J").lload(0).iload(2).iload(3).dup2X2()
                .istore(4).istore(5).lstore(6).istore(8).istore(9)
                .iload(9).i2l().lconst(31).lmul().iload(8).i2l().ladd().lconst(31).lmul().lload(6).ladd()
                .lconst(31).lmul().iload(5).i2l().ladd().lconst(31).lmul().iload(4).i2l().ladd().lreturn()
                .and("dup2X2Form4", "(JJ)J").lload(0).lload(2).dup2X2()
                .lstore(4).lstore(6).lconst(31).lmul().lload(6).ladd().lconst(31).lmul().lload(4).ladd().lreturn()
                .and("pop2Long", "(JI)I").lload(0).pop2().iload(2).ireturn()
                .and("pop2Double", "(DI)I").dload(0).iload(2).pop().pop2().iload(2).ireturn();
        Asm.Built c = a.build();
        batch.run(() -> Differential.of(c.method("dupX2OverLong")).checkAll(EdgeValues.product(FEW_LONGS, FEW_INTS)));
        batch.run(() -> Differential.of(c.method("dupX2OverDouble")).checkAll(EdgeValues.product(EdgeValues.of(double.class), FEW_INTS)));
        batch.run(() -> Differential.of(c.method("dup2Long")).checkAll(EdgeValues.product(FEW_LONGS)));
        batch.run(() -> Differential.of(c.method("dup2X1Long")).checkAll(EdgeValues.product(FEW_INTS, FEW_LONGS)));
        batch.run(() -> Differential.of(c.method("dup2X2Form2")).checkAll(EdgeValues.product(FEW_INTS, EdgeValues.ints(3, -9), FEW_LONGS)));
        batch.run(() -> Differential.of(c.method("dup2X2Form3")).checkAll(EdgeValues.product(FEW_LONGS, FEW_INTS, EdgeValues.ints(3, -9))));
        batch.run(() -> Differential.of(c.method("dup2X2Form4")).checkAll(EdgeValues.product(FEW_LONGS, FEW_LONGS)));
        batch.run(() -> Differential.of(c.method("pop2Long")).checkAll(EdgeValues.product(FEW_LONGS, FEW_INTS)));
        batch.run(() -> Differential.of(c.method("pop2Double")).checkAll(EdgeValues.product(List.of(1.5, Double.NaN), FEW_INTS)));
        batch.done();
    }

    /** The raw -1/0/1 of the comparison instructions, which javac only ever feeds to a branch. */
    @Test
    void rawComparisonResults() {
        Asm.Built c = Asm.method("fcmpl", "(FF)I").fload(0).fload(1).fcmpl().ireturn()
                .and("fcmpg", "(FF)I").fload(0).fload(1).fcmpg().ireturn()
                .and("dcmpl", "(DD)I").dload(0).dload(2).dcmpl().ireturn()
                .and("dcmpg", "(DD)I").dload(0).dload(2).dcmpg().ireturn()
                .and("lcmp", "(JJ)I").lload(0).lload(2).lcmp().ireturn().build();
        for (String m : List.of("fcmpl", "fcmpg", "dcmpl", "dcmpg", "lcmp")) {
            Differential.of(c.method(m)).checkAll(EdgeValues.tuples(c.method(m)));
        }
    }

    /**
     * Stores of an int to boolean/byte/char/short arrays without the i2b/i2c/i2s javac writes: the store keeps the
     * low bit (boolean[]) or truncates; read back with the sign or zero extension of the element type.
     */
    @Test
    void subIntStoresWithoutNarrowing() {
        Differential.Batch batch = new Differential.Batch();
        Asm.Built c = Asm.method("localBoolean", "(I)I").iconst(1).newarray(T_BOOLEAN).astore(1)
                .aload(1).iconst(0).iload(0).bastore()
                .aload(1).iconst(0).baload().ireturn()
                .and("localSubInts", "(I)I")
                .iconst(1).newarray(T_BYTE).astore(1)
                .iconst(1).newarray(T_CHAR).astore(2)
                .iconst(1).newarray(T_SHORT).astore(3)
                .iconst(1).newarray(T_INT).astore(4)
                .aload(1).iconst(0).iload(0).bastore()
                .aload(2).iconst(0).iload(0).castore()
                .aload(3).iconst(0).iload(0).sastore()
                .aload(1).iconst(0).baload().iconst(961).imul()
                .aload(2).iconst(0).caload().iconst(31).imul().iadd()
                .aload(3).iconst(0).saload().iadd().ireturn()
                .and("parameters", "([B[C[SI)V")
                .aload(0).iconst(0).iload(3).bastore()
                .aload(1).iconst(0).iload(3).castore()
                .aload(2).iconst(0).iload(3).sastore().vreturn()
                .build();
        List<Object[]> ints = EdgeValues.tuples(int.class);
        ints.add(new Object[] {2});
        ints.add(new Object[] {0x1ff});
        ints.add(new Object[] {0x18000});
        batch.run(() -> Differential.of(c.method("localBoolean")).checkAll(ints));
        batch.run(() -> Differential.of(c.method("localSubInts")).checkAll(ints));
        List<Object[]> params = new ArrayList<>();
        for (Object[] v : ints) params.add(new Object[] {new byte[1], new char[1], new short[1], v[0]});
        batch.run(() -> Differential.of(c.method("parameters")).checkAll(params));
        batch.done();
    }

    /**
     * Without a local variable table the JVM names parameters and locals by slot in its NullPointerException
     * messages ({@code "<parameter1>"}, {@code "<local2>"}); so must Numbat.
     */
    @Test
    void nullPointerMessagesWithoutLocalVariableTable() {
        Differential.Batch batch = new Differential.Batch();
        Asm.Built c = Asm.method("parameter", "([II)I").aload(0).iload(1).iaload().ireturn()
                .and("local", "([II)I").aload(0).astore(2).aload(2).iload(1).iaload().ireturn()
                .and("length", "([I)I").aload(0).arraylength().ireturn()
                .and("store", "(I[J)V").aload(1).iconst(0).lconst(1).op(org.objectweb.asm.Opcodes.LASTORE).vreturn()
                .build();
        List<Object> arrays = new ArrayList<>();
        arrays.add(null);
        arrays.add(new int[2]);
        batch.run(() -> Differential.of(c.method("parameter")).checkAll(EdgeValues.product(arrays, EdgeValues.ints(0, 2))));
        batch.run(() -> Differential.of(c.method("local")).checkAll(EdgeValues.product(arrays, EdgeValues.ints(0, 2))));
        batch.run(() -> Differential.of(c.method("length")).checkAll(EdgeValues.product(arrays)));
        List<Object> longArrays = new ArrayList<>();
        longArrays.add(null);
        longArrays.add(new long[1]);
        batch.run(() -> Differential.of(c.method("store")).checkAll(EdgeValues.product(EdgeValues.ints(0), longArrays)));
        batch.done();
    }

    /** {@code int v300 = p; v300 += 1000; v300 -= 129; v300++; return v300;} with wide locals and wide iinc. */
    @Test
    void wideLocalsAndIinc() {
        Asm.Built c = Asm.method("f", "(I)I").iload(0).istore(300).iinc(300, 1000).iinc(300, -129).iinc(300, 1)
                .iload(300).ireturn().build();
        Differential.of(c.method("f")).checkAll(EdgeValues.tuples(int.class));
    }

    /** {@code return p + 1;} followed by unreachable code ({@code return p * 3;}) in a Java 5 class file. */
    @Test
    void unreachableCodeAfterReturn() {
        Asm.Built c = Asm.java5Method("f", "(I)I").iload(0).iconst(1).iadd().ireturn()
                .iload(0).iconst(3).imul().ireturn().build();
        Differential.of(c.method("f")).checkAll(EdgeValues.tuples(int.class));
    }

    /** {@code switch (p) { case k: return k * 7 + 1; ... (k < 5000) default: return -1; }} */
    @Test
    void hugeTableSwitch() {
        String[] labels = new String[5000];
        for (int k = 0; k < labels.length; k++) labels[k] = "c" + k;
        Asm a = Asm.method("f", "(I)I").iload(0).tableswitch(0, "dflt", labels);
        for (int k = 0; k < labels.length; k++) a.label("c" + k).iconst(k * 7 + 1).ireturn();
        Asm.Built c = a.label("dflt").iconst(-1).ireturn().build();
        long start = System.nanoTime();
        Differential d = Differential.of(c.method("f"));
        System.out.println("numbat differential: 5000-case tableswitch compiled in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        List<Object[]> keys = new ArrayList<>(EdgeValues.tuples(int.class));
        for (int k = -3; k < 5003; k += 97) keys.add(new Object[] {k});
        keys.add(new Object[] {4999});
        keys.add(new Object[] {5000});
        d.checkAll(keys);
    }

    /** 50 nested {@code for (int ik = 0; ik < n; ik++)} loops around {@code s += 3}; run for n of -1, 0 and 1. */
    @Test
    void fiftyNestedLoops() {
        int depth = 50;
        Asm a = Asm.method("f", "(I)I").iconst(0).istore(1);
        for (int k = 0; k < depth; k++) a.iconst(0).istore(2 + k).label("head" + k).iload(2 + k).iload(0).ifIcmpge("end" + k);
        a.iinc(1, 3);
        for (int k = depth - 1; k >= 0; k--) a.iinc(2 + k, 1).goTo("head" + k).label("end" + k);
        Asm.Built c = a.iload(1).ireturn().build();
        Differential.of(c.method("f")).checkAll(EdgeValues.product(EdgeValues.ints(-1, 0, 1, Integer.MIN_VALUE)));
    }

    /**
     * Two entries into one cycle ({@code n = 0; if (p > 0) goto B; A: n += 1; B: n += 2; if (n < 10) goto A;
     * return n;}), with a line table: refused as an irreducible loop, naming the offset and its source line.
     */
    @Test
    void irreducibleLoopIsRefusedWithItsLine() {
        Asm.Built c = Asm.method("f", "(I)I").line(1).iconst(0).istore(1).iload(0).ifgt("B")
                .label("A").line(2).iinc(1, 1)
                .label("B").line(3).iinc(1, 2).iload(1).iconst(10).ifIcmplt("A")
                .line(4).iload(1).ireturn().build();
        NotCompiledException e = assertThrows(NotCompiledException.class, () -> Numbat.compile(c.method("f")));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("irreducible loop at bytecode offset (\\d+) \\((.*)\\) in (.*)")
                .matcher(e.getMessage());
        assertEquals(true, m.matches(), e.getMessage());
        int offset = Integer.parseInt(m.group(1));
        assertEquals("Generated.java:" + lineAt(c.bytes(), "f", offset), m.group(2), e.getMessage());
        assertEquals(c.internalName().replace('/', '.') + ".f(I)I", m.group(3));
    }

    /** The source line of bytecode offset {@code bci} in method {@code name}, from the class file's line table. */
    static int lineAt(byte[] classFile, String name, int bci) {
        ClassModel cm = ClassFile.of().parse(classFile);
        MethodModel mm = cm.methods().stream().filter(x -> x.methodName().equalsString(name)).findFirst().orElseThrow();
        int line = -1, best = -1;
        for (var table : mm.code().orElseThrow().findAttributes(Attributes.lineNumberTable())) {
            for (LineNumberInfo info : table.lineNumbers()) {
                if (info.startPc() <= bci && info.startPc() > best) { best = info.startPc(); line = info.lineNumber(); }
            }
        }
        return line;
    }
}
