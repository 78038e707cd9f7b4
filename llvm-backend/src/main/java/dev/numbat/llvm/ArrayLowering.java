package dev.numbat.llvm;

import dev.numbat.ir.Type;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

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

    ArrayLowering(Codegen cg) {
        this.cg = cg;
        this.b = cg.builder;
    }

    LLVMValueRef length(LLVMValueRef data, LLVMValueRef length, ExceptionLowering exceptions, int site) {
        checkNull(data, exceptions, site);
        return length;
    }

    /** Loads element {@code index}; byte and short sign-extend, boolean and char zero-extend to the i32 form. */
    LLVMValueRef load(Type element, LLVMValueRef data, LLVMValueRef length, LLVMValueRef index,
                      ExceptionLowering exceptions, int site) {
        LLVMValueRef address = address(element, data, length, index, exceptions, site);
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
        exceptions.raiseIf(LLVMBuildICmp(b, LLVMIntUGE, index, length, ""), NativeAbi.ARRAY_INDEX_OUT_OF_BOUNDS,
                index, length, site);
        LLVMValueRef wide = LLVMBuildZExt(b, index, cg.i64, "");
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
               ExceptionLowering exceptions, int site) {
        LLVMValueRef address = address(element, data, length, index, exceptions, site);
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

    private LLVMValueRef address(Type element, LLVMValueRef data, LLVMValueRef length, LLVMValueRef index,
                                 ExceptionLowering exceptions, int site) {
        checkNull(data, exceptions, site);
        // One unsigned compare catches negative indices too.
        exceptions.raiseIf(LLVMBuildICmp(b, LLVMIntUGE, index, length, ""), NativeAbi.ARRAY_INDEX_OUT_OF_BOUNDS,
                index, length, site);
        LLVMValueRef wide = LLVMBuildZExt(b, index, cg.i64, "");
        if (!NativeLlvm.isNull(LLVMIsAInstruction(wide))) LLVMSetNNeg(wide, 1);
        return cg.gep(cg.element(element), data, wide, "");
    }
}
