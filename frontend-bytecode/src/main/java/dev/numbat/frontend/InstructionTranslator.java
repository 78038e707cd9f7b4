package dev.numbat.frontend;

import static org.objectweb.asm.Opcodes.*;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.Condition;
import dev.numbat.ir.Constant;
import dev.numbat.ir.ConstantArray;
import dev.numbat.ir.Function;
import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.Intrinsic;
import dev.numbat.ir.Opcode;
import dev.numbat.ir.SegmentLayout;
import dev.numbat.ir.Site;
import dev.numbat.ir.Type;
import dev.numbat.ir.Value;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Translates one bytecode instruction into IR against the lifter's simulated stack, one handler per
 * opcode family as ASM's own {@code Interpreter} is organised. Values on the stack are stack-typed:
 * sub-int values are widened when they are loaded and narrowed when they are stored, passed or returned.
 */
final class InstructionTranslator {
    private final MethodLifter lifter;
    private final FunctionBuilder b;

    InstructionTranslator(MethodLifter lifter) {
        this.lifter = lifter;
        this.b = lifter.builder;
    }

    void translate(int index, AbstractInsnNode insn) throws UnsupportedConstructException {
        int op = insn.getOpcode();
        if (op == NOP) return;
        if (op <= LDC) { constant(insn); return; }
        if (op >= ILOAD && op <= ALOAD) { lifter.push(lifter.readLocal(((VarInsnNode) insn).var)); return; }
        if (op == AALOAD) { rowLoad(index); return; }
        if (op >= IALOAD && op <= SALOAD) { arrayLoad(index, op); return; }
        if (op >= ISTORE && op <= ASTORE) { lifter.writeLocal(((VarInsnNode) insn).var, lifter.pop()); return; }
        if (op >= IASTORE && op <= SASTORE) { arrayStore(index, op); return; }
        if (StackShuffle.isShuffle(op)) { StackShuffle.apply(op, lifter.stack, InstructionTranslator::wide); return; }
        if (op >= IADD && op <= LXOR) { arithmetic(index, op); return; }
        if (op == IINC) { increment((IincInsnNode) insn); return; }
        if (op >= I2L && op <= I2S) { conversion(op); return; }
        if (op >= LCMP && op <= DCMPG) { compare(op); return; }
        if (op >= IFEQ && op <= IF_ACMPNE || op == IFNULL || op == IFNONNULL) { conditional(index, op, (JumpInsnNode) insn); return; }
        switch (op) {
            case GOTO -> { lifter.writeStack(); b.jump(lifter.blockAt(((JumpInsnNode) insn).label)); lifter.endBlock(); }
            case TABLESWITCH -> tableSwitch((TableSwitchInsnNode) insn);
            case LOOKUPSWITCH -> lookupSwitch((LookupSwitchInsnNode) insn);
            case IRETURN, LRETURN, FRETURN, DRETURN -> { b.ret(narrow(lifter.pop(), lifter.function.returnType())); lifter.endBlock(); }
            case RETURN -> { b.ret(null); lifter.endBlock(); }
            case GETSTATIC -> lifter.push(staticConstant(index, (FieldInsnNode) insn));
            case INVOKESTATIC -> invokeStatic(index, (MethodInsnNode) insn);
            case INVOKEINTERFACE -> segmentAccess(index, (MethodInsnNode) insn);
            case NEWARRAY -> {
                Type element = newArrayElement(((IntInsnNode) insn).operand);
                lifter.push(b.newArray(element, lifter.pop(), lifter.site(index)));
            }
            case ARRAYLENGTH -> lifter.push(b.arrayLength(typedArray(lifter.pop(), null), lifter.arraySite(index, 0)));
            default -> throw lifter.unsupported(index, "opcode " + op);
        }
    }

    // ---- constants, locals, stack --------------------------------------------------------------

    private void constant(AbstractInsnNode insn) {
        int op = insn.getOpcode();
        Value v = switch (op) {
            case ACONST_NULL -> Constant.nullOf(Type.NULL);
            case ICONST_M1, ICONST_0, ICONST_1, ICONST_2, ICONST_3, ICONST_4, ICONST_5 -> Constant.ofInt(op - ICONST_0);
            case LCONST_0, LCONST_1 -> Constant.ofLong(op - LCONST_0);
            case FCONST_0, FCONST_1, FCONST_2 -> Constant.ofFloat(op - FCONST_0);
            case DCONST_0, DCONST_1 -> Constant.ofDouble(op - DCONST_0);
            case BIPUSH, SIPUSH -> Constant.ofInt(((IntInsnNode) insn).operand);
            default -> switch (((LdcInsnNode) insn).cst) {
                case Integer i -> Constant.ofInt(i);
                case Long l -> Constant.ofLong(l);
                case Float f -> Constant.ofFloat(f);
                case Double d -> Constant.ofDouble(d);
                default -> throw new IllegalStateException("checked by SupportCheck");
            };
        };
        lifter.push(v);
    }

    private void increment(IincInsnNode insn) {
        Value v = lifter.readLocal(insn.var);
        lifter.writeLocal(insn.var, b.binary(Opcode.ADD, v, Constant.ofInt(insn.incr), Site.UNKNOWN));
    }

    private static boolean wide(Value v) { return v.type() == Type.LONG || v.type() == Type.DOUBLE; }

    // ---- arithmetic, conversions, comparisons --------------------------------------------------

    private void arithmetic(int index, int op) {
        if (op >= INEG && op <= DNEG) { lifter.push(b.neg(lifter.pop())); return; }
        Value right = lifter.pop(), left = lifter.pop();
        Opcode o;
        if (op <= DREM) o = new Opcode[] {Opcode.ADD, Opcode.SUB, Opcode.MUL, Opcode.DIV, Opcode.REM}[(op - IADD) / 4];
        else if (op <= LUSHR) o = new Opcode[] {Opcode.SHL, Opcode.SHR, Opcode.USHR}[(op - ISHL) / 2];
        else o = new Opcode[] {Opcode.AND, Opcode.OR, Opcode.XOR}[(op - IAND) / 2];
        lifter.push(b.binary(o, left, right, lifter.site(index)));
    }

    private void conversion(int op) {
        Value v = lifter.pop();
        Type to = switch (op) {
            case L2I, F2I, D2I -> Type.INT;
            case I2L, F2L, D2L -> Type.LONG;
            case I2F, L2F, D2F -> Type.FLOAT;
            case I2D, L2D, F2D -> Type.DOUBLE;
            case I2B -> Type.BYTE;
            case I2C -> Type.CHAR;
            default -> Type.SHORT;
        };
        Value r = b.convert(v, to);
        lifter.push(to.isSubInt() ? b.convert(r, Type.INT) : r);
    }

    private void compare(int op) {
        Value right = lifter.pop(), left = lifter.pop();
        Opcode o = op == LCMP ? Opcode.CMP : (op == FCMPL || op == DCMPL) ? Opcode.CMPL : Opcode.CMPG;
        lifter.push(b.binary(o, left, right, Site.UNKNOWN));
    }

    // ---- control flow --------------------------------------------------------------------------

    private void conditional(int index, int op, JumpInsnNode jump) throws UnsupportedConstructException {
        Value right, left;
        Condition c;
        if (op >= IFEQ && op <= IFLE) {
            left = lifter.pop();
            right = Constant.ofInt(0);
            c = Condition.values()[op - IFEQ];
        } else if (op >= IF_ICMPEQ && op <= IF_ICMPLE) {
            right = lifter.pop();
            left = lifter.pop();
            c = Condition.values()[op - IF_ICMPEQ];
        } else if (op == IF_ACMPEQ || op == IF_ACMPNE) {
            right = lifter.pop();
            left = lifter.pop();
            c = op == IF_ACMPEQ ? Condition.EQ : Condition.NE;
        } else {
            left = lifter.pop();
            right = Constant.nullOf(left.type());
            c = op == IFNULL ? Condition.EQ : Condition.NE;
        }
        if (left.type().isSegment() || right.type().isSegment()) {
            throw lifter.unsupported(index, "comparison of MemorySegment references");
        }
        lifter.writeStack();
        BasicBlock taken = lifter.blockAt(jump.label);
        BasicBlock next = lifter.fallThroughBlock();
        // The offset lets a run-time profile weigh the branch; no line, since diagnostics take a loop's line from
        // the instructions in it that may throw.
        lifter.branch(c, left, right, taken, next, new Site(lifter.site(index).bytecodeOffset(), -1));
        lifter.endBlock();
    }

    private void tableSwitch(TableSwitchInsnNode s) {
        int[] keys = new int[s.labels.size()];
        for (int k = 0; k < keys.length; k++) keys[k] = s.min + k;
        switchOn(keys, s.labels, s.dflt);
    }

    private void lookupSwitch(LookupSwitchInsnNode s) {
        int[] keys = new int[s.keys.size()];
        for (int k = 0; k < keys.length; k++) keys[k] = s.keys.get(k);
        switchOn(keys, s.labels, s.dflt);
    }

    private void switchOn(int[] keys, List<LabelNode> labels, LabelNode dflt) {
        Value key = lifter.pop();
        lifter.writeStack();
        List<BasicBlock> targets = new ArrayList<>();
        for (LabelNode l : labels) targets.add(lifter.blockAt(l));
        targets.add(lifter.blockAt(dflt));
        b.switchOn(key, keys, targets);
        lifter.endBlock();
    }

    // ---- arrays --------------------------------------------------------------------------------

    /** The array operand; a value only known as null gets the array type the opcode implies. */
    private Value typedArray(Value array, Type element) {
        if (array.type() != Type.NULL) return array;
        return Constant.nullOf(Type.arrayOf(element == null ? Type.INT : element));
    }

    private static Type elementOf(int op) {
        return switch (op) {
            case IALOAD, IASTORE -> Type.INT;
            case LALOAD, LASTORE -> Type.LONG;
            case FALOAD, FASTORE -> Type.FLOAT;
            case DALOAD, DASTORE -> Type.DOUBLE;
            case BALOAD, BASTORE -> Type.BYTE;
            case CALOAD, CASTORE -> Type.CHAR;
            default -> Type.SHORT;
        };
    }

    private void arrayLoad(int index, int op) {
        Value i = lifter.pop();
        Value array = typedArray(lifter.pop(), elementOf(op));
        Value v = b.arrayLoad(array, i, lifter.arraySite(index, 1));
        lifter.push(v.type().isSubInt() ? b.convert(v, Type.INT) : v);
    }

    /** {@code a[i]} of a two-dimensional primitive array: the row, itself an array value (maybe null). */
    private void rowLoad(int index) throws UnsupportedConstructException {
        Value i = lifter.pop();
        Value array = lifter.pop();
        if (!array.type().isArrayOfArrays()) {
            throw lifter.unsupported(index, "array of references (only two-dimensional primitive arrays are compiled)");
        }
        lifter.push(b.arrayLoad(array, i, lifter.arraySite(index, 1)));
    }

    private void arrayStore(int index, int op) throws UnsupportedConstructException {
        Value v = lifter.pop(), i = lifter.pop();
        Value array = typedArray(lifter.pop(), elementOf(op));
        if (array instanceof ConstantArray t) throw lifter.unsupported(index, "write to the static table " + t.name());
        // bastore on a boolean[] keeps only the low bit (JVMS 6.5 bastore); narrow() does that for boolean.
        b.arrayStore(array, i, narrow(v, array.type().element()), lifter.arraySite(index, 2));
    }

    private static Type newArrayElement(int typeCode) {
        return switch (typeCode) {
            case T_BOOLEAN -> Type.BOOLEAN;
            case T_CHAR -> Type.CHAR;
            case T_FLOAT -> Type.FLOAT;
            case T_DOUBLE -> Type.DOUBLE;
            case T_BYTE -> Type.BYTE;
            case T_SHORT -> Type.SHORT;
            case T_INT -> Type.INT;
            default -> Type.LONG;
        };
    }

    /** An int narrowed to a sub-int type where one is expected (array element, parameter, return). */
    private Value narrow(Value v, Type expected) {
        return expected.isSubInt() ? b.convert(v, expected) : v;
    }

    // ---- calls and static fields ---------------------------------------------------------------

    private void invokeStatic(int index, MethodInsnNode call) throws UnsupportedConstructException {
        org.objectweb.asm.Type[] argTypes = org.objectweb.asm.Type.getArgumentTypes(call.desc);
        List<Value> args = new ArrayList<>();
        for (int k = argTypes.length - 1; k >= 0; k--) args.add(0, lifter.pop());
        Intrinsic intrinsic = KnownMethods.intrinsic(call.owner, call.name, call.desc);
        Value result;
        if (intrinsic != null) {
            result = b.intrinsic(intrinsic, args, lifter.site(index));
        } else {
            Function callee = lifter.session.callee(call, lifter, index);
            // The callee may not be lifted yet, so its parameters come from the call's descriptor.
            for (int k = 0; k < args.size(); k++) {
                Type param = Type.fromDescriptor(argTypes[k].getDescriptor());
                Value arg = args.get(k);
                if (param.isSegment() && !arg.type().isSegment()) throw lifter.unsupported(index, "null passed as a MemorySegment");
                args.set(k, arg.type() == Type.NULL ? Constant.nullOf(param) : narrow(arg, param));
            }
            result = b.call(callee, args, lifter.site(index));
        }
        if (result.type() != Type.VOID) lifter.push(result.type().isSubInt() ? b.convert(result, Type.INT) : result);
    }

    private Value staticConstant(int index, FieldInsnNode field) throws UnsupportedConstructException {
        if (field.desc.startsWith("[")) return lifter.session.staticTable(field, lifter, index);
        if (Type.fromDescriptor(field.desc) == Type.LAYOUT) return layoutConstant(index, field);
        Object value = lifter.session.staticFinalValue(field, lifter, index);
        return switch (value) {
            case Integer i -> Constant.ofInt(i);
            case Short s -> Constant.ofInt(s);
            case Byte y -> Constant.ofInt(y);
            case Character c -> Constant.ofInt(c);
            case Boolean z -> Constant.ofInt(z ? 1 : 0);
            case Long l -> Constant.ofLong(l);
            case Float f -> Constant.ofFloat(f);
            case Double d -> Constant.ofDouble(d);
            default -> throw lifter.unsupported(index, "read of static field " + field.name);
        };
    }

    // ---- MemorySegment -------------------------------------------------------------------------

    /**
     * A {@code ValueLayout} the access names: {@code ValueLayout.JAVA_DOUBLE} and the like, or a static final
     * field holding one of them (equal to it: same name, byte order and alignment).
     */
    private Value layoutConstant(int index, FieldInsnNode field) throws UnsupportedConstructException {
        SegmentLayout layout = null;
        if (field.owner.equals("java/lang/foreign/ValueLayout")) {
            layout = SegmentLayout.byFieldName(field.name);
        } else {
            Object value = lifter.session.staticFinalValue(field, lifter, index);
            for (SegmentLayout l : SegmentLayout.values()) {
                if (l.valueLayout().equals(value)) layout = l;
            }
        }
        if (layout == null) {
            throw lifter.unsupported(index, "layout " + org.objectweb.asm.Type.getObjectType(field.owner).getClassName() + "."
                    + field.name + " (supported: ValueLayout.JAVA_BYTE, JAVA_CHAR, JAVA_SHORT, JAVA_INT, JAVA_LONG, JAVA_FLOAT, "
                    + "JAVA_DOUBLE and their _UNALIGNED forms)");
        }
        return Constant.ofLayout(layout);
    }

    /** {@code segment.get/set/getAtIndex/setAtIndex(layout, offset[, value])} and {@code segment.byteSize()}. */
    private void segmentAccess(int index, MethodInsnNode call) throws UnsupportedConstructException {
        Opcode op = SegmentMethods.opcodeOf(call.owner, call.name, call.desc);
        if (op == null) throw lifter.unsupported(index, "virtual call (" + SupportCheck.method(call) + ")");
        Site site = lifter.arraySite(index, SegmentMethods.argumentCount(op));
        Value value = op.isSegmentStore() ? lifter.pop() : null;
        Value offset = op == Opcode.SEGMENT_SIZE ? null : lifter.pop();
        Value layout = op == Opcode.SEGMENT_SIZE ? null : lifter.pop();
        Value segment = lifter.pop();
        if (!segment.type().isSegment()) throw lifter.unsupported(index, "MemorySegment access on a null constant");
        if (op == Opcode.SEGMENT_SIZE) {
            lifter.push(b.segmentSize(segment, site));
            return;
        }
        if (!(layout instanceof Constant l) || l.type() != Type.LAYOUT) {
            throw lifter.unsupported(index, "MemorySegment access whose layout is not a ValueLayout constant named at the call "
                    + "(write ValueLayout.JAVA_DOUBLE, or a static final field holding it, in the call itself)");
        }
        Type element = l.layout().element();
        if (value != null) {
            b.segmentSet(op, segment, l, offset, narrow(value, element), site);
        } else {
            Value v = b.segmentGet(op, segment, l, offset, site);
            lifter.push(v.type().isSubInt() ? b.convert(v, Type.INT) : v);
        }
    }
}
