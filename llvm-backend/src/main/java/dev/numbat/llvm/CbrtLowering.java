package dev.numbat.llvm;

import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * Math.cbrt inline, as fdlibm (the JDK's StrictMath.cbrt) computes it, so results equal StrictMath's bit for
 * bit (error below 0.667 ulp). glibc's cbrt strays up to 3 ulps from it, more than the 1 ulp Math allows.
 * Branch-free: the special inputs run through harmlessly and are selected away at the end.
 */
final class CbrtLowering {
    private static final int B1 = 715094163;   // (682 - 0.03306235651) * 2^20
    private static final int B2 = 696219795;   // (664 - 0.03306235651) * 2^20
    private static final double C = 0x1.15f15f15f15f1p-1;
    private static final double D = -0x1.691de2532c834p-1;
    private static final double E = 0x1.6a0ea0ea0ea0fp0;
    private static final double F = 0x1.9b6db6db6db6ep0;
    private static final double G = 0x1.6db6db6db6db7p-2;

    private final Codegen cg;
    private final LLVMBuilderRef b;

    CbrtLowering(Codegen cg) {
        this.cg = cg;
        this.b = cg.builder;
    }

    /** Bit for bit StrictMath.cbrt. */
    LLVMValueRef cbrt(LLVMValueRef x) {
        LLVMValueRef ax = cg.intrinsic("llvm.fabs", cg.f64, x);

        // A first guess good to 5 bits from dividing the exponent by 3 in the high word; subnormals are
        // scaled by 2^54 first (and keep their low word, as fdlibm's __HI(t, ...) does).
        LLVMValueRef normal = withHigh(LLVMBuildAdd(b, third(high(ax)), cg.i32(B1), ""), cg.i64(0));
        LLVMValueRef scaled = LLVMBuildFMul(b, cg.real(cg.f64, 0x1p54), ax, "");
        LLVMValueRef scaledBits = LLVMBuildBitCast(b, scaled, cg.i64, "");
        LLVMValueRef subnormal = withHigh(LLVMBuildAdd(b, third(high(scaled)), cg.i32(B2), ""),
                LLVMBuildAnd(b, scaledBits, cg.i64(0xffffffffL), ""));
        LLVMValueRef tiny = LLVMBuildFCmp(b, LLVMRealOLT, ax, cg.real(cg.f64, 0x1.0p-1022), "");
        LLVMValueRef t = LLVMBuildSelect(b, tiny, subnormal, normal, "");

        // To 23 bits: t *= G + F / (s + E + D / s) with s = C + (t * t / x) * t.
        LLVMValueRef r = div(mul(t, t), ax);
        LLVMValueRef s = add(real(C), mul(r, t));
        t = mul(t, add(real(G), div(real(F), add(add(s, real(E)), div(real(D), s)))));

        // Chop to 20 bits and round up, so that t * t below is exact.
        LLVMValueRef bits = LLVMBuildAnd(b, LLVMBuildBitCast(b, t, cg.i64, ""), cg.i64(0xffffffff00000000L), "");
        t = LLVMBuildBitCast(b, LLVMBuildAdd(b, bits, cg.i64(1L << 32), ""), cg.f64, "");

        // One Newton step to 53 bits.
        s = mul(t, t);
        r = div(ax, s);
        LLVMValueRef w = add(t, t);
        r = div(LLVMBuildFSub(b, r, t, ""), add(w, r));
        t = add(t, mul(t, r));

        LLVMValueRef signed = cg.intrinsic("llvm.copysign", cg.f64, t, x);
        // Zeros, infinities and NaN are their own cube roots.
        LLVMValueRef zero = LLVMBuildFCmp(b, LLVMRealOEQ, x, cg.real(cg.f64, 0), "");
        LLVMValueRef notFinite = LLVMBuildFCmp(b, LLVMRealUEQ, ax, cg.real(cg.f64, Double.POSITIVE_INFINITY), "");
        return LLVMBuildSelect(b, LLVMBuildOr(b, zero, notFinite, ""), x, signed, "");
    }

    private LLVMValueRef high(LLVMValueRef d) {
        LLVMValueRef bits = LLVMBuildBitCast(b, d, cg.i64, "");
        return LLVMBuildTrunc(b, LLVMBuildLShr(b, bits, cg.i64(32), ""), cg.i32, "");
    }

    private LLVMValueRef withHigh(LLVMValueRef high, LLVMValueRef low64) {
        LLVMValueRef h = LLVMBuildShl(b, LLVMBuildZExt(b, high, cg.i64, ""), cg.i64(32), "");
        return LLVMBuildBitCast(b, LLVMBuildOr(b, h, low64, ""), cg.f64, "");
    }

    private LLVMValueRef third(LLVMValueRef nonNegative) { return LLVMBuildUDiv(b, nonNegative, cg.i32(3), ""); }

    private LLVMValueRef real(double v) { return cg.real(cg.f64, v); }
    private LLVMValueRef add(LLVMValueRef x, LLVMValueRef y) { return LLVMBuildFAdd(b, x, y, ""); }
    private LLVMValueRef mul(LLVMValueRef x, LLVMValueRef y) { return LLVMBuildFMul(b, x, y, ""); }
    private LLVMValueRef div(LLVMValueRef x, LLVMValueRef y) { return LLVMBuildFDiv(b, x, y, ""); }
}
