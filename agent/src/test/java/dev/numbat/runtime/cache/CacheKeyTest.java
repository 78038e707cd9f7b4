package dev.numbat.runtime.cache;

import dev.numbat.frontend.BytecodeFrontend;
import dev.numbat.ir.Function;
import dev.numbat.ir.IrPrinter;
import dev.numbat.ir.Module;
import dev.numbat.ir.pass.PassPipeline;
import dev.numbat.llvm.CompileOptions;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The key changes with everything the code depends on, and only with that. */
class CacheKeyTest {
    private static final CompileOptions STRICT = CompileOptions.defaults().withThreads(2);
    private static final String TARGET = "x86_64-unknown-linux-gnu znver4 +avx2,+fma";
    private static final String LLVM = "LLVM 20.1.7";
    private static final String NUMBAT = "0123";

    private static String typedIr(Module m) {
        for (Function f : m.functions().values()) PassPipeline.standard().run(f);
        return IrPrinter.print(m);
    }

    @Test
    void dependsOnEveryPart() throws Exception {
        String ir = typedIr(BytecodeFrontend.lift(Caches.WEIGHTED));
        assertTrue(ir.contains("CacheKernels.scale"), "the IR holds the callee too:\n" + ir);
        List<CacheKey> keys = List.of(
                CacheKey.of(ir, STRICT, TARGET, LLVM, NUMBAT),
                CacheKey.of(ir + " ", STRICT, TARGET, LLVM, NUMBAT),
                CacheKey.of(typedIr(BytecodeFrontend.lift(Caches.QUOTIENT)), STRICT, TARGET, LLVM, NUMBAT),
                CacheKey.of(ir, STRICT.withFastMath(true), TARGET, LLVM, NUMBAT),
                CacheKey.of(ir, new CompileOptions(false, STRICT.nativeStackBytes() * 2, 2), TARGET, LLVM, NUMBAT),
                CacheKey.of(ir, STRICT.withThreads(3), TARGET, LLVM, NUMBAT),
                CacheKey.of(ir, STRICT, TARGET.replace("+fma", "-fma"), LLVM, NUMBAT),
                CacheKey.of(ir, STRICT, TARGET.replace("znver4", "znver5"), LLVM, NUMBAT),
                CacheKey.of(ir, STRICT, TARGET, "LLVM 20.1.8", NUMBAT),
                CacheKey.of(ir, STRICT, TARGET, LLVM, "0124"));
        Set<CacheKey> distinct = new HashSet<>(keys);
        assertEquals(keys.size(), distinct.size(), keys.toString());
        assertEquals(keys.get(0), CacheKey.of(typedIr(BytecodeFrontend.lift(Caches.WEIGHTED)), STRICT, TARGET, LLVM, NUMBAT),
                "a method lifted again has the same key");
    }

    @Test
    void isTheSha256OfAReadableText() {
        String text = CacheKey.preimage("function f", STRICT, TARGET, LLVM, NUMBAT);
        assertEquals("numbat object cache, format " + CacheEntry.FORMAT + "\nnumbat: 0123\nllvm: LLVM 20.1.7\n"
                + "target: " + TARGET + "\nfastMath: false\nnativeStackBytes: 262144\nthreads: 2\nir:\nfunction f", text);
        CacheKey key = CacheKey.of("function f", STRICT, TARGET, LLVM, NUMBAT);
        assertEquals(64, key.hex().length());
        assertEquals(key.hex() + ".numbat", key.fileName());
        assertNotEquals(key, CacheKey.of("function g", STRICT, TARGET, LLVM, NUMBAT));
    }
}
