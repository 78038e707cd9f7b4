package dev.numbat.llvm;

import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * How one lowered function raises and propagates Java exceptions through the context ({@link NativeAbi}):
 * store the kind, details and site, then return at once. There is no unwinding; callers test the kind
 * slot after each call that can raise.
 */
final class ExceptionLowering {
    static final int NO_SITE = -1;

    private final Codegen cg;
    private final LLVMValueRef function;
    private final LLVMValueRef ctx;
    private final LLVMTypeRef returnType;

    ExceptionLowering(Codegen cg, LLVMValueRef function, LLVMValueRef ctx, LLVMTypeRef returnType) {
        this.cg = cg;
        this.function = function;
        this.ctx = ctx;
        this.returnType = returnType;
    }

    /** The address of context slot {@code index}. */
    LLVMValueRef slot(int index) { return slot(cg, ctx, index); }

    static LLVMValueRef slot(Codegen cg, LLVMValueRef ctx, int index) {
        return cg.gep(cg.i64, ctx, cg.i64(index), "ctx" + index);
    }

    void raiseIf(LLVMValueRef condition, int kind, int site) {
        raiseIf(condition, kind, null, null, site);
    }

    /**
     * When {@code condition} holds: store the exception with its details (i32 or i64 values, or null for
     * none), return. The builder continues in the block where it did not hold.
     */
    void raiseIf(LLVMValueRef condition, int kind, LLVMValueRef index, LLVMValueRef length, int site) {
        raiseIf(condition, kind, index, length, null, site);
    }

    /** As {@link #raiseIf(LLVMValueRef, int, LLVMValueRef, LLVMValueRef, int)}, with a third detail in {@link NativeAbi#SLOT_VALUE}. */
    void raiseIf(LLVMValueRef condition, int kind, LLVMValueRef index, LLVMValueRef length, LLVMValueRef value, int site) {
        LLVMBasicBlockRef raise = cg.block(function, "raise" + kind);
        LLVMBasicBlockRef ok = cg.block(function, "ok");
        LLVMBuildCondBr(cg.builder, cg.unlikely(condition), raise, ok);
        LLVMPositionBuilderAtEnd(cg.builder, raise);
        store(NativeAbi.SLOT_KIND, cg.i64(kind));
        if (index != null) store(NativeAbi.SLOT_INDEX, widen(index));
        if (length != null) store(NativeAbi.SLOT_LENGTH, widen(length));
        if (value != null) store(NativeAbi.SLOT_VALUE, widen(value));
        store(NativeAbi.SLOT_SITE, cg.i64(site));
        returnAtOnce();
        LLVMPositionBuilderAtEnd(cg.builder, ok);
    }

    /**
     * After a call: when the callee raised, return too. A callee that ran out of stack knows no site of its
     * own, so the call is blamed, which is where the JVM's StackOverflowError would point in this frame.
     */
    void propagatePending(int callSite) {
        LLVMValueRef kind = LLVMBuildLoad2(cg.builder, cg.i64, slot(NativeAbi.SLOT_KIND), "kind");
        LLVMValueRef pending = LLVMBuildICmp(cg.builder, LLVMIntNE, kind, cg.i64(0), "pending");
        LLVMBasicBlockRef propagate = cg.block(function, "propagate");
        LLVMBasicBlockRef ok = cg.block(function, "ok");
        LLVMBuildCondBr(cg.builder, cg.unlikely(pending), propagate, ok);
        LLVMPositionBuilderAtEnd(cg.builder, propagate);
        LLVMValueRef siteSlot = slot(NativeAbi.SLOT_SITE);
        LLVMValueRef site = LLVMBuildLoad2(cg.builder, cg.i64, siteSlot, "site");
        LLVMValueRef unknown = LLVMBuildICmp(cg.builder, LLVMIntSLT, site, cg.i64(0), "");
        LLVMBuildStore(cg.builder, LLVMBuildSelect(cg.builder, unknown, cg.i64(callSite), site, ""), siteSlot);
        returnAtOnce();
        LLVMPositionBuilderAtEnd(cg.builder, ok);
    }

    /**
     * Raises StackOverflowError when this frame lies below the limit the entry set, so unbounded recursion
     * stops long before it would overflow the thread's real stack (which the JVM cannot survive).
     */
    void checkStack() {
        LLVMValueRef frame = cg.intrinsic("llvm.frameaddress", cg.ptr, cg.i32(0));
        LLVMValueRef address = LLVMBuildPtrToInt(cg.builder, frame, cg.i64, "frame");
        LLVMValueRef limit = LLVMBuildLoad2(cg.builder, cg.i64, slot(NativeAbi.SLOT_STACK_LIMIT), "limit");
        raiseIf(LLVMBuildICmp(cg.builder, LLVMIntULT, address, limit, "deep"), NativeAbi.STACK_OVERFLOW, NO_SITE);
    }

    private void store(int slot, LLVMValueRef value) {
        LLVMBuildStore(cg.builder, value, slot(slot));
    }

    private LLVMValueRef widen(LLVMValueRef v) {
        return LLVMTypeOf(v).equals(cg.i64) ? v : LLVMBuildSExt(cg.builder, v, cg.i64, "");
    }

    private void returnAtOnce() {
        if (returnType.equals(cg.voidType)) LLVMBuildRetVoid(cg.builder);
        else LLVMBuildRet(cg.builder, cg.zero(returnType));
    }
}
