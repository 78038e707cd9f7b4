package dev.numbat.bench.suite;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.params.provider.Arguments;
import org.openjdk.jmh.annotations.Benchmark;

/** The suite's benchmark classes at small sizes (odd ones too, for the loops' tails), for the tests. */
final class SuiteCases {
    private SuiteCases() {}

    private static final Map<Supplier<SuiteBenchmark>, int[]> SMALL_SIZES = Map.ofEntries(
            Map.entry(DotBenchmark::new, new int[] {1, 17, 1000}),
            Map.entry(SumBenchmark::new, new int[] {1, 17, 1000}),
            Map.entry(SaxpyBenchmark::new, new int[] {1, 7, 1000}),
            Map.entry(PrefixSumBenchmark::new, new int[] {1, 17, 1000}),
            Map.entry(HistogramBenchmark::new, new int[] {1, 17, 5000}),
            Map.entry(HornerBenchmark::new, new int[] {1, 17, 1000}),
            Map.entry(Stencil5Benchmark::new, new int[] {3, 19, 64}),
            Map.entry(MandelbrotBenchmark::new, new int[] {1, 19, 64}),
            Map.entry(MatmulBenchmark::new, new int[] {1, 7, 33}),
            Map.entry(NBodyBenchmark::new, new int[] {1, 7, 100}),
            Map.entry(BlackScholesBenchmark::new, new int[] {1, 17, 1000}),
            Map.entry(SpmvBenchmark::new, new int[] {1, 17, 300}));

    /** Arguments (class name, size, variant, benchmark) for every size and every variant in {@code wanted} a class has. */
    static List<Arguments> cases(Set<Variant> wanted) {
        List<Arguments> out = new ArrayList<>();
        for (var e : SMALL_SIZES.entrySet()) {
            Class<?> type = e.getKey().get().getClass();
            for (Variant v : variantsOf(type)) {
                if (!wanted.contains(v)) continue;
                for (int size : e.getValue()) {
                    SuiteBenchmark b = e.getKey().get();
                    out.add(Arguments.of(type.getSimpleName(), size, v, b));
                }
            }
        }
        out.sort((a, b) -> (a.get()[0] + " " + a.get()[2] + " " + a.get()[1]).compareTo(b.get()[0] + " " + b.get()[2] + " " + b.get()[1]));
        return out;
    }

    static Set<Variant> variantsOf(Class<?> type) {
        Set<Variant> vs = EnumSet.noneOf(Variant.class);
        for (Method m : type.getMethods()) {
            if (m.isAnnotationPresent(Benchmark.class)) vs.add(Variant.ofMethod(m.getName()));
        }
        return vs;
    }

    /** Sets the benchmark's {@code size} parameter, builds its inputs and checks the variant as a JMH fork would. */
    static void verify(SuiteBenchmark b, int size, Variant v) throws Throwable {
        b.getClass().getField("size").setInt(b, size);
        b.prepare();
        b.verify(v);
    }
}
