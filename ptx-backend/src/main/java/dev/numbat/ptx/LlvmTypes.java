package dev.numbat.ptx;

import dev.numbat.ir.Constant;
import dev.numbat.ir.Type;

/** How IR types and constants are spelled in NVPTX LLVM IR text. */
final class LlvmTypes {
    private LlvmTypes() {}

    /** The register type: sub-int values live widened in an i32, as on the JVM's operand stack; arrays are generic pointers. */
    static String scalar(Type t) {
        return switch (t.kind()) {
            case BOOLEAN, BYTE, SHORT, CHAR, INT -> "i32";
            case LONG -> "i64";
            case FLOAT -> "float";
            case DOUBLE -> "double";
            case ARRAY, NULL -> "ptr";
            case VOID -> "void";
            // Kernels with segments are refused before any type is spelled (KernelModuleWriter).
            case SEGMENT, LAYOUT -> throw new IllegalArgumentException(t + " has no PTX register type");
        };
    }

    /** The type of one element in memory. */
    static String memory(Type element) {
        return switch (element.kind()) {
            case BOOLEAN, BYTE -> "i8";
            case SHORT, CHAR -> "i16";
            default -> scalar(element);
        };
    }

    /** The LLVM suffix of intrinsics overloaded on this register type: i32, i64, f32, f64. */
    static String suffix(Type t) {
        return switch (scalar(t)) {
            case "float" -> "f32";
            case "double" -> "f64";
            default -> scalar(t);
        };
    }

    static String constant(Constant c) {
        return switch (c.type().kind()) {
            case BOOLEAN, BYTE, SHORT, CHAR, INT -> Integer.toString(c.intValue());
            case LONG -> Long.toString(c.longValue());
            case FLOAT -> floatHex(c.floatValue());
            case DOUBLE -> doubleHex(c.longValue());
            default -> "null";
        };
    }

    static String doubleHex(long bits) { return String.format("0x%016X", bits); }

    /** LLVM writes float constants as the double of the same value; NaN payloads are moved bit by bit. */
    static String floatHex(float f) {
        if (!Float.isNaN(f)) return doubleHex(Double.doubleToRawLongBits(f));
        int bits = Float.floatToRawIntBits(f);
        long sign = (long) (bits >>> 31) << 63;
        long mantissa = (long) (bits & 0x7FFFFF) << 29;
        return doubleHex(sign | 0x7FF0000000000000L | mantissa);
    }

    static String zero(Type t) {
        return switch (scalar(t)) {
            case "float", "double" -> "0.0";
            case "ptr" -> "null";
            default -> "0";
        };
    }
}
