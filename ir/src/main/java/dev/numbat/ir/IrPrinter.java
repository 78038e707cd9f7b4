package dev.numbat.ir;

import java.util.StringJoiner;

/**
 * The stable text form of the IR. Golden tests compare it, so its layout only changes deliberately:
 * <pre>
 * function com/example/K.twice(I)I (%x: int) -> int {
 * b0:
 *   %0 = add %x, %x
 *   return %0
 * }
 * </pre>
 * Instructions that may throw end with their site, {@code @offset:line}.
 */
public final class IrPrinter {
    private IrPrinter() {}

    public static String print(Module module) {
        StringBuilder b = new StringBuilder();
        for (ConstantArray t : module.tables().values()) b.append(t.declaration()).append('\n');
        boolean first = true;
        for (Function f : module.functions().values()) {
            if (!first) b.append('\n');
            b.append(print(f));
            first = false;
        }
        return b.toString();
    }

    public static String print(Function f) {
        StringBuilder b = new StringBuilder("function ").append(f.name()).append(" (");
        StringJoiner params = new StringJoiner(", ");
        for (Parameter p : f.parameters()) params.add(p.reference() + ": " + p.type());
        b.append(params).append(") -> ").append(f.returnType()).append(" {\n");
        for (BasicBlock block : f.blocks()) {
            b.append(block.name()).append(':');
            if (!block.predecessors().isEmpty()) {
                b.append(" ; preds");
                for (BasicBlock p : block.predecessors()) b.append(' ').append(p.name());
            }
            b.append('\n');
            for (Instruction i : block.instructions()) b.append("  ").append(instruction(i)).append('\n');
        }
        return b.append("}\n").toString();
    }

    public static String instruction(Instruction i) {
        StringBuilder b = new StringBuilder();
        if (i.type() != Type.VOID) b.append(i.reference()).append(" = ");
        switch (i.opcode()) {
            case PHI -> {
                b.append("phi ").append(i.type());
                for (int k = 0; k < i.operands().size(); k++) {
                    b.append(k == 0 ? " " : ", ").append('[').append(i.incoming().get(k).name()).append(": ")
                            .append(i.operand(k).reference()).append(']');
                }
            }
            case CONVERT -> b.append(i.conversionName()).append(' ').append(i.operand(0).reference());
            case NEW_ARRAY -> b.append("newarray ").append(i.type().element()).append(", ").append(i.operand(0).reference());
            case CALL -> b.append("call ").append(i.callee().name()).append(operands(i, 0, " "));
            case INTRINSIC -> b.append(i.intrinsic().text()).append(operands(i, 0, " "));
            case PARALLEL -> b.append("parallel ").append(i.reduction().text).append(' ').append(i.callee().name())
                    .append(operands(i, 0, " "));
            case GOTO -> b.append("goto ").append(i.targets().get(0).name());
            case IF -> b.append("if ").append(i.condition().text()).append(operands(i, 0, " "))
                    .append(" then ").append(i.targets().get(0).name()).append(" else ").append(i.targets().get(1).name());
            case SWITCH -> {
                b.append("switch ").append(i.operand(0).reference()).append(" [");
                int[] keys = i.switchKeys();
                for (int k = 0; k < keys.length; k++) {
                    b.append(k == 0 ? "" : ", ").append(keys[k]).append(": ").append(i.targets().get(k).name());
                }
                b.append("] default ").append(i.targets().get(keys.length).name());
            }
            case RETURN -> b.append("return").append(operands(i, 0, " "));
            default -> b.append(i.opcode().text).append(operands(i, 0, " "));
        }
        if (i.mayThrow() && i.site().bytecodeOffset() >= 0) b.append("  ").append(i.site());
        return b.toString();
    }

    private static String operands(Instruction i, int from, String prefix) {
        if (i.operands().size() <= from) return "";
        StringJoiner j = new StringJoiner(", ", prefix, "");
        for (int k = from; k < i.operands().size(); k++) j.add(i.operand(k).reference());
        return j.toString();
    }
}
