package dev.numbat.profiled;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.numbat.Numbat;
import dev.numbat.profiler.BranchProfile;
import dev.numbat.profiler.ProfiledTwin;
import dev.numbat.runtime.CompilerDriver;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The profile reaches LLVM: a method compiled with its profile carries the profiled counts of its branch as
 * {@code branch_weights}; the same method compiled without one does not; both give the JVM's results.
 */
class ProfileGuidedCompilationTest {

    /** Kernels compiled here (each compiles once per JVM, so each test has its own). */
    static final class Kernels {
        private Kernels() {}

        static MethodHandles.Lookup lookup() { return MethodHandles.lookup(); }

        static double rareHeavy(double[] a, int steps) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
                if (a[i] > 1000) {
                    double t = a[i];
                    for (int k = 0; k < steps; k++) t = Math.sqrt(t * t + k); // a loop: the branch stays a branch
                    s += t;
                } else {
                    s += a[i];
                }
            }
            return s;
        }

        static double rareHeavyCopy(double[] a, int steps) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
                if (a[i] > 1000) {
                    double t = a[i];
                    for (int k = 0; k < steps; k++) t = Math.sqrt(t * t + k); // a loop: the branch stays a branch
                    s += t;
                } else {
                    s += a[i];
                }
            }
            return s;
        }
    }

    /** Whether some {@code branch_weights} node of {@code ir} weighs its two sides about {@code ratio} to 1, either way. */
    static boolean hasWeightsInRatio(String ir, double ratio) {
        var m = java.util.regex.Pattern.compile("!\\{!\"branch_weights\", i32 (\\d+), i32 (\\d+)\\}").matcher(ir);
        while (m.find()) {
            double a = Double.parseDouble(m.group(1)), b = Double.parseDouble(m.group(2));
            double r = Math.max(a, b) / Math.max(1, Math.min(a, b));
            if (Math.abs(r - ratio) < ratio * 0.02) return true;
        }
        return false;
    }

    @Test void branchWeightsFromTheProfile() throws Throwable {
        Method m = Kernels.class.getDeclaredMethod("rareHeavy", double[].class, int.class);
        ProfiledTwin twin = ProfiledTwin.define(Kernels.lookup(), "rareHeavy", "([DI)D", null, Long.MAX_VALUE);
        double[] a = new double[1000];
        for (int i = 0; i < a.length; i++) a[i] = i % 250 == 7 ? 5000 + i : i * 0.5;   // 4 heavy elements in 1,000
        for (int k = 0; k < 37; k++) assertEquals(Kernels.rareHeavy(a, 20), (double) twin.profiled().invokeExact(a, 20));
        BranchProfile heavy = twin.profile().branches().stream().filter(b -> b.loopHeader() < 0 && b.executions() == 37_000 && b.taken() > 1000).findFirst()
                .orElseThrow(() -> new AssertionError(twin.profile().text()));
        // ifle jumps past the heavy side: 996 of 1,000 elements per call.
        assertEquals(37 * 996, heavy.taken());
        assertEquals(37 * 4, heavy.fallThrough());

        var compiled = CompilerDriver.shared().compile(m, twin.profile());
        String ir = compiled.inspection().optimizedLlvmIr();
        // LLVM may move or scale the weights as it transforms the loop, but the profile's 249:1 ratio stays.
        assertTrue(hasWeightsInRatio(ir, 36852.0 / 148), ir);
        String unprofiled = Numbat.inspect(Kernels.class.getDeclaredMethod("rareHeavyCopy", double[].class, int.class)).optimizedLlvmIr();
        assertFalse(hasWeightsInRatio(unprofiled, 36852.0 / 148), unprofiled);

        MethodHandle h = compiled.handle();
        Random r = new Random(3);
        for (int k = 0; k < 200; k++) {
            double[] x = r.doubles(r.nextInt(300), -10, 3000).toArray();
            int steps = r.nextInt(30);
            assertEquals(Double.doubleToRawLongBits(Kernels.rareHeavy(x, steps)), Double.doubleToRawLongBits((double) h.invokeExact(x, steps)));
        }
    }
}
