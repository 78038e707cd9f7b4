package dev.numbat.ptx.cuda;

import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUstream;

/**
 * A CUDA stream and the work each of its launches leaves for {@code synchronize}: copying written arrays
 * back, reading the error buffer, freeing memory. That work runs in launch order once the stream is idle.
 */
final class StreamHandle {
    final CUstream stream = new CUstream();
    private final List<KernelArguments> pending = new ArrayList<>();

    synchronized void add(KernelArguments launch) { pending.add(launch); }

    synchronized List<KernelArguments> drain() {
        List<KernelArguments> l = new ArrayList<>(pending);
        pending.clear();
        return l;
    }
}
