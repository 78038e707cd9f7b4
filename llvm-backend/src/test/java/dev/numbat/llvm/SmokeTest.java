package dev.numbat.llvm;

import dev.numbat.ir.Type;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SmokeTest {
    @Test
    void addsTwoInts() {
        // static int add(int a, int b) { return a + b; }
        TestIr f = TestIr.fn("add", Type.INT, Type.INT, Type.INT);
        f.ret(f.add(f.p(0), f.p(1)));
        Jit jit = Jit.compile(f);
        System.out.println(jit.code.optimizedLlvmIr());
        System.out.println(jit.code.assembly());
        System.out.println(jit.code.target());
        assertEquals(5, jit.callInt(2, 3));
        assertEquals(Integer.MIN_VALUE, jit.callInt(Integer.MAX_VALUE, 1));
        assertEquals(0, jit.kind());
    }
}
