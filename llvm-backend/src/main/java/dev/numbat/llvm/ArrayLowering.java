package dev.numbat.llvm;

import dev.numbat.ir.Type;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * Array access on the (data pointer, length) pairs arrays are lowered to, with the JVM's checks in its
 * order: null first, then the index, and only then the memory access. Arrays allocated by compiled code
 * live in calloc'd blocks chained from the context, which the entry frees when the call returns.
 */
final class ArrayLowering {
    /** Room before element 0 of an allocated array for the link to the previous allocation; keeps 16-byte alignment. */
    static final int HEADER_BYTES = 16;

    private final Codegen cg;
    private final LLVMBuilderRef b;
    /**
     * Converted indices already checked in the IR block being lowered, by (index, length): what
     * {@link #checkedIndex} answered. Valid until the next block, since the blocks this lowering creates for
     * one IR block form a chain, each dominating the rest.
     */
    private final Map<List<LLVMValueRef>, LLVMValueRef> checkedInBlock = new HashMap<>();

    ArrayLowering(Codegen cg) {
        this.cg = cg;
        this.b = cg.builder;
    }

    /** Lowering moves on to another IR block: checks made so far need not dominate what comes next. */
    void startBlock() {
        checkedInBlock.clear();
    }

    LLVMValueRef length(LLVMValueRef data, LLVMValueRef length, ExceptionLowering exceptions, int site) {
        checkNull(data, exceptions, site);
        return length;
    }

    /** Loads element {@code index}; byte and short sign-extend, boolean and char zero-extend to the i32 form. */
    LLVMValueRef load(Type element, LLVMValueRef data, LLVMValueRef length, LLVMValueRef index, boolean inRange,
                      ExceptionLowering exceptions, int site) {
        LLVMValueRef address = address(element, data, length, index, inRange, exceptions, site);
        LLVMValueRef v = LLVMBuildLoad2(b, cg.element(element), address, "");
        LLVMSetAlignment(v, element.byteSize());
        return cg.loadedElement(element, v);
    }

    /**
     * Loads row {@code index} of a two-dimensional array, whose data is a table of (data pointer, int length)
     * pairs, the layout {@link #ROW_BYTES} describes; returns the row's data pointer and length.
     */
    LLVMValueRef[] loadRow(LLVMValueRef data, LLVMValueRef length, LLVMValueRef index, ExceptionLowering exceptions, int site) {
        checkNull(data, exceptions, site);
        LLVMValueRef wide = LLVMBuildZExt(b, checkedIndex(index, length, exceptions, site), cg.i64, "");
        LLVMValueRef entry = cg.gep(cg.arrayPair, data, wide, "row");
        LLVMValueRef rowData = LLVMBuildLoad2(b, cg.ptr, LLVMBuildStructGEP2(b, cg.arrayPair, entry, 0, ""), "row.data");
        LLVMSetAlignment(rowData, 8);
        LLVMValueRef rowLength = LLVMBuildLoad2(b, cg.i32, LLVMBuildStructGEP2(b, cg.arrayPair, entry, 1, ""), "row.length");
        LLVMSetAlignment(rowLength, 8);
        return new LLVMValueRef[] {rowData, rowLength};
    }

    /** One entry of a two-dimensional array's row table: the row's data pointer (8 bytes), its length, padding. */
    static final int ROW_BYTES = 16;

    void store(Type element, LLVMValueRef data, LLVMValueRef length, LLVMValueRef index, LLVMValueRef value,
               boolean inRange, ExceptionLowering exceptions, int site) {
        LLVMValueRef address = address(element, data, length, index, inRange, exceptions, site);
        LLVMSetAlignment(LLVMBuildStore(b, cg.storedElement(element, value), address), element.byteSize());
    }

    /**
     * newarray: a negative length raises NegativeArraySizeException, a failed calloc OutOfMemoryError.
     * calloc gives the zeroed elements Java requires; the block is linked into the context's allocation
     * list so the entry can free it, as nothing allocated here outlives the call.
     */
    LLVMValueRef allocate(Type element, LLVMValueRef length, ExceptionLowering exceptions, int site) {
        exceptions.raiseIf(LLVMBuildICmp(b, LLVMIntSLT, length, cg.i32(0), ""), NativeAbi.NEGATIVE_ARRAY_SIZE,
                length, null, site);
        LLVMValueRef count = LLVMBuildZExt(b, length, cg.i64, "");
        LLVMValueRef bytes = LLVMBuildAdd(b, LLVMBuildMul(b, count, cg.i64(element.byteSize()), ""),
                cg.i64(HEADER_BYTES), "");
        LLVMValueRef header = cg.call(cg.external("calloc", cg.ptr, cg.i64, cg.i64), cg.i64(1), bytes);
        exceptions.raiseIf(LLVMBuildIsNull(b, header, ""), NativeAbi.OUT_OF_MEMORY, site);
        LLVMValueRef list = exceptions.slot(NativeAbi.SLOT_ALLOCATIONS);
        LLVMBuildStore(b, LLVMBuildLoad2(b, cg.ptr, list, "previous"), header);
        LLVMBuildStore(b, header, list);
        return cg.gep(cg.i8, header, cg.i64(HEADER_BYTES), "array");
    }

    private void checkNull(LLVMValueRef data, ExceptionLowering exceptions, int site) {
        exceptions.raiseIf(LLVMBuildIsNull(b, data, ""), NativeAbi.NULL_POINTER, site);
    }

    /** {@code inRange}: a guard before the loop proved the index in range (RangeProof.proves). */
    private LLVMValueRef address(Type element, LLVMValueRef data, LLVMValueRef length, LLVMValueRef index,
                                 boolean inRange, ExceptionLowering exceptions, int site) {
        checkNull(data, exceptions, site);
        LLVMValueRef checked = inRange ? index : checkedIndex(index, length, exceptions, site);
        // An index built by adds that do not overflow (addNoWrap) widens by sign: LLVM then splits the widened sum
        // into its parts, and sees a row's start step with the outer counter. zext, even marked nneg, hides that.
        LLVMValueRef wide = inRange && isNoWrapAdd(index) ? LLVMBuildSExt(b, checked, cg.i64, "") : LLVMBuildZExt(b, checked, cg.i64, "");
        if (!NativeLlvm.isNull(LLVMIsAZExtInst(wide))) LLVMSetNNeg(wide, 1);
        return cg.gep(cg.element(element), data, wide, "");
    }

    private static boolean isNoWrapAdd(LLVMValueRef v) {
        return !NativeLlvm.isNull(LLVMIsABinaryOperator(v)) && LLVMGetInstructionOpcode(v) == LLVMAdd && LLVMGetNSW(v) != 0;
    }

    /**
     * Raises ArrayIndexOutOfBoundsException unless {@code 0 <= index < length} (one unsigned compare catches
     * negative indices too), and answers the index to address with: {@code index} itself, or a value equal
     * to it.
     *
     * <p>An index computed by Java's {@code (int)} cast of a double or float ({@code counts[(int) (x * bins)]})
     * would otherwise pay for the cast's saturation on every access: {@link ArithmeticLowering#saturate} clamps and
     * tests for NaN, four more instructions, and a histogram loop ran 1.6x slower than C for it. x86's
     * truncating conversion answers 0x80000000 for NaN and every value out of int's range, which is never
     * in {@code [0, length)}; so whatever it answers in range is exactly what the cast gives, and only an
     * index that fails the check needs the saturated value, computed on a cold path that checks that again
     * (NaN saturates to 0, a valid index). The loop keeps one exit for the exception, so LLVM can still
     * unroll it.
     */
    private LLVMValueRef checkedIndex(LLVMValueRef index, LLVMValueRef length, ExceptionLowering exceptions, int site) {
        LLVMValueRef converted = cg.x86 ? truncatedSource(index) : null;
        if (converted == null) {
            exceptions.raiseIf(LLVMBuildICmp(b, LLVMIntUGE, index, length, ""), NativeAbi.ARRAY_INDEX_OUT_OF_BOUNDS,
                    index, length, site);
            return index;
        }
        List<LLVMValueRef> key = List.of(index, length);
        LLVMValueRef known = checkedInBlock.get(key);
        if (known != null) return known;
        boolean isDouble = LLVMTypeOf(converted).equals(cg.f64);
        LLVMTypeRef vector = LLVMVectorType(LLVMTypeOf(converted), isDouble ? 2 : 4);
        LLVMValueRef lanes = LLVMBuildInsertElement(b, LLVMGetPoison(vector), converted, cg.i32(0), "");
        LLVMValueRef truncated = cg.intrinsic(isDouble ? "llvm.x86.sse2.cvttsd2si" : "llvm.x86.sse.cvttss2si",
                new LLVMTypeRef[0], lanes);
        LLVMValueRef function = LLVMGetBasicBlockParent(LLVMGetInsertBlock(b));
        LLVMBasicBlockRef fast = LLVMGetInsertBlock(b);
        LLVMBasicBlockRef saturate = cg.block(function, "index.saturate");
        LLVMBasicBlockRef ok = cg.block(function, "index.ok");
        LLVMBuildCondBr(b, cg.unlikely(LLVMBuildICmp(b, LLVMIntUGE, truncated, length, "")), saturate, ok);
        LLVMPositionBuilderAtEnd(b, saturate);
        exceptions.raiseIf(LLVMBuildICmp(b, LLVMIntUGE, index, length, ""), NativeAbi.ARRAY_INDEX_OUT_OF_BOUNDS,
                index, length, site);
        LLVMBasicBlockRef saturated = LLVMGetInsertBlock(b);
        LLVMBuildBr(b, ok);
        LLVMPositionBuilderAtEnd(b, ok);
        LLVMValueRef checked = LLVMBuildPhi(b, cg.i32, "index");
        try (PointerPointer<LLVMValueRef> values = new PointerPointer<>(truncated, index);
             PointerPointer<LLVMBasicBlockRef> from = new PointerPointer<>(fast, saturated)) {
            LLVMAddIncoming(checked, values, from, 2);
        }
        checkedInBlock.put(key, checked);
        return checked;
    }

    /** The double or float {@code index} was converted from, when it is Java's saturating cast to int. */
    private LLVMValueRef truncatedSource(LLVMValueRef index) {
        return LLVMTypeOf(index).equals(cg.i32) ? ArithmeticLowering.saturatedSource(index) : null;
    }
}
