package dev.numbat.llvm;

import static org.bytedeco.llvm.global.LLVM.LLVMAddGlobal;
import static org.bytedeco.llvm.global.LLVM.LLVMAddIncoming;
import static org.bytedeco.llvm.global.LLVM.LLVMBuildLoad2;
import static org.bytedeco.llvm.global.LLVM.LLVMSetInitializer;
import static org.bytedeco.llvm.global.LLVM.LLVMAttributeFunctionIndex;
import static org.bytedeco.llvm.global.LLVM.LLVMBuildAnd;
import static org.bytedeco.llvm.global.LLVM.LLVMBuildBr;
import static org.bytedeco.llvm.global.LLVM.LLVMBuildCondBr;
import static org.bytedeco.llvm.global.LLVM.LLVMBuildICmp;
import static org.bytedeco.llvm.global.LLVM.LLVMBuildPhi;
import static org.bytedeco.llvm.global.LLVM.LLVMConstInt;
import static org.bytedeco.llvm.global.LLVM.LLVMGetInsertBlock;
import static org.bytedeco.llvm.global.LLVM.LLVMIntEQ;
import static org.bytedeco.llvm.global.LLVM.LLVMIntNE;
import static org.bytedeco.llvm.global.LLVM.LLVMPositionBuilderAtEnd;
import static org.bytedeco.llvm.global.LLVM.LLVMTypeOf;

import dev.numbat.ir.Intrinsic;
import dev.numbat.ir.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * The exported entry's call of the entry function, in two versions when a profile specialises it
 * ({@link EntrySpecialisation}):
 * <pre>
 *   if (n == 5 &amp;&amp; a.length == 1024 &amp;&amp; a != b)  r = entry(ctx, a, 1024, b, len(b), 5)   // inlined, a and b noalias
 *   else                                         r = entry(ctx, a, len(a), b, len(b), n)
 * </pre>
 * (the guard also reads a switch, {@code <entry symbol>_versions}, through which the runtime turns the copy off when it
 * measures it slower: LLVM's cost model may, for instance, if-convert a rare heavy branch that the copy's constants
 * made branch-free). The first call is marked {@code alwaysinline}, so LLVM copies the entry function into it and folds the constants
 * (a loop over {@code a.length} or up to {@code n} gets a known trip count: unrolled, or vectorised without a
 * remainder) and turns {@code noalias} into alias scopes on every access of the copy (no run-time overlap checks
 * before vector loops, loads kept in registers across stores). The second is the code every call would run without
 * a profile. Java arrays are either the same array or disjoint, so comparing their addresses decides aliasing;
 * arrays of different element types are never the same array and need no check. Arrays of arrays and memory
 * segments (which may view any array) leave every array out of the no-alias version.
 *
 * <p>Needs: the exported entry's parameters laid out as {@link Codegen#functionType} does. Invalidates nothing.
 */
final class EntryVersions {
    /** The suffix of the switch's symbol: {@code <entry symbol>_versions}, an {@code i32} whose bit 1 turns the copy on. */
    static final String SWITCH_SUFFIX = "_versions";

    private final Codegen cg;
    private final EntrySpecialisation specialisation;
    private final Supplier<LLVMValueRef> versionSwitch;

    /** {@code versionSwitch} makes the switch global when first asked ({@link ModuleLowering#versionSwitch}). */
    EntryVersions(Codegen cg, EntrySpecialisation specialisation, Supplier<LLVMValueRef> versionSwitch) {
        this.cg = cg;
        this.specialisation = specialisation;
        this.versionSwitch = versionSwitch;
    }

    /** Emits the guarded calls at the builder's position in {@code fn} and returns the result (null for void). */
    LLVMValueRef call(LLVMValueRef fn, Codegen.Callee target, List<Type> parameterTypes, boolean returnsVoid, LLVMValueRef[] args) {
        LLVMBuilderRef b = cg.builder;
        LLVMValueRef[] specialArgs = args.clone();
        List<LLVMValueRef> conditions = new ArrayList<>();
        Map<Type, List<Integer>> arraysByType = new LinkedHashMap<>();
        boolean noAlias = specialisation.distinctArrays();
        int k = 1; // the context is argument 0
        for (int p = 0; p < parameterTypes.size(); p++) {
            Type t = parameterTypes.get(p);
            if (t.isSegment()) {
                noAlias = false;
                k += 4;
            } else if (t.isReference()) {
                if (t.isArrayOfArrays()) {
                    noAlias = false;
                } else {
                    arraysByType.computeIfAbsent(t, x -> new ArrayList<>()).add(k);
                    Integer length = specialisation.lengths().get(p);
                    if (length != null) specialArgs[k + 1] = equal(args[k + 1], cg.i32(length), conditions);
                }
                k += 2;
            } else {
                Long value = specialisation.constants().get(p);
                if (value != null && (t.isIntegral() || t.isSubInt())) {
                    specialArgs[k] = equal(args[k], LLVMConstInt(LLVMTypeOf(args[k]), value, 1), conditions);
                }
                k += 1;
            }
        }
        if (arraysByType.isEmpty()) noAlias = false;
        if (noAlias) {
            for (List<Integer> same : arraysByType.values()) {
                for (int i = 0; i < same.size(); i++) {
                    for (int j = i + 1; j < same.size(); j++) {
                        conditions.add(LLVMBuildICmp(b, LLVMIntNE, args[same.get(i)], args[same.get(j)], "distinct"));
                    }
                }
            }
        }
        if (conditions.isEmpty() && !noAlias) return cg.call(target, args);

        // The runtime may turn the copy off (a global it finds by name), if it measures it slower than the general code.
        LLVMValueRef flag = versionSwitch.get();
        LLVMValueRef on = LLVMBuildAnd(b, LLVMBuildLoad2(b, cg.i32, flag, "versions"), cg.i32(Intrinsic.SWITCH_ENTRY_COPY), "");
        LLVMValueRef guard = LLVMBuildICmp(b, LLVMIntNE, on, cg.i32(0), "copy.on");
        for (LLVMValueRef c : conditions) guard = LLVMBuildAnd(b, guard, c, "guard");
        LLVMBasicBlockRef special = cg.block(fn, "specialised"), general = cg.block(fn, "general"), joined = cg.block(fn, "called");
        LLVMBuildCondBr(b, guard, special, general);

        LLVMPositionBuilderAtEnd(b, special);
        LLVMValueRef specialResult = cg.call(target, specialArgs);
        cg.addCallSiteAttribute(specialResult, LLVMAttributeFunctionIndex, "alwaysinline");
        if (noAlias) {
            for (List<Integer> same : arraysByType.values()) {
                for (int index : same) cg.addCallSiteAttribute(specialResult, index + 1, "noalias");
            }
        }
        LLVMBasicBlockRef specialEnd = LLVMGetInsertBlock(b);
        LLVMBuildBr(b, joined);

        LLVMPositionBuilderAtEnd(b, general);
        LLVMValueRef generalResult = cg.call(target, args);
        LLVMBasicBlockRef generalEnd = LLVMGetInsertBlock(b);
        LLVMBuildBr(b, joined);

        LLVMPositionBuilderAtEnd(b, joined);
        if (returnsVoid) return null;
        LLVMValueRef result = LLVMBuildPhi(b, LLVMTypeOf(generalResult), "result");
        LLVMAddIncoming(result, specialResult, specialEnd, 1);
        LLVMAddIncoming(result, generalResult, generalEnd, 1);
        return result;
    }

    /** Adds {@code actual == expected} to the guard and returns {@code expected}, the specialised copy's argument. */
    private LLVMValueRef equal(LLVMValueRef actual, LLVMValueRef expected, List<LLVMValueRef> conditions) {
        conditions.add(LLVMBuildICmp(cg.builder, LLVMIntEQ, actual, expected, "seen"));
        return expected;
    }
}
