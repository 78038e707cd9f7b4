package dev.numbat.llvm;

import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * Functions computed inline exactly as fdlibm, the JDK's StrictMath, computes them, so results equal
 * StrictMath's bit for bit: cbrt and log10, where glibc misses the accuracy Math promises (1 ulp; glibc's cbrt
 * strays up to 3 ulps from fdlibm's, which is within 0.667 ulp of exact; its log10 is 1.16 ulp off at
 * 0.7518899229712606), and exp and log, where glibc is accurate enough but a call: fdlibm's are within 1 ulp
 * and semi-monotonic, as Math requires, and branch-free code in the loop lets LLVM vectorise it (Black-Scholes
 * calls both for every option). Branch-free: every path of the C code is computed and the right one selected,
 * and special inputs run through harmlessly to be replaced at the end. No fast-math flags, whatever the
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

    private static final double EXP_OVERFLOW = 0x1.62e42fefa39efp9;      // 709.78..., o_threshold
    private static final double EXP_UNDERFLOW = -0x1.74910d52d3051p9;    // -745.13..., u_threshold
    private static final double INVERSE_LN2 = 0x1.71547652b82fep0;
    private static final double[] P = {0, 0x1.555555555553ep-3, -0x1.6c16c16bebd93p-9, 0x1.1566aaf25de2cp-14,
            -0x1.bbd41c5d26bf1p-20, 0x1.6376972bea4d0p-25};
    private static final double TWO_TO_MINUS_1000 = 0x1p-1000;

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
        LLVMValueRef z = add(mul(y, real(LOG10_2_LOW)), mul(real(INVERSE_LN10), logOfNormal(m)));
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

    /**
     * fdlibm's exp: x = k ln2 + r with |r| <= ln2 / 2 (ln2 in two parts), exp(r) from a rational approximation,
     * and k added to the exponent (in two steps where the result is subnormal).
     */
    LLVMValueRef exp(LLVMValueRef x) {
        LLVMValueRef hxSigned = high(x);
        LLVMValueRef negative = LLVMBuildLShr(b, hxSigned, cg.i32(31), "");
        LLVMValueRef isNegative = LLVMBuildICmp(b, LLVMIntNE, negative, cg.i32(0), "");
        LLVMValueRef hx = LLVMBuildAnd(b, hxSigned, cg.i32(0x7fffffff), "");

        // exp(NaN) = NaN, exp(+Infinity) = +Infinity, exp(-Infinity) = 0, and beyond the thresholds
        // +Infinity or 0. Those inputs are replaced by 0 below, so that no conversion sees them.
        LLVMValueRef isNaN = LLVMBuildFCmp(b, LLVMRealUNO, x, x, "");
        LLVMValueRef over = LLVMBuildFCmp(b, LLVMRealOGT, x, real(EXP_OVERFLOW), "");
        LLVMValueRef under = LLVMBuildFCmp(b, LLVMRealOLT, x, real(EXP_UNDERFLOW), "");
        LLVMValueRef special = LLVMBuildOr(b, isNaN, LLVMBuildOr(b, over, under, ""), "");
        LLVMValueRef specialValue = LLVMBuildSelect(b, isNaN, add(x, x),
                LLVMBuildSelect(b, over, real(Double.POSITIVE_INFINITY), real(0), ""), "");
        LLVMValueRef xs = LLVMBuildSelect(b, special, real(0), x, "");

        // |x| in (ln2 / 2, 3 ln2 / 2): k = +-1; above: k = (int) (x / ln2 +- 0.5); below: k = 0.
        LLVMValueRef reduce = LLVMBuildICmp(b, LLVMIntSGT, hx, cg.i32(0x3fd62e42), "");
        LLVMValueRef near = LLVMBuildICmp(b, LLVMIntSLT, hx, cg.i32(0x3ff0a2b2), "");
        LLVMValueRef hiNear = sub(xs, LLVMBuildSelect(b, isNegative, real(-LN2_HIGH), real(LN2_HIGH), ""));
        LLVMValueRef loNear = LLVMBuildSelect(b, isNegative, real(-LN2_LOW), real(LN2_LOW), "");
        LLVMValueRef kNear = LLVMBuildSub(b, cg.i32(1), LLVMBuildShl(b, negative, cg.i32(1), ""), "");
        LLVMValueRef half = LLVMBuildSelect(b, isNegative, real(-0.5), real(0.5), "");
        LLVMValueRef kFar = LLVMBuildFPToSI(b, add(mul(real(INVERSE_LN2), xs), half), cg.i32, "");
        LLVMValueRef tFar = LLVMBuildSIToFP(b, kFar, cg.f64, "");
        LLVMValueRef hiFar = sub(xs, mul(tFar, real(LN2_HIGH)));
        LLVMValueRef loFar = mul(tFar, real(LN2_LOW));
        LLVMValueRef hi = LLVMBuildSelect(b, near, hiNear, hiFar, "");
        LLVMValueRef lo = LLVMBuildSelect(b, near, loNear, loFar, "");
        LLVMValueRef k = LLVMBuildSelect(b, reduce, LLVMBuildSelect(b, near, kNear, kFar, ""), cg.i32(0), "");
        LLVMValueRef r = LLVMBuildSelect(b, reduce, sub(hi, lo), xs, "");

        LLVMValueRef t = mul(r, r);
        LLVMValueRef c = sub(r, mul(t, add(real(P[1]), mul(t, add(real(P[2]), mul(t, add(real(P[3]),
                mul(t, add(real(P[4]), mul(t, real(P[5])))))))))));
        LLVMValueRef unreduced = sub(real(1), sub(div(mul(r, c), sub(c, real(2))), r));
        LLVMValueRef y = sub(real(1), sub(sub(lo, div(mul(r, c), sub(real(2), c))), hi));

        // Add k to y's exponent; below 2^-1021 add k + 1000 and multiply by 2^-1000, which rounds once.
        LLVMValueRef yBits = LLVMBuildBitCast(b, y, cg.i64, "");
        LLVMValueRef k64 = LLVMBuildSExt(b, k, cg.i64, "");
        LLVMValueRef normal = LLVMBuildBitCast(b, LLVMBuildAdd(b, yBits, LLVMBuildShl(b, k64, cg.i64(52), ""), ""), cg.f64, "");
        LLVMValueRef lowBits = LLVMBuildAdd(b, yBits, LLVMBuildShl(b, LLVMBuildAdd(b, k64, cg.i64(1000), ""), cg.i64(52), ""), "");
        LLVMValueRef low = mul(LLVMBuildBitCast(b, lowBits, cg.f64, ""), real(TWO_TO_MINUS_1000));
        LLVMValueRef scaled = LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntSGE, k, cg.i32(-1021), ""), normal, low, "");
        LLVMValueRef result = LLVMBuildSelect(b, reduce, scaled, unreduced, "");

        // |x| < 2^-28: 1 + x.
        LLVMValueRef tiny = LLVMBuildICmp(b, LLVMIntSLT, hx, cg.i32(0x3e300000), "");
        result = LLVMBuildSelect(b, tiny, add(real(1), xs), result, "");
        return LLVMBuildSelect(b, special, specialValue, result, "");
    }

    /** fdlibm's log: subnormals scaled by 2^54 first; log(±0) = -Infinity, NaN for NaN and anything negative. */
    LLVMValueRef log(LLVMValueRef x) {
        LLVMValueRef tiny = LLVMBuildFCmp(b, LLVMRealOLT, x, real(0x1.0p-1022), "");
        LLVMValueRef scaled = LLVMBuildSelect(b, tiny, mul(x, real(0x1p54)), x, "");
        LLVMValueRef regular = LLVMBuildAnd(b, LLVMBuildFCmp(b, LLVMRealOGT, x, real(0), ""),
                LLVMBuildFCmp(b, LLVMRealOLT, x, real(Double.POSITIVE_INFINITY), ""), "");
        LLVMValueRef result = logOfNormal(LLVMBuildSelect(b, regular, scaled, real(1), ""),
                LLVMBuildSelect(b, tiny, cg.i32(-54), cg.i32(0), ""));
        LLVMValueRef infinite = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOEQ, x, real(Double.POSITIVE_INFINITY), ""),
                real(Double.POSITIVE_INFINITY), real(Double.NaN), "");
        LLVMValueRef special = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOEQ, x, real(0), ""),
                real(Double.NEGATIVE_INFINITY), infinite, "");
        return LLVMBuildSelect(b, regular, result, special, "");
    }

    /** fdlibm's __ieee754_log for positive, normal, finite x (all log10 gives it). */
    private LLVMValueRef logOfNormal(LLVMValueRef x) {
        return logOfNormal(x, cg.i32(0));
    }

    /** The same for x * 2^exponentOffset (a subnormal scaled up). */
    private LLVMValueRef logOfNormal(LLVMValueRef x, LLVMValueRef exponentOffset) {
        LLVMValueRef hx0 = high(x);
        LLVMValueRef k0 = LLVMBuildAdd(b, LLVMBuildSub(b, LLVMBuildAShr(b, hx0, cg.i32(20), ""), cg.i32(1023), ""),
                exponentOffset, "");
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
