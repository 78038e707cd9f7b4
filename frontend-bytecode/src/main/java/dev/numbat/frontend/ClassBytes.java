package dev.numbat.frontend;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where the frontend reads class files from. The default reads the {@code .class} resource through a
 * class loader; the agent supplies the original bytes of classes it has rewritten.
 */
@FunctionalInterface
public interface ClassBytes {
    /** The class file of the class with this internal name ({@code com/example/Kernels}), if found. */
    Optional<byte[]> read(String internalName);

    /** Reads class files as resources of {@code loader} (the bootstrap loader's for null). */
    static ClassBytes fromClassLoader(ClassLoader loader) {
        return internalName -> {
            String resource = internalName + ".class";
            try (InputStream in = loader != null ? loader.getResourceAsStream(resource)
                    : ClassLoader.getSystemResourceAsStream(resource)) {
                if (in != null) return Optional.of(in.readAllBytes());
            } catch (IOException e) {
                return Optional.empty();
            }
            // Classes of the JDK are visible to every loader through the bootstrap path.
            try (InputStream in = Object.class.getResourceAsStream("/" + resource)) {
                return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
            } catch (IOException e) {
                return Optional.empty();
            }
        };
    }
}
