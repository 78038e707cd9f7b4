package dev.numbat.llvm;

import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

import java.util.Arrays;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * Types, constants and the operations fdlibm's algorithms are written with ({@link FdlibmLowering},
 * {@link TrigFunctions}), on one double or on vectors of them: floating arithmetic, the high and low words of a
 * double, integer tests on them. Constants are splat across the lanes.
 */
final class Lanes {
    final LLVMBuilderRef b;
    final LLVMTypeRef f64, i32, i64;
    private final Codegen cg;
    private final int lanes;

    Lanes(Codegen cg, LLVMBuilderRef b, int lanes) {
        this.cg = cg;
        this.b = b;
        this.lanes = lanes;
        f64 = lanes == 1 ? cg.f64 : LLVMVectorType(cg.f64, lanes);
        i32 = lanes == 1 ? cg.i32 : LLVMVectorType(cg.i32, lanes);
        i64 = lanes == 1 ? cg.i64 : LLVMVectorType(cg.i64, lanes);
    }

    private LLVMValueRef splat(LLVMValueRef scalar) {
        if (lanes == 1) return scalar;
        LLVMValueRef[] items = new LLVMValueRef[lanes];
        Arrays.fill(items, scalar);
        try (PointerPointer<LLVMValueRef> p = new PointerPointer<>(items)) {
            return LLVMConstVector(p, lanes);
        }
    }

    LLVMValueRef real(double v) { return splat(cg.real(cg.f64, v)); }
    LLVMValueRef int32(int v) { return splat(cg.i32(v)); }
    LLVMValueRef int64(long v) { return splat(cg.i64(v)); }

    LLVMValueRef add(LLVMValueRef x, LLVMValueRef y) { return LLVMBuildFAdd(b, x, y, ""); }
    LLVMValueRef sub(LLVMValueRef x, LLVMValueRef y) { return LLVMBuildFSub(b, x, y, ""); }
    LLVMValueRef mul(LLVMValueRef x, LLVMValueRef y) { return LLVMBuildFMul(b, x, y, ""); }
    LLVMValueRef div(LLVMValueRef x, LLVMValueRef y) { return LLVMBuildFDiv(b, x, y, ""); }
    /** {@code c[0] + z * (c[1] + z * (...))}, rounded in that order. */
    LLVMValueRef polynomial(LLVMValueRef z, double... c) {
        LLVMValueRef sum = real(c[c.length - 1]);
        for (int k = c.length - 2; k >= 0; k--) sum = add(real(c[k]), mul(z, sum));
        return sum;
    }

    LLVMValueRef select(LLVMValueRef c, LLVMValueRef x, LLVMValueRef y) { return LLVMBuildSelect(b, c, x, y, ""); }
    LLVMValueRef and(LLVMValueRef x, int mask) { return LLVMBuildAnd(b, x, int32(mask), ""); }
    LLVMValueRef fcmp(int predicate, LLVMValueRef x, LLVMValueRef y) { return LLVMBuildFCmp(b, predicate, x, y, ""); }
    LLVMValueRef icmp(int predicate, LLVMValueRef x, int y) { return LLVMBuildICmp(b, predicate, x, int32(y), ""); }

    /** The low word of {@code d}, in the low half of an i64. */
    LLVMValueRef low(LLVMValueRef d) {
        return LLVMBuildAnd(b, LLVMBuildBitCast(b, d, i64, ""), int64(0xffffffffL), "");
    }

    LLVMValueRef high(LLVMValueRef d) {
        LLVMValueRef bits = LLVMBuildBitCast(b, d, i64, "");
        return LLVMBuildTrunc(b, LLVMBuildLShr(b, bits, int64(32), ""), i32, "");
    }

    /** The double with high word {@code high} and low word 0. */
    LLVMValueRef withHigh(LLVMValueRef high) {
        return LLVMBuildBitCast(b, LLVMBuildShl(b, LLVMBuildZExt(b, high, i64, ""), int64(32), ""), f64, "");
    }

    /** The double with high word {@code high} and the low word in the low half of {@code low64}. */
    LLVMValueRef withHigh(LLVMValueRef high, LLVMValueRef low64) {
        LLVMValueRef h = LLVMBuildShl(b, LLVMBuildZExt(b, high, i64, ""), int64(32), "");
        return LLVMBuildBitCast(b, LLVMBuildOr(b, h, low64, ""), f64, "");
    }

    /** {@code d} with its low word zero. */
    LLVMValueRef lowZeroed(LLVMValueRef d) {
        LLVMValueRef bits = LLVMBuildAnd(b, LLVMBuildBitCast(b, d, i64, ""), int64(0xffffffff00000000L), "");
        return LLVMBuildBitCast(b, bits, f64, "");
    }

    LLVMValueRef abs(LLVMValueRef d) {
        LLVMValueRef bits = LLVMBuildAnd(b, LLVMBuildBitCast(b, d, i64, ""), int64(Long.MAX_VALUE), "");
        return LLVMBuildBitCast(b, bits, f64, "");
    }
}
