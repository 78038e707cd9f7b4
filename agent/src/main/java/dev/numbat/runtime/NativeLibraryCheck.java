package dev.numbat.runtime;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Looks at LLVM's native libraries before anything loads them: a damaged copy must cost Numbat its backend, never
 * the JVM its life. The dynamic loader maps a shared library's segments straight from the file, so a library cut
 * short (a truncated download, a corrupted jar entry, a full disk while JavaCPP extracted it) crashes the process
 * with SIGBUS inside {@code dlopen}, which no Java code can catch. On Linux, each library JavaCPP will load for LLVM
 * that is found as a class-path resource ({@code org/bytedeco/llvm/linux-x86_64/libLLVM.so}, ...) must be a 64-bit
 * little-endian ELF file whose loadable segments and section table lie inside the file; only its headers are
 * read. Libraries that are not resources (none on the class path: JavaCPP then fails with an ordinary
 * {@link UnsatisfiedLinkError}) and other systems are not checked.
 */
final class NativeLibraryCheck {
    private NativeLibraryCheck() {}

    /** What JavaCPP loads for LLVM (the natives jar also holds clang's, which Numbat never loads). */
    private static final String[] LIBRARIES = {"org/bytedeco/javacpp/%s/libjnijavacpp.so", "org/bytedeco/llvm/%s/libLLVM.so",
        "org/bytedeco/llvm/%s/libRemarks.so", "org/bytedeco/llvm/%s/libLTO.so", "org/bytedeco/llvm/%s/libjniLLVM.so"};

    /** Returns null when every library found looks whole, else what is wrong with the first damaged one. */
    static String damage(ClassLoader loader) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) return null;
        for (String pattern : LIBRARIES) {
            String resource = String.format(pattern, "linux-x86_64");
            URL url = loader == null ? ClassLoader.getSystemResource(resource) : loader.getResource(resource);
            if (url == null) continue;
            String problem;
            try {
                problem = elfProblem(url);
            } catch (IOException | RuntimeException e) {
                // Not provably damaged: JavaCPP reads it the same way and fails with a Java exception if it cannot.
                problem = null;
            }
            if (problem != null) return "the native library " + url + " is damaged: " + problem;
        }
        return null;
    }

    /**
     * Null if the ELF headers at {@code url} describe a file no longer than it is, or if its size is unknown (some
     * class loaders' URLs do not tell): only what is certainly damaged is refused.
     */
    static String elfProblem(URL url) throws IOException {
        URLConnection c = url.openConnection();
        c.setUseCaches(false);
        long size = c.getContentLengthLong();
        try (InputStream in = c.getInputStream()) {
            if (size < 0) return null;
            byte[] head = new byte[64];
            new DataInputStream(in).readFully(head);
            ByteBuffer h = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
            if (h.getInt(0) != 0x464C457F || head[4] != 2 || head[5] != 1) return "not a 64-bit little-endian ELF file";
            long phoff = h.getLong(0x20), shoff = h.getLong(0x28);
            int phentsize = Short.toUnsignedInt(h.getShort(0x36)), phnum = Short.toUnsignedInt(h.getShort(0x38));
            int shentsize = Short.toUnsignedInt(h.getShort(0x3A)), shnum = Short.toUnsignedInt(h.getShort(0x3C));
            if (shoff < 0 || shoff + (long) shentsize * shnum > size) return "its section table ends past its " + size + " bytes";
            if (phoff < 64 || phentsize < 56 || phnum > 4096 || phoff + (long) phentsize * phnum > Math.min(size, 1 << 20)) {
                return "bad program headers";
            }
            byte[] table = new byte[(int) (phoff - 64 + (long) phentsize * phnum)];
            new DataInputStream(in).readFully(table);
            ByteBuffer t = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < phnum; i++) {
                int at = (int) (phoff - 64) + i * phentsize;
                if (t.getInt(at) != 1) continue; // PT_LOAD only: what the loader maps
                long offset = t.getLong(at + 8), fileSize = t.getLong(at + 32);
                if (offset < 0 || fileSize < 0 || offset + fileSize > size) {
                    return "a loadable segment ends at byte " + (offset + fileSize) + ", past its " + size + " bytes";
                }
            }
            return null;
        }
    }
}
