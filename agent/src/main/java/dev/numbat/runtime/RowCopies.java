package dev.numbat.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Calls compiled code with two-dimensional array arguments ({@code double[][]}). A Java array of arrays
 * holds references, which native code cannot follow, so each call copies: every row into native memory
 * (one copy per distinct row object, so two rows that are one array stay one), a table of (data, length)
 * pairs for each 2-D argument, and after the call, even one that throws, every row whose copy changed
 * back into its array. A one-dimensional argument that is also a row gets the row's copy, so writes
 * through either are seen through both, as in Java. Costs a copy of all rows per call: documented in
 * docs/performance.md.
 */
final class RowCopies {
    private static final MethodHandle CALL;
    static {
        try {
            CALL = MethodHandles.lookup().findVirtual(RowCopies.class, "call", MethodType.methodType(Object.class, Object[].class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MethodHandle target;
    private final Class<?>[] params;

    private RowCopies(MethodHandle target, Class<?>[] params) {
        this.target = target;
        this.params = params;
    }

    /**
     * {@code target} takes each array parameter as (MemorySegment data, int length), everything else as
     * declared; the result has the method's own type.
     */
    static MethodHandle adapt(MethodHandle target, Class<?>[] params, Class<?> ret) {
        return CALL.bindTo(new RowCopies(target, params)).asCollector(Object[].class, params.length)
                .asType(MethodType.methodType(ret, params));
    }

    private Object call(Object[] args) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            Map<Object, MemorySegment> rows = new IdentityHashMap<>();
            List<Object> flat = new ArrayList<>(args.length * 2);
            for (int k = 0; k < args.length; k++) {
                if (params[k].isArray() && params[k].getComponentType().isArray()) {
                    Object[] table = (Object[]) args[k];
                    flat.add(table == null ? MemorySegment.NULL : rowTable(table, rows, arena));
                    flat.add(table == null ? 0 : table.length);
                }
            }
            List<Object> call = new ArrayList<>(args.length * 2);
            int next2d = 0;
            for (int k = 0; k < args.length; k++) {
                if (!params[k].isArray()) {
                    call.add(args[k]);
                } else if (params[k].getComponentType().isArray()) {
                    call.add(flat.get(next2d++));
                    call.add(flat.get(next2d++));
                } else {
                    Object a = args[k];
                    MemorySegment copy = a == null ? null : rows.get(a);
                    call.add(a == null ? MemorySegment.NULL : copy != null ? copy : heap(a));
                    call.add(a == null ? 0 : java.lang.reflect.Array.getLength(a));
                }
            }
            try {
                return target.invokeWithArguments(call);
            } finally {
                for (Map.Entry<Object, MemorySegment> row : rows.entrySet()) copyBack(row.getKey(), row.getValue());
            }
        }
    }

    private static MemorySegment rowTable(Object[] table, Map<Object, MemorySegment> rows, Arena arena) {
        MemorySegment t = arena.allocate(16L * Math.max(1, table.length), 8);
        for (int r = 0; r < table.length; r++) {
            Object row = table[r];
            MemorySegment data = row == null ? MemorySegment.NULL : rows.computeIfAbsent(row, x -> copyIn(x, arena));
            t.set(ValueLayout.ADDRESS, 16L * r, data);
            t.set(ValueLayout.JAVA_INT, 16L * r + 8, row == null ? 0 : java.lang.reflect.Array.getLength(row));
        }
        return t;
    }

    private static MemorySegment copyIn(Object row, Arena arena) {
        MemorySegment h = heap(row);
        // One byte at least: an empty row must still have a non-null address (null means a null row).
        MemorySegment copy = arena.allocate(Math.max(1, h.byteSize()), 8);
        MemorySegment.copy(h, 0, copy, 0, h.byteSize());
        return copy.asSlice(0, h.byteSize());
    }

    private static void copyBack(Object row, MemorySegment copy) {
        MemorySegment h = heap(row);
        if (h.mismatch(copy) >= 0) MemorySegment.copy(copy, 0, h, 0, h.byteSize());
    }

    private static MemorySegment heap(Object a) {
        return switch (a) {
            case double[] d -> MemorySegment.ofArray(d);
            case float[] f -> MemorySegment.ofArray(f);
            case long[] l -> MemorySegment.ofArray(l);
            case int[] i -> MemorySegment.ofArray(i);
            case short[] s -> MemorySegment.ofArray(s);
            case char[] c -> MemorySegment.ofArray(c);
            case byte[] b -> MemorySegment.ofArray(b);
            default -> throw new IllegalArgumentException("not a primitive array: " + a.getClass());
        };
    }
}
