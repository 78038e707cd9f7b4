package dev.numbat.ptx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the CUDA toolkit's libdevice ({@code nvvm/libdevice/libdevice.10.bc}), the bitcode library of
 * math functions that kernels calling {@code Math.sin} and friends are linked with. Looked for at
 * {@code -Dnumbat.libdevice=FILE} (and only there when it is given), else under {@code $CUDA_HOME}, {@code $CUDA_PATH}, {@code /usr/local/cuda}
 * and {@code /opt/cuda}.
 */
public final class Libdevice {
    private Libdevice() {}

    static final String RELATIVE = "nvvm/libdevice/libdevice.10.bc";

    public static Optional<Path> find() {
        for (Path p : candidates()) if (Files.isRegularFile(p)) return Optional.of(p);
        return Optional.empty();
    }

    static List<Path> candidates() {
        List<Path> c = new ArrayList<>();
        String explicit = System.getProperty("numbat.libdevice");
        // Named explicitly, it is the only one: a wrong path is an error, not a reason to pick another.
        if (explicit != null && !explicit.isEmpty()) return List.of(Path.of(explicit));
        for (String env : new String[] {"CUDA_HOME", "CUDA_PATH"}) {
            String home = System.getenv(env);
            if (home != null && !home.isEmpty()) c.add(Path.of(home, RELATIVE));
        }
        c.add(Path.of("/usr/local/cuda", RELATIVE));
        c.add(Path.of("/opt/cuda", RELATIVE));
        return c;
    }

    static String searched() {
        StringBuilder b = new StringBuilder();
        for (Path p : candidates()) b.append(b.length() == 0 ? "" : ", ").append(p);
        return b.toString();
    }
}
