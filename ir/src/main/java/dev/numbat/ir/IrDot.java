package dev.numbat.ir;

/** A function's control-flow graph in Graphviz DOT, one node per block holding its instructions. */
public final class IrDot {
    private IrDot() {}

    public static String of(Function f) {
        StringBuilder b = new StringBuilder("digraph \"").append(escape(f.name())).append("\" {\n");
        b.append("  node [shape=box, fontname=\"monospace\"];\n");
        for (BasicBlock block : f.blocks()) {
            StringBuilder label = new StringBuilder(block.name()).append(":\\l");
            for (Instruction i : block.instructions()) label.append("  ").append(escape(IrPrinter.instruction(i))).append("\\l");
            b.append("  ").append(block.name()).append(" [label=\"").append(label).append("\"];\n");
        }
        for (BasicBlock block : f.blocks()) {
            Instruction t = block.terminator();
            for (int k = 0; t != null && k < t.targets().size(); k++) {
                b.append("  ").append(block.name()).append(" -> ").append(t.targets().get(k).name());
                if (t.opcode() == Opcode.IF) b.append(k == 0 ? " [label=\"true\"]" : " [label=\"false\"]");
                b.append(";\n");
            }
        }
        return b.append("}\n").toString();
    }

    private static String escape(String s) { return s.replace("\\", "\\\\").replace("\"", "\\\""); }
}
