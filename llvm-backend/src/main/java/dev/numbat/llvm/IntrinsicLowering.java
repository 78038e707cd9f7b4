package dev.numbat.llvm;

import dev.numbat.ir.Intrinsic;
import dev.numbat.ir.Type;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

import java.util.Arrays;
import java.util.Locale;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * Library methods the IR names directly ({@link Intrinsic}): LLVM intrinsics where one has exactly the
 * JDK's semantics, a few instructions where none has, and libm for the transcendental functions (which
 * Math allows to differ from StrictMath by an ulp or so), except cbrt and log10, where glibc is not accurate
 * enough, and exp, log, pow, sin, cos and tan in modules where loops call them ({@link FdlibmChoice}), which then vectorise
 * ({@link FdlibmLowering}, {@link TrigFunctions}).
 */
final class IntrinsicLowering {
    private final Codegen cg;
    private final LLVMBuilderRef b;

    IntrinsicLowering(Codegen cg) {
        this.cg = cg;
        this.b = cg.builder;
    }

    /** {@code operand} is the IR type of the first operand, which picks among the signatures. */
    LLVMValueRef lower(Intrinsic intrinsic, Type operand, Type result, LLVMValueRef[] a,
                       ExceptionLowering exceptions, int site) {
        LLVMValueRef x = a[0];
        LLVMTypeRef t = LLVMTypeOf(x);
        boolean integral = operand.isIntegral();
        return switch (intrinsic) {
            case SQRT -> cg.intrinsic("llvm.sqrt", t, x);
            case FLOOR -> cg.intrinsic("llvm.floor", t, x);
            case CEIL -> cg.intrinsic("llvm.ceil", t, x);
            // Math.rint rounds half to even.
            case RINT -> cg.intrinsic("llvm.roundeven", t, x);
            case CBRT -> new FdlibmLowering(cg).cbrt(x);
            case LOG10 -> new FdlibmLowering(cg).log10(x);
            case EXP -> cg.inlineExpLog ? new FdlibmLowering(cg).exp(x) : cg.call(libm(intrinsic, 1), x);
            case LOG -> cg.inlineExpLog ? new FdlibmLowering(cg).log(x) : cg.call(libm(intrinsic, 1), x);
            case SIN -> cg.trig != null ? cg.call(cg.trig.sin(), x) : cg.call(libm(intrinsic, 1), x);
            case COS -> cg.trig != null ? cg.call(cg.trig.cos(), x) : cg.call(libm(intrinsic, 1), x);
            case TAN -> cg.trig != null ? cg.call(cg.trig.tan(), x) : cg.call(libm(intrinsic, 1), x);
            case ASIN, ACOS, ATAN, SINH, COSH, TANH, EXPM1, LOG1P ->
                    cg.call(libm(intrinsic, 1), x);
            case ATAN2, HYPOT -> cg.call(libm(intrinsic, 2), x, a[1]);
            case POW -> cg.inlinePow ? new FdlibmLowering(cg).pow(x, a[1]) : pow(x, a[1]);
            // abs(MIN_VALUE) is MIN_VALUE: the flag says that is not poison.
            case ABS -> integral ? cg.intrinsic("llvm.abs", t, x, cg.i1(false)) : cg.intrinsic("llvm.fabs", t, x);
            // llvm.minimum/maximum propagate NaN and order -0.0 below +0.0, as Math.min/max do.
            case MIN -> cg.intrinsic(integral ? "llvm.smin" : "llvm.minimum", t, x, a[1]);
            case MAX -> cg.intrinsic(integral ? "llvm.smax" : "llvm.maximum", t, x, a[1]);
            case SIGNUM -> signum(x, t);
            case COPY_SIGN -> cg.intrinsic("llvm.copysign", t, x, a[1]);
            case FMA -> cg.intrinsic("llvm.fma", t, x, a[1], a[2]);
            case ROUND -> round(x, t, result);
            case BIT_COUNT -> toInt(cg.intrinsic("llvm.ctpop", t, x));
            case NUMBER_OF_LEADING_ZEROS -> toInt(cg.intrinsic("llvm.ctlz", t, x, cg.i1(false)));
            case NUMBER_OF_TRAILING_ZEROS -> toInt(cg.intrinsic("llvm.cttz", t, x, cg.i1(false)));
            // A funnel shift of x with itself is a rotate; it takes the count modulo the width like Java.
            case ROTATE_LEFT -> cg.intrinsic("llvm.fshl", t, x, x, widenCount(a[1], t));
            case ROTATE_RIGHT -> cg.intrinsic("llvm.fshr", t, x, x, widenCount(a[1], t));
            case REVERSE -> cg.intrinsic("llvm.bitreverse", t, x);
            case REVERSE_BYTES -> cg.intrinsic("llvm.bswap", t, x);
            case FLOAT_TO_RAW_INT_BITS -> LLVMBuildBitCast(b, x, cg.i32, "");
            case INT_BITS_TO_FLOAT -> LLVMBuildBitCast(b, x, cg.f32, "");
            case DOUBLE_TO_RAW_LONG_BITS -> LLVMBuildBitCast(b, x, cg.i64, "");
            case LONG_BITS_TO_DOUBLE -> LLVMBuildBitCast(b, x, cg.f64, "");
            case ADD_EXACT -> exact("llvm.sadd.with.overflow", x, a[1], result, exceptions, site);
            case SUBTRACT_EXACT -> exact("llvm.ssub.with.overflow", x, a[1], result, exceptions, site);
            case MULTIPLY_EXACT -> exact("llvm.smul.with.overflow", x, a[1], result, exceptions, site);
            case INCREMENT_EXACT -> exact("llvm.sadd.with.overflow", x, LLVMConstInt(t, 1, 0), result, exceptions, site);
            case DECREMENT_EXACT -> exact("llvm.ssub.with.overflow", x, LLVMConstInt(t, 1, 0), result, exceptions, site);
            case NEGATE_EXACT -> exact("llvm.ssub.with.overflow", cg.zero(t), x, result, exceptions, site);
            case TO_INT_EXACT -> toIntExact(x, exceptions, site);
            case IN_RANGE -> x;
            case ADD_NO_WRAP -> LLVMBuildNSWAdd(b, x, a[1], "");
            case MUL_NO_WRAP -> LLVMBuildNSWMul(b, x, a[1], "");
            case ALIGN_PEEL -> alignPeel(operand.element(), x, a[1]);
            case PROFILE_VERSIONS -> throw new IllegalStateException("the profile's switch is lowered by FunctionLowering");
        };
    }

    /**
     * libm's function of the same name, declared as a pure function ({@code memory(none)}, as clang declares it with
     * {@code -fno-math-errno}): glibc may set {@code errno}, thread-local memory that compiled code never reads, and
     * changes nothing else. So LLVM knows the call as its own {@code llvm.exp} and the like, and its loop vectoriser
     * may vectorise a loop that calls it (the calls stay scalar, lane by lane; the rest of the loop runs in vectors),
     * as it does the C twin of Black-Scholes. Declared as writing memory, the call kept such loops scalar.
     */
    private Codegen.Callee libm(Intrinsic intrinsic, int arity) {
        return libm(cg, intrinsic, arity);
    }

    static Codegen.Callee libm(Codegen cg, Intrinsic intrinsic, int arity) {
        LLVMTypeRef[] params = new LLVMTypeRef[arity];
        Arrays.fill(params, cg.f64);
        Codegen.Callee f = cg.external(intrinsic.name().toLowerCase(Locale.ROOT), cg.f64, params);
        for (String attribute : new String[] {"willreturn", "nosync", "nofree"}) cg.addFunctionAttribute(f.function(), attribute);
        cg.addAttribute(f.function(), LLVMAttributeFunctionIndex, "memory", 0); // MemoryEffects::none()
        return f;
    }

    /**
     * The elements from {@code data[index]} to the next 64-byte boundary: {@code (-address & 63) / size}, on the
     * address as a number, never read (the array may be null and the index anything). Java's arrays are 8-byte aligned,
     * so the address of an element is a multiple of its size and the division is exact; were it not, the answer would
     * only miss the boundary, and the loop would still compute the same.
     */
    private LLVMValueRef alignPeel(Type element, LLVMValueRef data, LLVMValueRef index) {
        long size = element.byteSize();
        LLVMValueRef address = LLVMBuildAdd(b, LLVMBuildPtrToInt(b, data, cg.i64, ""),
                LLVMBuildMul(b, LLVMBuildSExt(b, index, cg.i64, ""), LLVMConstInt(cg.i64, size, 0), ""), "");
        LLVMValueRef toBoundary = LLVMBuildAnd(b, LLVMBuildNeg(b, address, ""), LLVMConstInt(cg.i64, 63, 0), "");
        LLVMValueRef elements = LLVMBuildLShr(b, toBoundary, LLVMConstInt(cg.i64, Long.numberOfTrailingZeros(size), 0), "");
        return LLVMBuildTrunc(b, elements, cg.i32, "align.peel");
    }

    /**
     * C's pow and Java's disagree where C calls 1 the answer: pow(1, NaN) and pow(±1, ±Infinity) are NaN
     * in Java. Every other special case matches.
     */
    private LLVMValueRef pow(LLVMValueRef x, LLVMValueRef y) {
        LLVMValueRef c = cg.call(libm(Intrinsic.POW, 2), x, y);
        LLVMValueRef yNaN = LLVMBuildFCmp(b, LLVMRealUNO, y, y, "");
        LLVMValueRef xUnit = LLVMBuildFCmp(b, LLVMRealOEQ, cg.intrinsic("llvm.fabs", cg.f64, x), cg.real(cg.f64, 1.0), "");
        LLVMValueRef yInfinite = LLVMBuildFCmp(b, LLVMRealOEQ, cg.intrinsic("llvm.fabs", cg.f64, y),
                cg.real(cg.f64, Double.POSITIVE_INFINITY), "");
        LLVMValueRef nan = LLVMBuildOr(b, yNaN, LLVMBuildAnd(b, xUnit, yInfinite, ""), "");
        return LLVMBuildSelect(b, nan, cg.real(cg.f64, Double.NaN), c, "");
    }

    /** NaN and ±0.0 are their own signum; everything else is ±1.0 with the argument's sign. */
    private LLVMValueRef signum(LLVMValueRef x, LLVMTypeRef t) {
        LLVMValueRef same = LLVMBuildFCmp(b, LLVMRealUEQ, x, cg.zero(t), "");
        return LLVMBuildSelect(b, same, x, cg.intrinsic("llvm.copysign", t, cg.real(t, 1.0), x), "");
    }

    /**
     * Math.round is floor(x + 1/2) computed exactly, saturated, NaN giving 0. x + 0.5 would round; instead
     * r = floor(x) and x - r decides whether to go up. That difference is exact except where its exact value
     * exceeds 1/2 anyway, so the comparison with 0.5 is always right; r + 1 is exact below 2^52 (2^23), and
     * above that x is an integer and x - r is 0.
     */
    private LLVMValueRef round(LLVMValueRef x, LLVMTypeRef t, Type result) {
        LLVMValueRef r = cg.intrinsic("llvm.floor", t, x);
        LLVMValueRef up = LLVMBuildFCmp(b, LLVMRealOGE, LLVMBuildFSub(b, x, r, ""), cg.real(t, 0.5), "");
        LLVMValueRef rounded = LLVMBuildSelect(b, up, LLVMBuildFAdd(b, r, cg.real(t, 1.0), ""), r, "");
        // Saturated as a cast is, in a form that converts whole vectors (ArithmeticLowering.saturate).
        return new ArithmeticLowering(cg).saturate(rounded, cg.scalar(result));
    }

    private LLVMValueRef toInt(LLVMValueRef v) {
        return LLVMTypeOf(v).equals(cg.i32) ? v : LLVMBuildTrunc(b, v, cg.i32, "");
    }

    private LLVMValueRef widenCount(LLVMValueRef count, LLVMTypeRef t) {
        return t.equals(cg.i32) ? count : LLVMBuildZExt(b, count, t, "");
    }

    private LLVMValueRef exact(String name, LLVMValueRef x, LLVMValueRef y, Type result,
                               ExceptionLowering exceptions, int site) {
        LLVMValueRef pair = cg.intrinsic(name, LLVMTypeOf(x), x, y);
        LLVMValueRef overflow = LLVMBuildExtractValue(b, pair, 1, "overflow");
        exceptions.raiseIf(overflow, result == Type.INT ? NativeAbi.INTEGER_OVERFLOW : NativeAbi.LONG_OVERFLOW, site);
        return LLVMBuildExtractValue(b, pair, 0, "");
    }

    private LLVMValueRef toIntExact(LLVMValueRef x, ExceptionLowering exceptions, int site) {
        LLVMValueRef narrow = LLVMBuildTrunc(b, x, cg.i32, "");
        LLVMValueRef back = LLVMBuildSExt(b, narrow, cg.i64, "");
        exceptions.raiseIf(LLVMBuildICmp(b, LLVMIntNE, back, x, ""), NativeAbi.INTEGER_OVERFLOW, site);
        return narrow;
    }
}
