package dev.numbat.llvm;

import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * The functions where glibc misses the accuracy Math promises (1 ulp), computed inline exactly as fdlibm,
 * the JDK's StrictMath, computes them, so results equal StrictMath's bit for bit. glibc's cbrt strays up
 * to 3 ulps from fdlibm's (which is within 0.667 ulp of exact); its log10 is 1.16 ulp off at
 * 0.7518899229712606. Branch-free: every path of the C code is computed and the right one selected, and
 * special inputs run through harmlessly to be replaced at the end. No fast-math flags, whatever the
 * options: the algorithms depend on each rounding.
 */
final class FdlibmLowering {
    private static final int B1 = 715094163;   // (682 - 0.03306235651) * 2^20
    private static final int B2 = 696219795;   // (664 - 0.03306235651) * 2^20
    private static final double C = 0x1.15f15f15f15f1p-1;
    private static final double D = -0x1.691de2532c834p-1;
    private static final double E = 0x1.6a0ea0ea0ea0fp0;
    private static final double F = 0x1.9b6db6db6db6ep0;
    private static final double G = 0x1.6db6db6db6db7p-2;

    private final Codegen cg;
    private final LLVMBuilderRef b;

    private static final double LN2_HIGH = 0x1.62e42feep-1;
    private static final double LN2_LOW = 0x1.a39ef35793c76p-33;
    private static final double[] LG = {0, 0x1.5555555555593p-1, 0x1.999999997fa04p-2, 0x1.2492494229359p-2,
            0x1.c71c51d8e78afp-3, 0x1.7466496cb03dep-3, 0x1.39a09d078c69fp-3, 0x1.2f112df3e5244p-3};
    private static final double LOG10_2_HIGH = 0x1.34413509f6p-2;
    private static final double LOG10_2_LOW = 0x1.9fef311f12b36p-42;
    private static final double INVERSE_LN10 = 0x1.bcb7b1526e50ep-2;

    FdlibmLowering(Codegen cg) {
        this.cg = cg;
        this.b = cg.builder;
    }

    /** fdlibm's cbrt. */
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

    /**
     * fdlibm's log10: x = 2^y * m with m in [1, 2), or [0.5, 1) when y < 0 so that small y stay exact, then
     * y * log10(2) in two parts plus log(m) / ln(10).
     */
    LLVMValueRef log10(LLVMValueRef x) {
        LLVMValueRef tiny = LLVMBuildFCmp(b, LLVMRealOLT, x, real(0x1.0p-1022), "");
        LLVMValueRef scaled = LLVMBuildSelect(b, tiny, mul(x, real(0x1p54)), x, "");
        LLVMValueRef hx = high(scaled);
        LLVMValueRef k = LLVMBuildAdd(b, LLVMBuildSub(b, LLVMBuildAShr(b, hx, cg.i32(20), ""), cg.i32(1023), ""),
                LLVMBuildSelect(b, tiny, cg.i32(-54), cg.i32(0), ""), "");
        LLVMValueRef negative = LLVMBuildLShr(b, k, cg.i32(31), "");
        LLVMValueRef mantissa = LLVMBuildOr(b, LLVMBuildAnd(b, hx, cg.i32(0x000fffff), ""),
                LLVMBuildShl(b, LLVMBuildSub(b, cg.i32(0x3ff), negative, ""), cg.i32(20), ""), "");
        LLVMValueRef m = withHigh(mantissa, low(scaled));
        LLVMValueRef y = LLVMBuildSIToFP(b, LLVMBuildAdd(b, k, negative, ""), cg.f64, "");
        LLVMValueRef z = add(mul(y, real(LOG10_2_LOW)), mul(real(INVERSE_LN10), log(m)));
        LLVMValueRef result = add(z, mul(y, real(LOG10_2_HIGH)));

        // log10(±0) = -Infinity, log10(+Infinity) = +Infinity, NaN for NaN and anything negative.
        LLVMValueRef regular = LLVMBuildAnd(b, LLVMBuildFCmp(b, LLVMRealOGT, x, real(0), ""),
                LLVMBuildFCmp(b, LLVMRealOLT, x, real(Double.POSITIVE_INFINITY), ""), "");
        LLVMValueRef infinite = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOEQ, x, real(Double.POSITIVE_INFINITY), ""),
                real(Double.POSITIVE_INFINITY), real(Double.NaN), "");
        LLVMValueRef special = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOEQ, x, real(0), ""),
                real(Double.NEGATIVE_INFINITY), infinite, "");
        return LLVMBuildSelect(b, regular, result, special, "");
    }

    /** fdlibm's __ieee754_log for positive, normal, finite x (all log10 gives it). */
    private LLVMValueRef log(LLVMValueRef x) {
        LLVMValueRef hx0 = high(x);
        LLVMValueRef k0 = LLVMBuildSub(b, LLVMBuildAShr(b, hx0, cg.i32(20), ""), cg.i32(1023), "");
        LLVMValueRef hx = LLVMBuildAnd(b, hx0, cg.i32(0x000fffff), "");
        LLVMValueRef i = LLVMBuildAnd(b, LLVMBuildAdd(b, hx, cg.i32(0x95f64), ""), cg.i32(0x100000), "");
        // Normalise x or x/2 so that f below lies in [sqrt(2)/2 - 1, sqrt(2) - 1].
        LLVMValueRef xn = withHigh(LLVMBuildOr(b, hx, LLVMBuildXor(b, i, cg.i32(0x3ff00000), ""), ""), low(x));
        LLVMValueRef k = LLVMBuildAdd(b, k0, LLVMBuildAShr(b, i, cg.i32(20), ""), "");
        LLVMValueRef kZero = LLVMBuildICmp(b, LLVMIntEQ, k, cg.i32(0), "");
        LLVMValueRef f = sub(xn, real(1.0));
        LLVMValueRef dk = LLVMBuildSIToFP(b, k, cg.f64, "");
        LLVMValueRef kHigh = mul(dk, real(LN2_HIGH));
        LLVMValueRef kLow = mul(dk, real(LN2_LOW));

        // |f| < 2^-20
        LLVMValueRef fZero = LLVMBuildSelect(b, kZero, real(0), add(kHigh, kLow), "");
        LLVMValueRef rSmall = mul(mul(f, f), sub(real(0.5), mul(real(0.33333333333333333), f)));
        LLVMValueRef small = LLVMBuildSelect(b, kZero, sub(f, rSmall), sub(kHigh, sub(sub(rSmall, kLow), f)), "");
        small = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOEQ, f, real(0), ""), fZero, small, "");
        LLVMValueRef isSmall = LLVMBuildICmp(b, LLVMIntSLT,
                LLVMBuildAnd(b, LLVMBuildAdd(b, hx, cg.i32(2), ""), cg.i32(0x000fffff), ""), cg.i32(3), "");

        LLVMValueRef s = div(f, add(real(2.0), f));
        LLVMValueRef z = mul(s, s);
        LLVMValueRef w = mul(z, z);
        LLVMValueRef t1 = mul(w, add(real(LG[2]), mul(w, add(real(LG[4]), mul(w, real(LG[6]))))));
        LLVMValueRef t2 = mul(z, add(real(LG[1]), mul(w, add(real(LG[3]), mul(w, add(real(LG[5]), mul(w, real(LG[7]))))))));
        LLVMValueRef r = add(t2, t1);
        LLVMValueRef far = LLVMBuildOr(b, LLVMBuildSub(b, hx, cg.i32(0x6147a), ""), LLVMBuildSub(b, cg.i32(0x6b851), hx, ""), "");
        LLVMValueRef hfsq = mul(mul(real(0.5), f), f);
        LLVMValueRef sHfsqR = mul(s, add(hfsq, r));
        LLVMValueRef withHfsq = LLVMBuildSelect(b, kZero, sub(f, sub(hfsq, sHfsqR)),
                sub(kHigh, sub(sub(hfsq, add(sHfsqR, kLow)), f)), "");
        LLVMValueRef sFR = mul(s, sub(f, r));
        LLVMValueRef withoutHfsq = LLVMBuildSelect(b, kZero, sub(f, sFR), sub(kHigh, sub(sub(sFR, kLow), f)), "");
        LLVMValueRef general = LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntSGT, far, cg.i32(0), ""), withHfsq, withoutHfsq, "");
        return LLVMBuildSelect(b, isSmall, small, general, "");
    }

    private LLVMValueRef low(LLVMValueRef d) {
        return LLVMBuildAnd(b, LLVMBuildBitCast(b, d, cg.i64, ""), cg.i64(0xffffffffL), "");
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
    private LLVMValueRef sub(LLVMValueRef x, LLVMValueRef y) { return LLVMBuildFSub(b, x, y, ""); }
    private LLVMValueRef mul(LLVMValueRef x, LLVMValueRef y) { return LLVMBuildFMul(b, x, y, ""); }
    private LLVMValueRef div(LLVMValueRef x, LLVMValueRef y) { return LLVMBuildFDiv(b, x, y, ""); }
}
