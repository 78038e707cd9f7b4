package dev.numbat.ptx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the PTX back end generates and refuses, read from its LLVM IR and PTX (no GPU needed). */
class PtxBackendTest {
    static Method method(Class<?> owner, String name) {
        for (Method m : owner.getDeclaredMethods()) if (m.getName().equals(name)) return m;
        throw new IllegalArgumentException(name);
    }

    static PtxKernel example(String name) throws PtxCompileException {
        return PtxBackend.compile(PtxasTest.kernel(name), "sm_90");
    }

    static PtxKernel test(String name) throws PtxCompileException {
        return PtxBackend.compile(method(TestKernels.class, name), "sm_80");
    }

    static String refusal(String name) {
        PtxCompileException e = assertThrows(PtxCompileException.class, () -> test(name));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test void floatingPointStaysStrict() throws Exception {
        String ptx = example("saxpy").ptx();
        assertTrue(ptx.contains("mul.rn.f32") && ptx.contains("add.rn.f32"), ptx);
        assertFalse(ptx.contains("fma"), "no contraction the JVM would not do:\n" + ptx);
    }

    @Test void fastMathFusesMultiplyAdds() throws Exception {
        String ptx = test("saxpyFastMath").ptx();
        assertTrue(ptx.contains("fma.rn.f32"), ptx);
    }

    @Test void onlyWrittenArraysAreCopiedBack() throws Exception {
        assertArrayEquals(new boolean[] {false, false, true}, example("saxpy").writesParameter());
        assertArrayEquals(new boolean[] {false, true}, example("blockSum").writesParameter());
        assertArrayEquals(new boolean[] {false, false, true, false}, example("matmul").writesParameter());
        assertArrayEquals(new boolean[] {false, true}, example("histogram").writesParameter());
        assertArrayEquals(new boolean[] {false, true}, test("writesThroughAHelper").writesParameter());
    }

    @Test void sharedMemoryBarriersAndAtomics() throws Exception {
        String matmul = example("matmul").ptx();
        assertTrue(matmul.contains(".shared .align 16 .b8"), matmul);
        assertTrue(matmul.matches("(?s).*bar\\.sync\\s+0;.*"), matmul);
        String histogram = example("histogram").ptx();
        assertTrue(histogram.contains("atom.global.add.u32"), histogram);
    }

    @Test void kernelEntryAndThreadIndices() throws Exception {
        PtxKernel k = example("saxpy");
        assertEquals("numbat_ExampleKernels_saxpy", k.entryName());
        assertTrue(k.llvmIr().contains("define ptx_kernel void @numbat_ExampleKernels_saxpy(ptr addrspace(1) %err"), k.llvmIr());
        assertTrue(k.ptx().contains("%ctaid.x") && k.ptx().contains("%ntid.x") && k.ptx().contains("%tid.x"), k.ptx());
    }

    @Test void boundsChecksCanBeTurnedOff() throws Exception {
        assertFalse(test("uncheckedCopy").llvmIr().contains("icmp uge"));
        assertTrue(example("saxpy").llvmIr().contains("icmp uge"));
    }

    @Test void parallelLoopBecomesAGridStrideLoop() throws Exception {
        PtxKernel k = example("scaleAndRoot");
        assertTrue(k.parallelLoop());
        assertTrue(k.llvmIr().contains("%par.stride = mul i32"), k.llvmIr());
        assertTrue(k.ptx().contains("%nctaid.x"), k.ptx());
    }

    @Test void localArraysArePerThread() throws Exception {
        assertTrue(test("localArray").llvmIr().contains("alloca [8 x i32]"));
    }

    @Test void refusalsAreOneLine() {
        assertTrue(refusal("dimensionFromParameter").startsWith("Gpu.globalId with a dimension that is not the constant 0, 1 or 2"));
        assertTrue(refusal("returnsAValue").contains("must return void"));
        assertTrue(refusal("reduction").contains("carries 2 values from one iteration to the next"), refusal("reduction"));
        assertTrue(refusal("writesBeforeTheLoop").contains("writes an array, which every GPU thread would do"));
        assertTrue(refusal("allocatesAnObject").startsWith("object allocation (new java.lang.StringBuilder)"));
        assertTrue(refusal("sharedOfVariableSize").startsWith("shared array whose size is not a non-negative constant"));
    }

    @Test void missingLibdeviceIsAClearError() {
        String before = System.getProperty("numbat.libdevice");
        System.setProperty("numbat.libdevice", "/nonexistent/libdevice.10.bc");
        try {
            PtxCompileException e = assertThrows(PtxCompileException.class, () -> example("transcendental"));
            assertEquals("Math.sin in dev.numbat.ptx.examples.ExampleKernels.transcendental([D[D)V needs CUDA's libdevice, "
                    + "which was not found (searched /nonexistent/libdevice.10.bc; set -Dnumbat.libdevice=/path/to/libdevice.10.bc "
                    + "or CUDA_HOME)", e.getMessage());
        } finally {
            if (before == null) System.clearProperty("numbat.libdevice"); else System.setProperty("numbat.libdevice", before);
        }
    }

    @Test void errorBufferBecomesTheJvmsException() {
        List<String> npe = List.of("Cannot load from int array because \"a\" is null");
        assertNull(KernelErrors.exception(new int[] {0, 0, 0, 0}, npe));
        RuntimeException e = KernelErrors.exception(new int[] {1, 12, 10, 0}, npe);
        assertInstanceOf(ArrayIndexOutOfBoundsException.class, e);
        assertEquals("Index 12 out of bounds for length 10", e.getMessage());
        assertEquals("/ by zero", KernelErrors.exception(new int[] {2, 0, 0, 0}, npe).getMessage());
        assertEquals(npe.get(0), KernelErrors.exception(new int[] {3, 0, 0, 0}, npe).getMessage());
        assertEquals("integer overflow", KernelErrors.exception(new int[] {7, 0, 0, 0}, npe).getMessage());
    }

    @Test void toolPrintsPtxOrOneLine() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(), err = new java.io.ByteArrayOutputStream();
        assertEquals(0, PtxTool.run(new String[] {"dev.numbat.ptx.examples.ExampleKernels", "saxpy", "sm_90"},
                new java.io.PrintStream(out), new java.io.PrintStream(err)));
        assertTrue(out.toString().contains(".visible .entry numbat_ExampleKernels_saxpy("));
        assertEquals(1, PtxTool.run(new String[] {"dev.numbat.ptx.TestKernels", "returnsAValue"},
                new java.io.PrintStream(out), new java.io.PrintStream(err)));
        assertEquals("numbat: dev.numbat.ptx.TestKernels.returnsAValue not compiled for the GPU: kernel "
                + "dev.numbat.ptx.TestKernels.returnsAValue([I)I must return void\n", err.toString());
    }
}
