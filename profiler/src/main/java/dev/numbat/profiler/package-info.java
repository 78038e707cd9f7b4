/**
 * Hot-path profiles that steer compilation: invocation and back-edge counts, branch and switch
 * frequencies, array lengths and aliasing seen at run time. Empty until the profiler issue; the module
 * exists so the pipeline's layout is the final one from the start.
 */
package dev.numbat.profiler;
