package dev.numbat.llvm;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Condition;
import dev.numbat.ir.Constant;
import dev.numbat.ir.Function;
import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Intrinsic;
import dev.numbat.ir.Module;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.Parameter;
import dev.numbat.ir.Site;
import dev.numbat.ir.Type;
import dev.numbat.ir.Value;

import java.util.Arrays;
import java.util.List;

/**
 * Builds a test function so that it reads like assembly: {@code var s = f.add(f.p(0), f.p(1)); f.ret(s);}.
 * Every instruction that may throw gets its own site, bytecode offset 10, 20, 30 ... so tests can tell
 * which one raised.
 */
final class TestIr {
    final Module module;
    final Function function;
    final FunctionBuilder b;
    private int nextOffset = 10;

    private TestIr(Module module, String name, Type result, Type... params) {
        this.module = module;
        StringBuilder d = new StringBuilder("(");
        for (Type t : params) d.append(t.descriptor());
        d.append(')').append(result.descriptor());
        function = new Function("test/T", name, d.toString(), result);
        b = new FunctionBuilder(function);
        for (int k = 0; k < params.length; k++) b.addParameter(params[k], "p" + k);
        b.at(b.newBlock());
        module.add(function);
    }

    /** The entry function of a new module. */
    static TestIr fn(String name, Type result, Type... params) {
        return new TestIr(new Module(), name, result, params);
    }

    /** Another function in the same module. */
    TestIr also(String name, Type result, Type... params) {
        return new TestIr(module, name, result, params);
    }

    Parameter p(int k) { return function.parameters().get(k); }

    Site site() {
        int offset = nextOffset;
        nextOffset += 10;
        return new Site(offset, offset / 10);
    }

    // ---- constants ----
    static Constant i(int v) { return Constant.ofInt(v); }
    static Constant l(long v) { return Constant.ofLong(v); }
    static Constant f(float v) { return Constant.ofFloat(v); }
    static Constant d(double v) { return Constant.ofDouble(v); }
    static Constant nullArray(Type elementType) { return Constant.nullOf(Type.arrayOf(elementType)); }

    // ---- instructions ----
    Instruction op(Opcode op, Value x, Value y) { return b.binary(op, x, y, site()); }
    Instruction add(Value x, Value y) { return op(Opcode.ADD, x, y); }
    Instruction sub(Value x, Value y) { return op(Opcode.SUB, x, y); }
    Instruction mul(Value x, Value y) { return op(Opcode.MUL, x, y); }
    Instruction neg(Value x) { return b.neg(x); }
    Instruction convert(Value x, Type to) { return b.convert(x, to); }
    Instruction length(Value array) { return b.arrayLength(array, site()); }
    Instruction load(Value array, Value index) { return b.arrayLoad(array, index, site()); }
    Instruction store(Value array, Value index, Value v) { return b.arrayStore(array, index, v, site()); }
    Instruction newArray(Type element, Value length) { return b.newArray(element, length, site()); }
    Instruction call(TestIr callee, Value... args) { return b.call(callee.function, List.of(args), site()); }
    Instruction intrinsic(Intrinsic in, Value... args) { return b.intrinsic(in, Arrays.asList(args), site()); }

    // ---- control flow ----
    BasicBlock block() { return b.newBlock(); }
    TestIr at(BasicBlock block) { b.at(block); return this; }
    BasicBlock current() { return b.currentBlock(); }
    Instruction phi(BasicBlock block, Type type) { return b.phi(block, type); }
    void incoming(Instruction phi, BasicBlock from, Value v) { b.addIncoming(phi, from, v); }
    void jump(BasicBlock target) { b.jump(target); }
    void branch(Condition c, Value x, Value y, BasicBlock ifTrue, BasicBlock ifFalse) { b.branch(c, x, y, ifTrue, ifFalse); }
    void switchOn(Value key, int[] keys, BasicBlock... targets) { b.switchOn(key, keys, List.of(targets)); }
    void ret(Value v) { b.ret(v); }
    void ret() { b.ret(null); }
}
