package dev.numbat.llvm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run-time profile says the entry's arguments always were, for a version of the entry specialised to it:
 * integral parameters that always had one value, arrays that always had one length, and arrays that were never
 * the same array. The exported entry checks all of it on every call ({@link ModuleLowering}): when it holds, it
 * runs a copy of the entry with those values as constants and the arrays marked {@code noalias}; when it does not,
 * the general code, which is compiled beside it. So a guess that stops being true costs one comparison per fact,
 * never a wrong result or a recompilation.
 *
 * <p>Parameters are numbered as the IR function's (for a static method, the Java parameters, from 0). A fact about
 * a parameter of another type than it names is ignored by the lowering.
 */
public final class EntrySpecialisation {
    /** Nothing known: the entry is not specialised. */
    public static final EntrySpecialisation NONE = new EntrySpecialisation(Map.of(), Map.of(), false);

    private final Map<Integer, Long> constants;
    private final Map<Integer, Integer> lengths;
    private final boolean distinctArrays;

    private EntrySpecialisation(Map<Integer, Long> constants, Map<Integer, Integer> lengths, boolean distinctArrays) {
        this.constants = Map.copyOf(constants);
        this.lengths = Map.copyOf(lengths);
        this.distinctArrays = distinctArrays;
    }

    /**
     * @param constants      parameter to the value it always had ({@code boolean} as 0 or 1, {@code char} zero-extended)
     * @param lengths        array parameter to the length it always had
     * @param distinctArrays whether no two array parameters were ever the same array: the specialised copy then
     *                       treats every array parameter as {@code noalias} (arrays of different types never are the
     *                       same, arrays of one type are checked pairwise)
     */
    public static EntrySpecialisation of(Map<Integer, Long> constants, Map<Integer, Integer> lengths, boolean distinctArrays) {
        if (constants.isEmpty() && lengths.isEmpty() && !distinctArrays) return NONE;
        return new EntrySpecialisation(constants, lengths, distinctArrays);
    }

    public boolean isEmpty() { return constants.isEmpty() && lengths.isEmpty() && !distinctArrays; }

    public Map<Integer, Long> constants() { return constants; }

    public Map<Integer, Integer> lengths() { return lengths; }

    public boolean distinctArrays() { return distinctArrays; }

    /** {@code parameter 1 = 5, parameter 0 length 1024, distinct arrays}, for diagnostics; empty for {@link #NONE}. */
    public String description() {
        List<String> parts = new ArrayList<>();
        new TreeMap<>(constants).forEach((p, v) -> parts.add("parameter " + p + " = " + v));
        new TreeMap<>(lengths).forEach((p, n) -> parts.add("parameter " + p + " length " + n));
        if (distinctArrays) parts.add("distinct arrays");
        return String.join(", ", parts);
    }

    @Override public String toString() { return isEmpty() ? "no specialisation" : description(); }
}
