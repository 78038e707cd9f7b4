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
    private final Lanes l;

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
        this.l = new Lanes(cg, b, 1);
    }

    /** fdlibm's cbrt. */
    LLVMValueRef cbrt(LLVMValueRef x) {
        LLVMValueRef ax = cg.intrinsic("llvm.fabs", cg.f64, x);

        // A first guess good to 5 bits from dividing the exponent by 3 in the high word; subnormals are
        // scaled by 2^54 first (and keep their low word, as fdlibm's __HI(t, ...) does).
        LLVMValueRef normal = l.withHigh(LLVMBuildAdd(b, third(l.high(ax)), cg.i32(B1), ""), cg.i64(0));
        LLVMValueRef scaled = LLVMBuildFMul(b, cg.real(cg.f64, 0x1p54), ax, "");
        LLVMValueRef scaledBits = LLVMBuildBitCast(b, scaled, cg.i64, "");
        LLVMValueRef subnormal = l.withHigh(LLVMBuildAdd(b, third(l.high(scaled)), cg.i32(B2), ""),
                LLVMBuildAnd(b, scaledBits, cg.i64(0xffffffffL), ""));
        LLVMValueRef tiny = LLVMBuildFCmp(b, LLVMRealOLT, ax, cg.real(cg.f64, 0x1.0p-1022), "");
        LLVMValueRef t = LLVMBuildSelect(b, tiny, subnormal, normal, "");

        // To 23 bits: t *= G + F / (s + E + D / s) with s = C + (t * t / x) * t.
        LLVMValueRef r = l.div(l.mul(t, t), ax);
        LLVMValueRef s = l.add(l.real(C), l.mul(r, t));
        t = l.mul(t, l.add(l.real(G), l.div(l.real(F), l.add(l.add(s, l.real(E)), l.div(l.real(D), s)))));

        // Chop to 20 bits and round up, so that t * t below is exact.
        LLVMValueRef bits = LLVMBuildAnd(b, LLVMBuildBitCast(b, t, cg.i64, ""), cg.i64(0xffffffff00000000L), "");
        t = LLVMBuildBitCast(b, LLVMBuildAdd(b, bits, cg.i64(1L << 32), ""), cg.f64, "");

        // One Newton step to 53 bits.
        s = l.mul(t, t);
        r = l.div(ax, s);
        LLVMValueRef w = l.add(t, t);
        r = l.div(LLVMBuildFSub(b, r, t, ""), l.add(w, r));
        t = l.add(t, l.mul(t, r));

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
        LLVMValueRef tiny = LLVMBuildFCmp(b, LLVMRealOLT, x, l.real(0x1.0p-1022), "");
        LLVMValueRef scaled = LLVMBuildSelect(b, tiny, l.mul(x, l.real(0x1p54)), x, "");
        LLVMValueRef hx = l.high(scaled);
        LLVMValueRef k = LLVMBuildAdd(b, LLVMBuildSub(b, LLVMBuildAShr(b, hx, cg.i32(20), ""), cg.i32(1023), ""),
                LLVMBuildSelect(b, tiny, cg.i32(-54), cg.i32(0), ""), "");
        LLVMValueRef negative = LLVMBuildLShr(b, k, cg.i32(31), "");
        LLVMValueRef mantissa = LLVMBuildOr(b, LLVMBuildAnd(b, hx, cg.i32(0x000fffff), ""),
                LLVMBuildShl(b, LLVMBuildSub(b, cg.i32(0x3ff), negative, ""), cg.i32(20), ""), "");
        LLVMValueRef m = l.withHigh(mantissa, l.low(scaled));
        LLVMValueRef y = LLVMBuildSIToFP(b, LLVMBuildAdd(b, k, negative, ""), cg.f64, "");
        LLVMValueRef z = l.add(l.mul(y, l.real(LOG10_2_LOW)), l.mul(l.real(INVERSE_LN10), logOfNormal(m)));
        LLVMValueRef result = l.add(z, l.mul(y, l.real(LOG10_2_HIGH)));

        // log10(±0) = -Infinity, log10(+Infinity) = +Infinity, NaN for NaN and anything negative.
        LLVMValueRef regular = LLVMBuildAnd(b, LLVMBuildFCmp(b, LLVMRealOGT, x, l.real(0), ""),
                LLVMBuildFCmp(b, LLVMRealOLT, x, l.real(Double.POSITIVE_INFINITY), ""), "");
        LLVMValueRef infinite = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOEQ, x, l.real(Double.POSITIVE_INFINITY), ""),
                l.real(Double.POSITIVE_INFINITY), l.real(Double.NaN), "");
        LLVMValueRef special = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOEQ, x, l.real(0), ""),
                l.real(Double.NEGATIVE_INFINITY), infinite, "");
        return LLVMBuildSelect(b, regular, result, special, "");
    }

    /**
     * fdlibm's exp: x = k ln2 + r with |r| <= ln2 / 2 (ln2 in two parts), exp(r) from a rational approximation,
     * and k added to the exponent (in two steps where the result is subnormal).
     */
    LLVMValueRef exp(LLVMValueRef x) {
        LLVMValueRef hxSigned = l.high(x);
        LLVMValueRef negative = LLVMBuildLShr(b, hxSigned, cg.i32(31), "");
        LLVMValueRef isNegative = LLVMBuildICmp(b, LLVMIntNE, negative, cg.i32(0), "");
        LLVMValueRef hx = LLVMBuildAnd(b, hxSigned, cg.i32(0x7fffffff), "");

        // exp(NaN) = NaN, exp(+Infinity) = +Infinity, exp(-Infinity) = 0, and beyond the thresholds
        // +Infinity or 0. Those inputs are replaced by 0 below, so that no conversion sees them.
        LLVMValueRef isNaN = LLVMBuildFCmp(b, LLVMRealUNO, x, x, "");
        LLVMValueRef over = LLVMBuildFCmp(b, LLVMRealOGT, x, l.real(EXP_OVERFLOW), "");
        LLVMValueRef under = LLVMBuildFCmp(b, LLVMRealOLT, x, l.real(EXP_UNDERFLOW), "");
        LLVMValueRef special = LLVMBuildOr(b, isNaN, LLVMBuildOr(b, over, under, ""), "");
        LLVMValueRef specialValue = LLVMBuildSelect(b, isNaN, l.add(x, x),
                LLVMBuildSelect(b, over, l.real(Double.POSITIVE_INFINITY), l.real(0), ""), "");
        LLVMValueRef xs = LLVMBuildSelect(b, special, l.real(0), x, "");

        // |x| in (ln2 / 2, 3 ln2 / 2): k = +-1; above: k = (int) (x / ln2 +- 0.5); below: k = 0.
        LLVMValueRef reduce = LLVMBuildICmp(b, LLVMIntSGT, hx, cg.i32(0x3fd62e42), "");
        LLVMValueRef near = LLVMBuildICmp(b, LLVMIntSLT, hx, cg.i32(0x3ff0a2b2), "");
        LLVMValueRef hiNear = l.sub(xs, LLVMBuildSelect(b, isNegative, l.real(-LN2_HIGH), l.real(LN2_HIGH), ""));
        LLVMValueRef loNear = LLVMBuildSelect(b, isNegative, l.real(-LN2_LOW), l.real(LN2_LOW), "");
        LLVMValueRef kNear = LLVMBuildSub(b, cg.i32(1), LLVMBuildShl(b, negative, cg.i32(1), ""), "");
        LLVMValueRef half = LLVMBuildSelect(b, isNegative, l.real(-0.5), l.real(0.5), "");
        LLVMValueRef kFar = LLVMBuildFPToSI(b, l.add(l.mul(l.real(INVERSE_LN2), xs), half), cg.i32, "");
        LLVMValueRef tFar = LLVMBuildSIToFP(b, kFar, cg.f64, "");
        LLVMValueRef hiFar = l.sub(xs, l.mul(tFar, l.real(LN2_HIGH)));
        LLVMValueRef loFar = l.mul(tFar, l.real(LN2_LOW));
        LLVMValueRef hi = LLVMBuildSelect(b, near, hiNear, hiFar, "");
        LLVMValueRef lo = LLVMBuildSelect(b, near, loNear, loFar, "");
        LLVMValueRef k = LLVMBuildSelect(b, reduce, LLVMBuildSelect(b, near, kNear, kFar, ""), cg.i32(0), "");
        LLVMValueRef r = LLVMBuildSelect(b, reduce, l.sub(hi, lo), xs, "");

        LLVMValueRef t = l.mul(r, r);
        LLVMValueRef c = l.sub(r, l.mul(t, l.add(l.real(P[1]), l.mul(t, l.add(l.real(P[2]), l.mul(t, l.add(l.real(P[3]),
                l.mul(t, l.add(l.real(P[4]), l.mul(t, l.real(P[5])))))))))));
        LLVMValueRef unreduced = l.sub(l.real(1), l.sub(l.div(l.mul(r, c), l.sub(c, l.real(2))), r));
        LLVMValueRef y = l.sub(l.real(1), l.sub(l.sub(lo, l.div(l.mul(r, c), l.sub(l.real(2), c))), hi));

        // Add k to y's exponent; below 2^-1021 add k + 1000 and multiply by 2^-1000, which rounds once.
        LLVMValueRef yBits = LLVMBuildBitCast(b, y, cg.i64, "");
        LLVMValueRef k64 = LLVMBuildSExt(b, k, cg.i64, "");
        LLVMValueRef normal = LLVMBuildBitCast(b, LLVMBuildAdd(b, yBits, LLVMBuildShl(b, k64, cg.i64(52), ""), ""), cg.f64, "");
        LLVMValueRef lowBits = LLVMBuildAdd(b, yBits, LLVMBuildShl(b, LLVMBuildAdd(b, k64, cg.i64(1000), ""), cg.i64(52), ""), "");
        LLVMValueRef low = l.mul(LLVMBuildBitCast(b, lowBits, cg.f64, ""), l.real(TWO_TO_MINUS_1000));
        LLVMValueRef scaled = LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntSGE, k, cg.i32(-1021), ""), normal, low, "");
        LLVMValueRef result = LLVMBuildSelect(b, reduce, scaled, unreduced, "");

        // |x| < 2^-28: 1 + x.
        LLVMValueRef tiny = LLVMBuildICmp(b, LLVMIntSLT, hx, cg.i32(0x3e300000), "");
        result = LLVMBuildSelect(b, tiny, l.add(l.real(1), xs), result, "");
        return LLVMBuildSelect(b, special, specialValue, result, "");
    }

    /** fdlibm's log: subnormals scaled by 2^54 first; log(±0) = -Infinity, NaN for NaN and anything negative. */
    LLVMValueRef log(LLVMValueRef x) {
        LLVMValueRef tiny = LLVMBuildFCmp(b, LLVMRealOLT, x, l.real(0x1.0p-1022), "");
        LLVMValueRef scaled = LLVMBuildSelect(b, tiny, l.mul(x, l.real(0x1p54)), x, "");
        LLVMValueRef regular = LLVMBuildAnd(b, LLVMBuildFCmp(b, LLVMRealOGT, x, l.real(0), ""),
                LLVMBuildFCmp(b, LLVMRealOLT, x, l.real(Double.POSITIVE_INFINITY), ""), "");
        LLVMValueRef result = logOfNormal(LLVMBuildSelect(b, regular, scaled, l.real(1), ""),
                LLVMBuildSelect(b, tiny, cg.i32(-54), cg.i32(0), ""));
        LLVMValueRef infinite = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOEQ, x, l.real(Double.POSITIVE_INFINITY), ""),
                l.real(Double.POSITIVE_INFINITY), l.real(Double.NaN), "");
        LLVMValueRef special = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOEQ, x, l.real(0), ""),
                l.real(Double.NEGATIVE_INFINITY), infinite, "");
        return LLVMBuildSelect(b, regular, result, special, "");
    }

    /**
     * fdlibm's pow as the JDK's {@code StrictMath.pow} computes it (its early returns for y = 2, 0.5 and ±1
     * included): log2|x| in two parts, times y in two parts, split into an integer n and a fraction, 2^fraction by
     * exp's rational approximation, and n added to the exponent. Every special case of the C code is a select at the
     * end, lowest priority first, so the first one the C code would return is the one that stays.
     */
    LLVMValueRef pow(LLVMValueRef x, LLVMValueRef y) {
        LLVMValueRef yAbs = l.abs(y), xAbs = l.abs(x);
        LLVMValueRef hx = l.high(x);
        LLVMValueRef ix = l.and(hx, 0x7fffffff);
        LLVMValueRef yIsInt = yIsInteger(yAbs);
        LLVMValueRef yNegative = l.fcmp(LLVMRealOLT, y, l.real(0));

        // (-x)**y: NaN unless y is an integer; s = -1 for an odd one.
        LLVMValueRef n0 = LLVMBuildAdd(b, LLVMBuildAShr(b, hx, cg.i32(31), ""), cg.i32(1), "");
        LLVMValueRef negativeNonInteger = l.icmp(LLVMIntEQ, LLVMBuildOr(b, n0, yIsInt, ""), 0);
        LLVMValueRef oddNegative = l.icmp(LLVMIntEQ, LLVMBuildOr(b, n0, LLVMBuildSub(b, yIsInt, cg.i32(1), ""), ""), 0);
        LLVMValueRef s = l.select(oddNegative, l.real(-1), l.real(1));

        // log2|x| = t1 + t2: near 1 for huge |y| (|x| is within 2^-20 of 1 there, or the result overflows).
        LLVMValueRef hugeY = l.fcmp(LLVMRealOGT, yAbs, l.real(0x1.00000ffffffffp31));
        LLVMValueRef t = l.sub(xAbs, l.real(1));
        LLVMValueRef w = l.mul(l.mul(t, t), l.sub(l.real(0.5), l.mul(t, l.sub(l.real(0.3333333333333333333333), l.mul(t, l.real(0.25))))));
        LLVMValueRef u = l.mul(l.real(0x1.715476p0), t);
        LLVMValueRef v = l.sub(l.mul(t, l.real(0x1.4ae0bf85ddf44p-26)), l.mul(w, l.real(INVERSE_LN2)));
        LLVMValueRef hugeT1 = l.lowZeroed(l.add(u, v));
        LLVMValueRef hugeT2 = l.sub(v, l.sub(hugeT1, u));
        LLVMValueRef[] log2 = log2OfAbs(xAbs, ix);
        LLVMValueRef t1 = l.select(hugeY, hugeT1, log2[0]);
        LLVMValueRef t2 = l.select(hugeY, hugeT2, log2[1]);

        // y * log2|x| = p_h + p_l, y split so that y1 * t1 is exact.
        LLVMValueRef y1 = l.lowZeroed(y);
        LLVMValueRef pl = l.add(l.mul(l.sub(y, y1), t1), l.mul(y, t2));
        LLVMValueRef ph = l.mul(y1, t1);
        LLVMValueRef z = l.add(pl, ph);
        LLVMValueRef j = l.high(z);
        LLVMValueRef i = LLVMBuildTrunc(b, l.low(z), cg.i32, "");
        LLVMValueRef zAtLeast1024 = l.icmp(LLVMIntSGE, j, 0x40900000);
        LLVMValueRef overflow = LLVMBuildAnd(b, zAtLeast1024, LLVMBuildOr(b,
                LLVMBuildICmp(b, LLVMIntNE, LLVMBuildOr(b, LLVMBuildSub(b, j, cg.i32(0x40900000), ""), i, ""), cg.i32(0), ""),
                l.fcmp(LLVMRealOGT, l.add(pl, l.real(8.0085662595372944372e-0017)), l.sub(z, ph)), ""), "");
        LLVMValueRef underflow = LLVMBuildAnd(b, LLVMBuildAnd(b, LLVMBuildNot(b, zAtLeast1024, ""),
                l.icmp(LLVMIntSGE, l.and(j, 0x7fffffff), 0x4090cc00), ""), LLVMBuildOr(b,
                LLVMBuildICmp(b, LLVMIntNE, LLVMBuildOr(b, LLVMBuildSub(b, j, cg.i32(0xc090cc00), ""), i, ""), cg.i32(0), ""),
                l.fcmp(LLVMRealOLE, pl, l.sub(z, ph)), ""), "");

        LLVMValueRef result = l.mul(s, exp2(j, ph, pl));
        result = l.select(underflow, l.mul(s, l.real(0)), result);
        result = l.select(overflow, l.mul(s, l.real(Double.POSITIVE_INFINITY)), result);
        LLVMValueRef hugeYOver = l.fcmp(LLVMRealOGT, xAbs, l.real(0x1.00000ffffffffp0));
        result = l.select(LLVMBuildAnd(b, hugeY, hugeYOver, ""),
                l.select(l.fcmp(LLVMRealOGT, y, l.real(0)), l.mul(s, l.real(Double.POSITIVE_INFINITY)), l.mul(s, l.real(0))), result);
        LLVMValueRef hugeYUnder = l.fcmp(LLVMRealOLT, xAbs, l.real(0x1.fffff00000000p-1));
        result = l.select(LLVMBuildAnd(b, hugeY, hugeYUnder, ""),
                l.select(yNegative, l.mul(s, l.real(Double.POSITIVE_INFINITY)), l.mul(s, l.real(0))), result);
        result = l.select(negativeNonInteger, l.real(Double.NaN), result);

        // x = ±0, ±Infinity, ±1: |x| or 1/|x|, negated for x < 0 and odd y; (-1)**(non-integer) is NaN.
        LLVMValueRef specialX = LLVMBuildOr(b, LLVMBuildOr(b, l.fcmp(LLVMRealOEQ, xAbs, l.real(0)),
                l.fcmp(LLVMRealOEQ, xAbs, l.real(Double.POSITIVE_INFINITY)), ""), l.fcmp(LLVMRealOEQ, xAbs, l.real(1)), "");
        // 1/|x| is exact for these three, and known without a division (which every lane would pay).
        LLVMValueRef reciprocal = l.select(l.fcmp(LLVMRealOEQ, xAbs, l.real(0)), l.real(Double.POSITIVE_INFINITY),
                l.select(l.fcmp(LLVMRealOEQ, xAbs, l.real(1)), l.real(1), l.real(0)));
        LLVMValueRef zx = l.select(yNegative, reciprocal, xAbs);
        LLVMValueRef xNegative = l.icmp(LLVMIntSLT, hx, 0);
        zx = l.select(LLVMBuildAnd(b, xNegative, l.icmp(LLVMIntEQ, yIsInt, 1), ""), l.mul(l.real(-1), zx), zx);
        LLVMValueRef minusOneNonInteger = l.icmp(LLVMIntEQ,
                LLVMBuildOr(b, LLVMBuildSub(b, ix, cg.i32(0x3ff00000), ""), yIsInt, ""), 0);
        zx = l.select(LLVMBuildAnd(b, xNegative, minusOneNonInteger, ""), l.real(Double.NaN), zx);
        result = l.select(specialX, zx, result);

        // The JDK's early returns for special y, in its order.
        LLVMValueRef xAbsOne = l.fcmp(LLVMRealOEQ, xAbs, l.real(1));
        LLVMValueRef infiniteY = l.select(xAbsOne, l.sub(y, y), l.select(l.fcmp(LLVMRealOGT, xAbs, l.real(1)),
                l.select(l.fcmp(LLVMRealOGE, y, l.real(0)), y, l.real(0)), l.select(yNegative, LLVMBuildFNeg(b, y, ""), l.real(0))));
        result = l.select(l.fcmp(LLVMRealOEQ, yAbs, l.real(Double.POSITIVE_INFINITY)), infiniteY, result);
        result = l.select(l.fcmp(LLVMRealOEQ, yAbs, l.real(1)),
                l.select(l.fcmp(LLVMRealOEQ, y, l.real(1)), x, l.div(l.real(1), x)), result);
        LLVMValueRef half = LLVMBuildAnd(b, l.fcmp(LLVMRealOEQ, y, l.real(0.5)), l.fcmp(LLVMRealOGE, x, l.real(-Double.MAX_VALUE)), "");
        result = l.select(half, cg.intrinsic("llvm.sqrt", cg.f64, l.add(x, l.real(0))), result);
        result = l.select(l.fcmp(LLVMRealOEQ, y, l.real(2)), l.mul(x, x), result);
        result = l.select(LLVMBuildOr(b, l.fcmp(LLVMRealUNO, x, x), l.fcmp(LLVMRealUNO, y, y), ""), l.add(x, y), result);
        return l.select(l.fcmp(LLVMRealOEQ, y, l.real(0)), l.real(1), result);
    }

    /** fdlibm's y_is_int: 0 if y is not an integer, 1 if it is odd, 2 if even. */
    private LLVMValueRef yIsInteger(LLVMValueRef yAbs) {
        LLVMValueRef big = l.fcmp(LLVMRealOGE, yAbs, l.real(0x1.0p53));
        LLVMValueRef atLeastOne = l.fcmp(LLVMRealOGE, yAbs, l.real(1));
        // Converted only where it fits (else a NaN or a huge y would make the conversion poison).
        LLVMValueRef asLong = LLVMBuildFPToSI(b, l.select(LLVMBuildAnd(b, atLeastOne, LLVMBuildNot(b, big, ""), ""), yAbs, l.real(1)), cg.i64, "");
        LLVMValueRef integral = l.fcmp(LLVMRealOEQ, LLVMBuildSIToFP(b, asLong, cg.f64, ""), yAbs);
        LLVMValueRef parity = LLVMBuildSub(b, cg.i32(2), LLVMBuildTrunc(b, LLVMBuildAnd(b, asLong, cg.i64(1), ""), cg.i32, ""), "");
        LLVMValueRef small = l.select(LLVMBuildAnd(b, atLeastOne, integral, ""), parity, cg.i32(0));
        return l.select(big, cg.i32(2), small);
    }

    private static final double[] L = {Double.NaN, 0x1.3333333333303p-1, 0x1.b6db6db6fabffp-2, 0x1.55555518f264dp-2,
            0x1.17460a91d4101p-2, 0x1.d864a93c9db65p-3, 0x1.a7e284a454eefp-3};
    private static final double CP = 0x1.ec709dc3a03fdp-1, CP_H = 0x1.ec709ep-1, CP_L = -0x1.e2fe0145b01f5p-28;
    private static final double DP_H = 0x1.2b8034p-1, DP_L = 0x1.cfdeb43cfd006p-27;

    /** log2|x| = {t1, t2} for finite, non-zero x, t1 with its low word zero; subnormals scaled by 2^53 first. */
    private LLVMValueRef[] log2OfAbs(LLVMValueRef xAbs, LLVMValueRef ix) {
        LLVMValueRef subnormal = l.icmp(LLVMIntSLT, ix, 0x00100000);
        LLVMValueRef xs = l.select(subnormal, l.mul(xAbs, l.real(0x1.0p53)), xAbs);
        LLVMValueRef ixs = l.select(subnormal, l.high(xs), ix);
        LLVMValueRef n = LLVMBuildAdd(b, l.select(subnormal, cg.i32(-53), cg.i32(0)),
                LLVMBuildSub(b, LLVMBuildAShr(b, ixs, cg.i32(20), ""), cg.i32(0x3ff), ""), "");
        LLVMValueRef j = l.and(ixs, 0x000fffff);
        // |x| < sqrt(3/2): k = 0; < sqrt(3): k = 1; above, x / 2 with k = 0.
        LLVMValueRef above = l.icmp(LLVMIntSGE, j, 0xBB67A);
        LLVMValueRef k = l.select(LLVMBuildAnd(b, l.icmp(LLVMIntSGT, j, 0x3988E), LLVMBuildNot(b, above, ""), ""), cg.i32(1), cg.i32(0));
        n = LLVMBuildAdd(b, n, LLVMBuildZExt(b, above, cg.i32, ""), "");
        LLVMValueRef ixn = LLVMBuildSub(b, LLVMBuildOr(b, j, cg.i32(0x3ff00000), ""), l.select(above, cg.i32(0x00100000), cg.i32(0)), "");
        LLVMValueRef xa = l.withHigh(ixn, l.low(xs));
        LLVMValueRef dk = LLVMBuildSIToFP(b, k, cg.f64, "");

        // ss = s_h + s_l = (x - bp) / (x + bp), bp = 1 or 1.5.
        LLVMValueRef bp = l.add(l.real(1), l.mul(l.real(0.5), dk));
        LLVMValueRef u = l.sub(xa, bp);
        LLVMValueRef v = l.div(l.real(1), l.add(xa, bp));
        LLVMValueRef ss = l.mul(u, v);
        LLVMValueRef sh = l.lowZeroed(ss);
        LLVMValueRef th = l.withHigh(LLVMBuildAdd(b, LLVMBuildAdd(b, LLVMBuildOr(b, LLVMBuildAShr(b, ixn, cg.i32(1), ""),
                cg.i32(0x20000000), ""), cg.i32(0x00080000), ""), LLVMBuildShl(b, k, cg.i32(18), ""), ""), cg.i64(0));
        LLVMValueRef tl = l.sub(xa, l.sub(th, bp));
        LLVMValueRef sl = l.mul(v, l.sub(l.sub(u, l.mul(sh, th)), l.mul(sh, tl)));

        // log(x): 2s + 2/3 s^3 + s^5 * polynomial, in extra precision.
        LLVMValueRef s2 = l.mul(ss, ss);
        LLVMValueRef poly = l.add(l.real(L[1]), l.mul(s2, l.add(l.real(L[2]), l.mul(s2, l.add(l.real(L[3]), l.mul(s2, l.add(l.real(L[4]),
                l.mul(s2, l.add(l.real(L[5]), l.mul(s2, l.real(L[6])))))))))));
        LLVMValueRef r = l.add(l.mul(l.mul(s2, s2), poly), l.mul(sl, l.add(sh, ss)));
        LLVMValueRef sh2 = l.mul(sh, sh);
        LLVMValueRef th2 = l.lowZeroed(l.add(l.add(l.real(3), sh2), r));
        LLVMValueRef tl2 = l.sub(r, l.sub(l.sub(th2, l.real(3)), sh2));
        LLVMValueRef u2 = l.mul(sh, th2);
        LLVMValueRef v2 = l.add(l.mul(sl, th2), l.mul(tl2, ss));
        LLVMValueRef ph = l.lowZeroed(l.add(u2, v2));
        LLVMValueRef pl = l.sub(v2, l.sub(ph, u2));
        LLVMValueRef zh = l.mul(l.real(CP_H), ph);
        LLVMValueRef zl = l.add(l.add(l.mul(l.real(CP_L), ph), l.mul(pl, l.real(CP))), l.mul(l.real(DP_L), dk));
        LLVMValueRef dn = LLVMBuildSIToFP(b, n, cg.f64, "");
        LLVMValueRef dpk = l.mul(l.real(DP_H), dk);
        LLVMValueRef t1 = l.lowZeroed(l.add(l.add(l.add(zh, zl), dpk), dn));
        LLVMValueRef t2 = l.sub(zl, l.sub(l.sub(l.sub(t1, dn), dpk), zh));
        return new LLVMValueRef[] {t1, t2};
    }

    /** 2^(ph + pl), |ph + pl| < 1075, z's high word {@code j}; subnormal results rounded once. */
    private LLVMValueRef exp2(LLVMValueRef j, LLVMValueRef ph, LLVMValueRef pl) {
        // |z| > 0.5: n = [z + 0.5] taken from the high word, ph reduced by it. Shift counts as Java's, modulo 32.
        LLVMValueRef i = l.and(j, 0x7fffffff);
        LLVMValueRef k = LLVMBuildSub(b, LLVMBuildAShr(b, i, cg.i32(20), ""), cg.i32(0x3ff), "");
        LLVMValueRef reduce = l.icmp(LLVMIntSGT, i, 0x3fe00000);
        LLVMValueRef nRaw = LLVMBuildAdd(b, j, shiftRight(cg.i32(0x00100000), LLVMBuildAdd(b, k, cg.i32(1), "")), "");
        LLVMValueRef kn = LLVMBuildSub(b, LLVMBuildAShr(b, l.and(nRaw, 0x7fffffff), cg.i32(20), ""), cg.i32(0x3ff), "");
        LLVMValueRef tn = l.withHigh(LLVMBuildAnd(b, nRaw, LLVMBuildNot(b, shiftRight(cg.i32(0x000fffff), kn), ""), ""), cg.i64(0));
        LLVMValueRef nAbs = shiftRight(LLVMBuildOr(b, l.and(nRaw, 0x000fffff), cg.i32(0x00100000), ""),
                LLVMBuildSub(b, cg.i32(20), kn, ""));
        LLVMValueRef nSigned = l.select(l.icmp(LLVMIntSLT, j, 0), LLVMBuildNeg(b, nAbs, ""), nAbs);
        LLVMValueRef n = l.select(reduce, nSigned, cg.i32(0));
        ph = l.select(reduce, l.sub(ph, tn), ph);

        LLVMValueRef t = l.lowZeroed(l.add(pl, ph));
        LLVMValueRef u = l.mul(t, l.real(0x1.62e43p-1));
        LLVMValueRef v = l.add(l.mul(l.sub(pl, l.sub(t, ph)), l.real(0x1.62e42fefa39efp-1)), l.mul(t, l.real(-0x1.05c610ca86c39p-29)));
        LLVMValueRef z = l.add(u, v);
        LLVMValueRef w = l.sub(v, l.sub(z, u));
        LLVMValueRef tt = l.mul(z, z);
        LLVMValueRef t1 = l.sub(z, l.mul(tt, l.add(l.real(P[1]), l.mul(tt, l.add(l.real(P[2]), l.mul(tt, l.add(l.real(P[3]),
                l.mul(tt, l.add(l.real(P[4]), l.mul(tt, l.real(P[5])))))))))));
        LLVMValueRef r = l.sub(l.div(l.mul(z, t1), l.sub(t1, l.real(2))), l.add(w, l.mul(z, w)));
        z = l.sub(l.real(1), l.sub(r, z));

        // n added to the exponent; where that leaves no normal exponent, add n + 1000 and multiply by 2^-1000 (one
        // rounding, as Math.scalb's last step).
        LLVMValueRef hz = l.high(z);
        LLVMValueRef shifted = LLVMBuildShl(b, n, cg.i32(20), "");
        LLVMValueRef normal = l.withHigh(LLVMBuildAdd(b, hz, shifted, ""), l.low(z));
        LLVMValueRef lowHigh = LLVMBuildAdd(b, hz, LLVMBuildShl(b, LLVMBuildAdd(b, n, cg.i32(1000), ""), cg.i32(20), ""), "");
        LLVMValueRef subnormal = l.mul(l.withHigh(lowHigh, l.low(z)), l.real(TWO_TO_MINUS_1000));
        LLVMValueRef tooSmall = l.icmp(LLVMIntSLE, LLVMBuildAShr(b, LLVMBuildAdd(b, hz, shifted, ""), cg.i32(20), ""), 0);
        return l.select(tooSmall, subnormal, normal);
    }

    /** Java's {@code >>}: the count taken modulo 32 (LLVM's shift is poison from 32 on). */
    private LLVMValueRef shiftRight(LLVMValueRef value, LLVMValueRef count) {
        return LLVMBuildAShr(b, value, l.and(count, 31), "");
    }


    /** fdlibm's __ieee754_log for positive, normal, finite x (all log10 gives it). */
    private LLVMValueRef logOfNormal(LLVMValueRef x) {
        return logOfNormal(x, cg.i32(0));
    }

    /** The same for x * 2^exponentOffset (a subnormal scaled up). */
    private LLVMValueRef logOfNormal(LLVMValueRef x, LLVMValueRef exponentOffset) {
        LLVMValueRef hx0 = l.high(x);
        LLVMValueRef k0 = LLVMBuildAdd(b, LLVMBuildSub(b, LLVMBuildAShr(b, hx0, cg.i32(20), ""), cg.i32(1023), ""),
                exponentOffset, "");
        LLVMValueRef hx = LLVMBuildAnd(b, hx0, cg.i32(0x000fffff), "");
        LLVMValueRef i = LLVMBuildAnd(b, LLVMBuildAdd(b, hx, cg.i32(0x95f64), ""), cg.i32(0x100000), "");
        // Normalise x or x/2 so that f below lies in [sqrt(2)/2 - 1, sqrt(2) - 1].
        LLVMValueRef xn = l.withHigh(LLVMBuildOr(b, hx, LLVMBuildXor(b, i, cg.i32(0x3ff00000), ""), ""), l.low(x));
        LLVMValueRef k = LLVMBuildAdd(b, k0, LLVMBuildAShr(b, i, cg.i32(20), ""), "");
        LLVMValueRef kZero = LLVMBuildICmp(b, LLVMIntEQ, k, cg.i32(0), "");
        LLVMValueRef f = l.sub(xn, l.real(1.0));
        LLVMValueRef dk = LLVMBuildSIToFP(b, k, cg.f64, "");
        LLVMValueRef kHigh = l.mul(dk, l.real(LN2_HIGH));
        LLVMValueRef kLow = l.mul(dk, l.real(LN2_LOW));

        // |f| < 2^-20
        LLVMValueRef fZero = LLVMBuildSelect(b, kZero, l.real(0), l.add(kHigh, kLow), "");
        LLVMValueRef rSmall = l.mul(l.mul(f, f), l.sub(l.real(0.5), l.mul(l.real(0.33333333333333333), f)));
        LLVMValueRef small = LLVMBuildSelect(b, kZero, l.sub(f, rSmall), l.sub(kHigh, l.sub(l.sub(rSmall, kLow), f)), "");
        small = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOEQ, f, l.real(0), ""), fZero, small, "");
        LLVMValueRef isSmall = LLVMBuildICmp(b, LLVMIntSLT,
                LLVMBuildAnd(b, LLVMBuildAdd(b, hx, cg.i32(2), ""), cg.i32(0x000fffff), ""), cg.i32(3), "");

        LLVMValueRef s = l.div(f, l.add(l.real(2.0), f));
        LLVMValueRef z = l.mul(s, s);
        LLVMValueRef w = l.mul(z, z);
        LLVMValueRef t1 = l.mul(w, l.add(l.real(LG[2]), l.mul(w, l.add(l.real(LG[4]), l.mul(w, l.real(LG[6]))))));
        LLVMValueRef t2 = l.mul(z, l.add(l.real(LG[1]), l.mul(w, l.add(l.real(LG[3]), l.mul(w, l.add(l.real(LG[5]), l.mul(w, l.real(LG[7]))))))));
        LLVMValueRef r = l.add(t2, t1);
        LLVMValueRef far = LLVMBuildOr(b, LLVMBuildSub(b, hx, cg.i32(0x6147a), ""), LLVMBuildSub(b, cg.i32(0x6b851), hx, ""), "");
        LLVMValueRef hfsq = l.mul(l.mul(l.real(0.5), f), f);
        LLVMValueRef sHfsqR = l.mul(s, l.add(hfsq, r));
        LLVMValueRef withHfsq = LLVMBuildSelect(b, kZero, l.sub(f, l.sub(hfsq, sHfsqR)),
                l.sub(kHigh, l.sub(l.sub(hfsq, l.add(sHfsqR, kLow)), f)), "");
        LLVMValueRef sFR = l.mul(s, l.sub(f, r));
        LLVMValueRef withoutHfsq = LLVMBuildSelect(b, kZero, l.sub(f, sFR), l.sub(kHigh, l.sub(l.sub(sFR, kLow), f)), "");
        LLVMValueRef general = LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntSGT, far, cg.i32(0), ""), withHfsq, withoutHfsq, "");
        return LLVMBuildSelect(b, isSmall, small, general, "");
    }





    private LLVMValueRef third(LLVMValueRef nonNegative) { return LLVMBuildUDiv(b, nonNegative, cg.i32(3), ""); }

}
