package dev.numbat.llvm;

import dev.numbat.ir.Opcode;
import dev.numbat.ir.Type;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * Arithmetic, comparisons and conversions with the JVM's exact results: integers wrap (no nsw/nuw
 * anywhere), shift counts are masked, division never reaches LLVM's undefined cases, float-to-int
 * conversions saturate, and floating-point operations carry no flags unless fast math was asked for.
 */
final class ArithmeticLowering {
    private final Codegen cg;
    private final LLVMBuilderRef b;

    ArithmeticLowering(Codegen cg) {
        this.cg = cg;
        this.b = cg.builder;
    }

    /** ADD..USHR, CMP, CMPL, CMPG on operands of IR type {@code type} (the left operand's). */
    LLVMValueRef binary(Opcode op, Type type, LLVMValueRef x, LLVMValueRef y, ExceptionLowering exceptions, int site) {
        boolean fp = type.isFloating();
        return switch (op) {
            case ADD -> fp ? cg.floating(LLVMBuildFAdd(b, x, y, "")) : LLVMBuildAdd(b, x, y, "");
            case SUB -> fp ? cg.floating(LLVMBuildFSub(b, x, y, "")) : LLVMBuildSub(b, x, y, "");
            case MUL -> fp ? cg.floating(LLVMBuildFMul(b, x, y, "")) : LLVMBuildMul(b, x, y, "");
            case DIV -> fp ? cg.floating(LLVMBuildFDiv(b, x, y, "")) : divide(x, y, false, exceptions, site);
            // frem is C's fmod, which is exactly Java's % on floating point.
            case REM -> fp ? cg.floating(LLVMBuildFRem(b, x, y, "")) : divide(x, y, true, exceptions, site);
            case AND -> LLVMBuildAnd(b, x, y, "");
            case OR -> LLVMBuildOr(b, x, y, "");
            case XOR -> LLVMBuildXor(b, x, y, "");
            case SHL -> LLVMBuildShl(b, x, shiftCount(type, y), "");
            case SHR -> LLVMBuildAShr(b, x, shiftCount(type, y), "");
            case USHR -> LLVMBuildLShr(b, x, shiftCount(type, y), "");
            case CMP -> threeWay(LLVMBuildICmp(b, LLVMIntSLT, x, y, ""), LLVMBuildICmp(b, LLVMIntSGT, x, y, ""));
            // fcmpl: anything unordered counts as less; fcmpg: as greater.
            case CMPL -> threeWay(LLVMBuildFCmp(b, LLVMRealULT, x, y, ""), LLVMBuildFCmp(b, LLVMRealOGT, x, y, ""));
            case CMPG -> threeWay(LLVMBuildFCmp(b, LLVMRealOLT, x, y, ""), LLVMBuildFCmp(b, LLVMRealUGT, x, y, ""));
            default -> throw new BackendException(op + " is not a binary operation");
        };
    }

    LLVMValueRef negate(Type type, LLVMValueRef x) {
        // fneg flips the sign bit like the JVM's dneg; 0.0 - x would turn -0.0 wrong.
        return type.isFloating() ? cg.floating(LLVMBuildFNeg(b, x, "")) : LLVMBuildNeg(b, x, "");
    }

    /** -1, 0 or 1 from "less" and "greater" conditions that are never both true. */
    private LLVMValueRef threeWay(LLVMValueRef less, LLVMValueRef greater) {
        LLVMValueRef l = LLVMBuildZExt(b, less, cg.i32, "");
        LLVMValueRef g = LLVMBuildZExt(b, greater, cg.i32, "");
        return LLVMBuildSub(b, g, l, "");
    }

    /** The count masked to 0..31 or 0..63 and widened to the shifted type, as ishl/lshl do. */
    private LLVMValueRef shiftCount(Type type, LLVMValueRef count) {
        if (type == Type.INT) return LLVMBuildAnd(b, count, cg.i32(31), "");
        return LLVMBuildZExt(b, LLVMBuildAnd(b, count, cg.i32(63), ""), cg.i64, "");
    }

    /**
     * idiv/irem and the long forms: zero raises ArithmeticException; MIN_VALUE / -1 is MIN_VALUE with
     * remainder 0, which LLVM's sdiv would leave undefined, so -1 is replaced by 1 and the quotient negated.
     */
    private LLVMValueRef divide(LLVMValueRef x, LLVMValueRef y, boolean remainder, ExceptionLowering exceptions, int site) {
        LLVMTypeRef t = LLVMTypeOf(x);
        LLVMValueRef zero = cg.zero(t);
        exceptions.raiseIf(LLVMBuildICmp(b, LLVMIntEQ, y, zero, ""), NativeAbi.DIVISION_BY_ZERO, site);
        LLVMValueRef minusOne = LLVMBuildICmp(b, LLVMIntEQ, y, LLVMConstAllOnes(t), "");
        LLVMValueRef safe = LLVMBuildSelect(b, minusOne, LLVMConstInt(t, 1, 0), y, "");
        if (remainder) {
            return LLVMBuildSelect(b, minusOne, zero, LLVMBuildSRem(b, x, safe, ""), "");
        }
        return LLVMBuildSelect(b, minusOne, LLVMBuildNeg(b, x, ""), LLVMBuildSDiv(b, x, safe, ""), "");
    }

    /** A JVM conversion such as i2l, d2i or i2b, by its name. */
    LLVMValueRef convert(String name, LLVMValueRef x) {
        return switch (name) {
            case "i2l" -> LLVMBuildSExt(b, x, cg.i64, "");
            case "l2i" -> LLVMBuildTrunc(b, x, cg.i32, "");
            case "i2f", "l2f" -> LLVMBuildSIToFP(b, x, cg.f32, "");
            case "i2d", "l2d" -> LLVMBuildSIToFP(b, x, cg.f64, "");
            case "f2d" -> LLVMBuildFPExt(b, x, cg.f64, "");
            case "d2f" -> LLVMBuildFPTrunc(b, x, cg.f32, "");
            case "f2i", "d2i" -> saturate(x, cg.i32);
            case "f2l", "d2l" -> saturate(x, cg.i64);
            case "i2b" -> LLVMBuildSExt(b, LLVMBuildTrunc(b, x, cg.i8, ""), cg.i32, "");
            case "i2s" -> LLVMBuildSExt(b, LLVMBuildTrunc(b, x, cg.i16, ""), cg.i32, "");
            case "i2c" -> LLVMBuildZExt(b, LLVMBuildTrunc(b, x, cg.i16, ""), cg.i32, "");
            case "i2z" -> LLVMBuildAnd(b, x, cg.i32(1), "");
            // Sub-int values are already held narrowed in an i32.
            case "b2i", "s2i", "c2i", "z2i" -> x;
            default -> throw new BackendException("unsupported conversion " + name);
        };
    }

    /**
     * The JVM's conversion to int or long: it saturates, and maps NaN to 0. That is what {@code llvm.fptosi.sat} does,
     * but x86 has no such vector instruction and LLVM converted a vector of them one lane at a time (a loop of
     * {@code (int) (x * c)} ran 5 times slower than one of divisions). So: clamp to the range (a comparison and a select
     * each way, which NaN fails, so it becomes the lower end), a plain conversion, which is then never out of range,
     * and two selects: {@code MAX_VALUE} from 2^31 (2^63) up, where the top of the range is not representable (all but
     * d2i), and 0 for NaN. In vectors that is {@code vmaxpd}, {@code vminpd}, {@code vcvttpd2dq} and two blends.
     * {@link ArrayLowering} recognises the form ({@link #saturatedSource}) where the result is an index.
     */
    LLVMValueRef saturate(LLVMValueRef x, LLVMTypeRef to) {
        LLVMTypeRef from = LLVMTypeOf(x);
        int bits = to.equals(cg.i32) ? 32 : 64;
        double bottom = -Math.scalb(1.0, bits - 1), top = Math.scalb(1.0, bits - 1);
        // The largest value of the type below 2^31 (2^63): 2^31 - 1 itself for a double.
        double highest = from.equals(cg.f64) ? (bits == 32 ? Integer.MAX_VALUE : Math.nextDown(top)) : Math.nextDown((float) top);
        LLVMValueRef low = cg.real(from, bottom), high = cg.real(from, highest);
        LLVMValueRef clamped = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOGT, x, low, ""), x, low, "");
        clamped = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOLT, clamped, high, ""), clamped, high, "");
        LLVMValueRef converted = LLVMBuildFPToSI(b, clamped, to, "");
        if (highest < top - 1) {
            LLVMValueRef max = LLVMConstInt(to, bits == 32 ? Integer.MAX_VALUE : Long.MAX_VALUE, 1);
            converted = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOGE, x, cg.real(from, top), ""), max, converted, "");
        }
        return LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealUNO, x, x, ""), LLVMConstInt(to, 0, 0), converted, "");
    }

    /** The double or float that {@code v} was converted from by {@link #saturate}, or null if it was not so made. */
    static LLVMValueRef saturatedSource(LLVMValueRef v) {
        if (NativeLlvm.isNull(LLVMIsASelectInst(v))) return null;
        LLVMValueRef nan = LLVMGetOperand(v, 0), zero = LLVMGetOperand(v, 1), rest = LLVMGetOperand(v, 2);
        if (NativeLlvm.isNull(LLVMIsAFCmpInst(nan)) || LLVMGetFCmpPredicate(nan) != LLVMRealUNO
                || NativeLlvm.isNull(LLVMIsAConstantInt(zero)) || LLVMConstIntGetSExtValue(zero) != 0) return null;
        if (!NativeLlvm.isNull(LLVMIsASelectInst(rest))) rest = LLVMGetOperand(rest, 2);
        return NativeLlvm.isNull(LLVMIsAFPToSIInst(rest)) ? null : LLVMGetOperand(nan, 0);
    }
}
