package dev.numbat.ptx;

import static dev.numbat.ptx.LlvmTypes.scalar;
import static dev.numbat.ptx.LlvmTypes.suffix;

import dev.numbat.ir.Instruction;
import dev.numbat.ir.Intrinsic;
import dev.numbat.ir.Type;

/**
 * Library intrinsics ({@code Math.sqrt}, {@code Integer.bitCount} ...) in NVPTX LLVM IR. Functions with an
 * exact PTX instruction or LLVM intrinsic are lowered to it, with the same rules as the CPU back end;
 * transcendental functions call libdevice ({@code __nv_sin} ...), whose results are within its documented ulp
 * bounds, as {@code Math}'s Javadoc allows, but may differ from HotSpot's in the last bits.
 */
final class MathWriter {
    private final FunctionWriter w;

    MathWriter(FunctionWriter w) { this.w = w; }

    /** The right-hand side {@code call RET @name(args)}, declaring {@code name}. */
    String call(String name, String ret, String... typedArgs) {
        StringBuilder types = new StringBuilder();
        for (int k = 0; k < typedArgs.length; k++) {
            types.append(k == 0 ? "" : ", ").append(typedArgs[k], 0, typedArgs[k].indexOf(' '));
        }
        w.module().declare("declare " + ret + " @" + name + "(" + types + ")");
        return "call " + ret + " @" + name + "(" + String.join(", ", typedArgs) + ")";
    }

    /** The right-hand side calling libdevice's {@code __nv_<name>} on operands of type {@code ty}. */
    String libdevice(String name, String ty, String javaName, String... args) {
        w.module().needLibdevice(javaName + " in " + w.function().displayName());
        String[] typed = new String[args.length];
        for (int k = 0; k < args.length; k++) typed[k] = ty + " " + args[k];
        return call("__nv_" + name, ty, typed);
    }

    void intrinsic(Instruction i) {
        Intrinsic in = i.intrinsic();
        Type t = i.operand(0).type();
        String ty = scalar(t), sfx = suffix(t), v = w.val(i);
        String x = w.val(i.operand(0));
        String y = i.operands().size() > 1 ? w.val(i.operand(1)) : null;
        boolean integral = t.isIntegral();
        switch (in) {
            case SQRT -> w.emit(v + " = " + call("llvm.sqrt." + sfx, ty, ty + " " + x));
            case FLOOR -> w.emit(v + " = " + call("llvm.floor." + sfx, ty, ty + " " + x));
            case CEIL -> w.emit(v + " = " + call("llvm.ceil." + sfx, ty, ty + " " + x));
            // Math.rint rounds half to even.
            case RINT -> w.emit(v + " = " + call("llvm.roundeven." + sfx, ty, ty + " " + x));
            case SIN, COS, TAN, ASIN, ACOS, ATAN, SINH, COSH, TANH, EXP, EXPM1, LOG, LOG10, LOG1P, CBRT ->
                    w.emit(v + " = " + libdevice(in.text(), ty, "Math." + in.text(), x));
            case ATAN2, HYPOT -> w.emit(v + " = " + libdevice(in.text(), ty, "Math." + in.text(), x, y));
            case POW -> pow(v, x, y);
            // abs(MIN_VALUE) is MIN_VALUE: the flag says that is not poison.
            case ABS -> w.emit(v + " = " + (integral ? call("llvm.abs." + sfx, ty, ty + " " + x, "i1 false")
                    : call("llvm.fabs." + sfx, ty, ty + " " + x)));
            // llvm.minimum/maximum propagate NaN and order -0.0 below +0.0, as Math.min/max do.
            case MIN -> w.emit(v + " = " + call((integral ? "llvm.smin." : "llvm.minimum.") + sfx, ty, ty + " " + x, ty + " " + y));
            case MAX -> w.emit(v + " = " + call((integral ? "llvm.smax." : "llvm.maximum.") + sfx, ty, ty + " " + x, ty + " " + y));
            case SIGNUM -> {
                String same = w.let("fcmp ueq " + ty + " " + x + ", 0.0");
                String one = w.let(call("llvm.copysign." + sfx, ty, ty + " 1.0", ty + " " + x));
                w.emit(v + " = select i1 " + same + ", " + ty + " " + x + ", " + ty + " " + one);
            }
            case COPY_SIGN -> w.emit(v + " = " + call("llvm.copysign." + sfx, ty, ty + " " + x, ty + " " + y));
            case FMA -> w.emit(v + " = " + call("llvm.fma." + sfx, ty, ty + " " + x, ty + " " + y, ty + " " + w.val(i.operand(2))));
            case ROUND -> round(i, v, x, ty, sfx);
            case BIT_COUNT -> w.emit(v + " = " + toInt(ty, w.let(call("llvm.ctpop." + sfx, ty, ty + " " + x))));
            case NUMBER_OF_LEADING_ZEROS -> w.emit(v + " = " + toInt(ty, w.let(call("llvm.ctlz." + sfx, ty, ty + " " + x, "i1 false"))));
            case NUMBER_OF_TRAILING_ZEROS -> w.emit(v + " = " + toInt(ty, w.let(call("llvm.cttz." + sfx, ty, ty + " " + x, "i1 false"))));
            // A funnel shift of x with itself is a rotate, its count taken modulo the width as in Java.
            case ROTATE_LEFT, ROTATE_RIGHT -> {
                String count = t == Type.LONG ? w.let("sext i32 " + y + " to i64") : y;
                String f = in == Intrinsic.ROTATE_LEFT ? "llvm.fshl." : "llvm.fshr.";
                w.emit(v + " = " + call(f + sfx, ty, ty + " " + x, ty + " " + x, ty + " " + count));
            }
            case REVERSE -> w.emit(v + " = " + call("llvm.bitreverse." + sfx, ty, ty + " " + x));
            case REVERSE_BYTES -> w.emit(v + " = " + call("llvm.bswap." + sfx, ty, ty + " " + x));
            case FLOAT_TO_RAW_INT_BITS -> w.emit(v + " = bitcast float " + x + " to i32");
            case INT_BITS_TO_FLOAT -> w.emit(v + " = bitcast i32 " + x + " to float");
            case DOUBLE_TO_RAW_LONG_BITS -> w.emit(v + " = bitcast double " + x + " to i64");
            case LONG_BITS_TO_DOUBLE -> w.emit(v + " = bitcast i64 " + x + " to double");
            case ADD_EXACT -> exact(i, "sadd", ty, x, y);
            case SUBTRACT_EXACT -> exact(i, "ssub", ty, x, y);
            case MULTIPLY_EXACT -> exact(i, "smul", ty, x, y);
            case INCREMENT_EXACT -> exact(i, "sadd", ty, x, "1");
            case DECREMENT_EXACT -> exact(i, "ssub", ty, x, "1");
            case NEGATE_EXACT -> exact(i, "ssub", ty, "0", x);
            // Kept checked on the GPU: the index itself.
            case IN_RANGE -> w.emit(v + " = add i32 " + x + ", 0");
            case ADD_NO_WRAP -> w.emit(v + " = add nsw i32 " + x + ", " + y);
            case MUL_NO_WRAP -> w.emit(v + " = mul nsw i32 " + x + ", " + y);
            // No loop is peeled for alignment on the GPU: no element to skip.
            case ALIGN_PEEL -> w.emit(v + " = add i32 0, 0");
            case TO_INT_EXACT -> {
                String narrow = w.let("trunc i64 " + x + " to i32");
                String back = w.let("sext i32 " + narrow + " to i64");
                w.raiseIf(w.let("icmp ne i64 " + back + ", " + x), FunctionWriter.INTEGER_OVERFLOW, "0", "0", i);
                w.emit(v + " = add i32 " + narrow + ", 0");
            }
        }
    }

    private String toInt(String ty, String x) {
        return ty.equals("i64") ? "trunc i64 " + x + " to i32" : "add i32 " + x + ", 0";
    }

    /** Java's pow differs from C's in two cases, checked first: pow(x, NaN) and pow(±1, ±Infinity) are NaN. */
    private void pow(String v, String x, String y) {
        String c = w.let(libdevice("pow", "double", "Math.pow", x, y));
        String yNaN = w.let("fcmp uno double " + y + ", 0.0");
        String absX = w.let(call("llvm.fabs.f64", "double", "double " + x));
        String absY = w.let(call("llvm.fabs.f64", "double", "double " + y));
        String oneInf = w.let("and i1 " + w.let("fcmp oeq double " + absX + ", 1.0") + ", "
                + w.let("fcmp oeq double " + absY + ", 0x7FF0000000000000"));
        String nan = w.let("or i1 " + yNaN + ", " + oneInf);
        w.emit(v + " = select i1 " + nan + ", double 0x7FF8000000000000, double " + c);
    }

    /**
     * Math.round is floor(x + 1/2) computed exactly, saturated, NaN giving 0: r = floor(x), and x - r (exact)
     * decides whether to go up, as the CPU back end does.
     */
    private void round(Instruction i, String v, String x, String ty, String sfx) {
        String r = w.let(call("llvm.floor." + sfx, ty, ty + " " + x));
        String up = w.let("fcmp oge " + ty + " " + w.let("fsub " + ty + " " + x + ", " + r) + ", 0.5");
        String rounded = w.let("select i1 " + up + ", " + ty + " " + w.let("fadd " + ty + " " + r + ", 1.0") + ", " + ty + " " + r);
        String to = scalar(i.type());
        w.emit(v + " = " + call("llvm.fptosi.sat." + to + "." + sfx, to, ty + " " + rounded));
    }

    private void exact(Instruction i, String op, String ty, String x, String y) {
        String pair = w.let(call("llvm." + op + ".with.overflow." + ty, "{ " + ty + ", i1 }", ty + " " + x, ty + " " + y));
        String overflow = w.let("extractvalue { " + ty + ", i1 } " + pair + ", 1");
        w.raiseIf(overflow, ty.equals("i32") ? FunctionWriter.INTEGER_OVERFLOW : FunctionWriter.LONG_OVERFLOW, "0", "0", i);
        w.emit(w.val(i) + " = extractvalue { " + ty + ", i1 } " + pair + ", 0");
    }
}
