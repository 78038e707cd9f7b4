package dev.numbat.runtime;

import dev.numbat.ir.pass.PassPipeline;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Fault injection for Numbat's own fault tests (agent/src/test/java/dev/numbat/faults), never for production use:
 * {@code -Dnumbat.test.injectFault=<stage>:<fault>[:<text>]}, read once when this class loads, makes the compilation
 * of every method whose name ({@code app.Kernels.victim(I)I}) contains {@code text} (any method without it) fail at
 * {@code stage}: {@code lift} (before the frontend), {@code passes} (inside the IR pass pipeline, after its first
 * pass has changed the IR), {@code llvm} (before the backend) or {@code bind}. The {@code fault} is
 * {@code exception} (an {@link IllegalStateException}, as a compiler bug would throw) or {@code oom} (the compiling
 * thread allocates until the heap is exhausted: a real {@link OutOfMemoryError}, best with a small {@code -Xmx}).
 * Unset, each hook is one comparison with null.
 */
final class InjectedFault {
    private InjectedFault() {}

    private static final String[] SPEC = parse(System.getProperty("numbat.test.injectFault"));

    private static String[] parse(String spec) {
        if (spec == null || spec.isBlank()) return null;
        String[] p = spec.split(":", 3);
        if (p.length < 2 || !List.of("lift", "passes", "llvm", "bind").contains(p[0]) || !List.of("exception", "oom").contains(p[1])) {
            throw new IllegalArgumentException("-Dnumbat.test.injectFault=" + spec + ": expected <lift|passes|llvm|bind>:<exception|oom>[:<method>]");
        }
        return new String[] {p[0], p[1], p.length == 3 ? p[2] : ""};
    }

    private static boolean armed(String stage, Method method) {
        return SPEC != null && SPEC[0].equals(stage) && CompilerDriver.name(method).contains(SPEC[2]);
    }

    /** Fails here if a fault is injected at {@code stage} for {@code method}. */
    static void at(String stage, Method method) {
        if (armed(stage, method)) fire(stage);
    }

    /** {@code pipeline}, or, with a fault injected in {@code passes}, one that fails after its first pass. */
    static PassPipeline inPasses(PassPipeline pipeline, Method method) {
        if (!armed("passes", method)) return pipeline;
        return pipeline.dumpingAfter(pipeline.passes().get(0).name(), (pass, ir) -> fire("passes, after " + pass));
    }

    private static void fire(String where) {
        if (SPEC[1].equals("oom")) exhaustHeap();
        throw new IllegalStateException("fault injected by -Dnumbat.test.injectFault in " + where);
    }

    private static void exhaustHeap() {
        List<long[]> hog = new ArrayList<>();
        for (;;) hog.add(new long[1 << 16]); // ends in OutOfMemoryError; the hog is garbage as soon as it is thrown
    }
}
