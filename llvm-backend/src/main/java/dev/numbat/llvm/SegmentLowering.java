package dev.numbat.llvm;

import dev.numbat.ir.Opcode;
import dev.numbat.ir.SegmentLayout;
import dev.numbat.ir.Type;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * MemorySegment accesses on the four values a segment is lowered to ({@link Parts}). The JDK's checks come in
 * its order: null first (a NullPointerException with the call's message); then whether the access can succeed
 * at all — arena alive and this thread's, not a write to a read-only segment, inside the bounds, aligned —
 * which native code tests before the access. When one fails, the code stops with {@link NativeAbi#SEGMENT_ACCESS}
 * and the runtime repeats that same access in Java, so the exception (class and message) is the JDK's own.
 */
final class SegmentLowering {
    /** A segment as native code holds it: base pointer, byteSize(), alignment base and info word (see {@link NativeAbi}). */
    record Parts(LLVMValueRef base, LLVMValueRef size, LLVMValueRef alignBase, LLVMValueRef info) {
        LLVMValueRef[] array() { return new LLVMValueRef[] {base, size, alignBase, info}; }
    }

    private final Codegen cg;
    private final LLVMBuilderRef b;

    SegmentLowering(Codegen cg) {
        this.cg = cg;
        this.b = cg.builder;
    }

    LLVMValueRef size(Parts s, ExceptionLowering exceptions, int site) {
        checkNull(s, exceptions, site);
        return s.size();
    }

    /** get/getAtIndex: loads the element; byte and short sign-extend, char zero-extends to the i32 form. */
    LLVMValueRef get(Opcode op, SegmentLayout layout, Parts s, LLVMValueRef offset, ExceptionLowering exceptions, int site) {
        LLVMValueRef address = address(op, layout, s, offset, null, exceptions, site);
        Type element = layout.element();
        LLVMValueRef v = LLVMBuildLoad2(b, cg.element(element), address, "");
        LLVMSetAlignment(v, layout.alignment());
        return cg.loadedElement(element, v);
    }

    void set(Opcode op, SegmentLayout layout, Parts s, LLVMValueRef offset, LLVMValueRef value,
             ExceptionLowering exceptions, int site) {
        LLVMValueRef address = address(op, layout, s, offset, value, exceptions, site);
        LLVMSetAlignment(LLVMBuildStore(b, cg.storedElement(layout.element(), value), address), layout.alignment());
    }

    private void checkNull(Parts s, ExceptionLowering exceptions, int site) {
        exceptions.raiseIf(hasBits(s.info(), NativeAbi.SEGMENT_NULL), NativeAbi.NULL_POINTER, site);
    }

    private LLVMValueRef hasBits(LLVMValueRef word, long bits) {
        return LLVMBuildICmp(b, LLVMIntNE, LLVMBuildAnd(b, word, cg.i64(bits), ""), cg.i64(0), "");
    }

    private LLVMValueRef address(Opcode op, SegmentLayout layout, Parts s, LLVMValueRef offset, LLVMValueRef value,
                                 ExceptionLowering exceptions, int site) {
        checkNull(s, exceptions, site);
        boolean indexed = op == Opcode.SEGMENT_GET_AT_INDEX || op == Opcode.SEGMENT_SET_AT_INDEX;
        int size = layout.byteSize();
        int shift = Integer.numberOfTrailingZeros(size);
        LLVMValueRef outOfBounds, byteOffset;
        if (indexed) {
            // index in [0, byteSize / size): one unsigned compare, as for arrays (byteSize is never negative).
            LLVMValueRef count = LLVMBuildLShr(b, s.size(), cg.i64(shift), "count");
            outOfBounds = LLVMBuildICmp(b, LLVMIntUGE, offset, count, "");
            byteOffset = LLVMBuildShl(b, offset, cg.i64(shift), "");
        } else {
            // offset in [0, byteSize - size]; a segment smaller than one element admits none.
            LLVMValueRef fits = LLVMBuildICmp(b, LLVMIntSGE, s.size(), cg.i64(size), "");
            LLVMValueRef bound = LLVMBuildSelect(b, fits, LLVMBuildSub(b, s.size(), cg.i64(size - 1), ""), cg.i64(0), "bound");
            outOfBounds = LLVMBuildICmp(b, LLVMIntUGE, offset, bound, "");
            byteOffset = offset;
        }
        int kind = switch (op) {
            case SEGMENT_GET -> 0;
            case SEGMENT_SET -> 1;
            case SEGMENT_GET_AT_INDEX -> 2;
            default -> 3;
        };
        LLVMValueRef parameter = LLVMBuildAnd(b, LLVMBuildLShr(b, s.info(), cg.i64(NativeAbi.SEGMENT_PARAMETER_SHIFT), ""),
                cg.i64(0xFFFF), "");
        LLVMValueRef access = LLVMBuildOr(b, LLVMBuildShl(b, parameter, cg.i64(16), ""),
                cg.i64(NativeAbi.segmentAccess(0, kind, layout.ordinal())), "");
        LLVMValueRef stored = value == null ? null : bits(value, layout.element());
        // Three separate tests, so that LLVM can hoist the loop-invariant ones (arena, read-only, the alignment of
        // an element-sized stride) out of loops and keep one unsigned compare per access for the bounds.
        long refused = NativeAbi.SEGMENT_INACCESSIBLE | (value != null ? NativeAbi.SEGMENT_READ_ONLY : 0);
        exceptions.raiseIf(hasBits(s.info(), refused), NativeAbi.SEGMENT_ACCESS, offset, access, stored, site);
        exceptions.raiseIf(outOfBounds, NativeAbi.SEGMENT_ACCESS, offset, access, stored, site);
        if (layout.alignment() > 1) {
            LLVMValueRef mask = LLVMBuildAnd(b, s.info(), cg.i64(0xFFFF_FFFFL), "");
            LLVMValueRef at = LLVMBuildOr(b, LLVMBuildAdd(b, s.alignBase(), byteOffset, ""), mask, "");
            LLVMValueRef misaligned = LLVMBuildICmp(b, LLVMIntNE, LLVMBuildAnd(b, at, cg.i64(layout.alignment() - 1), ""), cg.i64(0), "");
            exceptions.raiseIf(misaligned, NativeAbi.SEGMENT_ACCESS, offset, access, stored, site);
        }
        return cg.gep(cg.i8, s.base(), byteOffset, "");
    }

    /** A set's value as the i64 the runtime reads back: integers sign-extended, floating point by its bits. */
    private LLVMValueRef bits(LLVMValueRef value, Type element) {
        return switch (element.kind()) {
            case FLOAT -> LLVMBuildZExt(b, LLVMBuildBitCast(b, value, cg.i32, ""), cg.i64, "");
            case DOUBLE -> LLVMBuildBitCast(b, value, cg.i64, "");
            case LONG -> value;
            default -> LLVMBuildSExt(b, value, cg.i64, "");
        };
    }
}
