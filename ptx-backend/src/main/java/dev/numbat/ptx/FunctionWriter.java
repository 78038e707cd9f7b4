package dev.numbat.ptx;

import static dev.numbat.ptx.LlvmTypes.memory;
import static dev.numbat.ptx.LlvmTypes.scalar;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Constant;
import dev.numbat.ir.ConstantArray;
import dev.numbat.ir.Dominators;
import dev.numbat.ir.Function;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Parameter;
import dev.numbat.ir.Type;
import dev.numbat.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes one IR function as an NVPTX LLVM IR function {@code RET @fN(ptr %err, ptr %failed, params...)}.
 * {@code err} is the launch's error buffer (kind, index, length, site of the first Java exception raised
 * by any thread); {@code failed} is the thread's own flag, set when it raised one, so that callers return
 * at once, as the exception would unwind them. Arrays are two values: a generic pointer and an i32 length.
 * Arithmetic keeps the JVM's rules exactly as the CPU back end does (docs/semantics.md); calls to
 * {@code dev.numbat.Gpu} become PTX special registers, barriers, atomics and shared memory.
 */
final class FunctionWriter {
    static final int AIOOBE = 1, DIVISION_BY_ZERO = 2, NULL_POINTER = 3, INTEGER_OVERFLOW = 7, LONG_OVERFLOW = 8;

    private final KernelModuleWriter module;
    private final Function function;
    private final ParallelLoop loop;
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder allocas = new StringBuilder();
    private final Map<Instruction, BasicBlock> ends = new HashMap<>();
    private final Map<BasicBlock, String> endLabels = new HashMap<>();
    private final Map<Value, Integer> sharedSizes = new HashMap<>();
    private final MathWriter math;
    private String label;
    private int temp;

    FunctionWriter(KernelModuleWriter module, Function function, ParallelLoop loop) {
        this.module = module;
        this.function = function;
        this.loop = loop;
        this.math = new MathWriter(this);
    }

    Function function() { return function; }
    KernelModuleWriter module() { return module; }

    String write() throws PtxCompileException {
        List<BasicBlock> order = Dominators.reversePostorder(function);
        Set<BasicBlock> reachable = new HashSet<>(order);
        List<Instruction> phis = new ArrayList<>();
        label("entry");
        int preludeEnd = out.length();
        if (loop != null) loop.writePrelude(this);
        emit("br label %" + order.get(0).name());
        for (BasicBlock block : order) {
            label(block.name());
            for (Instruction i : block.instructions()) {
                if (i.isPhi()) {
                    phis.add(i);
                    out.append("@@PHI").append(i.id()).append("@@\n");
                    if (i.type().isReference()) out.append("@@PHIN").append(i.id()).append("@@\n");
                    continue;
                }
                if (i.isTerminator()) {
                    if (loop != null) loop.beforeTerminator(this, block);
                    endLabels.put(block, label);
                }
                instruction(i);
            }
        }
        String body = out.toString();
        for (Instruction phi : phis) {
            body = body.replace("@@PHI" + phi.id() + "@@", phi(phi, reachable, false));
            if (phi.type().isReference()) body = body.replace("@@PHIN" + phi.id() + "@@", phi(phi, reachable, true));
        }
        body = body.substring(0, preludeEnd) + allocas + body.substring(preludeEnd);
        return header() + " {\n" + body + "}\n";
    }

    private String header() {
        StringBuilder h = new StringBuilder("define internal ").append(scalar(function.returnType())).append(' ')
                .append(module.nameOf(function)).append("(ptr %err, ptr %failed");
        for (Parameter p : function.parameters()) {
            h.append(", ").append(scalar(p.type())).append(" %a").append(p.index());
            if (p.type().isReference()) h.append(", i32 %a").append(p.index()).append(".n");
        }
        // As clang does for CUDA: every device function may reach bar.sync, so no transform may make a call to it
        // depend on more control flow than it did; LLVM drops the attribute where it can prove it needless.
        return h.append(") convergent").toString();
    }

    private String phi(Instruction phi, Set<BasicBlock> reachable, boolean lengths) {
        String type = lengths ? "i32" : scalar(phi.type());
        StringBuilder b = new StringBuilder("  ").append(lengths ? len(phi) : val(phi)).append(" = phi ").append(type);
        boolean first = true;
        for (int k = 0; k < phi.operands().size(); k++) {
            BasicBlock from = phi.incoming().get(k);
            if (!reachable.contains(from)) continue;
            Value v = phi.operand(k);
            String incoming = lengths ? len(v) : loop != null && loop.replacesIncoming(phi, from) ? loop.initial() : val(v);
            b.append(first ? " " : ", ").append("[ ").append(incoming).append(", %").append(endLabels.get(from)).append(" ]");
            first = false;
        }
        return b.toString();
    }

    // ---- text helpers --------------------------------------------------------------------------

    void emit(String line) { out.append("  ").append(line).append('\n'); }

    void label(String name) {
        out.append(name).append(":\n");
        label = name;
    }

    String fresh() { return "%t" + temp++; }
    String freshLabel() { return "x" + temp++; }

    /** Emits {@code %t = rhs} and returns %t. */
    String let(String rhs) {
        String t = fresh();
        emit(t + " = " + rhs);
        return t;
    }

    String val(Value v) {
        if (v instanceof Constant c) return LlvmTypes.constant(c);
        if (v instanceof Parameter p) return "%a" + p.index();
        if (v instanceof ConstantArray t) return module.table(t);
        return "%v" + ((Instruction) v).id();
    }

    String len(Value v) {
        if (v instanceof Constant) return "0";
        if (v instanceof Parameter p) return "%a" + p.index() + ".n";
        if (v instanceof ConstantArray t) return Integer.toString(t.length());
        Integer shared = sharedSizes.get(v);
        if (shared != null) return Integer.toString(shared);
        return "%v" + ((Instruction) v).id() + ".n";
    }

    /** {@code type value}, as operands are written. */
    String typed(Value v) { return scalar(v.type()) + " " + val(v); }

    // ---- exceptions ----------------------------------------------------------------------------

    /** If {@code condition} (an i1) holds, records the exception and returns from the function. */
    void raiseIf(String condition, int kind, String index, String length, Instruction at) {
        String yes = freshLabel(), no = freshLabel();
        emit("br i1 " + condition + ", label %" + yes + ", label %" + no);
        label(yes);
        emit("call void @numbat.raise(ptr %err, ptr %failed, i32 " + kind + ", i32 " + index + ", i32 " + length
                + ", i32 " + module.siteOf(at) + ")");
        emit(returnDefault());
        label(no);
    }

    private String returnDefault() {
        Type r = function.returnType();
        return r == Type.VOID ? "ret void" : "ret " + scalar(r) + " " + LlvmTypes.zero(r);
    }

    // ---- instructions --------------------------------------------------------------------------

    private void instruction(Instruction i) throws PtxCompileException {
        String v = val(i);
        switch (i.opcode()) {
            case ADD, SUB, MUL, DIV, REM, AND, OR, XOR, SHL, SHR, USHR, CMP, CMPL, CMPG -> {
                if (loop != null && loop.isIncrement(i)) {
                    loop.writeIncrement(this, i);
                } else {
                    binary(i);
                }
            }
            case NEG -> emit(v + (i.type().isFloating() ? " = fneg " + typed(i.operand(0))
                    : " = sub " + scalar(i.type()) + " 0, " + val(i.operand(0))));
            case CONVERT -> emit(v + " = " + convert(i.conversionName(), val(i.operand(0))));
            case ARRAY_LENGTH -> {
                nullCheck(i.operand(0), i);
                emit(v + " = add i32 " + len(i.operand(0)) + ", 0");
            }
            case ARRAY_LOAD -> arrayLoad(i);
            case ARRAY_STORE -> arrayStore(i);
            case NEW_ARRAY -> newArray(i);
            case INTRINSIC -> math.intrinsic(i);
            case CALL -> call(i);
            case GOTO -> emit("br label %" + i.targets().get(0).name());
            case IF -> {
                String p = switch (i.condition()) {
                    case EQ -> "eq"; case NE -> "ne"; case LT -> "slt"; case GE -> "sge"; case GT -> "sgt"; case LE -> "sle";
                };
                String test = let("icmp " + p + " " + typed(i.operand(0)) + ", " + val(i.operand(1)));
                emit("br i1 " + test + ", label %" + i.targets().get(0).name() + ", label %" + i.targets().get(1).name());
            }
            case SWITCH -> {
                int[] keys = i.switchKeys();
                StringBuilder s = new StringBuilder("switch i32 " + val(i.operand(0)) + ", label %"
                        + i.targets().get(keys.length).name() + " [");
                for (int k = 0; k < keys.length; k++) s.append(" i32 ").append(keys[k]).append(", label %").append(i.targets().get(k).name());
                emit(s.append(" ]").toString());
            }
            case RETURN -> emit(function.returnType() == Type.VOID ? "ret void" : "ret " + typed(i.operand(0)));
            case PHI -> throw new PtxCompileException("phi after the head of " + i.block() + " in " + function.displayName());
        }
    }

    private void binary(Instruction i) {
        Type t = i.operand(0).type();
        String ty = scalar(t), x = val(i.operand(0)), y = val(i.operand(1)), v = val(i);
        boolean fp = t.isFloating();
        String flags = module.fpFlags();
        switch (i.opcode()) {
            case ADD -> emit(v + " = " + (fp ? "fadd " + flags : "add ") + ty + " " + x + ", " + y);
            case SUB -> emit(v + " = " + (fp ? "fsub " + flags : "sub ") + ty + " " + x + ", " + y);
            case MUL -> emit(v + " = " + (fp ? "fmul " + flags : "mul ") + ty + " " + x + ", " + y);
            case DIV -> {
                if (fp) emit(v + " = fdiv " + flags + ty + " " + x + ", " + y); else divide(i, ty, x, y, false);
            }
            // NVPTX's own frem is x - trunc(x / y) * y, which rounds; libdevice's fmod is exact, as Java's % is.
            case REM -> {
                if (fp) emit(v + " = " + math.libdevice(t == Type.FLOAT ? "fmodf" : "fmod", ty, "floating-point %", x, y));
                else divide(i, ty, x, y, true);
            }
            case AND -> emit(v + " = and " + ty + " " + x + ", " + y);
            case OR -> emit(v + " = or " + ty + " " + x + ", " + y);
            case XOR -> emit(v + " = xor " + ty + " " + x + ", " + y);
            case SHL, SHR, USHR -> {
                String count = t == Type.INT ? let("and i32 " + y + ", 31") : let("zext i32 " + let("and i32 " + y + ", 63") + " to i64");
                String op = i.opcode() == Opcode.SHL ? "shl" : i.opcode() == Opcode.SHR ? "ashr" : "lshr";
                emit(v + " = " + op + " " + ty + " " + x + ", " + count);
            }
            case CMP -> threeWay(v, "icmp slt " + ty + " " + x + ", " + y, "icmp sgt " + ty + " " + x + ", " + y);
            case CMPL -> threeWay(v, "fcmp ult " + ty + " " + x + ", " + y, "fcmp ogt " + ty + " " + x + ", " + y);
            case CMPG -> threeWay(v, "fcmp olt " + ty + " " + x + ", " + y, "fcmp ugt " + ty + " " + x + ", " + y);
            default -> throw new IllegalStateException(i.opcode().text);
        }
    }

    private void threeWay(String v, String less, String greater) {
        String l = let("zext i1 " + let(less) + " to i32");
        String g = let("zext i1 " + let(greater) + " to i32");
        emit(v + " = sub i32 " + g + ", " + l);
    }

    /** Zero raises ArithmeticException; -1 is replaced by 1 and the quotient negated (MIN_VALUE / -1 wraps). */
    private void divide(Instruction i, String ty, String x, String y, boolean remainder) {
        raiseIf(let("icmp eq " + ty + " " + y + ", 0"), DIVISION_BY_ZERO, "0", "0", i);
        String minusOne = let("icmp eq " + ty + " " + y + ", -1");
        String safe = let("select i1 " + minusOne + ", " + ty + " 1, " + ty + " " + y);
        if (remainder) {
            String r = let("srem " + ty + " " + x + ", " + safe);
            emit(val(i) + " = select i1 " + minusOne + ", " + ty + " 0, " + ty + " " + r);
        } else {
            String q = let("sdiv " + ty + " " + x + ", " + safe);
            String neg = let("sub " + ty + " 0, " + x);
            emit(val(i) + " = select i1 " + minusOne + ", " + ty + " " + neg + ", " + ty + " " + q);
        }
    }

    String convert(String name, String x) {
        return switch (name) {
            case "i2l" -> "sext i32 " + x + " to i64";
            case "l2i" -> "trunc i64 " + x + " to i32";
            case "i2f" -> "sitofp i32 " + x + " to float";
            case "l2f" -> "sitofp i64 " + x + " to float";
            case "i2d" -> "sitofp i32 " + x + " to double";
            case "l2d" -> "sitofp i64 " + x + " to double";
            case "f2d" -> "fpext float " + x + " to double";
            case "d2f" -> "fptrunc double " + x + " to float";
            // The JVM saturates and maps NaN to 0, as fptosi.sat does.
            case "f2i" -> math.call("llvm.fptosi.sat.i32.f32", "i32", "float " + x);
            case "d2i" -> math.call("llvm.fptosi.sat.i32.f64", "i32", "double " + x);
            case "f2l" -> math.call("llvm.fptosi.sat.i64.f32", "i64", "float " + x);
            case "d2l" -> math.call("llvm.fptosi.sat.i64.f64", "i64", "double " + x);
            case "i2b" -> "sext i8 " + let("trunc i32 " + x + " to i8") + " to i32";
            case "i2s" -> "sext i16 " + let("trunc i32 " + x + " to i16") + " to i32";
            case "i2c" -> "zext i16 " + let("trunc i32 " + x + " to i16") + " to i32";
            case "i2z" -> "and i32 " + x + ", 1";
            // Sub-int values already live narrowed in an i32.
            case "b2i", "s2i", "c2i", "z2i" -> "add i32 " + x + ", 0";
            default -> throw new IllegalStateException("conversion " + name);
        };
    }

    // ---- arrays --------------------------------------------------------------------------------

    void nullCheck(Value array, Instruction at) {
        if (!module.checkBounds() || sharedSizes.containsKey(array) || array instanceof ConstantArray) return;
        raiseIf(let("icmp eq ptr " + val(array) + ", null"), NULL_POINTER, "0", "0", at);
    }

    /** The element's address, after the null and bounds checks the JVM makes, in its order. */
    String address(Value array, Value index, Instruction at) {
        nullCheck(array, at);
        String idx = val(index), n = len(array);
        if (module.checkBounds()) raiseIf(let("icmp uge i32 " + idx + ", " + n), AIOOBE, idx, n, at);
        String wide = let("sext i32 " + idx + " to i64");
        return let("getelementptr inbounds " + memory(array.type().element()) + ", ptr " + val(array) + ", i64 " + wide);
    }

    private void arrayLoad(Instruction i) {
        Type e = i.operand(0).type().element();
        String p = address(i.operand(0), i.operand(1), i);
        String raw = let("load " + memory(e) + ", ptr " + p);
        emit(val(i) + " = " + switch (e.kind()) {
            case BYTE, SHORT -> "sext " + memory(e) + " " + raw + " to i32";
            case BOOLEAN, CHAR -> "zext " + memory(e) + " " + raw + " to i32";
            default -> "bitcast " + memory(e) + " " + raw + " to " + memory(e);
        });
    }

    private void arrayStore(Instruction i) {
        Type e = i.operand(0).type().element();
        String p = address(i.operand(0), i.operand(1), i);
        String x = val(i.operand(2));
        String stored = switch (e.kind()) {
            // bastore on a boolean[] keeps only the low bit.
            case BOOLEAN -> let("trunc i32 " + let("and i32 " + x + ", 1") + " to i8");
            case BYTE -> let("trunc i32 " + x + " to i8");
            case SHORT, CHAR -> let("trunc i32 " + x + " to i16");
            default -> x;
        };
        emit("store " + memory(e) + " " + stored + ", ptr " + p);
    }

    private void newArray(Instruction i) throws PtxCompileException {
        Type e = i.type().element();
        Value size = i.operand(0);
        if (size instanceof Instruction c && c.opcode() == Opcode.CALL && GpuCalls.isShared(c.callee())) {
            if (!(c.operand(0) instanceof Constant n) || n.intValue() < 0) {
                throw module.refuse(i, "shared array whose size is not a non-negative constant");
            }
            String global = module.sharedGlobal(memory(e), n.intValue());
            sharedSizes.put(i, n.intValue());
            emit(val(i) + " = addrspacecast ptr addrspace(3) " + global + " to ptr");
            return;
        }
        if (!(size instanceof Constant n) || n.intValue() < 0 || (long) n.intValue() * e.byteSize() > 65536) {
            throw module.refuse(i, "local array in a kernel whose size is not a constant of at most 64 KiB");
        }
        // An alloca in the entry block is one per-thread buffer; new arrays are zero each time they are made.
        String slot = "%s" + i.id();
        allocas.append("  ").append(slot).append(" = alloca [").append(n.intValue()).append(" x ").append(memory(e))
                .append("], align 8\n");
        long bytes = (long) n.intValue() * e.byteSize();
        emit("call void @llvm.memset.p0.i64(ptr " + slot + ", i8 0, i64 " + bytes + ", i1 false)");
        module.declare("declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)");
        emit(val(i) + " = getelementptr i8, ptr " + slot + ", i64 0");
        emit(len(i) + " = add i32 " + n.intValue() + ", 0");
    }

    // ---- calls ---------------------------------------------------------------------------------

    private void call(Instruction i) throws PtxCompileException {
        Function callee = i.callee();
        if (GpuCalls.isGpu(callee)) {
            new GpuCalls(this).lower(i);
            return;
        }
        StringBuilder args = new StringBuilder("ptr %err, ptr %failed");
        for (Value a : i.operands()) {
            args.append(", ").append(typed(a));
            if (a.type().isReference()) args.append(", i32 ").append(len(a));
        }
        String ret = scalar(i.type());
        String call = "call " + ret + " " + module.nameOf(callee) + "(" + args + ")";
        emit(i.type() == Type.VOID ? call : val(i) + " = " + call);
        // The callee raised: return at once, as the exception would unwind this frame.
        String failed = let("load i32, ptr %failed");
        String bail = freshLabel(), go = freshLabel();
        emit("br i1 " + let("icmp ne i32 " + failed + ", 0") + ", label %" + bail + ", label %" + go);
        label(bail);
        emit(returnDefault());
        label(go);
    }
}
