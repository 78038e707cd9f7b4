package dev.numbat.runtime.cache;

import dev.numbat.runtime.CompilerDriver;

import java.nio.file.Path;

/** A run of an application in its own JVM: compiles with {@code -Dnumbat.cache=args[0]}, checks, prints the statistics. */
public final class CacheChild {
    private CacheChild() {}

    public static void main(String[] args) throws Throwable {
        System.setProperty(ObjectCache.PROPERTY, args[0]);
        Caches.checkAgainstJvm(CompilerDriver.shared());
        CacheStatistics s = ObjectCache.at(Path.of(args[0])).statistics();
        System.out.println("hits=" + s.hits() + " misses=" + s.misses() + " rejected=" + s.rejected() + " writes=" + s.writes());
    }
}
