package dev.numbat.simulator;

import java.lang.reflect.Method;

/**
 * Starts the simulator's threads: virtual threads on JDK 21 and later (found reflectively, since this
 * module is compiled for Java 17), so a block of 1024 GPU threads costs little; platform threads before.
 */
final class SimulatorThreads {
    private static final Method OF_VIRTUAL = find("java.lang.Thread", "ofVirtual");
    private static final Method UNSTARTED = find("java.lang.Thread$Builder", "unstarted", Runnable.class);

    private SimulatorThreads() {}

    private static Method find(String owner, String name, Class<?>... params) {
        try {
            return Class.forName(owner).getMethod(name, params);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    static Thread start(Runnable r) {
        Thread t = null;
        if (OF_VIRTUAL != null && UNSTARTED != null) {
            try {
                t = (Thread) UNSTARTED.invoke(OF_VIRTUAL.invoke(null), r);
            } catch (ReflectiveOperationException e) {
                t = null;
            }
        }
        if (t == null) {
            t = new Thread(null, r, "numbat-gpu-simulator", 1 << 20);
            t.setDaemon(true);
        }
        t.start();
        return t;
    }
}
