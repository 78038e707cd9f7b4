package dev.numbat;

/**
 * What Numbat made of a method, as Numba's {@code inspect_types}/{@code inspect_llvm}/{@code inspect_asm}
 * show it: the typed SSA IR after Numbat's passes, the LLVM IR after optimisation, the host assembly,
 * and the entry method's control-flow graph in Graphviz DOT.
 */
public record Inspection(String method, String typedIr, String optimizedLlvmIr, String assembly,
                         String controlFlowGraphDot, String target) {}
