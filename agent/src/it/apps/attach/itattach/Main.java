package itattach;

import dev.numbat.Jit;
import dev.numbat.Numbat;

/**
 * Started without -javaagent, with numbat-agent.jar on the class path: {@code Numbat.install()} attaches
 * the agent to this JVM. This class is loaded (and initialised) before that, so the agent rewrites it in
 * place and compiles its eager method at install time; {@link Later} loads after it, as with -javaagent.
 * {@code -Ditattach.install=false} runs the same program without installing, for the reference output.
 */
public final class Main {
    private Main() {}

    @Jit
    public static int add(int a, int b) {
        return a + b;
    }

    @Jit(eager = true)
    public static long square(long x) {
        return x * x;
    }

    static final class Later {
        private Later() {}

        @Jit(eager = true)
        static int triple(int x) {
            return 3 * x;
        }
    }

    public static void main(String[] args) {
        System.out.println("before: add=" + add(2, 3) + " square=" + square(7));
        if (Boolean.parseBoolean(System.getProperty("itattach.install", "true"))) {
            System.err.println("itattach: installing");
            Numbat.install();
            System.err.println("itattach: installed");
            Numbat.install(); // again: does nothing
        }
        System.out.println("after: add=" + add(2, 3) + " square=" + square(7));
        System.out.println("later: triple=" + Later.triple(5));
    }
}
