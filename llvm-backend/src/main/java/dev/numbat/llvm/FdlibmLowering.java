package dev.numbat.llvm;

import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * Functions computed inline exactly as fdlibm, the JDK's StrictMath, computes them, so results equal
 * StrictMath's bit for bit: cbrt and log10, where glibc misses the accuracy Math promises (1 ulp; glibc's cbrt
 * strays up to 3 ulps from fdlibm's, which is within 0.667 ulp of exact; its log10 is 1.16 ulp off at
 * 0.7518899229712606), and exp, log and pow, where glibc is accurate enough but a call: fdlibm's are within 1 ulp
 * and semi-monotonic, as Math requires, and branch-free code in the loop lets LLVM vectorise it (Black-Scholes
 * calls exp and log for every option). Branch-free: every path of the C code is computed and the right one selected,
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

    /**
     * fdlibm's pow as the JDK's {@code StrictMath.pow} computes it (its early returns for y = 2, 0.5 and ±1
     * included): log2|x| in two parts, times y in two parts, split into an integer n and a fraction, 2^fraction by
     * exp's rational approximation, and n added to the exponent. Every special case of the C code is a select at the
     * end, lowest priority first, so the first one the C code would return is the one that stays.
     */
    LLVMValueRef pow(LLVMValueRef x, LLVMValueRef y) {
        LLVMValueRef yAbs = fabs(y), xAbs = fabs(x);
        LLVMValueRef hx = high(x);
        LLVMValueRef ix = and(hx, 0x7fffffff);
        LLVMValueRef yIsInt = yIsInteger(yAbs);
        LLVMValueRef yNegative = fcmp(LLVMRealOLT, y, real(0));

        // (-x)**y: NaN unless y is an integer; s = -1 for an odd one.
        LLVMValueRef n0 = LLVMBuildAdd(b, LLVMBuildAShr(b, hx, cg.i32(31), ""), cg.i32(1), "");
        LLVMValueRef negativeNonInteger = icmp(LLVMIntEQ, LLVMBuildOr(b, n0, yIsInt, ""), 0);
        LLVMValueRef oddNegative = icmp(LLVMIntEQ, LLVMBuildOr(b, n0, LLVMBuildSub(b, yIsInt, cg.i32(1), ""), ""), 0);
        LLVMValueRef s = select(oddNegative, real(-1), real(1));

        // log2|x| = t1 + t2: near 1 for huge |y| (|x| is within 2^-20 of 1 there, or the result overflows).
        LLVMValueRef hugeY = fcmp(LLVMRealOGT, yAbs, real(0x1.00000ffffffffp31));
        LLVMValueRef t = sub(xAbs, real(1));
        LLVMValueRef w = mul(mul(t, t), sub(real(0.5), mul(t, sub(real(0.3333333333333333333333), mul(t, real(0.25))))));
        LLVMValueRef u = mul(real(0x1.715476p0), t);
        LLVMValueRef v = sub(mul(t, real(0x1.4ae0bf85ddf44p-26)), mul(w, real(INVERSE_LN2)));
        LLVMValueRef hugeT1 = lowZeroed(add(u, v));
        LLVMValueRef hugeT2 = sub(v, sub(hugeT1, u));
        LLVMValueRef[] log2 = log2OfAbs(xAbs, ix);
        LLVMValueRef t1 = select(hugeY, hugeT1, log2[0]);
        LLVMValueRef t2 = select(hugeY, hugeT2, log2[1]);

        // y * log2|x| = p_h + p_l, y split so that y1 * t1 is exact.
        LLVMValueRef y1 = lowZeroed(y);
        LLVMValueRef pl = add(mul(sub(y, y1), t1), mul(y, t2));
        LLVMValueRef ph = mul(y1, t1);
        LLVMValueRef z = add(pl, ph);
        LLVMValueRef j = high(z);
        LLVMValueRef i = LLVMBuildTrunc(b, low(z), cg.i32, "");
        LLVMValueRef zAtLeast1024 = icmp(LLVMIntSGE, j, 0x40900000);
        LLVMValueRef overflow = LLVMBuildAnd(b, zAtLeast1024, LLVMBuildOr(b,
                LLVMBuildICmp(b, LLVMIntNE, LLVMBuildOr(b, LLVMBuildSub(b, j, cg.i32(0x40900000), ""), i, ""), cg.i32(0), ""),
                fcmp(LLVMRealOGT, add(pl, real(8.0085662595372944372e-0017)), sub(z, ph)), ""), "");
        LLVMValueRef underflow = LLVMBuildAnd(b, LLVMBuildAnd(b, LLVMBuildNot(b, zAtLeast1024, ""),
                icmp(LLVMIntSGE, and(j, 0x7fffffff), 0x4090cc00), ""), LLVMBuildOr(b,
                LLVMBuildICmp(b, LLVMIntNE, LLVMBuildOr(b, LLVMBuildSub(b, j, cg.i32(0xc090cc00), ""), i, ""), cg.i32(0), ""),
                fcmp(LLVMRealOLE, pl, sub(z, ph)), ""), "");

        LLVMValueRef result = mul(s, exp2(j, ph, pl));
        result = select(underflow, mul(s, real(0)), result);
        result = select(overflow, mul(s, real(Double.POSITIVE_INFINITY)), result);
        LLVMValueRef hugeYOver = fcmp(LLVMRealOGT, xAbs, real(0x1.00000ffffffffp0));
        result = select(LLVMBuildAnd(b, hugeY, hugeYOver, ""),
                select(fcmp(LLVMRealOGT, y, real(0)), mul(s, real(Double.POSITIVE_INFINITY)), mul(s, real(0))), result);
        LLVMValueRef hugeYUnder = fcmp(LLVMRealOLT, xAbs, real(0x1.fffff00000000p-1));
        result = select(LLVMBuildAnd(b, hugeY, hugeYUnder, ""),
                select(yNegative, mul(s, real(Double.POSITIVE_INFINITY)), mul(s, real(0))), result);
        result = select(negativeNonInteger, real(Double.NaN), result);

        // x = ±0, ±Infinity, ±1: |x| or 1/|x|, negated for x < 0 and odd y; (-1)**(non-integer) is NaN.
        LLVMValueRef specialX = LLVMBuildOr(b, LLVMBuildOr(b, fcmp(LLVMRealOEQ, xAbs, real(0)),
                fcmp(LLVMRealOEQ, xAbs, real(Double.POSITIVE_INFINITY)), ""), fcmp(LLVMRealOEQ, xAbs, real(1)), "");
        // 1/|x| is exact for these three, and known without a division (which every lane would pay).
        LLVMValueRef reciprocal = select(fcmp(LLVMRealOEQ, xAbs, real(0)), real(Double.POSITIVE_INFINITY),
                select(fcmp(LLVMRealOEQ, xAbs, real(1)), real(1), real(0)));
        LLVMValueRef zx = select(yNegative, reciprocal, xAbs);
        LLVMValueRef xNegative = icmp(LLVMIntSLT, hx, 0);
        zx = select(LLVMBuildAnd(b, xNegative, icmp(LLVMIntEQ, yIsInt, 1), ""), mul(real(-1), zx), zx);
        LLVMValueRef minusOneNonInteger = icmp(LLVMIntEQ,
                LLVMBuildOr(b, LLVMBuildSub(b, ix, cg.i32(0x3ff00000), ""), yIsInt, ""), 0);
        zx = select(LLVMBuildAnd(b, xNegative, minusOneNonInteger, ""), real(Double.NaN), zx);
        result = select(specialX, zx, result);

        // The JDK's early returns for special y, in its order.
        LLVMValueRef xAbsOne = fcmp(LLVMRealOEQ, xAbs, real(1));
        LLVMValueRef infiniteY = select(xAbsOne, sub(y, y), select(fcmp(LLVMRealOGT, xAbs, real(1)),
                select(fcmp(LLVMRealOGE, y, real(0)), y, real(0)), select(yNegative, LLVMBuildFNeg(b, y, ""), real(0))));
        result = select(fcmp(LLVMRealOEQ, yAbs, real(Double.POSITIVE_INFINITY)), infiniteY, result);
        result = select(fcmp(LLVMRealOEQ, yAbs, real(1)),
                select(fcmp(LLVMRealOEQ, y, real(1)), x, div(real(1), x)), result);
        LLVMValueRef half = LLVMBuildAnd(b, fcmp(LLVMRealOEQ, y, real(0.5)), fcmp(LLVMRealOGE, x, real(-Double.MAX_VALUE)), "");
        result = select(half, cg.intrinsic("llvm.sqrt", cg.f64, add(x, real(0))), result);
        result = select(fcmp(LLVMRealOEQ, y, real(2)), mul(x, x), result);
        result = select(LLVMBuildOr(b, fcmp(LLVMRealUNO, x, x), fcmp(LLVMRealUNO, y, y), ""), add(x, y), result);
        return select(fcmp(LLVMRealOEQ, y, real(0)), real(1), result);
    }

    /** fdlibm's y_is_int: 0 if y is not an integer, 1 if it is odd, 2 if even. */
    private LLVMValueRef yIsInteger(LLVMValueRef yAbs) {
        LLVMValueRef big = fcmp(LLVMRealOGE, yAbs, real(0x1.0p53));
        LLVMValueRef atLeastOne = fcmp(LLVMRealOGE, yAbs, real(1));
        // Converted only where it fits (else a NaN or a huge y would make the conversion poison).
        LLVMValueRef asLong = LLVMBuildFPToSI(b, select(LLVMBuildAnd(b, atLeastOne, LLVMBuildNot(b, big, ""), ""), yAbs, real(1)), cg.i64, "");
        LLVMValueRef integral = fcmp(LLVMRealOEQ, LLVMBuildSIToFP(b, asLong, cg.f64, ""), yAbs);
        LLVMValueRef parity = LLVMBuildSub(b, cg.i32(2), LLVMBuildTrunc(b, LLVMBuildAnd(b, asLong, cg.i64(1), ""), cg.i32, ""), "");
        LLVMValueRef small = select(LLVMBuildAnd(b, atLeastOne, integral, ""), parity, cg.i32(0));
        return select(big, cg.i32(2), small);
    }

    private static final double[] L = {Double.NaN, 0x1.3333333333303p-1, 0x1.b6db6db6fabffp-2, 0x1.55555518f264dp-2,
            0x1.17460a91d4101p-2, 0x1.d864a93c9db65p-3, 0x1.a7e284a454eefp-3};
    private static final double CP = 0x1.ec709dc3a03fdp-1, CP_H = 0x1.ec709ep-1, CP_L = -0x1.e2fe0145b01f5p-28;
    private static final double DP_H = 0x1.2b8034p-1, DP_L = 0x1.cfdeb43cfd006p-27;

    /** log2|x| = {t1, t2} for finite, non-zero x, t1 with its low word zero; subnormals scaled by 2^53 first. */
    private LLVMValueRef[] log2OfAbs(LLVMValueRef xAbs, LLVMValueRef ix) {
        LLVMValueRef subnormal = icmp(LLVMIntSLT, ix, 0x00100000);
        LLVMValueRef xs = select(subnormal, mul(xAbs, real(0x1.0p53)), xAbs);
        LLVMValueRef ixs = select(subnormal, high(xs), ix);
        LLVMValueRef n = LLVMBuildAdd(b, select(subnormal, cg.i32(-53), cg.i32(0)),
                LLVMBuildSub(b, LLVMBuildAShr(b, ixs, cg.i32(20), ""), cg.i32(0x3ff), ""), "");
        LLVMValueRef j = and(ixs, 0x000fffff);
        // |x| < sqrt(3/2): k = 0; < sqrt(3): k = 1; above, x / 2 with k = 0.
        LLVMValueRef above = icmp(LLVMIntSGE, j, 0xBB67A);
        LLVMValueRef k = select(LLVMBuildAnd(b, icmp(LLVMIntSGT, j, 0x3988E), LLVMBuildNot(b, above, ""), ""), cg.i32(1), cg.i32(0));
        n = LLVMBuildAdd(b, n, LLVMBuildZExt(b, above, cg.i32, ""), "");
        LLVMValueRef ixn = LLVMBuildSub(b, LLVMBuildOr(b, j, cg.i32(0x3ff00000), ""), select(above, cg.i32(0x00100000), cg.i32(0)), "");
        LLVMValueRef xa = withHigh(ixn, low(xs));
        LLVMValueRef dk = LLVMBuildSIToFP(b, k, cg.f64, "");

        // ss = s_h + s_l = (x - bp) / (x + bp), bp = 1 or 1.5.
        LLVMValueRef bp = add(real(1), mul(real(0.5), dk));
        LLVMValueRef u = sub(xa, bp);
        LLVMValueRef v = div(real(1), add(xa, bp));
        LLVMValueRef ss = mul(u, v);
        LLVMValueRef sh = lowZeroed(ss);
        LLVMValueRef th = withHigh(LLVMBuildAdd(b, LLVMBuildAdd(b, LLVMBuildOr(b, LLVMBuildAShr(b, ixn, cg.i32(1), ""),
                cg.i32(0x20000000), ""), cg.i32(0x00080000), ""), LLVMBuildShl(b, k, cg.i32(18), ""), ""), cg.i64(0));
        LLVMValueRef tl = sub(xa, sub(th, bp));
        LLVMValueRef sl = mul(v, sub(sub(u, mul(sh, th)), mul(sh, tl)));

        // log(x): 2s + 2/3 s^3 + s^5 * polynomial, in extra precision.
        LLVMValueRef s2 = mul(ss, ss);
        LLVMValueRef poly = add(real(L[1]), mul(s2, add(real(L[2]), mul(s2, add(real(L[3]), mul(s2, add(real(L[4]),
                mul(s2, add(real(L[5]), mul(s2, real(L[6])))))))))));
        LLVMValueRef r = add(mul(mul(s2, s2), poly), mul(sl, add(sh, ss)));
        LLVMValueRef sh2 = mul(sh, sh);
        LLVMValueRef th2 = lowZeroed(add(add(real(3), sh2), r));
        LLVMValueRef tl2 = sub(r, sub(sub(th2, real(3)), sh2));
        LLVMValueRef u2 = mul(sh, th2);
        LLVMValueRef v2 = add(mul(sl, th2), mul(tl2, ss));
        LLVMValueRef ph = lowZeroed(add(u2, v2));
        LLVMValueRef pl = sub(v2, sub(ph, u2));
        LLVMValueRef zh = mul(real(CP_H), ph);
        LLVMValueRef zl = add(add(mul(real(CP_L), ph), mul(pl, real(CP))), mul(real(DP_L), dk));
        LLVMValueRef dn = LLVMBuildSIToFP(b, n, cg.f64, "");
        LLVMValueRef dpk = mul(real(DP_H), dk);
        LLVMValueRef t1 = lowZeroed(add(add(add(zh, zl), dpk), dn));
        LLVMValueRef t2 = sub(zl, sub(sub(sub(t1, dn), dpk), zh));
        return new LLVMValueRef[] {t1, t2};
    }

    /** 2^(ph + pl), |ph + pl| < 1075, z's high word {@code j}; subnormal results rounded once. */
    private LLVMValueRef exp2(LLVMValueRef j, LLVMValueRef ph, LLVMValueRef pl) {
        // |z| > 0.5: n = [z + 0.5] taken from the high word, ph reduced by it. Shift counts as Java's, modulo 32.
        LLVMValueRef i = and(j, 0x7fffffff);
        LLVMValueRef k = LLVMBuildSub(b, LLVMBuildAShr(b, i, cg.i32(20), ""), cg.i32(0x3ff), "");
        LLVMValueRef reduce = icmp(LLVMIntSGT, i, 0x3fe00000);
        LLVMValueRef nRaw = LLVMBuildAdd(b, j, shiftRight(cg.i32(0x00100000), LLVMBuildAdd(b, k, cg.i32(1), "")), "");
        LLVMValueRef kn = LLVMBuildSub(b, LLVMBuildAShr(b, and(nRaw, 0x7fffffff), cg.i32(20), ""), cg.i32(0x3ff), "");
        LLVMValueRef tn = withHigh(LLVMBuildAnd(b, nRaw, LLVMBuildNot(b, shiftRight(cg.i32(0x000fffff), kn), ""), ""), cg.i64(0));
        LLVMValueRef nAbs = shiftRight(LLVMBuildOr(b, and(nRaw, 0x000fffff), cg.i32(0x00100000), ""),
                LLVMBuildSub(b, cg.i32(20), kn, ""));
        LLVMValueRef nSigned = select(icmp(LLVMIntSLT, j, 0), LLVMBuildNeg(b, nAbs, ""), nAbs);
        LLVMValueRef n = select(reduce, nSigned, cg.i32(0));
        ph = select(reduce, sub(ph, tn), ph);

        LLVMValueRef t = lowZeroed(add(pl, ph));
        LLVMValueRef u = mul(t, real(0x1.62e43p-1));
        LLVMValueRef v = add(mul(sub(pl, sub(t, ph)), real(0x1.62e42fefa39efp-1)), mul(t, real(-0x1.05c610ca86c39p-29)));
        LLVMValueRef z = add(u, v);
        LLVMValueRef w = sub(v, sub(z, u));
        LLVMValueRef tt = mul(z, z);
        LLVMValueRef t1 = sub(z, mul(tt, add(real(P[1]), mul(tt, add(real(P[2]), mul(tt, add(real(P[3]),
                mul(tt, add(real(P[4]), mul(tt, real(P[5])))))))))));
        LLVMValueRef r = sub(div(mul(z, t1), sub(t1, real(2))), add(w, mul(z, w)));
        z = sub(real(1), sub(r, z));

        // n added to the exponent; where that leaves no normal exponent, add n + 1000 and multiply by 2^-1000 (one
        // rounding, as Math.scalb's last step).
        LLVMValueRef hz = high(z);
        LLVMValueRef shifted = LLVMBuildShl(b, n, cg.i32(20), "");
        LLVMValueRef normal = withHigh(LLVMBuildAdd(b, hz, shifted, ""), low(z));
        LLVMValueRef lowHigh = LLVMBuildAdd(b, hz, LLVMBuildShl(b, LLVMBuildAdd(b, n, cg.i32(1000), ""), cg.i32(20), ""), "");
        LLVMValueRef subnormal = mul(withHigh(lowHigh, low(z)), real(TWO_TO_MINUS_1000));
        LLVMValueRef tooSmall = icmp(LLVMIntSLE, LLVMBuildAShr(b, LLVMBuildAdd(b, hz, shifted, ""), cg.i32(20), ""), 0);
        return select(tooSmall, subnormal, normal);
    }

    /** Java's {@code >>}: the count taken modulo 32 (LLVM's shift is poison from 32 on). */
    private LLVMValueRef shiftRight(LLVMValueRef value, LLVMValueRef count) {
        return LLVMBuildAShr(b, value, and(count, 31), "");
    }

    private LLVMValueRef lowZeroed(LLVMValueRef d) {
        LLVMValueRef bits = LLVMBuildAnd(b, LLVMBuildBitCast(b, d, cg.i64, ""), cg.i64(0xffffffff00000000L), "");
        return LLVMBuildBitCast(b, bits, cg.f64, "");
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

    private LLVMValueRef fabs(LLVMValueRef d) { return cg.intrinsic("llvm.fabs", cg.f64, d); }
    private LLVMValueRef fcmp(int predicate, LLVMValueRef x, LLVMValueRef y) { return LLVMBuildFCmp(b, predicate, x, y, ""); }
    private LLVMValueRef icmp(int predicate, LLVMValueRef x, int y) { return LLVMBuildICmp(b, predicate, x, cg.i32(y), ""); }
    private LLVMValueRef and(LLVMValueRef x, int mask) { return LLVMBuildAnd(b, x, cg.i32(mask), ""); }
    private LLVMValueRef select(LLVMValueRef c, LLVMValueRef x, LLVMValueRef y) { return LLVMBuildSelect(b, c, x, y, ""); }

    private LLVMValueRef third(LLVMValueRef nonNegative) { return LLVMBuildUDiv(b, nonNegative, cg.i32(3), ""); }

    private LLVMValueRef real(double v) { return cg.real(cg.f64, v); }
    private LLVMValueRef add(LLVMValueRef x, LLVMValueRef y) { return LLVMBuildFAdd(b, x, y, ""); }
    private LLVMValueRef sub(LLVMValueRef x, LLVMValueRef y) { return LLVMBuildFSub(b, x, y, ""); }
    private LLVMValueRef mul(LLVMValueRef x, LLVMValueRef y) { return LLVMBuildFMul(b, x, y, ""); }
    private LLVMValueRef div(LLVMValueRef x, LLVMValueRef y) { return LLVMBuildFDiv(b, x, y, ""); }
}
