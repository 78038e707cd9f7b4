package dev.numbat.simulator;

import java.lang.reflect.Array;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Phaser;

/**
 * One thread block of a simulated launch: its barrier and its shared arrays. The barrier is a
 * {@link Phaser} from which each thread deregisters when it returns (or throws), so threads that leave a
 * kernel early do not hold the others at the next barrier, as on current NVIDIA GPUs.
 */
final class SimulatedBlock {
    private final int[] groupId;
    private final Phaser barrier;
    /** One array per call site of Gpu.shared*, keyed by the calling method and bytecode index. */
    private final Map<String, Object> shared = new HashMap<>();

    SimulatedBlock(int[] groupId, int threads) {
        this.groupId = groupId;
        this.barrier = new Phaser(threads);
    }

    int[] groupId() { return groupId; }

    void barrier() { barrier.arriveAndAwaitAdvance(); }

    void leave() { barrier.arriveAndDeregister(); }

    @SuppressWarnings("unchecked")
    synchronized <T> T shared(Class<?> element, int n) {
        String site = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .filter(f -> !f.getClassName().equals("dev.numbat.Gpu") && !f.getClassName().startsWith("dev.numbat.simulator."))
                .findFirst()
                .map(f -> f.getClassName() + "." + f.getMethodName() + f.getDescriptor() + "@" + f.getByteCodeIndex())
                .orElse("?"));
        Object a = shared.get(site);
        if (a == null) {
            if (n < 0) throw new NegativeArraySizeException(Integer.toString(n));
            a = Array.newInstance(element, n);
            shared.put(site, a);
        } else if (a.getClass().getComponentType() != element || Array.getLength(a) != n) {
            throw new IllegalStateException("shared array at " + site + " asked for with different sizes in one block");
        }
        return (T) a;
    }
}
