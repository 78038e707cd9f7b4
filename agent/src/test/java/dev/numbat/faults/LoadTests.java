package dev.numbat.faults;

import java.lang.reflect.Method;
import java.util.Arrays;

/** What the load tests share: their duration, and finding LoadKernels' methods. */
final class LoadTests {
    private LoadTests() {}

    /**
     * How long each load test runs: {@code -Dnumbat.faults.seconds} (default 3), e.g. 60 for the long version
     * ({@code mvn test -pl agent -am -Dtest='ConcurrentCallsTest,GcPressureTest' -Dnumbat.faults.seconds=60
     * -Dsurefire.failIfNoSpecifiedTests=false}).
     */
    static long seconds() { return Long.getLong("numbat.faults.seconds", 3); }

    static Method kernel(String name) {
        Method m = Arrays.stream(LoadKernels.class.getDeclaredMethods()).filter(x -> x.getName().equals(name)).findFirst().orElseThrow();
        m.setAccessible(true);
        return m;
    }
}
