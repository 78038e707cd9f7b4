package dev.numbat.llvm;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.llvm.LLVM.LLVMTargetMachineRef;
import org.bytedeco.llvm.LLVM.LLVMTargetRef;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.bytedeco.llvm.global.LLVM.LLVMCodeGenLevelAggressive;
import static org.bytedeco.llvm.global.LLVM.LLVMCodeModelSmall;
import static org.bytedeco.llvm.global.LLVM.LLVMCreateTargetMachine;
import static org.bytedeco.llvm.global.LLVM.LLVMGetDefaultTargetTriple;
import static org.bytedeco.llvm.global.LLVM.LLVMGetHostCPUFeatures;
import static org.bytedeco.llvm.global.LLVM.LLVMGetHostCPUName;
import static org.bytedeco.llvm.global.LLVM.LLVMGetTargetFromTriple;
import static org.bytedeco.llvm.global.LLVM.LLVMRelocPIC;

/** The machine this process runs on, as LLVM names it, and target machines that generate code for it. */
final class TargetMachines {
    /** Features worth showing in a one-line description: the vector extensions numeric code cares about. */
    private static final List<String> NOTABLE = List.of(
            "sse4.2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512vnni",
            "avx512fp16", "avx10.1-512", "evex512", "neon", "sve", "sve2", "sme");

    record Host(String triple, String cpu, String features) {
        /** Has AVX: compiled code is VEX-encoded, and its entry clears the upper vector state. */
        boolean hasAvx() { return Arrays.asList(features.split(",")).contains("+avx"); }

        String arch() {
            int dash = triple.indexOf('-');
            return dash < 0 ? triple : triple.substring(0, dash);
        }
    }

    private TargetMachines() {}

    static Host detectHost() {
        NativeLlvm.ensureInitialised();
        return new Host(NativeLlvm.takeMessage(LLVMGetDefaultTargetTriple()),
                NativeLlvm.takeMessage(LLVMGetHostCPUName()),
                NativeLlvm.takeMessage(LLVMGetHostCPUFeatures()));
    }

    /**
     * A target machine for the exact host CPU and its features, at the highest optimisation level. Position
     * independent code in the small code model is what LLJIT's JITLink expects: each object is mapped in
     * one piece, so calls and constants inside it are direct, and JITLink routes calls to libm and libc
     * through GOT and PLT entries of its own, wherever those libraries are mapped. Floating-point fusion stays at LLVM's default, which fuses only operations flagged {@code contract}:
     * strict code never carries that flag, so it never gets an FMA the JVM would not compute.
     */
    static LLVMTargetMachineRef create(Host host) {
        LLVMTargetRef target = new LLVMTargetRef();
        BytePointer error = new BytePointer((Pointer) null);
        if (LLVMGetTargetFromTriple(new BytePointer(host.triple()), target, error) != 0) {
            throw new BackendUnavailableException("no LLVM target for " + host.triple() + ": "
                    + NativeLlvm.takeMessage(error), null);
        }
        LLVMTargetMachineRef tm = LLVMCreateTargetMachine(target, host.triple(), host.cpu(), host.features(),
                LLVMCodeGenLevelAggressive, LLVMRelocPIC, LLVMCodeModelSmall);
        if (NativeLlvm.isNull(tm)) throw new BackendUnavailableException("LLVM refused a target machine for " + host, null);
        return tm;
    }

    /** {@code x86_64 znver4 +avx2,+avx512f,...}: the CPU and the vector features it has. */
    static String describe(Host host) {
        Set<String> present = new HashSet<>(Arrays.asList(host.features().split(",")));
        List<String> shown = new ArrayList<>();
        for (String f : NOTABLE) {
            if (present.contains("+" + f)) shown.add("+" + f);
        }
        return host.arch() + " " + host.cpu() + (shown.isEmpty() ? "" : " " + String.join(",", shown));
    }
}
