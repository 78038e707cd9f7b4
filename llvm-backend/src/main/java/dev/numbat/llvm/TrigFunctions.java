package dev.numbat.llvm;

import dev.numbat.ir.Intrinsic;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMPassBuilderOptionsRef;
import org.bytedeco.llvm.LLVM.LLVMTargetMachineRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMUseRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * {@code Math.sin}, {@code Math.cos} and {@code Math.tan} as functions LLVM's loop vectoriser widens, for modules
 * whose loops call them ({@link FdlibmChoice}). Each is a scalar function, {@code numbat_math_sin(double)} and the
 * like, with vector versions for 2, 4 and 8 lanes named to the vectoriser by the {@code vector-function-abi-variant}
 * attribute, so a loop calling the scalar one runs in vectors and calls a vector one per step.
 *
 * <p>For |x| up to 2^20 pi/2 (1,647,099; fdlibm's comment says 2^19 pi/2, its bound is this) they compute what
 * fdlibm computes, bit for bit {@code StrictMath}: x reduced by a multiple n of pi/2 in two parts, with pi/2 in up to
 * three pieces, then sin's or cos's polynomial by n's quadrant, or tan's (-1/tan for odd n). Branch-free, as
 * {@link FdlibmLowering} is: every path is computed and the right one selected. Beyond (and for NaN and the
 * infinities) fdlibm needs {@code __kernel_rem_pio2}, 2/pi to 1,584 bits in loops; there they call glibc's
 * {@code sin}, {@code cos} and {@code tan} instead, lane by lane (a vector goes there only when a lane needs it).
 * Both are within Math's 1 ulp; fdlibm's is semi-monotonic, glibc's correctly rounded, and where the two meet
 * (±2^20 pi/2) a test holds both sides in order, so the whole stays semi-monotonic.
 *
 * <p>The scalar function is {@code noinline}: inlined, its call to glibc would keep the loop scalar. The vector
 * versions are only declared until the optimisation pipeline has run (listed in {@code llvm.compiler.used}, since
 * LLVM deletes unused declarations too), and then {@link #defineCalledVectorVersions} gives code to those a loop
 * calls; the others stay declarations that nothing refers to. Where a loop calls both sin's and cos's, they are
 * inlined so that their common work is done once ({@link #FUSE_PASSES}).
 */
final class TrigFunctions {
    static final int[] VECTOR_LANES = {2, 4, 8};
    /** The high word of |x| up to which fdlibm reduces x without its multi-precision routine: 2^20 pi/2. */
    static final int MEDIUM_HIGH_WORD = 0x413921fb;
    /** What tidies a vector version's code, written as the C API builds it, once it is given. */
    static final String TIDY_PASSES = "early-cse,instcombine,simplifycfg";
    private static final String COMPILER_USED = "llvm.compiler.used";
    /**
     * Where a loop calls sin's and cos's vector versions of one width (on the same values, as a rotation does), they
     * are inlined and their identical work merged: the reduction and both kernels, which each computes. polar: 7.3 -> 3.9
     * us for 1,024 elements, for some 95 ms more compile time. No fast-math flags: these passes keep every rounding.
     */
    static final String FUSE_PASSES = "always-inline,function(early-cse,gvn,instcombine,simplifycfg),globaldce";

    private static final double INVERSE_PIO2 = Double.longBitsToDouble(0x3fe45f306dc9c883L);
    static final double PIO2_1 = Double.longBitsToDouble(0x3ff921fb54400000L);   // first 33 bits of pi/2
    private static final double PIO2_1T = Double.longBitsToDouble(0x3dd0b4611a626331L);  // pi/2 - PIO2_1
    private static final double PIO2_2 = Double.longBitsToDouble(0x3dd0b4611a600000L);   // next 33 bits
    private static final double PIO2_2T = Double.longBitsToDouble(0x3ba3198a2e037073L);  // pi/2 - (PIO2_1 + PIO2_2)
    private static final double PIO2_3 = Double.longBitsToDouble(0x3ba3198a2e000000L);   // next 33 bits
    private static final double PIO2_3T = Double.longBitsToDouble(0x397b839a252049c1L);  // the rest
    private static final double[] S = {Double.NaN, -0x1.5555555555549p-3, 0x1.111111110f8a6p-7, -0x1.a01a019c161d5p-13,
            0x1.71de357b1fe7dp-19, -0x1.ae5e68a2b9cebp-26, 0x1.5d93a5acfd57cp-33};
    private static final double[] C = {Double.NaN, 0x1.555555555554cp-5, -0x1.6c16c16c15177p-10, 0x1.a01a019cb159p-16,
            -0x1.27e4f809c52adp-22, 0x1.1ee9ebdb4b1c4p-29, -0x1.8fae9be8838d4p-37};

    private static final double PIO4 = 0x1.921fb54442d18p-1, PIO4_LOW = 0x1.1a62633145c07p-55;
    private static final double[] T = {0x1.5555555555563p-2, 0x1.111111110fe7ap-3, 0x1.ba1ba1bb341fep-5,
            0x1.664f48406d637p-6, 0x1.226e3e96e8493p-7, 0x1.d6d22c9560328p-9, 0x1.7dbc8fee08315p-10,
            0x1.344d8f2f26501p-11, 0x1.026f71a8d1068p-12, 0x1.47e88a03792a6p-14, 0x1.2b80f32f0a7e9p-14,
            -0x1.375cbdb605373p-16, 0x1.b2a7074bf7ad4p-16};

    private enum Kind { SIN, COS, TAN }

    private final Codegen cg;
    private final Map<Kind, Codegen.Callee> scalar = new EnumMap<>(Kind.class);
    private final List<VectorVersion> vectorVersions = new ArrayList<>();

    /** A vector version, declared while the module is lowered and given code after the vectoriser ran. */
    private record VectorVersion(LLVMValueRef function, Kind kind, int lanes, Codegen.Callee glibc) {}

    TrigFunctions(Codegen cg) {
        this.cg = cg;
    }

    Codegen.Callee sin() { return scalar.computeIfAbsent(Kind.SIN, this::define); }

    Codegen.Callee cos() { return scalar.computeIfAbsent(Kind.COS, this::define); }

    Codegen.Callee tan() { return scalar.computeIfAbsent(Kind.TAN, this::define); }

    /** Lists the vector versions in {@code llvm.compiler.used}, once the module's code is lowered. */
    void keepVectorVersions() {
        if (vectorVersions.isEmpty()) return;
        LLVMValueRef[] functions = vectorVersions.stream().map(VectorVersion::function).toArray(LLVMValueRef[]::new);
        LLVMValueRef used = LLVMAddGlobal(cg.module, LLVMArrayType2(cg.ptr, functions.length), COMPILER_USED);
        try (PointerPointer<LLVMValueRef> p = new PointerPointer<>(functions)) {
            LLVMSetInitializer(used, LLVMConstArray2(cg.ptr, p, functions.length));
        }
        LLVMSetLinkage(used, LLVMAppendingLinkage);
        LLVMSetSection(used, "llvm.metadata");
    }

    /**
     * Once the vectoriser has run: the vector versions some loop now calls get their code, tidied by
     * {@link #TIDY_PASSES}; the others stay declarations nothing refers to, which compile to nothing. (Deleting them
     * is not safe: the deleted {@code llvm.compiler.used} leaves its array, a constant that still uses them.)
     * Defined from the start, they were optimised with the module and compiled whether called or not.
     */
    void defineCalledVectorVersions(LLVMTargetMachineRef tm) {
        LLVMValueRef used = LLVMGetNamedGlobal(cg.module, COMPILER_USED);
        if (!NativeLlvm.isNull(used)) LLVMDeleteGlobal(used);
        LLVMBuilderRef b = LLVMCreateBuilderInContext(cg.context);
        LLVMPassBuilderOptionsRef options = LLVMCreatePassBuilderOptions();
        try {
            Set<Integer> sinWidths = new HashSet<>(), cosWidths = new HashSet<>();
            for (VectorVersion v : vectorVersions) {
                if (!isCalled(v.function())) continue; // stays a declaration, referred to by nothing in the module
                defineVector(b, v);
                NativeLlvm.check(LLVMRunPassesOnFunction(v.function(), TIDY_PASSES, tm, options), "optimisation failed");
                if (v.kind() == Kind.SIN) sinWidths.add(v.lanes());
                if (v.kind() == Kind.COS) cosWidths.add(v.lanes());
            }
            sinWidths.retainAll(cosWidths);
            if (!sinWidths.isEmpty()) {
                for (VectorVersion v : vectorVersions) {
                    if (v.kind() != Kind.TAN && !NativeLlvm.isNull(LLVMGetFirstBasicBlock(v.function()))) {
                        cg.addFunctionAttribute(v.function(), "alwaysinline");
                    }
                }
                NativeLlvm.check(LLVMRunPasses(cg.module, FUSE_PASSES, tm, options), "optimisation failed");
            }
        } finally {
            LLVMDisposePassBuilderOptions(options);
            LLVMDisposeBuilder(b);
        }
    }

    private Codegen.Callee define(Kind f) {
        String name = "numbat_math_" + f.name().toLowerCase(Locale.ROOT);
        Codegen.Callee glibc = IntrinsicLowering.libm(cg, Intrinsic.valueOf(f.name()), 1);
        StringBuilder variants = new StringBuilder();
        for (int lanes : VECTOR_LANES) {
            String vectorName = name + "_v" + lanes;
            LLVMTypeRef vector = LLVMVectorType(cg.f64, lanes);
            LLVMValueRef declared = LLVMAddFunction(cg.module, vectorName, cg.functionType(vector, vector));
            addAttributes(declared);
            vectorVersions.add(new VectorVersion(declared, f, lanes, glibc));
            if (!variants.isEmpty()) variants.append(',');
            variants.append("_ZGV_LLVM_N").append(lanes).append("v_").append(name).append('(').append(vectorName).append(')');
        }
        LLVMTypeRef type = cg.functionType(cg.f64, cg.f64);
        LLVMValueRef fn = LLVMAddFunction(cg.module, name, type);
        LLVMSetLinkage(fn, LLVMInternalLinkage);
        addAttributes(fn);
        cg.addFunctionAttribute(fn, "noinline");
        cg.addStringAttribute(fn, "vector-function-abi-variant", variants.toString());
        LLVMBuilderRef b = LLVMCreateBuilderInContext(cg.context);
        try {
            LLVMValueRef x = LLVMGetParam(fn, 0);
            LLVMBasicBlockRef entry = cg.block(fn, "entry"), fdlibm = cg.block(fn, "fdlibm"), library = cg.block(fn, "glibc");
            LLVMPositionBuilderAtEnd(b, entry);
            Lanes l = new Lanes(cg, b, 1);
            LLVMBuildCondBr(b, medium(l, x), fdlibm, library);
            LLVMPositionBuilderAtEnd(b, fdlibm);
            LLVMBuildRet(b, new Fdlibm(l).compute(f, x));
            LLVMPositionBuilderAtEnd(b, library);
            LLVMBuildRet(b, Codegen.call(b, glibc, x));
            return new Codegen.Callee(fn, type);
        } finally {
            LLVMDisposeBuilder(b);
        }
    }

    /** Whether |x| is within fdlibm's medium range (false for NaN and the infinities). */
    private static LLVMValueRef medium(Lanes l, LLVMValueRef x) {
        return l.icmp(LLVMIntSLE, l.and(l.high(x), 0x7fffffff), MEDIUM_HIGH_WORD);
    }

    private static boolean isCalled(LLVMValueRef function) {
        for (LLVMUseRef use = LLVMGetFirstUse(function); !NativeLlvm.isNull(use); use = LLVMGetNextUse(use)) {
            if (!NativeLlvm.isNull(LLVMIsACallInst(LLVMGetUser(use)))) return true;
        }
        return false;
    }

    /** fdlibm's code on every lane, then glibc's for the lanes beyond its medium range, if any. */
    private void defineVector(LLVMBuilderRef b, VectorVersion v) {
        int lanes = v.lanes();
        Kind f = v.kind();
        Codegen.Callee glibc = v.glibc();
        Lanes l = new Lanes(cg, b, lanes);
        LLVMValueRef fn = v.function();
        LLVMSetLinkage(fn, LLVMInternalLinkage);
        LLVMValueRef x = LLVMGetParam(fn, 0);
        LLVMBasicBlockRef entry = cg.block(fn, "entry"), library = cg.block(fn, "glibc"), done = cg.block(fn, "done");
        LLVMPositionBuilderAtEnd(b, entry);
        LLVMValueRef medium = medium(l, x);
        // Lanes past the medium range reduce 0 instead, so no conversion sees a NaN or a huge value.
        LLVMValueRef fast = new Fdlibm(l).compute(f, LLVMBuildSelect(b, medium, x, l.real(0), ""));
        LLVMValueRef outside = LLVMBuildBitCast(b, LLVMBuildNot(b, medium, ""), LLVMIntTypeInContext(cg.context, lanes), "");
        LLVMValueRef anyOutside = LLVMBuildICmp(b, LLVMIntNE, outside, LLVMConstNull(LLVMTypeOf(outside)), "");
        LLVMValueRef branch = LLVMBuildCondBr(b, anyOutside, library, done);
        cg.setMetadata(branch, "prof", cg.mdNode(cg.mdString("branch_weights"),
                LLVMValueAsMetadata(cg.i32(1)), LLVMValueAsMetadata(cg.i32(1 << 20))));

        LLVMPositionBuilderAtEnd(b, library);
        LLVMValueRef results = fast;
        for (int lane = 0; lane < lanes; lane++) {
            LLVMValueRef index = cg.i32(lane);
            LLVMValueRef y = Codegen.call(b, glibc, LLVMBuildExtractElement(b, x, index, ""));
            results = LLVMBuildInsertElement(b, results, y, index, "");
        }
        LLVMValueRef mixed = LLVMBuildSelect(b, medium, fast, results, "");
        LLVMBuildBr(b, done);

        LLVMPositionBuilderAtEnd(b, done);
        LLVMValueRef phi = LLVMBuildPhi(b, l.f64, "");
        LLVMAddIncoming(phi, fast, entry, 1);
        LLVMAddIncoming(phi, mixed, library, 1);
        LLVMBuildRet(b, phi);
    }

    private void addAttributes(LLVMValueRef fn) {
        for (String attribute : new String[] {"nounwind", "willreturn", "nosync", "nofree"}) cg.addFunctionAttribute(fn, attribute);
        cg.addAttribute(fn, LLVMAttributeFunctionIndex, "memory", 0); // MemoryEffects::none(): glibc's errno aside
    }

    /** fdlibm's sin, cos and tan on one value or a vector of them, |x| within the medium range. */
    private record Fdlibm(Lanes l) {
        LLVMValueRef compute(Kind f, LLVMValueRef x) {
            LLVMValueRef hx = l.high(x);
            LLVMValueRef ix = l.and(hx, 0x7fffffff);
            LLVMValueRef t = l.abs(x);

            // |x| < 3pi/4: n = 1, pi/2 in two pieces (three where |x|'s high word is pi/2's).
            LLVMValueRef z = l.sub(t, l.real(PIO2_1));
            LLVMValueRef z2 = l.sub(z, l.real(PIO2_2));
            LLVMValueRef near = l.icmp(LLVMIntEQ, ix, 0x3ff921fb);
            LLVMValueRef y0Near = l.select(near, l.sub(z2, l.real(PIO2_2T)), l.sub(z, l.real(PIO2_1T)));
            LLVMValueRef y1Near = l.select(near, l.sub(l.sub(z2, y0Near), l.real(PIO2_2T)),
                    l.sub(l.sub(z, y0Near), l.real(PIO2_1T)));

            // Medium: n = round(|x| 2/pi); a second and third piece of pi/2 where the first cancels too many bits.
            LLVMValueRef n = LLVMBuildFPToSI(l.b, l.add(l.mul(t, l.real(INVERSE_PIO2)), l.real(0.5)), l.i32, "");
            LLVMValueRef fn = LLVMBuildSIToFP(l.b, n, l.f64, "");
            LLVMValueRef product = l.mul(fn, l.real(PIO2_1)); // exact: 33 bits times at most 20
            LLVMValueRef r1 = l.sub(t, product);
            LLVMValueRef w1 = l.mul(fn, l.real(PIO2_1T));
            LLVMValueRef y01 = l.sub(r1, w1);
            // fdlibm's table npio2_hw[n - 1] holds the high word of n pi/2, which is the high word of product.
            LLVMValueRef quick = LLVMBuildAnd(l.b, l.icmp(LLVMIntSLT, n, 32),
                    LLVMBuildICmp(l.b, LLVMIntNE, ix, l.high(product), ""), "");
            LLVMValueRef j = LLVMBuildAShr(l.b, ix, l.int32(20), "");
            LLVMValueRef second = LLVMBuildAnd(l.b, LLVMBuildNot(l.b, quick, ""), l.icmp(LLVMIntSGT, cancelled(j, y01), 16), "");
            LLVMValueRef w2p = l.mul(fn, l.real(PIO2_2));
            LLVMValueRef r2 = l.sub(r1, w2p);
            LLVMValueRef w2 = l.sub(l.mul(fn, l.real(PIO2_2T)), l.sub(l.sub(r1, r2), w2p));
            LLVMValueRef y02 = l.sub(r2, w2);
            LLVMValueRef third = LLVMBuildAnd(l.b, second, l.icmp(LLVMIntSGT, cancelled(j, y02), 49), "");
            LLVMValueRef w3p = l.mul(fn, l.real(PIO2_3));
            LLVMValueRef r3 = l.sub(r2, w3p);
            LLVMValueRef w3 = l.sub(l.mul(fn, l.real(PIO2_3T)), l.sub(l.sub(r2, r3), w3p));
            LLVMValueRef y03 = l.sub(r3, w3);
            LLVMValueRef r = l.select(third, r3, l.select(second, r2, r1));
            LLVMValueRef w = l.select(third, w3, l.select(second, w2, w1));
            LLVMValueRef y0Medium = l.select(third, y03, l.select(second, y02, y01));
            LLVMValueRef y1Medium = l.sub(l.sub(r, y0Medium), w);

            // Negative x reduces as -|x| does: rounding to nearest is symmetric.
            LLVMValueRef small = l.icmp(LLVMIntSLT, ix, 0x4002d97c);
            LLVMValueRef negative = l.icmp(LLVMIntSLT, hx, 0);
            LLVMValueRef nAbs = l.select(small, l.int32(1), n);
            LLVMValueRef y0Abs = l.select(small, y0Near, y0Medium);
            LLVMValueRef y1Abs = l.select(small, y1Near, y1Medium);
            LLVMValueRef direct = l.icmp(LLVMIntSLE, ix, 0x3fe921fb); // |x| <= pi/4: no reduction
            LLVMValueRef y0 = l.select(direct, x, l.select(negative, LLVMBuildFNeg(l.b, y0Abs, ""), y0Abs));
            LLVMValueRef y1 = l.select(direct, l.real(0), l.select(negative, LLVMBuildFNeg(l.b, y1Abs, ""), y1Abs));
            LLVMValueRef quadrant = l.select(direct, l.int32(0),
                    l.select(negative, LLVMBuildNeg(l.b, nAbs, ""), nAbs));

            LLVMValueRef odd = LLVMBuildICmp(l.b, LLVMIntNE, LLVMBuildAnd(l.b, quadrant, l.int32(1), ""), l.int32(0), "");
            if (f == Kind.TAN) return kernelTan(y0, y1, odd); // tan for even n, -1/tan for odd
            LLVMValueRef sin = kernelSin(y0, y1, direct);
            LLVMValueRef cos = kernelCos(y0, y1);
            // sin: S, C, -S, -C by n mod 4; cos: C, -S, -C, S.
            LLVMValueRef shifted = f == Kind.SIN ? quadrant : LLVMBuildAdd(l.b, quadrant, l.int32(1), "");
            LLVMValueRef negate = LLVMBuildICmp(l.b, LLVMIntNE, LLVMBuildAnd(l.b, shifted, l.int32(2), ""), l.int32(0), "");
            LLVMValueRef base = f == Kind.SIN ? l.select(odd, cos, sin) : l.select(odd, sin, cos);
            return l.select(negate, LLVMBuildFNeg(l.b, base, ""), base);
        }

        /**
         * {@code __kernel_tan(x, y, iy)}, {@code iy} -1 where {@code minusReciprocal} (-1/tan), else 1. Above 0.6744,
         * tan(pi/4 - x) instead; -1/tan is computed in two parts, so it stays within an ulp.
         */
        private LLVMValueRef kernelTan(LLVMValueRef x, LLVMValueRef y, LLVMValueRef minusReciprocal) {
            LLVMValueRef hx = l.high(x);
            LLVMValueRef ix = l.and(hx, 0x7fffffff);
            LLVMValueRef iy = l.select(minusReciprocal, l.real(-1), l.real(1));
            LLVMValueRef big = l.icmp(LLVMIntSGE, ix, 0x3fe59428);
            LLVMValueRef negative = l.icmp(LLVMIntSLT, hx, 0);
            LLVMValueRef xs = l.select(negative, LLVMBuildFNeg(l.b, x, ""), x);
            LLVMValueRef ys = l.select(negative, LLVMBuildFNeg(l.b, y, ""), y);
            LLVMValueRef xb = l.select(big, l.add(l.sub(l.real(PIO4), xs), l.sub(l.real(PIO4_LOW), ys)), x);
            LLVMValueRef yb = l.select(big, l.real(0), y);

            LLVMValueRef z = l.mul(xb, xb);
            LLVMValueRef w = l.mul(z, z);
            LLVMValueRef odd = l.polynomial(w, T[1], T[3], T[5], T[7], T[9], T[11]);
            LLVMValueRef even = l.mul(z, l.polynomial(w, T[2], T[4], T[6], T[8], T[10], T[12]));
            LLVMValueRef s = l.mul(z, xb);
            LLVMValueRef r = l.add(yb, l.mul(z, l.add(l.mul(s, l.add(odd, even)), yb)));
            r = l.add(r, l.mul(l.real(T[0]), s));
            LLVMValueRef sum = l.add(xb, r);

            // Above 0.6744: (1 - 2 sign) (iy - 2 (x - (w^2 / (w + iy) - r))).
            LLVMValueRef folded = l.sub(iy, l.mul(l.real(2), l.sub(xb, l.sub(l.div(l.mul(sum, sum), l.add(sum, iy)), r))));
            LLVMValueRef bigResult = l.select(negative, LLVMBuildFNeg(l.b, folded, ""), folded);
            LLVMValueRef general = l.select(big, bigResult, l.select(minusReciprocal, minusReciprocal(sum, r, xb), sum));

            // |x| < 2^-28: x itself, 1/|x| for ±0 where -1/tan is asked, or -1/(x + y) in two parts.
            LLVMValueRef tiny = l.icmp(LLVMIntSLT, ix, 0x3e300000);
            LLVMValueRef zero = LLVMBuildFCmp(l.b, LLVMRealOEQ, x, l.real(0), "");
            LLVMValueRef tinyResult = l.select(minusReciprocal,
                    l.select(zero, l.div(l.real(1), l.abs(x)), minusReciprocal(l.add(x, y), y, x)), x);
            return l.select(tiny, tinyResult, general);
        }

        /** -1/w with w = x + r, to within an ulp: w and -1/w cut to their high words, the rest corrected. */
        private LLVMValueRef minusReciprocal(LLVMValueRef w, LLVMValueRef r, LLVMValueRef x) {
            LLVMValueRef z = l.lowZeroed(w);
            LLVMValueRef v = l.sub(r, l.sub(z, x));
            LLVMValueRef a = l.div(l.real(-1), w);
            LLVMValueRef t = l.lowZeroed(a);
            LLVMValueRef s = l.add(l.real(1), l.mul(t, z));
            return l.add(t, l.mul(a, l.add(s, l.mul(t, v))));
        }

        /** How many binary orders of magnitude the reduction cancelled: x's exponent less y0's. */
        private LLVMValueRef cancelled(LLVMValueRef xExponent, LLVMValueRef y0) {
            LLVMValueRef exponent = l.and(LLVMBuildAShr(l.b, l.high(y0), l.int32(20), ""), 0x7ff);
            return LLVMBuildSub(l.b, xExponent, exponent, "");
        }

        /** {@code __kernel_sin(x, y, iy)}, {@code iy} 0 where {@code noTail}. */
        private LLVMValueRef kernelSin(LLVMValueRef x, LLVMValueRef y, LLVMValueRef noTail) {
            LLVMValueRef z = l.mul(x, x);
            LLVMValueRef v = l.mul(z, x);
            LLVMValueRef r = l.polynomial(z, S[2], S[3], S[4], S[5], S[6]);
            LLVMValueRef withoutTail = l.add(x, l.mul(v, l.add(l.real(S[1]), l.mul(z, r))));
            LLVMValueRef withTail = l.sub(x, l.sub(l.sub(l.mul(z, l.sub(l.mul(l.real(0.5), y), l.mul(v, r))), y),
                    l.mul(v, l.real(S[1]))));
            LLVMValueRef tiny = l.icmp(LLVMIntSLT, l.and(l.high(x), 0x7fffffff), 0x3e400000); // |x| < 2^-27
            return l.select(tiny, x, l.select(noTail, withoutTail, withTail));
        }

        /** {@code __kernel_cos(x, y)}; above |x| = 0.3 with 1 - qx and x²/2 - qx exact. */
        private LLVMValueRef kernelCos(LLVMValueRef x, LLVMValueRef y) {
            LLVMValueRef ix = l.and(l.high(x), 0x7fffffff);
            LLVMValueRef z = l.mul(x, x);
            LLVMValueRef r = l.mul(z, l.polynomial(z, C[1], C[2], C[3], C[4], C[5], C[6]));
            LLVMValueRef zrMinusXy = l.sub(l.mul(z, r), l.mul(x, y));
            LLVMValueRef halfZ = l.mul(l.real(0.5), z);
            LLVMValueRef belowPoint3 = l.sub(l.real(1), l.sub(halfZ, zrMinusXy));
            LLVMValueRef quarter = l.withHigh(LLVMBuildSub(l.b, ix, l.int32(0x00200000), ""));
            LLVMValueRef qx = l.select(l.icmp(LLVMIntSGT, ix, 0x3fe90000), l.real(0.28125), quarter);
            LLVMValueRef above = l.sub(l.sub(l.real(1), qx), l.sub(l.sub(halfZ, qx), zrMinusXy));
            LLVMValueRef result = l.select(l.icmp(LLVMIntSLT, ix, 0x3fd33333), belowPoint3, above);
            return l.select(l.icmp(LLVMIntSLT, ix, 0x3e400000), l.real(1), result);
        }
    }
}
