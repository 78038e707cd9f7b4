package dev.numbat.runtime;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds compiled code to a {@link MethodHandle} of the Java method's own type. The downcall uses
 * {@link Linker.Option#critical(boolean) critical(true)}, so Java arrays reach native code as heap
 * segments without copying; each array becomes a data pointer and a length, each MemorySegment four values
 * ({@link SegmentArguments}). Every call gets its thread's context block for the native status, with the status
 * cleared, and checks it after the call.
 */
final class NativeBinding {
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    private NativeBinding() {}

    static MethodHandle bind(Method method, MemorySegment entry, NativeExceptions exceptions) throws ReflectiveOperationException {
        Class<?>[] params = method.getParameterTypes();
        Class<?> ret = method.getReturnType();
        // With a two-dimensional array, RowCopies passes every array itself (rows must be copied, and a
        // one-dimensional argument that is also a row must get that copy).
        boolean rowCopies = false;
        for (Class<?> p : params) rowCopies |= p.isArray() && p.getComponentType().isArray();
        List<MemoryLayout> layouts = new ArrayList<>();
        layouts.add(ValueLayout.ADDRESS);
        for (Class<?> p : params) {
            if (p.isArray()) { layouts.add(ValueLayout.ADDRESS); layouts.add(ValueLayout.JAVA_INT); }
            else if (p == MemorySegment.class) layouts.addAll(List.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
            else layouts.add(nativeLayout(p));
        }
        MemoryLayout[] args = layouts.toArray(MemoryLayout[]::new);
        FunctionDescriptor fd = ret == void.class ? FunctionDescriptor.ofVoid(args) : FunctionDescriptor.of(nativeLayout(ret), args);
        MethodHandle h = Linker.nativeLinker().downcallHandle(entry, fd, Linker.Option.critical(true));

        // Adapt parameters right to left so the native positions of earlier ones stay put.
        int[] nativePos = new int[params.length];
        for (int k = 0, pos = 1; k < params.length; k++) {
            nativePos[k] = pos;
            pos += params[k].isArray() ? 2 : params[k] == MemorySegment.class ? 4 : 1;
        }
        for (int k = params.length - 1; k >= 0; k--) {
            int pos = nativePos[k];
            Class<?> p = params[k];
            if (p.isArray() && rowCopies) {
                continue;
            } else if (p.isArray()) {
                h = MethodHandles.filterArguments(h, pos, LOOKUP.findStatic(ArrayArguments.class, "segment", MethodType.methodType(MemorySegment.class, p)));
                h = MethodHandles.filterArguments(h, pos + 1, LOOKUP.findStatic(ArrayArguments.class, "length", MethodType.methodType(int.class, p)));
                h = oneArgument(h, pos, 2);
            } else if (p == MemorySegment.class) {
                h = segmentArgument(h, pos, k);
            } else if (p == boolean.class) {
                h = MethodHandles.filterArguments(h, pos, LOOKUP.findStatic(ArrayArguments.class, "booleanToInt", MethodType.methodType(int.class, boolean.class)));
            } else if (p == byte.class || p == short.class || p == char.class) {
                h = h.asType(h.type().changeParameterType(pos, p)); // widening: byte/short sign-, char zero-extends
            }
        }
        // Context block: (MemorySegment ctx, ...) -> (long[] ctx, ...), checked after the call, then the calling thread's.
        h = MethodHandles.filterArguments(h, 0, LOOKUP.findStatic(MemorySegment.class, "ofArray", MethodType.methodType(MemorySegment.class, long[].class)));
        Class<?> nativeRet = h.type().returnType();
        MethodHandle check = checkFor(nativeRet).bindTo(exceptions);
        if (List.of(params).contains(MemorySegment.class)) {
            // Where each Java parameter lies after ctx: with row copies, every array is still (data, length).
            int[] positions = new int[params.length];
            for (int k = 0, at = 0; k < params.length; k++) { positions[k] = at; at += rowCopies && params[k].isArray() ? 2 : 1; }
            List<Class<?>> javaParams = h.type().parameterList().subList(1, h.type().parameterCount());
            check = SegmentArguments.checkWithReplay(check, nativeRet, javaParams, positions);
        }
        h = MethodHandles.tryFinally(h, check);
        h = MethodHandles.foldArguments(h, 0, LOOKUP.findStatic(ArrayArguments.class, "context", MethodType.methodType(long[].class)));
        if (ret == boolean.class || ret == byte.class || ret == short.class || ret == char.class) {
            h = MethodHandles.filterReturnValue(h, LOOKUP.findStatic(ArrayArguments.class, "intTo" + capitalise(ret.getName()),
                    MethodType.methodType(ret, int.class)));
        }
        return rowCopies ? RowCopies.adapt(h, params, ret) : h.asType(MethodType.methodType(ret, params));
    }

    /** The four native values at {@code pos} become one MemorySegment parameter, Java parameter {@code k}. */
    private static MethodHandle segmentArgument(MethodHandle h, int pos, int k) throws ReflectiveOperationException {
        MethodType unary = MethodType.methodType(long.class, MemorySegment.class);
        h = MethodHandles.filterArguments(h, pos,
                LOOKUP.findStatic(SegmentArguments.class, "base", MethodType.methodType(MemorySegment.class, MemorySegment.class)),
                LOOKUP.findStatic(SegmentArguments.class, "size", unary),
                LOOKUP.findStatic(SegmentArguments.class, "alignBase", unary),
                MethodHandles.insertArguments(LOOKUP.findStatic(SegmentArguments.class, "info",
                        MethodType.methodType(long.class, int.class, MemorySegment.class)), 0, k));
        return oneArgument(h, pos, 4);
    }

    /** The {@code count} parameters from {@code pos} on, each already filtered from the same Java argument, become that one argument. */
    private static MethodHandle oneArgument(MethodHandle h, int pos, int count) {
        MethodType merged = h.type().dropParameterTypes(pos + 1, pos + count);
        int[] reorder = new int[h.type().parameterCount()];
        for (int i = 0; i < reorder.length; i++) reorder[i] = i <= pos ? i : i < pos + count ? pos : i - (count - 1);
        return MethodHandles.permuteArguments(h, merged, reorder);
    }

    private static MethodHandle checkFor(Class<?> nativeRet) throws ReflectiveOperationException {
        String name = nativeRet == void.class ? "checkVoid" : "check" + capitalise(nativeRet.getName());
        MethodType t = nativeRet == void.class
                ? MethodType.methodType(void.class, NativeExceptions.class, Throwable.class, long[].class)
                : MethodType.methodType(nativeRet, NativeExceptions.class, Throwable.class, nativeRet, long[].class);
        return LOOKUP.findStatic(NativeExceptions.class, name, t);
    }

    private static String capitalise(String s) { return Character.toUpperCase(s.charAt(0)) + s.substring(1); }

    private static MemoryLayout nativeLayout(Class<?> p) {
        if (p == long.class) return ValueLayout.JAVA_LONG;
        if (p == float.class) return ValueLayout.JAVA_FLOAT;
        if (p == double.class) return ValueLayout.JAVA_DOUBLE;
        return ValueLayout.JAVA_INT; // int and the sub-int types, widened on the way in
    }
}
