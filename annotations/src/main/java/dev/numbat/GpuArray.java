package dev.numbat;

import java.lang.reflect.Array;

/**
 * A primitive array that lives on the device across launches, so that a chain of kernels pays for the
 * copies once. Pass it to a launch wherever the kernel takes an array of its element type; read it back
 * with {@link #copyTo(Object)} or {@link #toHostArray()}. On the simulator it is an array of its own, so
 * code behaves the same: changing the Java array it was made from does not change it.
 */
public final class GpuArray implements AutoCloseable {
    private final GpuRuntime runtime;
    private final Object handle;
    private final Class<?> elementType;
    private final int length;
    private boolean freed;

    private GpuArray(GpuRuntime runtime, Class<?> elementType, int length) {
        this.runtime = runtime;
        this.elementType = elementType;
        this.length = length;
        this.handle = runtime.allocate(elementType, length);
    }

    /** A device array of {@code length} zeros of a primitive type ({@code float.class} ...). */
    public static GpuArray allocate(Class<?> elementType, int length) {
        if (!elementType.isPrimitive() || elementType == void.class || elementType == boolean.class) {
            throw new IllegalArgumentException("device arrays hold byte, short, char, int, long, float or double, not " + elementType);
        }
        if (length < 0) throw new NegativeArraySizeException(Integer.toString(length));
        return new GpuArray(Gpu.runtime(), elementType, length);
    }

    /** A device array holding a copy of {@code hostArray} (a primitive array, not boolean[]). */
    public static GpuArray of(Object hostArray) {
        Class<?> c = hostArray.getClass();
        if (!c.isArray()) throw new IllegalArgumentException("not an array: " + c.getName());
        GpuArray a = allocate(c.getComponentType(), Array.getLength(hostArray));
        a.runtime.copyToDevice(a.handle, hostArray);
        return a;
    }

    /** Copies {@code hostArray} (same type and length) to the device. */
    public GpuArray copyFrom(Object hostArray) {
        check(hostArray);
        runtime.copyToDevice(handle(), hostArray);
        return this;
    }

    /** Copies the device's contents into {@code hostArray} (same type and length) and returns it. */
    public <T> T copyTo(T hostArray) {
        check(hostArray);
        runtime.copyToHost(handle(), hostArray);
        return hostArray;
    }

    /** A new Java array with the device's contents. */
    public Object toHostArray() {
        return copyTo(Array.newInstance(elementType, length));
    }

    private void check(Object hostArray) {
        if (hostArray == null || hostArray.getClass().getComponentType() != elementType || Array.getLength(hostArray) != length) {
            throw new IllegalArgumentException("expected a " + elementType + "[" + length + "], got "
                    + (hostArray == null ? "null" : hostArray.getClass().getSimpleName()
                    + (hostArray.getClass().isArray() ? " of length " + Array.getLength(hostArray) : "")));
        }
    }

    public Class<?> elementType() { return elementType; }
    public int length() { return length; }
    /** The runtime that holds the data; launches on another runtime refuse this array. */
    public GpuRuntime runtime() { return runtime; }

    /** The runtime's own handle of the data (for {@link GpuRuntime} implementations). */
    public Object handle() {
        if (freed) throw new IllegalStateException("device array freed");
        return handle;
    }

    /** Frees the device memory; the array cannot be used afterwards. */
    @Override public void close() {
        if (!freed) {
            freed = true;
            runtime.free(handle);
        }
    }

    @Override public String toString() { return "GpuArray(" + elementType + "[" + length + "] on " + runtime.description() + ")"; }
}
