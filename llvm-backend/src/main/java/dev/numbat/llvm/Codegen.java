package dev.numbat.llvm;

import dev.numbat.ir.Constant;
import dev.numbat.ir.ConstantArray;
import dev.numbat.ir.Function;
import dev.numbat.ir.Type;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMMetadataRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * The LLVM context, module and builder one compilation writes into, with the types, constants and call
 * helpers every lowering step shares. Not thread-safe: one per compilation.
 */
final class Codegen implements AutoCloseable {
    /** A function together with its type, which opaque pointers no longer carry. */
    record Callee(LLVMValueRef function, LLVMTypeRef type) {}

    final LLVMContextRef context;
    final LLVMModuleRef module;
    final LLVMBuilderRef builder;
    final LLVMTypeRef i1, i8, i16, i32, i64, f32, f64, ptr, voidType;
    /** How an array travels through calls and returns inside a module: {data pointer, length}. */
    final LLVMTypeRef arrayPair;
    final boolean fastMath;
    /** Math.exp and Math.log as fdlibm's code inline rather than glibc's calls ({@link FdlibmChoice}); set before lowering. */
    boolean inlineExpLog;
    /** Math.pow as fdlibm's code inline rather than glibc's call ({@link FdlibmChoice}); set before lowering. */
    boolean inlinePow;
    /** Math.sin, Math.cos and Math.tan as {@link TrigFunctions} rather than glibc's calls ({@link FdlibmChoice}); set before lowering. */
    TrigFunctions trig;
    /** The module is for an x86-64 host, so x86's own intrinsics may be called. */
    final boolean x86;
    private final Map<String, Callee> externals = new HashMap<>();
    private final Map<String, LLVMValueRef> tables = new HashMap<>();

    Codegen(LLVMContextRef context, String moduleName, boolean fastMath, boolean x86) {
        this.context = context;
        this.fastMath = fastMath;
        this.x86 = x86;
        module = LLVMModuleCreateWithNameInContext(moduleName, context);
        builder = LLVMCreateBuilderInContext(context);
        i1 = LLVMInt1TypeInContext(context);
        i8 = LLVMInt8TypeInContext(context);
        i16 = LLVMInt16TypeInContext(context);
        i32 = LLVMInt32TypeInContext(context);
        i64 = LLVMInt64TypeInContext(context);
        f32 = LLVMFloatTypeInContext(context);
        f64 = LLVMDoubleTypeInContext(context);
        ptr = LLVMPointerTypeInContext(context, 0);
        voidType = LLVMVoidTypeInContext(context);
        arrayPair = struct(ptr, i32);
    }

    // ---- types ----------------------------------------------------------------------------------

    /**
     * The register type of a non-array value. Sub-int types live in an i32 that already holds the narrowed
     * value (sign-extended for byte and short, zero-extended for char and boolean), as on the JVM stack.
     */
    LLVMTypeRef scalar(Type t) {
        return switch (t.kind()) {
            case BOOLEAN, BYTE, SHORT, CHAR, INT -> i32;
            case LONG -> i64;
            case FLOAT -> f32;
            case DOUBLE -> f64;
            default -> throw new BackendException("no scalar LLVM type for " + t);
        };
    }

    /** An element loaded from memory in its register form: byte and short sign-extend, boolean and char zero-extend to i32. */
    LLVMValueRef loadedElement(Type t, LLVMValueRef v) {
        return switch (t.kind()) {
            case BYTE, SHORT -> LLVMBuildSExt(builder, v, i32, "");
            case BOOLEAN, CHAR -> LLVMBuildZExt(builder, v, i32, "");
            default -> v;
        };
    }

    /** A register value in the form an element of type {@code t} is stored: sub-int types truncate. */
    LLVMValueRef storedElement(Type t, LLVMValueRef v) {
        return t.isSubInt() ? LLVMBuildTrunc(builder, v, element(t), "") : v;
    }

    /** The type of one array element in memory. */
    LLVMTypeRef element(Type t) {
        return switch (t.kind()) {
            case BOOLEAN, BYTE -> i8;
            case SHORT, CHAR -> i16;
            default -> scalar(t);
        };
    }

    LLVMTypeRef returnType(Type t) {
        if (t == Type.VOID) return voidType;
        return t.isReference() ? arrayPair : scalar(t);
    }

    /** {@code RET (ptr ctx, params...)}, each array parameter split into a pointer and an i32 length, each segment into four. */
    LLVMTypeRef functionType(Function f) {
        List<LLVMTypeRef> params = new ArrayList<>();
        params.add(ptr);
        for (Type t : f.parameterTypes()) {
            if (t.isReference()) {
                params.add(ptr);
                params.add(i32);
            } else if (t.isSegment()) {
                params.add(ptr);
                params.add(i64);
                params.add(i64);
                params.add(i64);
            } else {
                params.add(scalar(t));
            }
        }
        return functionType(returnType(f.returnType()), params.toArray(LLVMTypeRef[]::new));
    }

    LLVMTypeRef functionType(LLVMTypeRef result, LLVMTypeRef... params) {
        try (PointerPointer<LLVMTypeRef> p = new PointerPointer<>(params)) {
            return LLVMFunctionType(result, p, params.length, 0);
        }
    }

    LLVMTypeRef struct(LLVMTypeRef... fields) {
        try (PointerPointer<LLVMTypeRef> p = new PointerPointer<>(fields)) {
            return LLVMStructTypeInContext(context, p, fields.length, 0);
        }
    }

    // ---- constants ------------------------------------------------------------------------------

    LLVMValueRef i1(boolean v) { return LLVMConstInt(i1, v ? 1 : 0, 0); }
    LLVMValueRef i32(int v) { return LLVMConstInt(i32, v, 1); }
    LLVMValueRef i64(long v) { return LLVMConstInt(i64, v, 1); }
    LLVMValueRef zero(LLVMTypeRef t) { return LLVMConstNull(t); }
    LLVMValueRef nullPointer() { return LLVMConstPointerNull(ptr); }

    /** A non-reference constant, bit for bit: floats go through their raw bits so NaN payloads survive. */
    LLVMValueRef constant(Constant c) {
        Type t = c.type();
        return switch (t.kind()) {
            case BOOLEAN -> i32((int) c.bits() & 1);
            case BYTE -> i32((byte) c.bits());
            case SHORT -> i32((short) c.bits());
            case CHAR -> i32((char) c.bits());
            case INT -> i32(c.intValue());
            case LONG -> i64(c.longValue());
            case FLOAT -> LLVMConstBitCast(i32(c.intValue()), f32);
            case DOUBLE -> LLVMConstBitCast(i64(c.longValue()), f64);
            default -> throw new BackendException("no scalar constant of type " + t);
        };
    }

    /**
     * The global holding a JDK constant table, made once per module. It is writable memory on purpose:
     * the frontend refuses stores into tables, and should one slip through it must not fault.
     */
    LLVMValueRef table(ConstantArray t) {
        return tables.computeIfAbsent(t.name(), n -> {
            Type e = t.type().element();
            LLVMTypeRef type = element(e);
            LLVMValueRef[] items = new LLVMValueRef[t.length()];
            for (int k = 0; k < items.length; k++) {
                long bits = t.bits(k);
                items[k] = switch (e.kind()) {
                    case FLOAT -> LLVMConstBitCast(LLVMConstInt(i32, bits, 1), f32);
                    case DOUBLE -> LLVMConstBitCast(LLVMConstInt(i64, bits, 1), f64);
                    default -> LLVMConstInt(type, bits, 1);
                };
            }
            LLVMValueRef init;
            try (PointerPointer<LLVMValueRef> p = new PointerPointer<>(items)) {
                init = LLVMConstArray2(type, p, items.length);
            }
            LLVMValueRef global = LLVMAddGlobal(module, LLVMArrayType2(type, items.length), "table." + n.replaceAll("[^A-Za-z0-9_.$]", "_"));
            LLVMSetInitializer(global, init);
            LLVMSetLinkage(global, LLVMPrivateLinkage);
            LLVMSetAlignment(global, 16);
            return global;
        });
    }

    /** A floating constant of {@code type} (f32 or f64) with the value {@code v}. */
    LLVMValueRef real(LLVMTypeRef type, double v) { return LLVMConstReal(type, v); }

    /** {@code getelementptr inbounds element, base, index}. */
    LLVMValueRef gep(LLVMTypeRef element, LLVMValueRef base, LLVMValueRef index, String name) {
        // An explicit array: PointerPointer(Pointer) would reinterpret the index itself as the array.
        try (PointerPointer<LLVMValueRef> p = new PointerPointer<>(new LLVMValueRef[] {index})) {
            return LLVMBuildInBoundsGEP2(builder, element, base, p, 1, name);
        }
    }

    // ---- functions and calls --------------------------------------------------------------------

    LLVMBasicBlockRef block(LLVMValueRef function, String name) {
        return LLVMAppendBasicBlockInContext(context, function, name);
    }

    /** An external C function, declared once per module. */
    Callee external(String name, LLVMTypeRef result, LLVMTypeRef... params) {
        return externals.computeIfAbsent(name, n -> {
            LLVMTypeRef type = functionType(result, params);
            LLVMValueRef f = LLVMAddFunction(module, n, type);
            addFunctionAttribute(f, "nounwind");
            return new Callee(f, type);
        });
    }

    LLVMValueRef call(Callee callee, LLVMValueRef... args) {
        return call(builder, callee, args);
    }

    /** A call built by {@code b}, another builder than this module's (one placed in a helper function). */
    static LLVMValueRef call(LLVMBuilderRef b, Callee callee, LLVMValueRef... args) {
        try (PointerPointer<LLVMValueRef> p = new PointerPointer<>(args)) {
            return LLVMBuildCall2(b, callee.type(), callee.function(), p, args.length, "");
        }
    }

    /** Calls {@code llvm.<name>}, instantiated for the overloaded types. */
    LLVMValueRef intrinsic(String name, LLVMTypeRef[] overloads, LLVMValueRef... args) {
        int id = LLVMLookupIntrinsicID(name, name.length());
        if (id == 0) throw new BackendException("LLVM has no intrinsic " + name);
        try (PointerPointer<LLVMTypeRef> types = new PointerPointer<>(overloads)) {
            LLVMValueRef f = LLVMGetIntrinsicDeclaration(module, id, types, overloads.length);
            LLVMTypeRef type = LLVMIntrinsicGetType(context, id, types, overloads.length);
            return call(new Callee(f, type), args);
        }
    }

    LLVMValueRef intrinsic(String name, LLVMTypeRef overload, LLVMValueRef... args) {
        return intrinsic(name, new LLVMTypeRef[] {overload}, args);
    }

    /** Marks a condition as almost never true, so the exception paths it guards are laid out cold. */
    LLVMValueRef unlikely(LLVMValueRef condition) {
        return intrinsic("llvm.expect", i1, condition, i1(false));
    }

    // ---- attributes and flags -------------------------------------------------------------------

    void addFunctionAttribute(LLVMValueRef function, String name) { addAttribute(function, LLVMAttributeFunctionIndex, name, 0); }

    /** Adds an enum attribute at {@code index} (0 return, 1.. parameters); names this LLVM lacks are skipped. */
    void addAttribute(LLVMValueRef function, int index, String name, long value) {
        int kind = LLVMGetEnumAttributeKindForName(name, name.length());
        if (kind == 0) return;
        LLVMAddAttributeAtIndex(function, index, LLVMCreateEnumAttribute(context, kind, value));
    }

    // ---- metadata -------------------------------------------------------------------------------

    LLVMMetadataRef mdString(String s) { return LLVMMDStringInContext2(context, s, s.length()); }

    LLVMMetadataRef mdNode(LLVMMetadataRef... operands) {
        try (PointerPointer<LLVMMetadataRef> p = new PointerPointer<>(operands)) {
            return LLVMMDNodeInContext2(context, p, operands.length);
        }
    }

    /** Attaches {@code node} to {@code instruction} as its {@code !kind} metadata. */
    void setMetadata(LLVMValueRef instruction, String kind, LLVMMetadataRef node) {
        LLVMSetMetadata(instruction, LLVMGetMDKindIDInContext(context, kind, kind.length()), LLVMMetadataAsValue(context, node));
    }

    /** Adds an enum attribute to one call ({@code index}: {@link org.bytedeco.llvm.global.LLVM#LLVMAttributeFunctionIndex} or 1.. arguments). */
    void addCallSiteAttribute(LLVMValueRef call, int index, String name) {
        int kind = LLVMGetEnumAttributeKindForName(name, name.length());
        if (kind == 0) throw new BackendException("LLVM has no attribute " + name);
        LLVMAddCallSiteAttribute(call, index, LLVMCreateEnumAttribute(context, kind, 0));
    }

    void addStringAttribute(LLVMValueRef function, String key, String value) {
        LLVMAddAttributeAtIndex(function, LLVMAttributeFunctionIndex,
                LLVMCreateStringAttribute(context, key, key.length(), value, value.length()));
    }

    /**
     * Gives a floating-point instruction the relaxations fast math allows. Never nnan or ninf: code that
     * tests for NaN or infinity must still see them. The builder folds constant operands, so the value may
     * not be an instruction at all.
     */
    LLVMValueRef floating(LLVMValueRef instruction) {
        if (fastMath && !NativeLlvm.isNull(LLVMIsAInstruction(instruction)) && LLVMCanValueUseFastMathFlags(instruction) != 0) {
            LLVMSetFastMathFlags(instruction, LLVMFastMathAllowReassoc | LLVMFastMathAllowContract
                    | LLVMFastMathAllowReciprocal | LLVMFastMathApproxFunc);
        }
        return instruction;
    }

    @Override
    public void close() {
        LLVMDisposeBuilder(builder);
    }
}
