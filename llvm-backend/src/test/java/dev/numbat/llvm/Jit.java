package dev.numbat.llvm;

import dev.numbat.ir.Function;
import dev.numbat.ir.Module;
import dev.numbat.ir.Type;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled test module called the way the runtime calls it: a downcall with {@code critical(true)},
 * a fresh zeroed context of 8 longs per call, arrays as heap segments plus their length.
 */
final class Jit {
    static final LlvmBackend BACKEND = LlvmBackend.host();

    final NativeCode code;
    private final Function entry;
    private final MethodHandle handle;
    /** The context of the last call. */
    long[] ctx = new long[NativeAbi.CONTEXT_SLOTS];

    @SuppressWarnings("restricted")   // calling native code is the point
    private Jit(NativeCode code, Function entry) {
        this.code = code;
        this.entry = entry;
        handle = Linker.nativeLinker().downcallHandle(code.entryAddress(), descriptor(entry), Linker.Option.critical(true));
    }

    /** Code compiled or loaded elsewhere, called as {@code entry} of {@code module}. */
    static Jit of(NativeCode code, Module module) { return new Jit(code, module.entry()); }

    static Jit compile(TestIr ir) { return compile(ir.module, CompileOptions.defaults()); }

    static Jit compile(TestIr ir, CompileOptions options) { return compile(ir.module, options); }

    static Jit compile(Module module, CompileOptions options) {
        return new Jit(BACKEND.compile(module, options), module.entry());
    }

    private static FunctionDescriptor descriptor(Function f) {
        List<MemoryLayout> args = new ArrayList<>();
        args.add(ValueLayout.ADDRESS);
        for (Type t : f.parameterTypes()) {
            if (t.isReference()) {
                args.add(ValueLayout.ADDRESS);
                args.add(ValueLayout.JAVA_INT);
            } else {
                args.add(layout(t));
            }
        }
        MemoryLayout[] a = args.toArray(MemoryLayout[]::new);
        return f.returnType() == Type.VOID ? FunctionDescriptor.ofVoid(a) : FunctionDescriptor.of(layout(f.returnType()), a);
    }

    private static MemoryLayout layout(Type t) {
        return switch (t.kind()) {
            case BOOLEAN, BYTE, SHORT, CHAR, INT -> ValueLayout.JAVA_INT;
            case LONG -> ValueLayout.JAVA_LONG;
            case FLOAT -> ValueLayout.JAVA_FLOAT;
            case DOUBLE -> ValueLayout.JAVA_DOUBLE;
            default -> throw new IllegalArgumentException(t.toString());
        };
    }

    /** Calls the entry; arrays are Java arrays (boolean[] as byte[]) or null. */
    Object call(Object... args) {
        ctx = new long[NativeAbi.CONTEXT_SLOTS];
        List<Object> a = new ArrayList<>();
        a.add(MemorySegment.ofArray(ctx));
        List<Type> types = entry.parameterTypes();
        if (types.size() != args.length) throw new IllegalArgumentException("expected " + types.size() + " arguments");
        for (int k = 0; k < args.length; k++) {
            Type t = types.get(k);
            Object v = args[k];
            if (t.isReference()) {
                a.add(v == null ? MemorySegment.NULL : segment(v));
                a.add(v == null ? 0 : java.lang.reflect.Array.getLength(v));
            } else {
                a.add(switch (v) {
                    case Boolean z -> z ? 1 : 0;
                    case Byte x -> (int) x;
                    case Short x -> (int) x;
                    case Character c -> (int) c;
                    default -> v;
                });
            }
        }
        try {
            return handle.invokeWithArguments(a);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private static MemorySegment segment(Object array) {
        return switch (array) {
            case byte[] x -> MemorySegment.ofArray(x);
            case short[] x -> MemorySegment.ofArray(x);
            case char[] x -> MemorySegment.ofArray(x);
            case int[] x -> MemorySegment.ofArray(x);
            case long[] x -> MemorySegment.ofArray(x);
            case float[] x -> MemorySegment.ofArray(x);
            case double[] x -> MemorySegment.ofArray(x);
            default -> throw new IllegalArgumentException(array.getClass().toString());
        };
    }

    int callInt(Object... args) { return (Integer) call(args); }
    long callLong(Object... args) { return (Long) call(args); }
    float callFloat(Object... args) { return (Float) call(args); }
    double callDouble(Object... args) { return (Double) call(args); }

    long kind() { return ctx[NativeAbi.SLOT_KIND]; }
    long site() { return ctx[NativeAbi.SLOT_SITE]; }
    /** The bytecode offset of the site that raised. */
    int raisedAt() { return code.sites().get((int) site()).bytecodeOffset(); }
}
