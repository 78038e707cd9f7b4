package dev.numbat.performance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.numbat.Jit;
import dev.numbat.Numbat;
import dev.numbat.differential.Differential;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The loops that must run without per-element bounds checks do, and vectorise: LLVM versions them with
 * one range check before the loop (the array lengths against the trip count) and a runtime overlap check
 * for arrays that may be the same, then runs a vector body. Read from the optimised LLVM IR that
 * {@link Numbat#inspect} returns; the differential tests check these kernels' results.
 */
class VectorisationTest {
    static final class Kernels {
        @Jit
        static void saxpy(float a, float[] x, float[] y) {
            for (int i = 0; i < x.length; i++) y[i] = a * x[i] + y[i];
        }

        /** The same loop over off-heap memory: the segments' checks must leave the loop as the arrays' do. */
        @Jit
        static void saxpySegments(float a, MemorySegment x, MemorySegment y, long n) {
            for (long i = 0; i < n; i++) {
                y.setAtIndex(ValueLayout.JAVA_FLOAT, i, a * x.getAtIndex(ValueLayout.JAVA_FLOAT, i) + y.getAtIndex(ValueLayout.JAVA_FLOAT, i));
            }
        }

        /** n-body's inner loop in one dimension: a square root and a division per element, summed in order. */
        @Jit
        static double potential(double[] x, double xi) {
            double s = 0;
            for (int j = 0; j < x.length; j++) {
                double d = x[j] - xi;
                s += 1.0 / Math.sqrt(d * d + 0.01);
            }
            return s;
        }

        @Jit
        static double dot(double[] a, double[] b) {
            double s = 0;
            for (int i = 0; i < a.length; i++) s += a[i] * b[i];
            return s;
        }

        @Jit(fastMath = true)
        static double dotFastMath(double[] a, double[] b) {
            double s = 0;
            for (int i = 0; i < a.length; i++) s += a[i] * b[i];
            return s;
        }

        @Jit
        static void stencil(double[] in, double[] out, int w, int h) {
            for (int y = 1; y < h - 1; y++) {
                for (int x = 1; x < w - 1; x++) {
                    int i = y * w + x;
                    out[i] = 0.2 * (in[i] + in[i - 1] + in[i + 1] + in[i - w] + in[i + w]);
                }
            }
        }

        @Jit
        static void matmul(double[] a, double[] b, double[] c, int n) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0.0;
                    for (int k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
                    c[i * n + j] = s;
                }
            }
        }

        /** A quantisation: Java's saturating cast of a product. */
        @Jit
        static void quantise(double[] x, double scale, int[] out) {
            for (int i = 0; i < x.length; i++) out[i] = (int) (x[i] * scale);
        }

        /** exp and log, in the loop and in a small helper it calls twice (as Black-Scholes calls its normal CDF). */
        @Jit
        static void logNormal(double[] x, double[] out) {
            for (int i = 0; i < x.length; i++) out[i] = Math.log(x[i]) + density(x[i]) - density(x[i] * 0.5);
        }

        /** The cumulative normal distribution of Black-Scholes (Abramowitz-Stegun 26.2.17). */
        static double density(double x) {
            double l = Math.abs(x);
            double k = 1.0 / (1.0 + 0.2316419 * l);
            double poly = k * (0.319381530 + k * (-0.356563782 + k * (1.781477937 + k * (-1.821255978 + k * 1.330274429))));
            double w = 1.0 - 0.3989422804014327 * Math.exp(-0.5 * l * l) * poly;
            return x < 0.0 ? 1.0 - w : w;
        }

        /** The cast as an index: checked on x86's truncating conversion, saturated only off the fast path. */
        @Jit
        static void histogram(double[] x, int[] counts) {
            for (int i = 0; i < x.length; i++) counts[(int) (x[i] * counts.length)]++;
        }
    }

    static String llvm(String kernel) {
        return Numbat.inspect(Differential.method(Kernels.class, kernel)).optimizedLlvmIr();
    }

    /**
     * Java's {@code (int)} cast in a loop converts whole vectors: x86 has no saturating vector conversion, and
     * {@code llvm.fptosi.sat} on vectors was converted one lane at a time, through scalar registers.
     */
    @Test
    void saturatingCastsConvertVectors() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.arch").matches("amd64|x86_64"),
                "x86 instructions are checked: not an x86 host");
        String ir = llvm("quantise");
        assertTrue(Pattern.compile("fptosi <\\d+ x double> .* to <\\d+ x i32>").matcher(ir).find(), "the casts are not vectorised:\n" + ir);
        assertFalse(ir.contains("fptosi.sat"), "a saturating conversion is left for LLVM to split into lanes:\n" + ir);
        String asm = Numbat.inspect(Differential.method(Kernels.class, "quantise")).assembly();
        assertTrue(asm.contains("vcvttpd2dq"), "no vector conversion in the machine code:\n" + asm);
        String histogram = llvm("histogram");
        assertTrue(histogram.contains("llvm.x86.sse2.cvttsd2si"), "the index is not checked on the truncating conversion:\n" + histogram);
    }

    /**
     * Math.exp and Math.log are fdlibm's code inline (bit for bit StrictMath's), not calls, and a small helper that
     * calls one is inlined: the loop runs in vectors, with no call left in it.
     */
    @Test
    void expAndLogVectoriseThroughASmallHelper() {
        String ir = llvm("logNormal");
        assertTrue(ir.contains("vector.body"), "the loop calling exp and log is not vectorised:\n" + ir);
        assertTrue(Pattern.compile("fdiv <\\d+ x double>").matcher(ir).find(), "exp and log are not computed in vectors:\n" + ir);
        assertFalse(Pattern.compile("call [^\\n]*@(exp|log)\\(").matcher(ir).find(), "exp or log is still a library call:\n" + ir);
        assertFalse(ir.contains("_density("), "the helper is still called:\n" + ir);
    }

    static final Pattern VECTOR_FLOAT_LOAD = Pattern.compile("load <\\d+ x float>");
    static final Pattern VECTOR_DOUBLE_LOAD = Pattern.compile("load <\\d+ x double>");
    static final Pattern VECTOR_DOUBLE_ADD = Pattern.compile("fadd (fast |reassoc [a-z ]*)?<\\d+ x double>");

    @Test
    void saxpyVectorisesWithOneOverlapCheckForAliasedArrays() {
        String ir = llvm("saxpy");
        assertTrue(VECTOR_FLOAT_LOAD.matcher(ir).find(), "saxpy has no vector loads:\n" + ir);
        assertTrue(ir.contains("vector.memcheck") || ir.contains("found.conflict"),
                "saxpy's x and y may be one array: LLVM must check overlap before its vector loop:\n" + ir);
    }

    @Test
    void saxpyOverSegmentsVectorises() {
        String ir = llvm("saxpySegments");
        assertTrue(VECTOR_FLOAT_LOAD.matcher(ir).find(), "saxpy over segments has no vector loads:\n" + ir);
    }

    static final Pattern ORDERED_REDUCTION = Pattern.compile("call double @llvm\\.vector\\.reduce\\.fadd\\.v\\d+f64\\(double");
    static final Pattern REASSOCIATED_REDUCTION = Pattern.compile("call (fast|reassoc)[a-z ]* double @llvm\\.vector\\.reduce\\.fadd");

    /**
     * A strict sum may be vectorised only in order (LLVM's -force-ordered-reductions, as C2 does): the square roots
     * and divisions run in vectors, the additions one lane after another, never reassociated.
     */
    @Test
    void strictSumOfExpensiveTermsVectorisesInOrder() {
        String ir = llvm("potential");
        assertTrue(ir.contains("@llvm.sqrt.v"), "the square roots are not vectorised:\n" + ir);
        assertTrue(ORDERED_REDUCTION.matcher(ir).find(), "no in-order vector reduction:\n" + ir);
        assertFalse(REASSOCIATED_REDUCTION.matcher(ir).find() || ir.contains("fadd fast") || ir.contains("fadd reassoc"),
                "the strict sum was reassociated:\n" + ir);
    }

    /**
     * A strict sum of cheap terms stays scalar (llvm-backend's StrictReductionLoops): its chain of in-order additions
     * bounds it whether or not the loads and multiplications run in vectors, and on short loops an in-order vector
     * loop only adds set-up and a remainder (a 5-tap filter ran 1.8x slower vectorised).
     */
    @Test
    void strictDotStaysScalarAndAddsInOrder() {
        String ir = llvm("dot");
        // Java's left-to-right sum: no reassociated vector add may appear; HotSpot does the same.
        assertFalse(VECTOR_DOUBLE_ADD.matcher(ir).find(), "strict dot reassociated its sum:\n" + ir);
        assertFalse(ORDERED_REDUCTION.matcher(ir).find() || VECTOR_DOUBLE_LOAD.matcher(ir).find(),
                "strict dot was vectorised, though its terms are cheap:\n" + ir);
        assertTrue(ir.contains("llvm.loop.vectorize.enable"), "the loop is not marked:\n" + ir);
    }

    @Test
    void fastMathDotVectorisesItsSum() {
        String ir = llvm("dotFastMath");
        assertTrue(VECTOR_DOUBLE_LOAD.matcher(ir).find(), "fastMath dot has no vector loads:\n" + ir);
        assertTrue(VECTOR_DOUBLE_ADD.matcher(ir).find() || ir.contains("llvm.fma.v") || ir.contains("vector.reduce.fadd"),
                "fastMath dot's sum did not vectorise:\n" + ir);
    }

    @Test
    void stencilInnerLoopVectorises() {
        String ir = llvm("stencil");
        assertTrue(VECTOR_DOUBLE_LOAD.matcher(ir).find(), "the stencil's inner loop has no vector loads:\n" + ir);
    }

    /** Each column's sum in its own lane, added in order: a vector add without reassociation, and no reduction. */
    static final Pattern LANEWISE_DOUBLE_ADD = Pattern.compile("fadd <\\d+ x double>");

    @Test
    void matmulSumsNeighbouringColumnsInVectors() {
        String ir = llvm("matmul");
        assertTrue(VECTOR_DOUBLE_LOAD.matcher(ir).find(), "matmul reads no row of b in a vector:\n" + ir);
        assertTrue(LANEWISE_DOUBLE_ADD.matcher(ir).find(), "matmul's column sums are not in a vector:\n" + ir);
        assertFalse(ir.contains("vector.reduce.fadd") || ir.contains("fadd fast") || ir.contains("fadd reassoc"),
                "matmul reassociated a sum:\n" + ir);
    }
}
