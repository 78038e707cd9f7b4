package dev.numbat.llvm;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Constant;
import dev.numbat.ir.ConstantArray;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.Function;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Site;
import dev.numbat.ir.Intrinsic;
import dev.numbat.ir.Reduction;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Parameter;
import dev.numbat.ir.Type;
import dev.numbat.ir.Value;
import dev.numbat.ir.loop.RangeProof;
import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * Lowers one IR function into the body of its LLVM function {@code RET f(ptr ctx, params...)}. Blocks are
 * visited in reverse postorder so every value is lowered before its uses (phis aside, which are filled in
 * last); unreachable blocks are dropped. Arrays become two values, the data pointer and the length;
 * MemorySegments four ({@link SegmentLowering.Parts}).
 */
final class FunctionLowering {
    private final Codegen cg;
    private final ModuleLowering module;
    private final Function function;
    private final LLVMValueRef llvmFunction;
    private final LLVMBuilderRef b;
    private final ExceptionLowering exceptions;
    private final ArithmeticLowering arithmetic;
    private final ArrayLowering arrays;
    private final IntrinsicLowering intrinsics;
    private final SegmentLowering segmentAccess;
    /** Loops the vectoriser should leave scalar. */
    private final StrictReductionLoops scalarLoops;

    /** Scalars, or the data pointer of arrays. */
    private final Map<Value, LLVMValueRef> values = new HashMap<>();
    /** The length of arrays. */
    private final Map<Value, LLVMValueRef> lengths = new HashMap<>();
    private final Map<Value, SegmentLowering.Parts> segments = new HashMap<>();
    private final Map<BasicBlock, LLVMBasicBlockRef> starts = new HashMap<>();
    /** The LLVM block holding each IR block's terminator: exception checks split IR blocks. */
    private final Map<BasicBlock, LLVMBasicBlockRef> ends = new HashMap<>();

    FunctionLowering(Codegen cg, ModuleLowering module, Function function, LLVMValueRef llvmFunction) {
        this.cg = cg;
        this.module = module;
        this.function = function;
        this.llvmFunction = llvmFunction;
        this.b = cg.builder;
        LLVMValueRef ctx = LLVMGetParam(llvmFunction, 0);
        this.exceptions = new ExceptionLowering(cg, llvmFunction, ctx, cg.returnType(function.returnType()));
        this.arithmetic = new ArithmeticLowering(cg);
        this.arrays = new ArrayLowering(cg);
        this.intrinsics = new IntrinsicLowering(cg);
        this.segmentAccess = new SegmentLowering(cg);
        this.scalarLoops = new StrictReductionLoops(cg, function);
    }

    void lower() {
        List<BasicBlock> order = Dominators.reversePostorder(function);
        Set<BasicBlock> reachable = new HashSet<>(order);
        bindParameters();
        LLVMBasicBlockRef entry = cg.block(llvmFunction, "entry");
        for (BasicBlock block : order) starts.put(block, cg.block(llvmFunction, block.name()));
        LLVMPositionBuilderAtEnd(b, entry);
        // Only a function that calls can recurse; a leaf's frame is covered by its caller's margin.
        if (hasCall(order)) exceptions.checkStack();
        LLVMBuildBr(b, starts.get(function.entry()));

        List<Instruction> phis = new ArrayList<>();
        for (BasicBlock block : order) {
            LLVMPositionBuilderAtEnd(b, starts.get(block));
            arrays.startBlock();
            for (Instruction i : block.instructions()) {
                if (i.isPhi()) {
                    createPhi(i);
                    phis.add(i);
                } else {
                    if (i.isTerminator()) ends.put(block, LLVMGetInsertBlock(b));
                    lowerInstruction(i);
                }
            }
        }
        for (Instruction phi : phis) fillPhi(phi, reachable);
    }

    private static boolean hasCall(List<BasicBlock> blocks) {
        for (BasicBlock block : blocks) {
            for (Instruction i : block.instructions()) if (i.opcode() == Opcode.CALL) return true;
        }
        return false;
    }

    private void bindParameters() {
        int k = 1;
        for (Parameter p : function.parameters()) {
            if (p.type().isSegment()) {
                segments.put(p, new SegmentLowering.Parts(LLVMGetParam(llvmFunction, k), LLVMGetParam(llvmFunction, k + 1),
                        LLVMGetParam(llvmFunction, k + 2), LLVMGetParam(llvmFunction, k + 3)));
                k += 4;
                continue;
            }
            values.put(p, LLVMGetParam(llvmFunction, k++));
            if (p.type().isReference()) lengths.put(p, LLVMGetParam(llvmFunction, k++));
        }
    }

    // ---- values ---------------------------------------------------------------------------------

    private LLVMValueRef value(Value v) {
        if (v instanceof Constant c) return c.isNull() ? cg.nullPointer() : cg.constant(c);
        if (v instanceof ConstantArray t) return cg.table(t);
        LLVMValueRef r = values.get(v);
        if (r == null) throw new BackendException("no value for " + v.reference() + " in " + function.name());
        return r;
    }

    private LLVMValueRef length(Value v) {
        if (v instanceof Constant) return cg.i32(0);
        if (v instanceof ConstantArray t) return cg.i32(t.length());
        LLVMValueRef r = lengths.get(v);
        if (r == null) throw new BackendException("no array length for " + v.reference() + " in " + function.name());
        return r;
    }

    private SegmentLowering.Parts segment(Value v) {
        SegmentLowering.Parts r = segments.get(v);
        if (r == null) throw new BackendException("no segment for " + v.reference() + " in " + function.name());
        return r;
    }

    /** The LLVM values one IR value is passed as: one, two for an array, four for a segment. */
    private void addArgument(List<LLVMValueRef> args, Value v) {
        if (v.type().isSegment()) {
            args.addAll(List.of(segment(v).array()));
            return;
        }
        args.add(value(v));
        if (v.type().isReference()) args.add(length(v));
    }

    private void define(Instruction i, LLVMValueRef v) { values.put(i, v); }

    // ---- phis -----------------------------------------------------------------------------------

    private void createPhi(Instruction phi) {
        if (phi.type().isSegment()) {
            segments.put(phi, new SegmentLowering.Parts(LLVMBuildPhi(b, cg.ptr, "s" + phi.id()), LLVMBuildPhi(b, cg.i64, ""),
                    LLVMBuildPhi(b, cg.i64, ""), LLVMBuildPhi(b, cg.i64, "")));
        } else if (phi.type().isReference()) {
            define(phi, LLVMBuildPhi(b, cg.ptr, "v" + phi.id()));
            lengths.put(phi, LLVMBuildPhi(b, cg.i32, "n" + phi.id()));
        } else {
            define(phi, LLVMBuildPhi(b, cg.scalar(phi.type()), "v" + phi.id()));
        }
    }

    /** One incoming value per edge, from the LLVM block that ends the predecessor; dead edges are skipped. */
    private void fillPhi(Instruction phi, Set<BasicBlock> reachable) {
        for (int k = 0; k < phi.operands().size(); k++) {
            BasicBlock from = phi.incoming().get(k);
            if (!reachable.contains(from)) continue;
            Value v = phi.operand(k);
            LLVMBasicBlockRef end = ends.get(from);
            if (phi.type().isSegment()) {
                LLVMValueRef[] to = segments.get(phi).array(), in = segment(v).array();
                for (int p = 0; p < to.length; p++) LLVMAddIncoming(to[p], in[p], end, 1);
                continue;
            }
            LLVMAddIncoming(values.get(phi), value(v), end, 1);
            if (phi.type().isReference()) LLVMAddIncoming(lengths.get(phi), length(v), end, 1);
        }
    }

    // ---- instructions ---------------------------------------------------------------------------

    private void lowerInstruction(Instruction i) {
        int site = module.siteOf(i);
        switch (i.opcode()) {
            case ADD, SUB, MUL, DIV, REM, AND, OR, XOR, SHL, SHR, USHR, CMP, CMPL, CMPG ->
                    define(i, arithmetic.binary(i.opcode(), i.operand(0).type(), value(i.operand(0)),
                            value(i.operand(1)), exceptions, site));
            case NEG -> define(i, arithmetic.negate(i.type(), value(i.operand(0))));
            case CONVERT -> define(i, arithmetic.convert(i.conversionName(), value(i.operand(0))));
            case ARRAY_LENGTH -> define(i, arrays.length(value(i.operand(0)), length(i.operand(0)), exceptions, site));
            case ARRAY_LOAD -> {
                if (i.type().isReference()) {
                    LLVMValueRef[] row = arrays.loadRow(value(i.operand(0)), length(i.operand(0)), value(i.operand(1)), exceptions, site);
                    define(i, row[0]);
                    lengths.put(i, row[1]);
                } else {
                    define(i, arrays.load(i.type(), value(i.operand(0)), length(i.operand(0)), value(i.operand(1)),
                            RangeProof.proves(i), exceptions, site));
                }
            }
            case ARRAY_STORE -> arrays.store(i.operand(0).type().element(), value(i.operand(0)), length(i.operand(0)),
                    value(i.operand(1)), value(i.operand(2)), RangeProof.proves(i), exceptions, site);
            case SEGMENT_SIZE -> define(i, segmentAccess.size(segment(i.operand(0)), exceptions, site));
            case SEGMENT_GET, SEGMENT_GET_AT_INDEX -> define(i, segmentAccess.get(i.opcode(), ((Constant) i.operand(1)).layout(),
                    segment(i.operand(0)), value(i.operand(2)), exceptions, site));
            case SEGMENT_SET, SEGMENT_SET_AT_INDEX -> segmentAccess.set(i.opcode(), ((Constant) i.operand(1)).layout(),
                    segment(i.operand(0)), value(i.operand(2)), value(i.operand(3)), exceptions, site);
            case NEW_ARRAY -> {
                LLVMValueRef n = value(i.operand(0));
                define(i, arrays.allocate(i.type().element(), n, exceptions, site));
                lengths.put(i, n);
            }
            case INTRINSIC -> {
                if (i.intrinsic() == Intrinsic.PROFILE_VERSIONS) {
                    define(i, LLVMBuildLoad2(cg.builder, cg.i32, module.versionSwitch(Intrinsic.SWITCH_LOOP_VERSIONS), "versions"));
                    break;
                }
                LLVMValueRef[] args = new LLVMValueRef[i.operands().size()];
                for (int k = 0; k < args.length; k++) args[k] = value(i.operand(k));
                define(i, intrinsics.lower(i.intrinsic(), i.operand(0).type(), i.type(), args, exceptions, site));
            }
            case CALL -> call(i, site);
            case PARALLEL -> parallel(i);
            case GOTO -> {
                LLVMValueRef br = LLVMBuildBr(b, starts.get(i.targets().get(0)));
                scalarLoops.mark(i.block(), br);
            }
            case IF -> branch(i);
            case SWITCH -> switchOn(i);
            case RETURN -> ret(i);
            case PHI -> throw new BackendException("phi after the head of " + i.block());
        }
    }

    private void call(Instruction i, int site) {
        List<LLVMValueRef> args = new ArrayList<>();
        args.add(LLVMGetParam(llvmFunction, 0));
        for (Value v : i.operands()) addArgument(args, v);
        Codegen.Callee callee = module.callee(i.callee());
        LLVMValueRef result = cg.call(callee, args.toArray(LLVMValueRef[]::new));
        if (module.canRaise(i.callee())) exceptions.propagatePending(site);
        if (i.type().isReference()) {
            define(i, LLVMBuildExtractValue(b, result, 0, ""));
            lengths.put(i, LLVMBuildExtractValue(b, result, 1, ""));
        } else if (i.type() != Type.VOID) {
            define(i, result);
        }
    }

    private void parallel(Instruction i) {
        List<LLVMValueRef> args = new ArrayList<>();
        for (Value v : i.operands()) addArgument(args, v);
        Type t = i.type();
        LLVMValueRef result = module.parallel().run(llvmFunction, module.callee(i.callee()), args.toArray(LLVMValueRef[]::new),
                t == Type.VOID ? null : cg.scalar(t), (x, y) -> switch (i.reduction()) {
                    case ADD -> arithmetic.binary(Opcode.ADD, t, x, y, exceptions, ExceptionLowering.NO_SITE);
                    case MUL -> arithmetic.binary(Opcode.MUL, t, x, y, exceptions, ExceptionLowering.NO_SITE);
                    case MIN, MAX -> intrinsics.lower(i.reduction() == Reduction.MIN ? Intrinsic.MIN : Intrinsic.MAX, t, t,
                            new LLVMValueRef[] {x, y}, exceptions, ExceptionLowering.NO_SITE);
                    case NONE -> throw new BackendException("a parallel loop without a reduction has no result");
                });
        if (result != null) define(i, result);
    }

    private void branch(Instruction i) {
        int predicate = switch (i.condition()) {
            case EQ -> LLVMIntEQ;
            case NE -> LLVMIntNE;
            case LT -> LLVMIntSLT;
            case GE -> LLVMIntSGE;
            case GT -> LLVMIntSGT;
            case LE -> LLVMIntSLE;
        };
        // References compare by identity: their data pointers.
        LLVMValueRef test = LLVMBuildICmp(b, predicate, value(i.operand(0)), value(i.operand(1)), "");
        LLVMValueRef br = LLVMBuildCondBr(b, test, starts.get(i.targets().get(0)), starts.get(i.targets().get(1)));
        if (i.site() == Site.GUARD_FAILURE_FIRST) BranchWeights.rarelyFirst(cg, br);
        else module.branchWeights().attach(cg, function, module.isEntry(function), i, br);
        scalarLoops.mark(i.block(), br);
    }

    private void switchOn(Instruction i) {
        int[] keys = i.switchKeys();
        List<BasicBlock> targets = i.targets();
        LLVMValueRef sw = LLVMBuildSwitch(b, value(i.operand(0)), starts.get(targets.get(keys.length)), keys.length);
        for (int k = 0; k < keys.length; k++) LLVMAddCase(sw, cg.i32(keys[k]), starts.get(targets.get(k)));
    }

    private void ret(Instruction i) {
        if (function.returnType() == Type.VOID) {
            LLVMBuildRetVoid(b);
        } else if (function.returnType().isReference()) {
            Value v = i.operand(0);
            LLVMValueRef pair = LLVMGetUndef(cg.arrayPair);
            pair = LLVMBuildInsertValue(b, pair, value(v), 0, "");
            pair = LLVMBuildInsertValue(b, pair, length(v), 1, "");
            LLVMBuildRet(b, pair);
        } else {
            LLVMBuildRet(b, value(i.operand(0)));
        }
    }
}
