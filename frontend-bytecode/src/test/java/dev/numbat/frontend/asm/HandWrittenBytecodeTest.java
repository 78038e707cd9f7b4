package dev.numbat.frontend.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.objectweb.asm.Opcodes.T_BOOLEAN;
import static org.objectweb.asm.Opcodes.T_INT;

import dev.numbat.frontend.UnsupportedConstructException;
import dev.numbat.ir.Function;
import dev.numbat.ir.IrPrinter;
import dev.numbat.ir.IrVerifier;
import dev.numbat.ir.Module;
import dev.numbat.ir.pass.PassPipeline;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeElement;
import java.lang.classfile.Instruction;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bytecode javac does not write, assembled with {@link Asm}, each with its Java equivalent (where there is
 * one) in a comment. Every sample is lifted, the IR verified, and the standard pass pipeline run with
 * verification after each pass. Where the sample also runs, the JVM runs the assembled method and its Java
 * equivalent on the same arguments to show that the bytecode means what the comment says (compiled runs of
 * the same bytecode are in the agent module: {@code dev.numbat.differential.bytecode}).
 */
class HandWrittenBytecodeTest {

    // ---- helpers ----------------------------------------------------------------------------------

    /** Lifts, verifies, runs the standard passes with verification after each, verifies again; returns the IR text. */
    static String liftAndVerify(Asm.Built c, String name, String descriptor) throws UnsupportedConstructException {
        Module m = c.lift(name, descriptor);
        IrVerifier.verify(m);
        for (Function f : m.functions().values()) PassPipeline.standard().verifyingEachPass(true).run(f);
        IrVerifier.verify(m);
        return IrPrinter.print(m);
    }

    /** Runs the assembled method on the JVM: its result, or its exception's class and message. */
    static Object run(Method m, Object... args) {
        try {
            return m.invoke(null, args);
        } catch (InvocationTargetException e) {
            return e.getCause().getClass().getName() + ": " + e.getCause().getMessage();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JVM runs the assembled method like its Java equivalent on every argument tuple. */
    static void runsLike(Asm.Built c, String name, java.util.function.Function<Object[], Object> javaEquivalent, List<Object[]> tuples) {
        Method m = c.method(name);
        for (Object[] args : tuples) {
            assertEquals(javaEquivalent.apply(args), run(m, args), name + java.util.Arrays.toString(args));
        }
    }

    static List<Object[]> ints(int arity) {
        int[] v = {0, 1, -1, 7, 100, Integer.MIN_VALUE, Integer.MAX_VALUE};
        List<Object[]> out = new ArrayList<>();
        if (arity == 1) for (int a : v) out.add(new Object[] {a});
        if (arity == 2) for (int a : v) for (int b : v) out.add(new Object[] {a, b});
        if (arity == 3) for (int a : v) for (int b : v) out.add(new Object[] {a, b, b ^ a});
        if (arity == 4) for (int a : v) for (int b : v) out.add(new Object[] {a, b, a - 3, b + 5});
        return out;
    }

    /** Pops {@code n} ints into slots {@code base..base+n-1} (top last) and returns their polynomial: {@link #combine}. */
    static Asm foldInts(Asm a, int n, int base) {
        for (int k = n - 1; k >= 0; k--) a.istore(base + k);
        a.iload(base);
        for (int k = 1; k < n; k++) a.iconst(31).imul().iload(base + k).iadd();
        return a.ireturn();
    }

    /** The stack, bottom to top, as one int: order-sensitive. */
    static int combine(int... v) {
        int r = v[0];
        for (int k = 1; k < v.length; k++) r = r * 31 + v[k];
        return r;
    }

    // ---- stack shuffles -----------------------------------------------------------------------------

    @Test
    void dupX1() throws Exception {
        // int f(int a, int b): stack a b -> b a b;  Java: combine(b, a, b)
        Asm.Built c = foldInts(Asm.method("f", "(II)I").iload(0).iload(1).dupX1(), 3, 2).build();
        liftAndVerify(c, "f", "(II)I");
        runsLike(c, "f", a -> combine((int) a[1], (int) a[0], (int) a[1]), ints(2));
    }

    @Test
    void dupX2OfThreeInts() throws Exception {
        // int f(int a, int b, int c): a b c -> c a b c;  Java: combine(c, a, b, c)
        Asm.Built c = foldInts(Asm.method("f", "(III)I").iload(0).iload(1).iload(2).dupX2(), 4, 3).build();
        liftAndVerify(c, "f", "(III)I");
        runsLike(c, "f", a -> combine((int) a[2], (int) a[0], (int) a[1], (int) a[2]), ints(3));
    }

    @Test
    void dupX2OverLong() throws Exception {
        // long f(long x, int i): x i -> i x i;  then i2l, ladd, and (long) i * 31 - (x + i)
        // Java: (long) i * 31 - (x + i)
        Asm.Built c = Asm.method("f", "(JI)J").lload(0).iload(2).dupX2()
                .i2l().ladd().lstore(3).i2l().lconst(31).lmul().lload(3).lsub().lreturn().build();
        liftAndVerify(c, "f", "(JI)J");
        runsLike(c, "f", a -> (long) (int) a[1] * 31 - ((long) a[0] + (int) a[1]), longInt());
    }

    @Test
    void dupX2OverDouble() throws Exception {
        // double f(double x, int i): x i -> i x i;  Java: i - (x + i)
        Asm.Built c = Asm.method("f", "(DI)D").dload(0).iload(2).dupX2()
                .i2d().dadd().dstore(3).i2d().dload(3).dsub().dreturn().build();
        liftAndVerify(c, "f", "(DI)D");
        runsLike(c, "f", a -> (double) (int) a[1] - ((double) a[0] + (int) a[1]),
                List.of(new Object[] {1.5, 2}, new Object[] {-0.0, 0}, new Object[] {Double.NaN, 3}, new Object[] {1e300, -7}));
    }

    @Test
    void dup2OfTwoIntsAndOfLong() throws Exception {
        // int f(int a, int b): a b -> a b a b;  Java: combine(a, b, a, b)
        Asm.Built c = foldInts(Asm.method("f", "(II)I").iload(0).iload(1).dup2(), 4, 2)
                // long g(long x): x -> x x;  Java: x * (x + 1)
                .and("g", "(J)J").lload(0).dup2().lconst(1).ladd().lmul().lreturn().build();
        liftAndVerify(c, "f", "(II)I");
        liftAndVerify(c, "g", "(J)J");
        runsLike(c, "f", a -> combine((int) a[0], (int) a[1], (int) a[0], (int) a[1]), ints(2));
        runsLike(c, "g", a -> (long) a[0] * ((long) a[0] + 1), List.of(new Object[] {3L}, new Object[] {-1L}, new Object[] {Long.MAX_VALUE}));
    }

    @Test
    void dup2X1() throws Exception {
        // int f(int a, int b, int c): a b c -> b c a b c;  Java: combine(b, c, a, b, c)
        Asm.Built c = foldInts(Asm.method("f", "(III)I").iload(0).iload(1).iload(2).dup2X1(), 5, 3)
                // long g(int i, long x): i x -> x i x;  Java: (x - i) * 31 + x
                .and("g", "(IJ)J").iload(0).lload(1).dup2X1()
                .lstore(3).i2l().lsub().lconst(31).lmul().lload(3).ladd().lreturn().build();
        liftAndVerify(c, "f", "(III)I");
        liftAndVerify(c, "g", "(IJ)J");
        runsLike(c, "f", a -> combine((int) a[1], (int) a[2], (int) a[0], (int) a[1], (int) a[2]), ints(3));
        runsLike(c, "g", a -> ((long) a[1] - (int) a[0]) * 31 + (long) a[1], intLong());
    }

    @Test
    void dup2X2AllFourForms() throws Exception {
        // form 1, int f(int a, int b, int c, int d): a b c d -> c d a b c d;  Java: combine(c, d, a, b, c, d)
        Asm a1 = Asm.method("form1", "(IIII)I").iload(0).iload(1).iload(2).iload(3).dup2X2();
        foldInts(a1, 6, 4);
        // form 2, long form2(int a, int b, long x): a b x -> x a b x;  Java: ((x * 31 + a) * 31 + b) * 31 + x
        a1.and("form2", "(IIJ)J").iload(0).iload(1).lload(2).dup2X2()
                .lstore(4).istore(6).istore(7)
                .lconst(31).lmul().iload(7).i2l().ladd().lconst(31).lmul().iload(6).i2l().ladd().lconst(31).lmul().lload(4).ladd()
                .lreturn();
        // form 3, long form3(long x, int a, int b): x a b -> a b x a b;  Java: (((a * 31 + b) * 31 + x) * 31 + a) * 31 + b
        a1.and("form3", "(JII)J").lload(0).iload(2).iload(3).dup2X2()
                .istore(4).istore(5).lstore(6).istore(8).istore(9)
                .iload(9).i2l().lconst(31).lmul().iload(8).i2l().ladd().lconst(31).lmul().lload(6).ladd()
                .lconst(31).lmul().iload(5).i2l().ladd().lconst(31).lmul().iload(4).i2l().ladd().lreturn();
        // form 4, long form4(long x, long y): x y -> y x y;  Java: (y * 31 + x) * 31 + y
        a1.and("form4", "(JJ)J").lload(0).lload(2).dup2X2()
                .lstore(4).lstore(6).lconst(31).lmul().lload(6).ladd().lconst(31).lmul().lload(4).ladd().lreturn();
        Asm.Built c = a1.build();
        liftAndVerify(c, "form1", "(IIII)I");
        liftAndVerify(c, "form2", "(IIJ)J");
        liftAndVerify(c, "form3", "(JII)J");
        liftAndVerify(c, "form4", "(JJ)J");
        runsLike(c, "form1", a -> combine((int) a[2], (int) a[3], (int) a[0], (int) a[1], (int) a[2], (int) a[3]), ints(4));
        runsLike(c, "form2", a -> (((long) a[2] * 31 + (int) a[0]) * 31 + (int) a[1]) * 31 + (long) a[2],
                List.of(new Object[] {1, 2, 3L}, new Object[] {-1, 7, Long.MIN_VALUE}, new Object[] {0, 0, 0L}));
        runsLike(c, "form3", a -> ((((long) (int) a[1] * 31 + (int) a[2]) * 31 + (long) a[0]) * 31 + (int) a[1]) * 31 + (int) a[2],
                List.of(new Object[] {3L, 1, 2}, new Object[] {Long.MIN_VALUE, -1, 7}, new Object[] {0L, 0, 0}));
        runsLike(c, "form4", a -> ((long) a[1] * 31 + (long) a[0]) * 31 + (long) a[1],
                List.of(new Object[] {3L, 5L}, new Object[] {Long.MIN_VALUE, -1L}, new Object[] {0L, 1L}));
    }

    @Test
    void swapAndPop2() throws Exception {
        // int f(int a, int b): a b -> b a;  Java: b - a
        Asm.Built c = Asm.method("f", "(II)I").iload(0).iload(1).swap().isub().ireturn()
                // int g(long x, int i): push x, pop2 (one long);  Java: i
                .and("g", "(JI)I").lload(0).pop2().iload(2).ireturn()
                // int h(double d, int i): push d, i, pop, pop2 (one double), return i;  Java: i
                .and("h", "(DI)I").dload(0).iload(2).pop().pop2().iload(2).ireturn()
                // int k(int a, int b, int c): a b c, pop2 (two ints);  Java: a
                .and("k", "(III)I").iload(0).iload(1).iload(2).pop2().ireturn().build();
        liftAndVerify(c, "f", "(II)I");
        liftAndVerify(c, "g", "(JI)I");
        liftAndVerify(c, "h", "(DI)I");
        liftAndVerify(c, "k", "(III)I");
        runsLike(c, "f", a -> (int) a[1] - (int) a[0], ints(2));
        runsLike(c, "g", a -> a[1], List.of(new Object[] {5L, 3}, new Object[] {-1L, Integer.MIN_VALUE}));
        runsLike(c, "h", a -> a[1], List.of(new Object[] {5.5, 3}, new Object[] {Double.NaN, -9}));
        runsLike(c, "k", a -> a[0], ints(3));
    }

    /**
     * Where each value ends up, checked on the lifted IR alone: for a shuffle of the parameters and every stack
     * position after it, a method that pops what lies above that position and returns it must lift to
     * {@code return %pK}, K being the parameter the JVMS puts there. (A class without a local variable table,
     * so parameters are named p0, p1, ...)
     */
    @Test
    void everyShuffleMovesTheRightValues() throws Exception {
        record Shuffle(String name, int opcode, String descriptor, int[] result) {}
        List<Shuffle> shuffles = List.of(
                new Shuffle("dup", org.objectweb.asm.Opcodes.DUP, "(I)", new int[] {0, 0}),
                new Shuffle("dup_x1", org.objectweb.asm.Opcodes.DUP_X1, "(II)", new int[] {1, 0, 1}),
                new Shuffle("dup_x2 form 1", org.objectweb.asm.Opcodes.DUP_X2, "(III)", new int[] {2, 0, 1, 2}),
                new Shuffle("dup_x2 form 2", org.objectweb.asm.Opcodes.DUP_X2, "(JI)", new int[] {1, 0, 1}),
                new Shuffle("dup2 form 1", org.objectweb.asm.Opcodes.DUP2, "(II)", new int[] {0, 1, 0, 1}),
                new Shuffle("dup2 form 2", org.objectweb.asm.Opcodes.DUP2, "(J)", new int[] {0, 0}),
                new Shuffle("dup2_x1 form 1", org.objectweb.asm.Opcodes.DUP2_X1, "(III)", new int[] {1, 2, 0, 1, 2}),
                new Shuffle("dup2_x1 form 2", org.objectweb.asm.Opcodes.DUP2_X1, "(IJ)", new int[] {1, 0, 1}),
                new Shuffle("dup2_x2 form 1", org.objectweb.asm.Opcodes.DUP2_X2, "(IIII)", new int[] {2, 3, 0, 1, 2, 3}),
                new Shuffle("dup2_x2 form 2", org.objectweb.asm.Opcodes.DUP2_X2, "(IIJ)", new int[] {2, 0, 1, 2}),
                new Shuffle("dup2_x2 form 3", org.objectweb.asm.Opcodes.DUP2_X2, "(JII)", new int[] {1, 2, 0, 1, 2}),
                new Shuffle("dup2_x2 form 4", org.objectweb.asm.Opcodes.DUP2_X2, "(DD)", new int[] {1, 0, 1}),
                new Shuffle("swap", org.objectweb.asm.Opcodes.SWAP, "(II)", new int[] {1, 0}),
                new Shuffle("pop2 of two ints", org.objectweb.asm.Opcodes.POP2, "(III)", new int[] {0}),
                new Shuffle("pop2 of a long", org.objectweb.asm.Opcodes.POP2, "(IJ)", new int[] {0}));
        List<String> wrong = new ArrayList<>();
        for (Shuffle sh : shuffles) {
            org.objectweb.asm.Type[] params = org.objectweb.asm.Type.getArgumentTypes(sh.descriptor + "V");
            for (int position = 0; position < sh.result.length; position++) {
                int param = sh.result[position];
                String descriptor = sh.descriptor + params[param].getDescriptor();
                Asm a = Asm.method("f", descriptor);
                int slot = 0;
                for (org.objectweb.asm.Type t : params) {
                    load(a, t, slot);
                    slot += t.getSize();
                }
                a.op(sh.opcode);
                for (int above = sh.result.length - 1; above > position; above--) {
                    a.op(params[sh.result[above]].getSize() == 2 ? org.objectweb.asm.Opcodes.POP2 : org.objectweb.asm.Opcodes.POP);
                }
                a.op(params[param].getOpcode(org.objectweb.asm.Opcodes.IRETURN));
                String ir = liftAndVerify(a.build(), "f", descriptor);
                if (!ir.contains("return %p" + param + "\n")) {
                    wrong.add(sh.name + ", position " + position + " from the bottom: expected %p" + param + " in\n" + ir);
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    private static Asm load(Asm a, org.objectweb.asm.Type t, int slot) {
        return switch (t.getSort()) {
            case org.objectweb.asm.Type.LONG -> a.lload(slot);
            case org.objectweb.asm.Type.DOUBLE -> a.dload(slot);
            default -> a.iload(slot);
        };
    }

    static List<Object[]> longInt() {
        return List.of(new Object[] {5L, 3}, new Object[] {Long.MIN_VALUE, -1}, new Object[] {Long.MAX_VALUE, Integer.MAX_VALUE}, new Object[] {0L, 0});
    }

    static List<Object[]> intLong() {
        return List.of(new Object[] {3, 5L}, new Object[] {-1, Long.MIN_VALUE}, new Object[] {Integer.MAX_VALUE, Long.MAX_VALUE}, new Object[] {0, 0L});
    }

    // ---- control flow -------------------------------------------------------------------------------

    /**
     * Two entries into one cycle, which no Java source can produce:
     * <pre>
     *   n = 0; if (p > 0) goto B;
     * A: n += 1;
     * B: n += 2; if (n < 10) goto A;
     *   return n;
     * </pre>
     */
    static Asm.Built irreducible() {
        return Asm.method("f", "(I)I").iconst(0).istore(1).iload(0).ifgt("B")
                .label("A").iinc(1, 1)
                .label("B").iinc(1, 2).iload(1).iconst(10).ifIcmplt("A")
                .iload(1).ireturn().build();
    }

    @Test
    void irreducibleLoopIsRefused() {
        Asm.Built c = irreducible();
        UnsupportedConstructException e = assertThrows(UnsupportedConstructException.class, () -> c.lift("f", "(I)I"));
        assertEquals("irreducible loop", e.construct());
        assertTrue(e.getMessage().startsWith("irreducible loop"), e.getMessage());
        assertTrue(e.getMessage().endsWith(" in " + c.internalName().replace('/', '.') + ".f(I)I"), e.getMessage());
        // The JVM runs it: the entry through B skips one "n += 1".
        int viaB = (int) run(c.method("f"), 1), viaA = (int) run(c.method("f"), 0);
        assertEquals(viaA, viaB + 1);
    }

    /** The diagnostic of an irreducible loop in a class with a line table names the line of its offset. */
    @Test
    void irreducibleLoopNamesItsSourceLine() {
        Asm.Built c = Asm.method("f", "(I)I").line(1).iconst(0).istore(1).iload(0).ifgt("B")
                .label("A").line(2).iinc(1, 1)
                .label("B").line(3).iinc(1, 2).iload(1).iconst(10).ifIcmplt("A")
                .line(4).iload(1).ireturn().build();
        UnsupportedConstructException e = assertThrows(UnsupportedConstructException.class, () -> c.lift("f", "(I)I"));
        assertTrue(e.bytecodeOffset() >= 0, e.getMessage());
        assertEquals(lineAt(c.bytes(), "f", e.bytecodeOffset()), e.line(), e.getMessage());
    }

    /** The source line of bytecode offset {@code bci} in method {@code name}, from the class file's line table. */
    static int lineAt(byte[] classFile, String name, int bci) {
        ClassModel cm = ClassFile.of().parse(classFile);
        MethodModel mm = cm.methods().stream().filter(x -> x.methodName().equalsString(name)).findFirst().orElseThrow();
        int line = -1, best = -1;
        for (var table : mm.code().orElseThrow().findAttributes(java.lang.classfile.Attributes.lineNumberTable())) {
            for (var info : table.lineNumbers()) {
                if (info.startPc() <= bci && info.startPc() > best) { best = info.startPc(); line = info.lineNumber(); }
            }
        }
        return line;
    }

    /**
     * Unreachable code after a return, left as written (a Java 5 class file has no stack map frames):
     * <pre>
     *   return p + 1;
     *   return p * 3;   // never reached
     * </pre>
     * Only the reachable code is lifted.
     */
    @Test
    void deadCodeAfterReturn() throws Exception {
        Asm.Built c = Asm.java5Method("f", "(I)I").iload(0).iconst(1).iadd().ireturn()
                .iload(0).iconst(3).imul().ireturn().build();
        String ir = liftAndVerify(c, "f", "(I)I");
        assertFalse(ir.contains("mul"), ir);
        runsLike(c, "f", a -> (int) a[0] + 1, ints(1));
    }

    /**
     * ASM's COMPUTE_FRAMES replaces unreachable code by {@code nop ... nop athrow} (so that it needs no frame):
     * bytecode rewritten by ASM-based tools looks like this. The athrow can never run, so the method is lifted
     * as if it were not there.
     */
    @Test
    void deadCodeReplacedByAsmIsNotAThrowStatement() throws Exception {
        Asm.Built c = Asm.method("f", "(I)I").iload(0).iconst(1).iadd().ireturn()
                .iload(0).iconst(3).imul().ireturn().build();
        String ir = liftAndVerify(c, "f", "(I)I");
        assertFalse(ir.contains("mul"), ir);
        runsLike(c, "f", a -> (int) a[0] + 1, ints(1));
    }

    /** {@code switch (p) { case 0: return 1; case 1: return 8; ... case 4999: return 4999 * 7 + 1; default: return -1; }} */
    static Asm.Built hugeTableSwitch(int cases) {
        String[] labels = new String[cases];
        for (int k = 0; k < cases; k++) labels[k] = "c" + k;
        Asm a = Asm.method("f", "(I)I").iload(0).tableswitch(0, "dflt", labels);
        for (int k = 0; k < cases; k++) a.label("c" + k).iconst(k * 7 + 1).ireturn();
        return a.label("dflt").iconst(-1).ireturn().build();
    }

    @Test
    void hugeTableSwitchLiftsInReasonableTime() {
        Asm.Built c = hugeTableSwitch(5000);
        long start = System.nanoTime();
        String ir = org.junit.jupiter.api.Assertions.assertTimeout(Duration.ofSeconds(20), () -> liftAndVerify(c, "f", "(I)I"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("numbat asm: 5000-case tableswitch lifted and verified in " + millis + " ms");
        assertTrue(ir.contains("4999: "), "every case is in the switch");
        runsLike(c, "f", a -> (int) a[0] >= 0 && (int) a[0] < 5000 ? (int) a[0] * 7 + 1 : -1,
                List.of(new Object[] {0}, new Object[] {4999}, new Object[] {5000}, new Object[] {-1}, new Object[] {2500}));
    }

    /**
     * 50 nested counting loops:
     * <pre>
     *   int s = 0;
     *   for (int i0 = 0; i0 < n; i0++) for (int i1 = 0; i1 < n; i1++) ... for (int i49 = 0; i49 < n; i49++) s += 3;
     *   return s;
     * </pre>
     */
    static Asm.Built nestedLoops(int depth) {
        Asm a = Asm.method("f", "(I)I").iconst(0).istore(1);
        for (int k = 0; k < depth; k++) {
            a.iconst(0).istore(2 + k).label("head" + k).iload(2 + k).iload(0).ifIcmpge("end" + k);
        }
        a.iinc(1, 3);
        for (int k = depth - 1; k >= 0; k--) {
            a.iinc(2 + k, 1).goTo("head" + k).label("end" + k);
        }
        return a.iload(1).ireturn().build();
    }

    @Test
    void fiftyNestedLoops() {
        Asm.Built c = nestedLoops(50);
        long start = System.nanoTime();
        String ir = org.junit.jupiter.api.Assertions.assertTimeout(Duration.ofSeconds(20), () -> liftAndVerify(c, "f", "(I)I"));
        System.out.println("numbat asm: 50 nested loops lifted and verified in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        assertTrue(ir.lines().filter(l -> l.contains(" phi ")).count() >= 50, "a phi per loop counter");
        runsLike(c, "f", a -> Math.max(0, Math.min(1, (int) a[0])) * 3, List.of(new Object[] {0}, new Object[] {1}, new Object[] {-1}));
    }

    // ---- wide instructions and offsets ------------------------------------------------------------

    /**
     * A local beyond slot 255 (wide iload/istore/iinc) and an increment beyond a byte (wide iinc):
     * <pre>
     *   int v300 = p; v300 += 1000; v300 -= 129; v300++; return v300;
     * </pre>
     */
    @Test
    void wideIincAndWideLocals() throws Exception {
        Asm.Built c = Asm.method("f", "(I)I").iload(0).istore(300).iinc(300, 1000).iinc(300, -129).iinc(300, 1)
                .iload(300).ireturn().build();
        assertTrue(hasWide(c.bytes()), "the class has wide instructions");
        liftAndVerify(c, "f", "(I)I");
        runsLike(c, "f", a -> (int) a[0] + 1000 - 129 + 1, ints(1));
    }

    static boolean hasWide(byte[] classFile) {
        ClassModel cm = ClassFile.of().parse(classFile);
        for (MethodModel m : cm.methods()) {
            for (CodeElement e : m.code().orElseThrow()) {
                if (e instanceof Instruction i && i.sizeInBytes() >= 4 && (i.opcode() == Opcode.IINC_W || i.opcode() == Opcode.ILOAD_W
                        || i.opcode() == Opcode.ISTORE_W)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The offset of the first {@code opcode} in method {@code name}, by the JDK's class-file API. */
    static int offsetOf(byte[] classFile, String name, Opcode opcode) {
        ClassModel cm = ClassFile.of().parse(classFile);
        MethodModel mm = cm.methods().stream().filter(x -> x.methodName().equalsString(name)).findFirst().orElseThrow();
        int bci = 0;
        for (CodeElement e : mm.code().orElseThrow()) {
            if (e instanceof Instruction i) {
                if (i.opcode() == opcode) return bci;
                bci += i.sizeInBytes();
            }
        }
        throw new IllegalArgumentException("no " + opcode);
    }

    /**
     * Diagnostics give the offset of the construct; instructions of variable length before it (wide
     * instructions, switches with their padding) must be counted right:
     * <pre>
     *   int v300 = p; v300 += 1000; switch (v300) { case 0..2: ...; default: ... }; p.x  (getfield on null)
     * </pre>
     */
    @Test
    void offsetsAfterWideInstructionsAndSwitchPadding() {
        Asm.Built c = Asm.method("f", "(I)I").line(10).iload(0).istore(300).iinc(300, 1000).iload(300)
                .tableswitch(0, "d", "a", "b", "a")
                .label("a").iload(300).lookupswitch("d", new int[] {-5, 70000}, "b", "d")
                .label("b").iinc(300, 1)
                .label("d").line(11).aconstNull().getfield("java/awt/Point", "x", "I").ireturn().build();
        UnsupportedConstructException e = assertThrows(UnsupportedConstructException.class, () -> c.lift("f", "(I)I"));
        assertEquals(offsetOf(c.bytes(), "f", Opcode.GETFIELD), e.bytecodeOffset(), e.getMessage());
        assertEquals(11, e.line(), e.getMessage());
        assertEquals("object field access (java.awt.Point.x) at bytecode offset " + e.bytecodeOffset() + " (Generated.java:11) in "
                + c.internalName().replace('/', '.') + ".f(I)I", e.getMessage());
    }

    // ---- arrays -------------------------------------------------------------------------------------

    /**
     * bastore into a boolean[] keeps only the low bit (JVMS bastore), and javac never stores anything but
     * 0 or 1, so only hand-written bytecode shows it:
     * <pre>
     *   boolean[] z = new boolean[1]; z[0] = p (as an int: 2 stores false); return z[0] (as an int);
     * </pre>
     * Java: p & 1
     */
    @Test
    void bastoreIntoBooleanArrayKeepsTheLowBit() throws Exception {
        Asm.Built c = Asm.method("f", "(I)I").iconst(1).newarray(T_BOOLEAN).astore(1)
                .aload(1).iconst(0).iload(0).bastore()
                .aload(1).iconst(0).baload().ireturn().build();
        String ir = liftAndVerify(c, "f", "(I)I");
        assertTrue(ir.contains("i2z"), "the stored int is narrowed to boolean:\n" + ir);
        runsLike(c, "f", a -> (int) a[0] & 1, ints(1));
    }

    /**
     * Stores to byte/char/short arrays without the i2b/i2c/i2s javac would write before them: the store
     * truncates. {@code int[] t = new int[1]} is there to show int stores do not.
     * <pre>
     *   byte[] b = new byte[1]; b[0] = p (no i2b); char[] c = ...; short[] s = ...;
     *   return b[0] * 31 * 31 + c[0] * 31 + s[0];
     * </pre>
     */
    @Test
    void subIntStoresWithoutNarrowingTruncate() throws Exception {
        Asm.Built c = Asm.method("f", "(I)I")
                .iconst(1).newarray(org.objectweb.asm.Opcodes.T_BYTE).astore(1)
                .iconst(1).newarray(org.objectweb.asm.Opcodes.T_CHAR).astore(2)
                .iconst(1).newarray(org.objectweb.asm.Opcodes.T_SHORT).astore(3)
                .iconst(1).newarray(T_INT).astore(4)
                .aload(1).iconst(0).iload(0).bastore()
                .aload(2).iconst(0).iload(0).castore()
                .aload(3).iconst(0).iload(0).sastore()
                .aload(1).iconst(0).baload().iconst(961).imul()
                .aload(2).iconst(0).caload().iconst(31).imul().iadd()
                .aload(3).iconst(0).saload().iadd().ireturn().build();
        liftAndVerify(c, "f", "(I)I");
        runsLike(c, "f", a -> (byte) (int) a[0] * 961 + (char) (int) a[0] * 31 + (short) (int) a[0], ints(1));
    }
}
