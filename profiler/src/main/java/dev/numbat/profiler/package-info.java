/**
 * Hot-path profiles that steer compilation. {@link dev.numbat.profiler.Instrumenter} copies a static method into
 * a twin class whose {@code profiled} copy records invocation counts, loop back-edges and trip counts, branch
 * outcomes, switch frequencies, the array lengths seen and whether array arguments aliased, into a thread-safe
 * {@link dev.numbat.profiler.Profile}; {@link dev.numbat.profiler.ProfiledTwin} defines it next to the method's
 * class. The agent's profiled mode runs a method as its profiled copy until it is hot, then compiles it with the
 * profile (docs/profiler.md).
 */
package dev.numbat.profiler;
