package dev.numbat.llvm;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.Function;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Module;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Site;
import dev.numbat.ir.Intrinsic;
import dev.numbat.ir.Type;
import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * Lowers a whole IR module: one internal LLVM function per IR function, and the exported entry that sets
 * up the context for a call from Java and frees what the call allocated. Numbers every instruction that
 * may throw, module-wide, so a raised exception can name its site.
 */
final class ModuleLowering {
    /** The families of Math functions {@link FdlibmChoice} decides for, each for the whole module. */
    private static final Set<Intrinsic> EXP_LOG = EnumSet.of(Intrinsic.EXP, Intrinsic.LOG), POW = EnumSet.of(Intrinsic.POW),
            TRIG = EnumSet.of(Intrinsic.SIN, Intrinsic.COS, Intrinsic.TAN);

    private final Codegen cg;
    private final Module module;
    private final String prefix;
    private final CompileOptions options;
    private final Map<Instruction, Integer> siteNumbers = new IdentityHashMap<>();
    private final List<Site> sites = new ArrayList<>();
    private final Map<Function, Codegen.Callee> functions = new IdentityHashMap<>();
    private final Set<Function> raising = new HashSet<>();
    private final ParallelLowering parallel;

    /** Whether the exported entry starts with vzeroupper (x86 with AVX). */
    private final boolean clearUpperVectorState;
    private final BranchWeights weights;
    private final EntrySpecialisation specialisation;
    private String symbol;
    private LLVMValueRef versionSwitch;
    /** The parts of the code the switch turns on and off ({@link Intrinsic#SWITCH_ENTRY_COPY} and friends). */
    private int versionParts;

    ModuleLowering(Codegen cg, Module module, String prefix, CompileOptions options, boolean clearUpperVectorState) {
        this(cg, module, prefix, options, clearUpperVectorState, BranchWeights.NONE, EntrySpecialisation.NONE);
    }

    ModuleLowering(Codegen cg, Module module, String prefix, CompileOptions options, boolean clearUpperVectorState,
                   BranchWeights weights, EntrySpecialisation specialisation) {
        this.weights = weights;
        this.specialisation = specialisation;
        this.clearUpperVectorState = clearUpperVectorState;
        this.cg = cg;
        this.module = module;
        this.prefix = prefix;
        this.options = options;
        this.parallel = new ParallelLowering(cg, options);
    }

    ParallelLowering parallel() { return parallel; }

    /** The entry's run-time branch profile ({@link BranchWeights#NONE} without one). */
    BranchWeights branchWeights() { return weights; }

    boolean isEntry(Function f) { return f == module.entry(); }

    /** Lowers everything and returns the name of the exported entry. */
    String lower() {
        Function entry = module.entry();
        if (entry == null) throw new BackendException("the module has no functions");
        if (entry.returnType().isReference()) throw new BackendException("an entry cannot return an array: " + entry.displayName());
        numberSites();
        symbol = prefix + "_" + sanitize(entry.methodName());
        Set<Set<Intrinsic>> fdlibm = FdlibmChoice.fdlibm(module, List.of(EXP_LOG, POW, TRIG));
        cg.inlineExpLog = fdlibm.contains(EXP_LOG);
        cg.inlinePow = fdlibm.contains(POW);
        if (fdlibm.contains(TRIG)) cg.trig = new TrigFunctions(cg);
        int k = 0;
        for (Function f : module.functions().values()) declare(f, k++);
        for (Function f : module.functions().values()) new FunctionLowering(cg, this, f, functions.get(f).function()).lower();
        emitEntry(symbol, entry);
        if (cg.trig != null) cg.trig.keepVectorVersions();
        if (versionSwitch != null) LLVMSetInitializer(versionSwitch, cg.i32(versionParts)); // every part on at first
        return symbol;
    }

    List<Site> sites() { return sites; }

    /** The bits of the parts the switch controls, 0 when there is no switch (after {@link #lower}). */
    int versionParts() { return versionParts; }

    /**
     * The switch of the code specialised to the profile, {@code i32 <symbol>_versions}, a bit per part ({@code part}:
     * {@link Intrinsic#SWITCH_ENTRY_COPY} for the entry's guarded copy, {@link EntryVersions}, or
     * {@link Intrinsic#SWITCH_LOOP_VERSIONS} for loops versioned inside a function), made when a part first needs it,
     * every part on at first; the runtime finds it by name and keeps the fastest setting it measures.
     */
    LLVMValueRef versionSwitch(int part) {
        if (versionSwitch == null) versionSwitch = LLVMAddGlobal(cg.module, cg.i32, symbol + EntryVersions.SWITCH_SUFFIX);
        versionParts |= part;
        return versionSwitch;
    }

    /** The site number of an instruction that may throw, or {@link ExceptionLowering#NO_SITE}. */
    int siteOf(Instruction i) { return siteNumbers.getOrDefault(i, ExceptionLowering.NO_SITE); }

    Codegen.Callee callee(Function f) {
        Codegen.Callee c = functions.get(f);
        if (c == null) throw new BackendException("call to " + f.displayName() + ", which is not in the module");
        return c;
    }

    /** Whether a call to {@code f} may come back with an exception, so the caller must look. */
    boolean canRaise(Function f) { return raising.contains(f); }

    private void numberSites() {
        for (Instruction i : throwingInstructions(module)) {
            siteNumbers.put(i, sites.size());
            sites.add(i.site());
        }
        for (Function f : module.functions().values()) {
            for (BasicBlock block : Dominators.reversePostorder(f)) {
                for (Instruction i : block.instructions()) if (i.mayThrow()) raising.add(f);
            }
        }
    }

    /**
     * Every instruction that may throw, in site-number order: functions in module order, blocks in
     * function order, instructions in block order. The numbering depends on nothing else, so a module
     * lifted again from the same bytecode numbers its sites exactly as the compiled object does.
     */
    static List<Instruction> throwingInstructions(Module module) {
        List<Instruction> throwing = new ArrayList<>();
        for (Function f : module.functions().values()) {
            for (BasicBlock block : f.blocks()) {
                for (Instruction i : block.instructions()) if (i.mayThrow()) throwing.add(i);
            }
        }
        return throwing;
    }

    private void declare(Function f, int index) {
        var type = cg.functionType(f);
        LLVMValueRef fn = LLVMAddFunction(cg.module, prefix + "_f" + index + "_" + sanitize(f.methodName()), type);
        LLVMSetLinkage(fn, LLVMInternalLinkage);
        addAttributes(fn);
        if (!isEntry(f) && isSmallLeaf(f)) cg.addFunctionAttribute(fn, "alwaysinline");
        functions.put(f, new Codegen.Callee(fn, type));
    }

    /** Instructions of a {@link #isSmallLeaf} helper, in Numbat's IR (a {@code Math.exp} counts one). */
    static final int SMALL_LEAF_INSTRUCTIONS = 64;

    /**
     * A helper LLVM must inline wherever it is called: no calls, no loops, at most {@link #SMALL_LEAF_INSTRUCTIONS}
     * instructions, such as a normal CDF or a polynomial called for each element of a loop. LLVM's inliner weighs
     * the lowered code, where one {@code Math.exp} is some 60 instructions of fdlibm's, and left Black-Scholes's CDF
     * a call, which kept its loop from vectorising; inlined, the loop runs in vectors, exp and log included.
     */
    private static boolean isSmallLeaf(Function f) {
        int count = 0;
        List<BasicBlock> order = Dominators.reversePostorder(f);
        Map<BasicBlock, Integer> position = new IdentityHashMap<>();
        for (BasicBlock block : order) position.put(block, position.size());
        for (BasicBlock block : order) {
            for (Instruction i : block.instructions()) {
                if (i.opcode() == Opcode.CALL || ++count > SMALL_LEAF_INSTRUCTIONS) return false;
            }
            for (BasicBlock next : block.successors()) {
                if (position.getOrDefault(next, Integer.MAX_VALUE) <= position.get(block)) return false; // a loop
            }
        }
        return true;
    }

    /**
     * The context never aliases an array (Java heap or calloc'd blocks), which lets LLVM keep array values
     * in registers across the stores that raise exceptions.
     */
    private void addAttributes(LLVMValueRef fn) {
        cg.addFunctionAttribute(fn, "nounwind");
        cg.addAttribute(fn, 1, "noalias", 0);
        cg.addAttribute(fn, 1, "nonnull", 0);
        cg.addAttribute(fn, 1, "nocapture", 0);
        cg.addAttribute(fn, 1, "align", 8);
        cg.addAttribute(fn, 1, "dereferenceable", 8L * NativeAbi.CONTEXT_SLOTS);
    }

    /**
     * {@code RET symbol(ptr ctx, params...)}: sets the stack limit below this frame, runs the entry function (the
     * version specialised to the profile when its guard holds, see {@link EntryVersions}), frees every array it
     * allocated, and returns its result (meaningless when an exception is pending).
     */
    private void emitEntry(String symbol, Function entry) {
        Codegen.Callee target = functions.get(entry);
        LLVMValueRef fn = LLVMAddFunction(cg.module, symbol, target.type());
        addAttributes(fn);
        LLVMBuilderRef b = cg.builder;
        LLVMValueRef ctx = LLVMGetParam(fn, 0);
        LLVMBasicBlockRef start = cg.block(fn, "entry");
        LLVMBasicBlockRef check = cg.block(fn, "free.check");
        LLVMBasicBlockRef free = cg.block(fn, "free");
        LLVMBasicBlockRef done = cg.block(fn, "done");

        LLVMPositionBuilderAtEnd(b, start);
        if (clearUpperVectorState) clearUpperVectorState();
        LLVMValueRef frame = LLVMBuildPtrToInt(b, cg.intrinsic("llvm.frameaddress", cg.ptr, cg.i32(0)), cg.i64, "frame");
        LLVMValueRef limit = cg.intrinsic("llvm.usub.sat", cg.i64, frame, cg.i64(options.nativeStackBytes()));
        LLVMBuildStore(b, limit, ExceptionLowering.slot(cg, ctx, NativeAbi.SLOT_STACK_LIMIT));
        LLVMValueRef list = ExceptionLowering.slot(cg, ctx, NativeAbi.SLOT_ALLOCATIONS);
        LLVMBuildStore(b, cg.nullPointer(), list);
        int n = LLVMCountParams(fn);
        LLVMValueRef[] args = new LLVMValueRef[n];
        for (int k = 0; k < n; k++) args[k] = LLVMGetParam(fn, k);
        LLVMValueRef result;
        if (specialisation.isEmpty()) {
            result = cg.call(target, args);
        } else {
            EntryVersions versions = new EntryVersions(cg, specialisation, () -> versionSwitch(Intrinsic.SWITCH_ENTRY_COPY));
            result = versions.call(fn, target, entry.parameterTypes(), entry.returnType() == Type.VOID, args);
        }
        LLVMBasicBlockRef called = LLVMGetInsertBlock(b);
        LLVMValueRef head = LLVMBuildLoad2(b, cg.ptr, list, "allocations");
        LLVMBuildBr(b, check);

        LLVMPositionBuilderAtEnd(b, check);
        LLVMValueRef block = LLVMBuildPhi(b, cg.ptr, "block");
        LLVMBuildCondBr(b, LLVMBuildIsNull(b, block, ""), done, free);

        LLVMPositionBuilderAtEnd(b, free);
        LLVMValueRef next = LLVMBuildLoad2(b, cg.ptr, block, "next");
        cg.call(cg.external("free", cg.voidType, cg.ptr), block);
        LLVMBuildBr(b, check);
        LLVMAddIncoming(block, head, called, 1);
        LLVMAddIncoming(block, next, free, 1);

        LLVMPositionBuilderAtEnd(b, done);
        LLVMBuildStore(b, cg.nullPointer(), list);
        if (entry.returnType() == Type.VOID) LLVMBuildRetVoid(b);
        else LLVMBuildRet(b, result);
    }

    /**
     * HotSpot may call in with the upper halves of the vector registers dirty; any SSE (non-VEX) code run
     * in that state, such as a libm routine, pays a state transition on every instruction (a probe measured
     * a C kernel calling exp 20 times slower). vzeroupper keeps the lower 128 bits, so scalar float and
     * double arguments survive it.
     */
    private void clearUpperVectorState() {
        // The intrinsic rather than inline assembly: this libLLVM has no x86 assembly parser to read the latter.
        cg.intrinsic("llvm.x86.avx.vzeroupper", new LLVMTypeRef[0]);
    }

    /** A symbol-safe form of a Java method name ({@code <init>}, unicode letters). */
    private static String sanitize(String name) {
        StringBuilder s = new StringBuilder();
        for (char c : name.toCharArray()) s.append(c < 128 && Character.isLetterOrDigit(c) ? c : '_');
        return s.toString();
    }
}
