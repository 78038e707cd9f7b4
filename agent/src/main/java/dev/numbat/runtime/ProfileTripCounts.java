package dev.numbat.runtime;

import dev.numbat.ir.loop.TripCountVersioning;
import dev.numbat.ir.loop.TripCountVersioning.TripRange;
import dev.numbat.profiler.BranchProfile;
import dev.numbat.profiler.LoopProfile;
import dev.numbat.profiler.Profile;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The trip counts a profile saw per loop, keyed as {@link dev.numbat.ir.loop.TripCountVersioning} looks them up: by
 * the bytecode offset of the loop's test. The profile names a loop by its header (where back-edges jump to); javac
 * puts a {@code for} or {@code while} loop's test first in its header, so the test is the first forward conditional
 * jump at or after the header. Where that guess is wrong (a loop tested at its bottom, or with no test), the offset
 * is that of some other jump, which either tests no loop and is ignored, or tests a loop nested in this one, whose own
 * range then wins (the later header is the closer one). A wrong match can only waste a version: the guard decides.
 */
final class ProfileTripCounts {
    private ProfileTripCounts() {}

    /**
     * The pass for a compilation with {@code profile} (or none): by the profile's ranges; none with
     * {@code -Dnumbat.tripVersions=false}; and, for Numbat's own tests only, every loop for one range with
     * {@code -Dnumbat.test.tripRange=MIN..MAX} (read at each compilation, so a test can set it around its own).
     */
    static TripCountVersioning pass(Profile profile) {
        String test = System.getProperty("numbat.test.tripRange");
        if (test != null && !test.isBlank()) return TripCountVersioning.forEveryLoop(TripRange.parse(test));
        if (!Boolean.parseBoolean(System.getProperty("numbat.tripVersions", "true"))) return new TripCountVersioning(Map.of());
        return new TripCountVersioning(of(profile));
    }

    static Map<Integer, TripRange> of(Profile profile) {
        Map<Integer, TripRange> ranges = new HashMap<>();
        if (profile == null || profile.invocations() < ProfileSpecialisation.MIN_CALLS) return ranges;
        List<BranchProfile> forward = profile.branches().stream().filter(b -> b.loopHeader() < 0)
                .sorted(Comparator.comparingInt(BranchProfile::bytecodeOffset)).toList();
        List<LoopProfile> loops = profile.loops().stream().sorted(Comparator.comparingInt(LoopProfile::headerOffset)).toList();
        for (LoopProfile loop : loops) {
            if (!loop.hasTripRange()) continue;
            for (BranchProfile b : forward) {
                if (b.bytecodeOffset() >= loop.headerOffset()) {
                    ranges.put(b.bytecodeOffset(), new TripRange(loop.minTripCount(), loop.maxTripCount()));
                    break;
                }
            }
        }
        return ranges;
    }
}
