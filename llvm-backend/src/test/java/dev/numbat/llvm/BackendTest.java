package dev.numbat.llvm;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Condition;
import dev.numbat.ir.Function;
import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Module;
import dev.numbat.ir.Type;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

import static dev.numbat.llvm.TestIr.i;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the backend promises beyond single operations: output for inspection, fast math, vectors, robustness. */
class BackendTest {
    private static final Pattern FAST_FLAGS = Pattern.compile("\\b(fast|reassoc|contract|arcp|afn|nnan|ninf|nsz)\\b");

    /** static double muladd(double a, double b, double c) { return a * b + c; } */
    private static TestIr mulAdd() {
        TestIr f = TestIr.fn("muladd", Type.DOUBLE, Type.DOUBLE, Type.DOUBLE, Type.DOUBLE);
        f.ret(f.add(f.mul(f.p(0), f.p(1)), f.p(2)));
        return f;
    }

    /** static int sum(int[] a) { int s = 0; for (int i = 0; i < a.length; i++) s += a[i]; return s; } */
    static TestIr intSum() {
        TestIr f = TestIr.fn("sum", Type.INT, Type.arrayOf(Type.INT));
        BasicBlock entry = f.current(), head = f.block(), body = f.block(), exit = f.block();
        Instruction n = f.length(f.p(0));
        f.jump(head);
        f.at(head);
        Instruction idx = f.phi(head, Type.INT), s = f.phi(head, Type.INT);
        f.branch(Condition.GE, idx, n, exit, body);
        f.at(body);
        Instruction s2 = f.add(s, f.load(f.p(0), idx));
        Instruction i2 = f.add(idx, i(1));
        f.jump(head);
        f.incoming(idx, entry, i(0));
        f.incoming(idx, body, i2);
        f.incoming(s, entry, i(0));
        f.incoming(s, body, s2);
        f.at(exit);
        f.ret(s);
        return f;
    }

    /** static double dot(double[] a, double[] b) { double s = 0; for (int i = 0; i < a.length; i++) s += a[i] * b[i]; return s; } */
    static TestIr dot() {
        TestIr f = TestIr.fn("dot", Type.DOUBLE, Type.arrayOf(Type.DOUBLE), Type.arrayOf(Type.DOUBLE));
        BasicBlock entry = f.current(), head = f.block(), body = f.block(), exit = f.block();
        Instruction n = f.length(f.p(0));
        f.jump(head);
        f.at(head);
        Instruction idx = f.phi(head, Type.INT), s = f.phi(head, Type.DOUBLE);
        f.branch(Condition.GE, idx, n, exit, body);
        f.at(body);
        Instruction s2 = f.add(s, f.mul(f.load(f.p(0), idx), f.load(f.p(1), idx)));
        Instruction i2 = f.add(idx, i(1));
        f.jump(head);
        f.incoming(idx, entry, i(0));
        f.incoming(idx, body, i2);
        f.incoming(s, entry, TestIr.d(0));
        f.incoming(s, body, s2);
        f.at(exit);
        f.ret(s);
        return f;
    }

    @Test
    void describesTheHost() {
        LlvmBackend backend = LlvmBackend.host();
        assertSame(backend, LlvmBackend.host());
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        assertTrue(backend.targetDescription().startsWith(arch + " "), backend.targetDescription());
        NativeCode code = Jit.compile(mulAdd()).code;
        assertEquals(backend.targetDescription(), code.target());
    }

    @Test
    void keepsOptimisedIrAndAssembly() {
        NativeCode code = Jit.compile(mulAdd()).code;
        assertTrue(code.optimizedLlvmIr().contains("define double @" + code.symbol()), code.optimizedLlvmIr());
        assertTrue(code.assembly().contains(code.symbol() + ":"), code.assembly());
        assertTrue(code.sites().isEmpty());
    }

    @Test
    void everyCompilationHasItsOwnSymbol() {
        Jit a = Jit.compile(mulAdd()), b = Jit.compile(mulAdd());
        assertNotEquals(a.code.symbol(), b.code.symbol());
        assertEquals(7.0, a.callDouble(2.0, 3.0, 1.0));
        assertEquals(7.0, b.callDouble(2.0, 3.0, 1.0));
    }

    @Test
    void strictCodeNeitherRelaxesNorFuses() {
        Jit jit = Jit.compile(mulAdd());
        assertFalse(FAST_FLAGS.matcher(jit.code.optimizedLlvmIr()).find(), jit.code.optimizedLlvmIr());
        assertFalse(jit.code.assembly().contains("vfmadd"), jit.code.assembly());
        double a = 1 + 0x1p-30, b = 1 - 0x1p-30;
        // Rounded separately the product is 1.0 and the sum 0; fused it would be -2^-60.
        assertEquals(a * b - 1, jit.callDouble(a, b, -1.0));
        assertEquals(0.0, jit.callDouble(a, b, -1.0));
    }

    @Test
    void fastMathRelaxesFloatingPointWhenAsked() {
        Jit jit = Jit.compile(mulAdd(), CompileOptions.defaults().withFastMath(true));
        String ir = jit.code.optimizedLlvmIr();
        assertTrue(ir.contains("reassoc") && ir.contains("contract"), ir);
        assertFalse(ir.contains("nnan") || ir.contains("ninf"), "NaN and infinities keep their meaning");
        if (LlvmBackend.host().targetDescription().contains("+fma")) {
            assertTrue(jit.code.assembly().contains("vfmadd"), jit.code.assembly());
        }
        assertEquals(7.0, jit.callDouble(2.0, 3.0, 1.0));
    }

    @Test
    void intSumLoopIsVectorised() {
        NativeCode code = Jit.compile(intSum()).code;
        assertTrue(Pattern.compile("<(4|8|16|32) x i32>").matcher(code.optimizedLlvmIr()).find(), code.optimizedLlvmIr());
        String arch = System.getProperty("os.arch");
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            assertTrue(code.assembly().contains("%ymm") || code.assembly().contains("%zmm"), code.assembly());
        }
    }

    @Test
    void dotProductVectorisesWithFastMath() {
        Jit jit = Jit.compile(dot(), CompileOptions.defaults().withFastMath(true));
        double[] a = new double[1003], b = new double[1003];
        double expected = 0;
        for (int k = 0; k < a.length; k++) {
            a[k] = k % 7;
            b[k] = k % 5;
            expected += a[k] * b[k];
        }
        assertEquals(expected, jit.callDouble(a, b));
        jit.call(a, new double[10]);
        assertEquals(NativeAbi.ARRAY_INDEX_OUT_OF_BOUNDS, jit.kind());
        assertEquals(10, jit.ctx[NativeAbi.SLOT_INDEX]);
        assertTrue(Pattern.compile("<(2|4|8|16) x double>").matcher(jit.code.optimizedLlvmIr()).find(), jit.code.optimizedLlvmIr());
    }

    @Test
    void refusesMalformedIr() {
        Function f = new Function("test/T", "broken", "()I", Type.INT);
        new FunctionBuilder(f).newBlock();
        Module m = new Module();
        m.add(f);
        assertThrows(BackendException.class, () -> LlvmBackend.host().compile(m, CompileOptions.defaults()));

        TestIr g = TestIr.fn("returnsArray", Type.arrayOf(Type.INT), Type.INT);
        g.ret(g.newArray(Type.INT, g.p(0)));
        assertThrows(BackendException.class, () -> LlvmBackend.host().compile(g.module, CompileOptions.defaults()));
    }

    @Test
    void compilesFromManyThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int k = 0; k < 16; k++) {
                int n = k;
                results.add(pool.submit(() -> Jit.compile(intSum()).callInt((Object) new int[] {n, n, 1})));
            }
            for (int k = 0; k < 16; k++) assertEquals(2 * k + 1, results.get(k).get());
        } finally {
            pool.shutdown();
        }
    }
}
