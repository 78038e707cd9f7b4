package dev.numbat.ptx;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.numbat.ptx.examples.ExampleKernels;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example kernel compiles to PTX that NVIDIA's ptxas accepts for sm_80 and sm_90. Skipped, with a
 * message, where ptxas is not installed (set -Dnumbat.ptxas=/path/to/ptxas or put it on the PATH);
 * transcendental kernels also need libdevice.
 */
class PtxasTest {
    static final List<String> KERNELS = List.of("saxpy", "vectorAdd", "blockSum", "matmul", "histogram", "scaleAndRoot",
            "offByOne", "divide", "integerEdges", "transcendental");
    private static Optional<Path> ptxas;

    @BeforeAll static void findPtxas() { ptxas = Ptxas.find(); }

    static Method kernel(String name) {
        for (Method m : ExampleKernels.class.getMethods()) if (m.getName().equals(name)) return m;
        throw new IllegalArgumentException(name);
    }

    @TestFactory Stream<DynamicTest> examplesAssembleWithPtxas() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String arch : List.of("sm_80", "sm_90")) {
            for (String name : KERNELS) {
                tests.add(DynamicTest.dynamicTest(name + " " + arch, () -> {
                    Method m = kernel(name);
                    if (name.equals("transcendental")) {
                        assumeTrue(Libdevice.find().isPresent(), "libdevice not found (searched " + Libdevice.searched() + "): skipped");
                    }
                    PtxKernel k = PtxBackend.compile(m, arch);
                    assertTrue(k.ptx().contains(".entry " + k.entryName()), k.ptx());
                    assertTrue(k.ptx().contains(".target " + arch), k.ptx());
                    assumeTrue(ptxas.isPresent(), "ptxas not found (PATH, /usr/local/cuda/bin, -Dnumbat.ptxas): generated PTX not assembled");
                    Ptxas.assemble(ptxas.get(), k.ptx(), arch);
                }));
            }
        }
        for (String name : List.of("uncheckedCopy", "writesThroughAHelper", "localArray")) {
            tests.add(DynamicTest.dynamicTest(name + " sm_90", () -> {
                PtxKernel k = PtxBackend.compile(PtxBackendTest.method(TestKernels.class, name), "sm_90");
                assumeTrue(ptxas.isPresent(), "ptxas not found (PATH, /usr/local/cuda/bin, -Dnumbat.ptxas): generated PTX not assembled");
                Ptxas.assemble(ptxas.get(), k.ptx(), "sm_90");
            }));
        }
        return tests.stream();
    }
}
