package dev.numbat.ptx;

import static dev.numbat.ptx.LlvmTypes.memory;
import static dev.numbat.ptx.LlvmTypes.scalar;

import dev.numbat.ir.ConstantArray;
import dev.numbat.ir.Function;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Module;
import dev.numbat.ir.Parameter;
import dev.numbat.ir.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a lifted module as one NVPTX LLVM IR module: every function of the module as an internal device
 * function ({@link FunctionWriter}), and a kernel entry {@code ptx_kernel void @name(ptr addrspace(1) err,
 * params...)} whose arrays arrive as global-memory pointers and lengths. The entry gives the thread its
 * {@code failed} flag and calls the method's function. Shared arrays are {@code addrspace(3)} globals,
 * constant tables {@code addrspace(1)} constants.
 */
final class KernelModuleWriter {
    static final String TRIPLE = "nvptx64-nvidia-cuda";
    static final String DATA_LAYOUT = "e-i64:64-i128:128-v16:16-v32:32-n16:32:64";

    private final Module module;
    private final String kernelName;
    private final boolean checkBounds;
    private final boolean parallel;
    private final boolean fastMath;
    private final Map<Function, String> names = new HashMap<>();
    private final Set<String> declarations = new LinkedHashSet<>();
    private final List<String> globals = new ArrayList<>();
    private final Map<ConstantArray, String> tables = new LinkedHashMap<>();
    private final List<Instruction> sites = new ArrayList<>();
    private final Map<Instruction, Integer> siteNumbers = new HashMap<>();
    private String libdeviceUse;

    KernelModuleWriter(Module module, String kernelName, PtxBackend.Options options) {
        this.module = module;
        this.kernelName = kernelName;
        this.checkBounds = options.checkBounds();
        this.parallel = options.parallelLoop();
        this.fastMath = options.fastMath();
        int k = 0;
        for (Function f : module.functions().values()) if (!GpuCalls.isGpu(f)) names.put(f, "@f" + k++);
    }

    String write() throws PtxCompileException {
        Function entry = module.entry();
        if (entry.returnType() != Type.VOID) throw new PtxCompileException("kernel " + entry.displayName() + " must return void");
        StringBuilder functions = new StringBuilder();
        for (Function f : module.functions().values()) {
            if (GpuCalls.isGpu(f)) continue;
            refuseArraysOfArrays(f);
            ParallelLoop loop = parallel && f == entry ? ParallelLoop.find(f, this) : null;
            functions.append(new FunctionWriter(this, f, loop).write()).append('\n');
        }
        StringBuilder m = new StringBuilder();
        m.append("; Numbat PTX back end: ").append(entry.displayName()).append('\n');
        m.append("target datalayout = \"").append(DATA_LAYOUT).append("\"\n");
        m.append("target triple = \"").append(TRIPLE).append("\"\n\n");
        for (String g : globals) m.append(g).append('\n');
        m.append('\n').append(kernel(entry)).append('\n').append(RAISE).append('\n').append(functions);
        for (String d : declarations) m.append(d).append('\n');
        m.append("\n!nvvm.annotations = !{!0}\n!0 = !{ptr @").append(kernelName).append(", !\"kernel\", i32 1}\n");
        // libdevice asks this flag whether to flush denormals; Java never does.
        m.append("!llvm.module.flags = !{!1}\n!1 = !{i32 4, !\"nvvm-reflect-ftz\", i32 0}\n");
        return m.toString();
    }

    /** The frontend is learning double[][]; until the PTX back end passes rows, such kernels are refused, not miscompiled. */
    private static void refuseArraysOfArrays(Function f) throws PtxCompileException {
        for (Parameter p : f.parameters()) {
            if (p.type().isSegment()) {
                throw new PtxCompileException("MemorySegment parameter in " + f.displayName() + ": segments are not passed to the GPU");
            }
            if (p.type().isArray() && p.type().element().isArray()) {
                throw new PtxCompileException("parameter of type " + p.type() + " in " + f.displayName()
                        + ": arrays of arrays are not compiled for the GPU yet");
            }
        }
        for (dev.numbat.ir.BasicBlock b : f.blocks()) {
            for (Instruction i : b.instructions()) {
                if (i.type().isArray() && i.type().element().isArray()) {
                    throw new PtxCompileException("array of arrays (" + i.type() + ") in " + f.displayName()
                            + ": not compiled for the GPU yet");
                }
            }
        }
    }

    private String kernel(Function entry) {
        StringBuilder params = new StringBuilder("ptr addrspace(1) %err");
        StringBuilder body = new StringBuilder();
        StringBuilder args = new StringBuilder("ptr %errg, ptr %failed");
        for (Parameter p : entry.parameters()) {
            int k = p.index();
            if (p.type().isReference()) {
                params.append(", ptr addrspace(1) %g").append(k).append(", i32 %a").append(k).append(".n");
                // A null reference stays the generic null, whatever the global window's base is.
                body.append("  %c").append(k).append(" = addrspacecast ptr addrspace(1) %g").append(k).append(" to ptr\n");
                body.append("  %z").append(k).append(" = icmp eq ptr addrspace(1) %g").append(k).append(", null\n");
                body.append("  %a").append(k).append(" = select i1 %z").append(k).append(", ptr null, ptr %c").append(k).append("\n");
                args.append(", ptr %a").append(k).append(", i32 %a").append(k).append(".n");
            } else {
                params.append(", ").append(scalar(p.type())).append(" %a").append(k);
                args.append(", ").append(scalar(p.type())).append(" %a").append(k);
            }
        }
        return "define ptx_kernel void @" + kernelName + "(" + params + ") convergent {\nentry:\n"
                + "  %failed = alloca i32, align 4\n  store i32 0, ptr %failed\n"
                + "  %errg = addrspacecast ptr addrspace(1) %err to ptr\n" + body
                + "  call void " + names.get(entry) + "(" + args + ")\n  ret void\n}\n";
    }

    /** Records the first exception of the launch: the thread that wins the exchange on err[0] writes the rest. */
    private static final String RAISE = """
            define internal void @numbat.raise(ptr %err, ptr %failed, i32 %kind, i32 %index, i32 %length, i32 %site) {
            entry:
              store i32 1, ptr %failed
              %old = cmpxchg ptr %err, i32 0, i32 %kind monotonic monotonic
              %won = extractvalue { i32, i1 } %old, 1
              br i1 %won, label %first, label %done
            first:
              %pi = getelementptr i32, ptr %err, i64 1
              store volatile i32 %index, ptr %pi
              %pl = getelementptr i32, ptr %err, i64 2
              store volatile i32 %length, ptr %pl
              %ps = getelementptr i32, ptr %err, i64 3
              store volatile i32 %site, ptr %ps
              br label %done
            done:
              ret void
            }
            """;

    // ---- services for FunctionWriter -----------------------------------------------------------

    String nameOf(Function f) { return names.get(f); }
    boolean checkBounds() { return checkBounds; }

    /**
     * Flags of floating-point + - * / : none (strict), or with fastMath the CPU back end's set, which lets the
     * NVPTX back end fuse multiply-adds and reassociate; NaN and infinities still behave (no nnan, ninf).
     */
    String fpFlags() { return fastMath ? "reassoc contract arcp afn " : ""; }
    void declare(String declaration) { declarations.add(declaration); }

    String sharedGlobal(String elementType, int n) {
        String name = "@shared." + globals.size();
        globals.add(name + " = internal addrspace(3) global [" + n + " x " + elementType + "] undef, align 16");
        return name;
    }

    /** An operand for a constant table: a generic pointer to its global. */
    String table(ConstantArray t) {
        String name = tables.get(t);
        if (name == null) {
            name = "@table." + tables.size();
            tables.put(t, name);
            Type e = t.type().element();
            StringBuilder g = new StringBuilder(name).append(" = internal addrspace(1) constant [").append(t.length())
                    .append(" x ").append(memory(e)).append("] [");
            for (int k = 0; k < t.length(); k++) {
                g.append(k == 0 ? "" : ", ").append(memory(e)).append(' ').append(LlvmTypes.constant(t.element(k)));
            }
            globals.add(g.append("], align 8").toString());
        }
        return "addrspacecast (ptr addrspace(1) " + name + " to ptr)";
    }

    /** The number the error buffer records for an instruction that may throw. */
    int siteOf(Instruction i) {
        return siteNumbers.computeIfAbsent(i, x -> {
            sites.add(x);
            return sites.size() - 1;
        });
    }

    List<Instruction> sites() { return sites; }

    void needLibdevice(String use) { if (libdeviceUse == null) libdeviceUse = use; }

    /** What first needed libdevice ({@code Math.sin in ...}), or null. */
    String libdeviceUse() { return libdeviceUse; }

    PtxCompileException refuse(Instruction at, String what) {
        Function f = at.block().function();
        String where = f.sourceFile() != null && at.site().line() >= 0 ? " (" + f.sourceFile() + ":" + at.site().line() + ")" : "";
        return new PtxCompileException(what + where + " in " + f.displayName() + ": not compiled for the GPU");
    }
}
