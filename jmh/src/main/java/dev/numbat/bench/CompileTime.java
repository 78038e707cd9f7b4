package dev.numbat.bench;

import dev.numbat.Numbat;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;

/**
 * The CPU time {@link Numbat#compile} takes on this thread for each named {@code @Jit} method of a class, in order,
 * after one throwaway compilation of {@code ArrayKernels.saxpy} that loads LLVM. Not JMH: a compilation happens once
 * per method and process, so each run gives one figure per method; run it a few times.
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp jmh/target/benchmarks.jar dev.numbat.bench.CompileTime \
 *     dev.numbat.kernels.ArrayKernels polar gamma horner
 * </pre>
 */
public final class CompileTime {
    private CompileTime() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) throw new IllegalArgumentException("usage: CompileTime <class> <method>...");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Numbat.compile(method(Class.forName("dev.numbat.kernels.ArrayKernels"), "saxpy"));
        Class<?> owner = Class.forName(args[0]);
        for (int k = 1; k < args.length; k++) {
            Method m = method(owner, args[k]);
            long start = threads.getCurrentThreadCpuTime();
            Numbat.compile(m);
            System.out.printf("%s %.1f ms%n", args[k], (threads.getCurrentThreadCpuTime() - start) / 1e6);
        }
    }

    private static Method method(Class<?> owner, String name) {
        for (Method m : owner.getDeclaredMethods()) if (m.getName().equals(name)) return m;
        throw new IllegalArgumentException(owner.getName() + " has no method " + name);
    }
}
