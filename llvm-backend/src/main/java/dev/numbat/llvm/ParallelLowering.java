package dev.numbat.llvm;

import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.BinaryOperator;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * Lowers {@code parallel}: splits the counter range into up to {@code threads} equal chunks, hands them to
 * the process's {@link ThreadPool}, which runs them on its threads and the calling thread and returns when
 * all are done, and folds the chunks' results in chunk order. Each chunk gets a task record (its range, the
 * body's arguments, its result and a private context). With no thread free (none could be started, or
 * another call holds the pool) the calling thread runs every chunk itself.
 *
 * <p>Safe with heap arrays: the call from Java is a critical downcall, so no garbage collection can move
 * the arrays before it returns, and it returns only after every chunk has finished. The body was proven
 * unable to raise an exception, call or allocate, so no context of a worker has anything to report.
 */
final class ParallelLowering {
    private static final int FIRST_ARGUMENT = 0;
    private final Codegen cg;
    private final LLVMBuilderRef b;
    private final CompileOptions options;
    private final Map<LLVMValueRef, LLVMValueRef> trampolines = new IdentityHashMap<>();

    ParallelLowering(Codegen cg, CompileOptions options) {
        this.cg = cg;
        this.b = cg.builder;
        this.options = options;
    }

    /**
     * Emits the fork and join in {@code caller} at the builder's position; {@code args} are the body's
     * arguments after the context: from, to, then the live-ins (arrays as pointer and length).
     */
    LLVMValueRef run(LLVMValueRef caller, Codegen.Callee body, LLVMValueRef[] args, LLVMTypeRef resultType,
                     BinaryOperator<LLVMValueRef> combine) {
        boolean hasResult = resultType != null;
        LLVMTypeRef[] fields = new LLVMTypeRef[args.length + (hasResult ? 2 : 1)];
        for (int k = 0; k < args.length; k++) fields[k] = LLVMTypeOf(args[k]);
        int resultField = args.length;
        int ctxField = hasResult ? args.length + 1 : args.length;
        if (hasResult) fields[resultField] = resultType;
        fields[ctxField] = LLVMArrayType2(cg.i64, NativeAbi.CONTEXT_SLOTS);
        LLVMTypeRef task = cg.struct(fields);
        int threads = options.threads();
        if (threads > ThreadPool.MAX_CHUNKS) throw new BackendException("more chunks than the pool can number: " + threads);

        LLVMValueRef tasks = entryAlloca(caller, LLVMArrayType2(task, threads), "tasks");
        LLVMValueRef from = args[0], to = args[1];
        LLVMValueRef n = LLVMBuildZExt(b, LLVMBuildSub(b, to, from, ""), cg.i64, "n");
        LLVMValueRef chunks = cg.intrinsic("llvm.umin", cg.i64, n, cg.i64(threads));

        // Fill the task records: chunk k runs [from + n*k/chunks, from + n*(k+1)/chunks).
        loop(caller, cg.i64(0), chunks, k -> {
            LLVMValueRef t = element(task, tasks, k, threads);
            LLVMValueRef lo = LLVMBuildAdd(b, from, bound(n, k, chunks), "");
            LLVMValueRef hi = LLVMBuildAdd(b, from, bound(n, LLVMBuildAdd(b, k, cg.i64(1), ""), chunks), "");
            LLVMBuildStore(b, lo, field(task, t, FIRST_ARGUMENT));
            LLVMBuildStore(b, hi, field(task, t, FIRST_ARGUMENT + 1));
            for (int a = 2; a < args.length; a++) LLVMBuildStore(b, args[a], field(task, t, a));
            LLVMBuildStore(b, LLVMConstNull(fields[ctxField]), field(task, t, ctxField));
        });
        LLVMValueRef trampoline = trampoline(body, task, args.length, hasResult ? resultField : -1, ctxField);
        Codegen.Callee parallelFor = cg.external(ThreadPool.ENTRY, cg.voidType, cg.ptr, cg.ptr, cg.i64, cg.i64);
        cg.call(parallelFor, trampoline, tasks, LLVMSizeOf(task), chunks);
        if (!hasResult) return null;
        LLVMValueRef acc = LLVMBuildLoad2(b, resultType, field(task, element(task, tasks, cg.i64(0), threads), resultField), "");
        LLVMValueRef[] carried = {acc};
        LLVMBasicBlockRef start = LLVMGetInsertBlock(b);
        // Fold chunk results left to right: a phi carries the accumulator through the loop.
        LLVMBasicBlockRef head = cg.block(caller, "fold");
        LLVMBasicBlockRef step = cg.block(caller, "fold.step");
        LLVMBasicBlockRef done = cg.block(caller, "fold.done");
        LLVMBuildBr(b, head);
        LLVMPositionBuilderAtEnd(b, head);
        LLVMValueRef k = LLVMBuildPhi(b, cg.i64, "k");
        LLVMValueRef value = LLVMBuildPhi(b, resultType, "acc");
        LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntULT, k, chunks, ""), step, done);
        LLVMPositionBuilderAtEnd(b, step);
        LLVMValueRef partial = LLVMBuildLoad2(b, resultType, field(task, element(task, tasks, k, threads), resultField), "");
        LLVMValueRef next = combine.apply(value, partial);
        LLVMValueRef k1 = LLVMBuildAdd(b, k, cg.i64(1), "");
        LLVMBasicBlockRef stepEnd = LLVMGetInsertBlock(b);
        LLVMBuildBr(b, head);
        LLVMAddIncoming(k, cg.i64(1), start, 1);
        LLVMAddIncoming(k, k1, stepEnd, 1);
        LLVMAddIncoming(value, carried[0], start, 1);
        LLVMAddIncoming(value, next, stepEnd, 1);
        LLVMPositionBuilderAtEnd(b, done);
        return value;
    }

    /** {@code n * k / chunks} as an i32: at most n, which fits. */
    private LLVMValueRef bound(LLVMValueRef n, LLVMValueRef k, LLVMValueRef chunks) {
        return LLVMBuildTrunc(b, LLVMBuildUDiv(b, LLVMBuildMul(b, n, k, ""), chunks, ""), cg.i32, "");
    }

    /** {@code for (k = first; k < end; k++) body(k)} at the builder's position; continues after it. */
    private void loop(LLVMValueRef fn, LLVMValueRef first, LLVMValueRef end, java.util.function.Consumer<LLVMValueRef> body) {
        LLVMBasicBlockRef start = LLVMGetInsertBlock(b);
        LLVMBasicBlockRef head = cg.block(fn, "for");
        LLVMBasicBlockRef inside = cg.block(fn, "for.body");
        LLVMBasicBlockRef after = cg.block(fn, "for.end");
        LLVMBuildBr(b, head);
        LLVMPositionBuilderAtEnd(b, head);
        LLVMValueRef k = LLVMBuildPhi(b, cg.i64, "k");
        LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntULT, k, end, ""), inside, after);
        LLVMPositionBuilderAtEnd(b, inside);
        body.accept(k);
        LLVMValueRef k1 = LLVMBuildAdd(b, k, cg.i64(1), "");
        LLVMBasicBlockRef bodyEnd = LLVMGetInsertBlock(b);
        LLVMBuildBr(b, head);
        LLVMAddIncoming(k, first, start, 1);
        LLVMAddIncoming(k, k1, bodyEnd, 1);
        LLVMPositionBuilderAtEnd(b, after);
    }

    /**
     * {@code ptr task_of_body(ptr task)}: what a worker thread runs. Its stack limit is measured from its
     * own frame, as the exported entry does for the calling thread.
     */
    private LLVMValueRef trampoline(Codegen.Callee body, LLVMTypeRef task, int argCount, int resultField, int ctxField) {
        LLVMValueRef known = trampolines.get(body.function());
        if (known != null) return known;
        LLVMBasicBlockRef saved = LLVMGetInsertBlock(b);
        String name = LLVMGetValueName(body.function()).getString() + "_task";
        LLVMValueRef fn = LLVMAddFunction(cg.module, name, cg.functionType(cg.ptr, cg.ptr));
        LLVMSetLinkage(fn, LLVMInternalLinkage);
        cg.addFunctionAttribute(fn, "nounwind");
        LLVMPositionBuilderAtEnd(b, cg.block(fn, "entry"));
        LLVMValueRef t = LLVMGetParam(fn, 0);
        LLVMValueRef ctx = field(task, t, ctxField);
        LLVMValueRef frame = LLVMBuildPtrToInt(b, cg.intrinsic("llvm.frameaddress", cg.ptr, cg.i32(0)), cg.i64, "frame");
        LLVMValueRef limit = cg.intrinsic("llvm.usub.sat", cg.i64, frame, cg.i64(options.nativeStackBytes()));
        LLVMBuildStore(b, limit, ExceptionLowering.slot(cg, ctx, NativeAbi.SLOT_STACK_LIMIT));
        LLVMValueRef[] callArgs = new LLVMValueRef[argCount + 1];
        callArgs[0] = ctx;
        for (int a = 0; a < argCount; a++) {
            callArgs[a + 1] = LLVMBuildLoad2(b, LLVMStructGetTypeAtIndex(task, a), field(task, t, a), "");
        }
        LLVMValueRef result = cg.call(body, callArgs);
        if (resultField >= 0) LLVMBuildStore(b, result, field(task, t, resultField));
        LLVMBuildRet(b, cg.nullPointer());
        LLVMPositionBuilderAtEnd(b, saved);
        trampolines.put(body.function(), fn);
        return fn;
    }

    private LLVMValueRef element(LLVMTypeRef type, LLVMValueRef array, LLVMValueRef k, int length) {
        return cg.gep(type, array, k, "");
    }

    private LLVMValueRef field(LLVMTypeRef struct, LLVMValueRef record, int index) {
        return LLVMBuildStructGEP2(b, struct, record, index, "");
    }

    /** An alloca at the head of the function's entry block, so LLVM sees a fixed frame slot. */
    private LLVMValueRef entryAlloca(LLVMValueRef fn, LLVMTypeRef type, String name) {
        LLVMBasicBlockRef here = LLVMGetInsertBlock(b);
        LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(fn);
        LLVMValueRef first = LLVMGetFirstInstruction(entry);
        if (first == null || first.isNull()) LLVMPositionBuilderAtEnd(b, entry);
        else LLVMPositionBuilderBefore(b, first);
        LLVMValueRef slot = LLVMBuildAlloca(b, type, name);
        LLVMPositionBuilderAtEnd(b, here);
        return slot;
    }
}
