package dev.numbat.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** A simulated stream: launches run in order on one thread of their own; their exceptions wait for synchronize. */
final class SimulatedStream {
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "numbat-gpu-simulator-stream");
        t.setDaemon(true);
        return t;
    });
    private final List<Future<?>> pending = new ArrayList<>();

    synchronized void submit(Runnable launch) { pending.add(executor.submit(launch)); }

    void synchronize() {
        List<Future<?>> waiting;
        synchronized (this) {
            waiting = new ArrayList<>(pending);
            pending.clear();
        }
        Throwable first = null;
        for (Future<?> f : waiting) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (first == null) first = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (first == null) first = e;
            }
        }
        if (first != null) throw GpuSimulator.rethrow(first);
    }

    void close() { executor.shutdown(); }
}
