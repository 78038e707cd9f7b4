package dev.numbat.ptx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** NVIDIA's PTX assembler, when installed: the judge of whether generated PTX is valid for a compute capability. */
final class Ptxas {
    private Ptxas() {}

    static Optional<Path> find() {
        String explicit = System.getProperty("numbat.ptxas");
        if (explicit != null) return Optional.of(Path.of(explicit)).filter(Files::isExecutable);
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "ptxas");
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        for (String p : List.of("/usr/local/cuda/bin/ptxas", "/usr/local/bin/ptxas", "/opt/cuda/bin/ptxas")) {
            if (Files.isExecutable(Path.of(p))) return Optional.of(Path.of(p));
        }
        return Optional.empty();
    }

    /** ptxas's output; empty when it accepted the PTX. Throws AssertionError with its messages otherwise. */
    static String assemble(Path ptxas, String ptx, String arch) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("numbat-ptxas");
        try {
            Path in = dir.resolve("kernel.ptx"), out = dir.resolve("kernel.cubin");
            Files.writeString(in, ptx);
            Process p = new ProcessBuilder(ptxas.toString(), "-arch=" + arch, "-o", out.toString(), in.toString())
                    .redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("ptxas did not finish in 60 s");
            }
            if (p.exitValue() != 0) throw new AssertionError("ptxas -arch=" + arch + " rejected the PTX:\n" + text + "\n" + ptx);
            return text;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }
}
