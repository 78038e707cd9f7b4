package dev.numbat.runtime;

import dev.numbat.llvm.BranchWeights;
import dev.numbat.profiler.BranchProfile;
import dev.numbat.profiler.Profile;
import java.util.HashMap;
import java.util.Map;

/** The part of a run-time profile LLVM uses now: each conditional jump's jumped and fell-through counts, by offset. */
final class ProfileWeights {
    private ProfileWeights() {}

    static BranchWeights of(Profile profile) {
        if (profile == null) return BranchWeights.NONE;
        Map<Integer, long[]> counts = new HashMap<>();
        for (BranchProfile b : profile.branches()) {
            long jumped = b.taken(), fellThrough = b.fallThrough();
            if (jumped + fellThrough > 0) counts.put(b.bytecodeOffset(), new long[] {jumped, fellThrough});
        }
        return counts.isEmpty() ? BranchWeights.NONE : BranchWeights.of(counts);
    }
}
