package dev.numbat.llvm;

import dev.numbat.ir.Instruction;
import dev.numbat.ir.Module;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Type;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Object code kept from one compilation and linked again without compiling ({@link LlvmBackend#load}). A second
 * {@link LlvmBackend} has a JIT and a process tag of its own, so it stands for another process here.
 */
class ObjectCodeTest {
    /** static int pick(int[] a, int i, int d) { return a[i] / divisor(a, d); }  static int divisor(int[] a, int d) { return a.length * d; } */
    private static TestIr pick() {
        TestIr pick = TestIr.fn("pick", Type.INT, Type.arrayOf(Type.INT), Type.INT, Type.INT);
        TestIr divisor = pick.also("divisor", Type.INT, Type.arrayOf(Type.INT), Type.INT);
        divisor.ret(divisor.mul(divisor.length(divisor.p(0)), divisor.p(1)));
        Instruction element = pick.load(pick.p(0), pick.p(1));
        pick.ret(pick.op(Opcode.DIV, element, pick.call(divisor, pick.p(0), pick.p(2))));
        return pick;
    }

    /** static int twice(int x) { return x + x; } */
    private static TestIr twice() {
        TestIr f = TestIr.fn("twice", Type.INT, Type.INT);
        f.ret(f.add(f.p(0), f.p(0)));
        return f;
    }

    private static void checkPick(Jit jit, Module module) {
        assertEquals(30 / 4, jit.callInt(new int[] {5, 30}, 1, 2));
        jit.call(new int[] {5, 30}, 2, 1);
        assertEquals(NativeAbi.ARRAY_INDEX_OUT_OF_BOUNDS, jit.kind());
        assertEquals(2, jit.ctx[NativeAbi.SLOT_INDEX]);
        jit.call(new int[] {5, 30}, 0, 0);
        assertEquals(NativeAbi.DIVISION_BY_ZERO, jit.kind());
        assertEquals(LlvmBackend.sitesOf(module).get((int) jit.site()), jit.code.sites().get((int) jit.site()));
        jit.call(null, 0, 1);
        assertEquals(NativeAbi.NULL_POINTER, jit.kind());
        assertTrue(jit.site() >= 0);
    }

    @Test
    void objectCodeIsTheRelocatableObjectTheJitLinked() {
        NativeCode code = Jit.compile(pick()).code;
        byte[] object = code.objectCode();
        assertTrue(object.length > 64, "object of " + object.length + " bytes");
        if (System.getProperty("os.name").toLowerCase().contains("linux")) {
            assertArrayEquals(new byte[] {0x7f, 'E', 'L', 'F'}, Arrays.copyOf(object, 4));
        }
        assertTrue(new String(object, StandardCharsets.ISO_8859_1).contains(code.symbol()), "the object defines " + code.symbol());
        object[0] ^= 1;
        assertEquals(0x7f, code.objectCode()[0] & 0xff, "objectCode() hands out copies");
    }

    @Test
    void loadsIntoAnotherJitWithoutCompiling() {
        TestIr ir = pick();
        NativeCode compiled = Jit.compile(ir).code;
        LlvmBackend other = new LlvmBackend();
        NativeCode loaded = other.load(compiled.objectCode(), compiled.symbol(), LlvmBackend.sitesOf(ir.module));
        assertNotEquals(compiled.entryAddress(), loaded.entryAddress());
        assertEquals(compiled.symbol(), loaded.symbol());
        assertEquals(compiled.sites(), loaded.sites());
        assertEquals(compiled.target(), loaded.target());
        assertEquals("", loaded.optimizedLlvmIr());
        assertEquals("", loaded.assembly());
        assertArrayEquals(compiled.objectCode(), loaded.objectCode());
        checkPick(Jit.of(loaded, ir.module), ir.module);
        NativeCode listed = loaded.withListings(compiled.optimizedLlvmIr(), other.listingOf(compiled.optimizedLlvmIr()));
        assertEquals(compiled.assembly(), listed.assembly(), "the listing made again from the IR alone");
        assertEquals(loaded.entryAddress(), listed.entryAddress());
    }

    /** A listing is a second code generation: made when first asked for, then kept. */
    @Test
    void theAssemblyIsGeneratedWhenFirstAskedFor() {
        NativeCode code = Jit.compile(pick()).code;
        assertEquals("", code.listing().textIfMade(), "no listing before anyone asks");
        String assembly = code.assembly();
        assertTrue(assembly.contains(code.symbol() + ":"), assembly);
        assertSame(assembly, code.listing().textIfMade(), "made once");
        assertEquals("", new LlvmBackend().listingOf("").text(), "no IR, no listing");
        assertTrue(new LlvmBackend().listingOf("this is not IR").text().startsWith("; no assembly: "),
                "a listing that cannot be made says why, and throws nothing");
    }

    @Test
    void sitesOfNumbersSitesAsCompilationDoes() {
        TestIr ir = pick();
        NativeCode code = Jit.compile(ir).code;
        assertEquals(code.sites(), LlvmBackend.sitesOf(ir.module));
        assertEquals(4, code.sites().size(), "load, div, call in pick; length in divisor");
        assertEquals(LlvmBackend.sitesOf(BackendTest.intSum().module).size(), 2);
    }

    @Test
    void loadingTheSameObjectAgainReusesTheCode() {
        TestIr ir = twice();
        NativeCode compiled = Jit.compile(ir).code;
        LlvmBackend host = LlvmBackend.host();
        NativeCode again = host.load(compiled.objectCode(), compiled.symbol(), LlvmBackend.sitesOf(ir.module));
        assertEquals(compiled.entryAddress(), again.entryAddress(), "linked once per JIT");
        LlvmBackend other = new LlvmBackend();
        NativeCode first = other.load(compiled.objectCode(), compiled.symbol(), LlvmBackend.sitesOf(ir.module));
        NativeCode second = other.load(compiled.objectCode(), compiled.symbol(), LlvmBackend.sitesOf(ir.module));
        assertEquals(first.entryAddress(), second.entryAddress());
        assertEquals(42, Jit.of(second, ir.module).callInt(21));
    }

    @Test
    void objectsFromDifferentProcessesNeverClash() {
        TestIr ir = twice();
        LlvmBackend a = new LlvmBackend(), b = new LlvmBackend(), c = new LlvmBackend();
        NativeCode fromA = a.compile(ir.module, CompileOptions.defaults());
        NativeCode fromB = b.compile(ir.module, CompileOptions.defaults());
        assertNotEquals(fromA.symbol(), fromB.symbol(), "each process tags its symbols");
        assertTrue(fromA.symbol().startsWith("numbat_") && fromA.symbol().endsWith("_twice"), fromA.symbol());
        NativeCode loadedA = c.load(fromA.objectCode(), fromA.symbol(), LlvmBackend.sitesOf(ir.module));
        NativeCode loadedB = c.load(fromB.objectCode(), fromB.symbol(), LlvmBackend.sitesOf(ir.module));
        assertNotEquals(loadedA.entryAddress(), loadedB.entryAddress());
        assertEquals(42, Jit.of(loadedA, ir.module).callInt(21));
        assertEquals(-8, Jit.of(loadedB, ir.module).callInt(-4));
        NativeCode compiledInC = c.compile(ir.module, CompileOptions.defaults());
        assertEquals(10, Jit.of(compiledInC, ir.module).callInt(5));
    }

    @Test
    void aSymbolDefinedByOtherCodeIsRefused() {
        TestIr pick = pick(), twice = twice();
        NativeCode p = Jit.compile(pick).code, t = Jit.compile(twice).code;
        LlvmBackend host = LlvmBackend.host();
        BackendException e = assertThrows(BackendException.class,
                () -> host.load(t.objectCode(), p.symbol(), LlvmBackend.sitesOf(pick.module)));
        assertTrue(e.getMessage().contains("already defines"), e.getMessage());
        checkPick(Jit.of(p, pick.module), pick.module);
    }

    @Test
    void whatIsNoObjectOrLacksTheSymbolIsRefused() {
        LlvmBackend other = new LlvmBackend();
        byte[] garbage = new byte[256];
        Arrays.fill(garbage, (byte) 0x5a);
        assertThrows(BackendException.class, () -> other.load(garbage, "numbat_garbage", List.of()));
        TestIr ir = twice();
        NativeCode code = Jit.compile(ir).code;
        assertThrows(BackendException.class, () -> other.load(code.objectCode(), "numbat_missing", List.of()));
        assertThrows(BackendException.class, () -> other.load(code.objectCode(), "", List.of()));
    }

    @Test
    void describesWhatTheCodeDependsOn() {
        LlvmBackend host = LlvmBackend.host();
        String identity = host.targetIdentity();
        String cpu = host.targetDescription().split(" ")[1];
        assertTrue(identity.contains(" " + cpu + " "), identity);
        for (String feature : host.targetDescription().split(" ").length > 2 ? host.targetDescription().split(" ")[2].split(",") : new String[0]) {
            assertTrue(identity.contains(feature), feature + " in " + identity);
        }
        assertTrue(host.llvmVersion().matches("LLVM \\d+\\.\\d+\\.\\d+.*"), host.llvmVersion());
    }
}
