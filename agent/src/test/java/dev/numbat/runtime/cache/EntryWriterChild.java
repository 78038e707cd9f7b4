package dev.numbat.runtime.cache;

import java.nio.file.Path;
import java.util.HexFormat;

/**
 * A writer in a JVM of its own: writes {@code args[3]} entries for key {@code args[1]} into {@code args[0]}, each
 * with the symbol {@code writer<args[2]>_<n>} and an object of a size that varies, so that writes overlap.
 */
public final class EntryWriterChild {
    private EntryWriterChild() {}

    public static void main(String[] args) throws Exception {
        CacheDirectory dir = new CacheDirectory(Path.of(args[0]));
        CacheKey key = CacheKey.ofBytes(HexFormat.of().parseHex(args[1]));
        int count = Integer.parseInt(args[3]);
        dir.prepare();
        for (int n = 0; n < count; n++) {
            dir.write(key.fileName(), entry("writer" + args[2] + "_" + n, n).encode(key));
        }
        System.out.println("wrote " + count);
    }

    static CacheEntry entry(String symbol, int n) {
        byte[] object = new byte[1024 + (n % 7) * 40_000];
        for (int k = 0; k < object.length; k++) object[k] = (byte) (k * 31 + n);
        return new CacheEntry(symbol, "ir of " + symbol, "assembly of " + symbol, object);
    }
}
