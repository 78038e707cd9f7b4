package dev.numbat.bench.suite;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.EnumSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each C twin (jmh/src/main/c), compiled by the clang of org.bytedeco:llvm and called through FFM, gives the Java
 * kernel's results bit for bit (Black-Scholes: the JVM's within the libm bound).
 * Skipped, with the reason, where there is no clang.
 */
class ClangTwinsTest {

    static Stream<Arguments> twinCases() {
        return SuiteCases.cases(EnumSet.of(Variant.CLANG)).stream();
    }

    @ParameterizedTest(name = "{0} size {1}")
    @MethodSource("twinCases")
    void twinGivesTheJavaKernelsResults(String kernel, int size, Variant v, SuiteBenchmark b) throws Throwable {
        assumeTrue(ClangTwins.available(), () -> "C twins skipped: " + ClangTwins.unavailableReason());
        SuiteCases.verify(b, size, v);
    }
}
