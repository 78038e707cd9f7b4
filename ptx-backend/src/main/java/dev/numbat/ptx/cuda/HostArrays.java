package dev.numbat.ptx.cuda;

import java.lang.reflect.Array;
import jcuda.Pointer;

/** JCuda pointers to Java primitive arrays, for copies to and from the device. */
final class HostArrays {
    private HostArrays() {}

    static Pointer pointer(Object array) {
        if (array instanceof float[] a) return Pointer.to(a);
        if (array instanceof double[] a) return Pointer.to(a);
        if (array instanceof int[] a) return Pointer.to(a);
        if (array instanceof long[] a) return Pointer.to(a);
        if (array instanceof byte[] a) return Pointer.to(a);
        if (array instanceof short[] a) return Pointer.to(a);
        if (array instanceof char[] a) return Pointer.to(a);
        throw new IllegalArgumentException("no device copy of " + array.getClass().getSimpleName()
                + " (boolean[] has no fixed layout in JNI; use byte[])");
    }

    static long bytes(Object array) {
        return (long) Array.getLength(array) * DeviceArray.elementSize(array.getClass().getComponentType());
    }
}
