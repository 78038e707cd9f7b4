package dev.numbat.runtime;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Function;
import dev.numbat.ir.Module;
import dev.numbat.llvm.EntrySpecialisation;
import dev.numbat.profiler.AliasProfile;
import dev.numbat.profiler.ArrayProfile;
import dev.numbat.profiler.Profile;
import dev.numbat.profiler.ScalarProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * The facts of a run-time profile that a guarded version of the entry is specialised to ({@link EntrySpecialisation}):
 * integral arguments that always had one value, arrays that always had one length and were never null, and array
 * arguments that were never the same array. A fact needs {@link #MIN_CALLS} calls behind it; the specialised copy
 * doubles the entry's code, so an entry larger than {@link #MAX_ENTRY_INSTRUCTIONS} is not specialised.
 */
final class ProfileSpecialisation {
    /** Fewer calls say too little about what calls pass. */
    static final long MIN_CALLS = 8;
    /** IR instructions of the entry function beyond which a second copy costs more compile time than it is likely to give. */
    static final int MAX_ENTRY_INSTRUCTIONS = 4_000;

    private ProfileSpecialisation() {}

    static EntrySpecialisation of(Profile profile, Module module) {
        if (profile == null || profile.invocations() < MIN_CALLS || size(module.entry()) > MAX_ENTRY_INSTRUCTIONS) {
            return EntrySpecialisation.NONE;
        }
        Map<Integer, Long> constants = new HashMap<>();
        for (ScalarProfile s : profile.scalars()) if (s.isConstant()) constants.put(s.parameter(), s.value());
        Map<Integer, Integer> lengths = new HashMap<>();
        for (ArrayProfile a : profile.arrays()) {
            if (a.nullCount() == 0 && a.smallest() >= 0 && a.smallest() == a.largest()) lengths.put(a.parameter(), (int) a.smallest());
        }
        boolean distinct = !profile.arrays().isEmpty();
        for (AliasProfile p : profile.aliases()) if (p.times() > 0) distinct = false;
        return EntrySpecialisation.of(constants, lengths, distinct);
    }

    private static int size(Function f) {
        int n = 0;
        for (BasicBlock b : f.blocks()) n += b.instructions().size(); // phis included
        return n;
    }
}
