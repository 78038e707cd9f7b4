package dev.numbat.bench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each kernel of the benchmark suite compiled by Numbat (strict, fastMath, parallel) gives the JVM's results on
 * small inputs: the check every benchmark fork makes before measuring (bit for bit, fastMath within its tolerance,
 * Black-Scholes within the libm bound), so a kernel Numbat refuses or miscompiles fails here, not in a 40-minute run.
 */
class SuiteKernelsTest {

    static Stream<Arguments> numbatCases() {
        return SuiteCases.cases(EnumSet.of(Variant.NUMBAT, Variant.FAST_MATH, Variant.PARALLEL)).stream();
    }

    @ParameterizedTest(name = "{0} size {1} {2}")
    @MethodSource("numbatCases")
    void numbatGivesTheJvmsResults(String kernel, int size, Variant v, SuiteBenchmark b) throws Throwable {
        SuiteCases.verify(b, size, v);
    }

    @Test
    void everyKernelHasHotSpotNumbatAndClangVariants() {
        List<Arguments> all = SuiteCases.cases(EnumSet.allOf(Variant.class));
        assertEquals(12, all.stream().map(a -> a.get()[0]).distinct().count(), "kernels in the suite");
        for (Arguments a : all) {
            var vs = SuiteCases.variantsOf(a.get()[3].getClass());
            assertTrue(vs.containsAll(EnumSet.of(Variant.HOTSPOT, Variant.NUMBAT, Variant.CLANG)), a.get()[0] + ": " + vs);
        }
    }

    /** bench_report.py knows each kernel's three sizes (for the cache level and the DRAM size of the targets). */
    @Test
    void theReportKnowsTheSizesOfEveryKernel() throws Exception {
        String report = java.nio.file.Files.readString(java.nio.file.Path.of("bench_report.py"));
        for (Arguments a : SuiteCases.cases(EnumSet.of(Variant.HOTSPOT))) {
            Class<?> type = a.get()[3].getClass();
            String[] sizes = type.getField("size").getAnnotation(org.openjdk.jmh.annotations.Param.class).value();
            String kernel = type.getSimpleName().replace("Benchmark", "").toLowerCase(java.util.Locale.ROOT);
            String expected = "\"" + kernel + "\": (\"";
            int at = report.indexOf(expected);
            assertTrue(at >= 0, "bench_report.py has no entry for " + kernel);
            String line = report.substring(at, report.indexOf('\n', at));
            assertTrue(line.contains("(" + String.join(", ", sizes) + ")"),
                    "bench_report.py's sizes for " + kernel + " are not " + String.join(", ", sizes) + ": " + line);
        }
    }

    @Test
    void variantsAreReadFromBenchmarkNames() {
        assertEquals(Variant.HOTSPOT, Variant.ofMethod("dotHotSpot"));
        assertEquals(Variant.NUMBAT, Variant.ofMethod("dotNumbat"));
        assertEquals(Variant.FAST_MATH, Variant.ofMethod("dotNumbatFastMath"));
        assertEquals(Variant.PARALLEL, Variant.ofMethod("stencil5NumbatParallel"));
        assertEquals(Variant.CLANG, Variant.ofMethod("spmvClang"));
    }

    @Test
    void aDifferenceIsReported() {
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> ResultCheck.check("x", new double[] {1, 2, 3}, new double[] {1, 2, Math.nextUp(3.0)}, 0));
        assertTrue(e.getMessage().contains("1 of 3 elements differ, the first at [2]"), e.getMessage());
        ResultCheck.check("x", new double[] {1, 2, 3}, new double[] {1, 2, Math.nextUp(3.0)}, 1e-15);
    }
}
