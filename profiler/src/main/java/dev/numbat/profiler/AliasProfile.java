package dev.numbat.profiler;

/**
 * Two array parameters (by position among all parameters) of the same type (only those can be the same array; Java arrays never partly
 * overlap): in how many calls they were the same non-null array.
 */
public record AliasProfile(int first, int second, Counter aliased) {
    AliasProfile(int first, int second) { this(first, second, new Counter()); }

    public long times() { return aliased.sum(); }
}
