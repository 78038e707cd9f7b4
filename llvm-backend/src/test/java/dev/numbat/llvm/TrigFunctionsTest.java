package dev.numbat.llvm;

import static org.bytedeco.llvm.global.LLVM.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Random;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMTargetMachineRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;
import org.bytedeco.javacpp.PointerPointer;
import org.junit.jupiter.api.Test;

/** What {@link TrigFunctions} computes instead of looking up a table of fdlibm's. */
class TrigFunctionsTest {
    /** fdlibm's {@code npio2_hw}: the high words of n pi/2 for n = 1..32, as its source lists them. */
    private static final int[] NPIO2_HW = {
        0x3FF921FB, 0x400921FB, 0x4012D97C, 0x401921FB, 0x401F6A7A, 0x4022D97C, 0x4025FDBB, 0x402921FB,
        0x402C463A, 0x402F6A7A, 0x4031475C, 0x4032D97C, 0x40346B9C, 0x4035FDBB, 0x40378FDB, 0x403921FB,
        0x403AB41B, 0x403C463A, 0x403DD85A, 0x403F6A7A, 0x40407E4C, 0x4041475C, 0x4042106C, 0x4042D97C,
        0x4043A28C, 0x40446B9C, 0x404534AC, 0x4045FDBB, 0x4046C6CB, 0x40478FDB, 0x404858EB, 0x404921FB,
    };

    /**
     * The medium reduction's quick check compares |x|'s high word with {@code npio2_hw[n - 1]} for n < 32; the
     * vector code compares it with the high word of n times the first piece of pi/2, which it computes anyway.
     */
    @Test
    void theHighWordOfNTimesTheFirstPieceIsFdlibmsTable() {
        for (int n = 1; n <= 32; n++) {
            int high = (int) (Double.doubleToRawLongBits(n * TrigFunctions.PIO2_1) >>> 32);
            assertEquals(NPIO2_HW[n - 1], high, "n = " + n);
        }
    }

    /**
     * Every vector version, whichever width the vectoriser picks on this host (here, with AVX-512, 8 lanes): a function
     * {@code widths(in, out)} calls each of them once on consecutive elements, and every lane must be
     * {@code StrictMath}'s, or glibc's beyond the medium range (compared through the scalar function's own answer,
     * which the same module computes lane by lane). Two rounds in three mix lanes on both sides of 2^20 pi/2, so the
     * glibc path of a vector must leave its medium lanes fdlibm's (the two differ in about one result in fifty).
     */
    @Test
    @SuppressWarnings("restricted")
    void everyVectorWidthComputesWhatTheScalarFunctionDoes() throws Throwable {
        NativeLlvm.ensureInitialised();
        int lanes = 0;
        for (int w : TrigFunctions.VECTOR_LANES) lanes += w;
        LLVMContextRef context = LLVMContextCreate();
        LLVMTargetMachineRef tm = TargetMachines.create(TargetMachines.detectHost());
        String ir;
        try (Codegen cg = new Codegen(context, "widths", false, true)) {
            TrigFunctions functions = new TrigFunctions(cg);
            for (String name : new String[] {"sin", "cos", "tan"}) {
                Codegen.Callee scalar = switch (name) {
                    case "sin" -> functions.sin();
                    case "cos" -> functions.cos();
                    default -> functions.tan();
                };
                // void <name>_widths(ptr in, ptr out, ptr outScalar): the vector versions, then the scalar one per element.
                LLVMValueRef fn = LLVMAddFunction(cg.module, name + "_widths", cg.functionType(cg.voidType, cg.ptr, cg.ptr, cg.ptr));
                LLVMBuilderRef b = cg.builder;
                LLVMPositionBuilderAtEnd(b, cg.block(fn, "entry"));
                int offset = 0;
                for (int w : TrigFunctions.VECTOR_LANES) {
                    LLVMTypeRef vector = LLVMVectorType(cg.f64, w);
                    LLVMValueRef in = cg.gep(cg.f64, LLVMGetParam(fn, 0), cg.i32(offset), "");
                    LLVMValueRef x = LLVMBuildLoad2(b, vector, in, "");
                    LLVMSetAlignment(x, 8);
                    LLVMValueRef vf = LLVMGetNamedFunction(cg.module, "numbat_math_" + name + "_v" + w);
                    LLVMValueRef y;
                    try (PointerPointer<LLVMValueRef> args = new PointerPointer<>(new LLVMValueRef[] {x})) {
                        y = LLVMBuildCall2(b, cg.functionType(vector, vector), vf, args, 1, "");
                    }
                    LLVMSetAlignment(LLVMBuildStore(b, y, cg.gep(cg.f64, LLVMGetParam(fn, 1), cg.i32(offset), "")), 8);
                    offset += w;
                }
                for (int k = 0; k < offset; k++) {
                    LLVMValueRef x = LLVMBuildLoad2(b, cg.f64, cg.gep(cg.f64, LLVMGetParam(fn, 0), cg.i32(k), ""), "");
                    LLVMBuildStore(b, cg.call(scalar, x), cg.gep(cg.f64, LLVMGetParam(fn, 2), cg.i32(k), ""));
                }
                LLVMBuildRetVoid(b);
            }
            functions.keepVectorVersions();
            functions.defineCalledVectorVersions(tm);
            ir = NativeLlvm.takeMessage(LLVMPrintModuleToString(cg.module));
        } finally {
            LLVMDisposeTargetMachine(tm);
            LLVMContextDispose(context);
        }
        try (OrcJit jit = new OrcJit(TargetMachines.create(TargetMachines.detectHost())); Arena arena = Arena.ofConfined()) {
            jit.addIrModule(ir, "widths");
            Random r = new Random(5);
            double[] special = {0.0, -0.0, Math.PI / 4, 3 * Math.PI / 4, 1e6, -1e6, Double.NaN, Double.POSITIVE_INFINITY,
                    0x1.39c6fd67805a7p19, 0x1p-30, 1e300, Double.MIN_VALUE};
            for (String name : new String[] {"sin", "cos", "tan"}) {
                MethodHandle widths = Linker.nativeLinker().downcallHandle(jit.lookup(name + "_widths"),
                        FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
                MemorySegment in = arena.allocate(8L * lanes, 8), out = arena.allocate(8L * lanes, 8), scalar = arena.allocate(8L * lanes, 8);
                for (int round = 0; round < 2_000; round++) {
                    for (int k = 0; k < lanes; k++) {
                        double x = round < special.length ? special[(round + k) % special.length]
                                : (round % 3 == 0 ? (r.nextDouble() - 0.5) * 40 : (r.nextDouble() - 0.5) * 4e6);
                        in.setAtIndex(ValueLayout.JAVA_DOUBLE, k, x);
                    }
                    widths.invokeExact(in, out, scalar);
                    for (int k = 0; k < lanes; k++) {
                        double x = in.getAtIndex(ValueLayout.JAVA_DOUBLE, k);
                        double got = out.getAtIndex(ValueLayout.JAVA_DOUBLE, k), lane = scalar.getAtIndex(ValueLayout.JAVA_DOUBLE, k);
                        String where = name + "(" + x + "), lane " + k;
                        assertEquals(Double.doubleToLongBits(lane), Double.doubleToLongBits(got), where + ": vector and scalar differ");
                        if (Math.abs(x) <= 0x1.921fb54442d18p20) { // below 2^20 pi/2: StrictMath's own
                            double want = switch (name) {
                                case "sin" -> StrictMath.sin(x);
                                case "cos" -> StrictMath.cos(x);
                                default -> StrictMath.tan(x);
                            };
                            assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got), where + ": not StrictMath's");
                        }
                    }
                }
            }
        }
    }
}
