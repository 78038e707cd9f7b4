package dev.numbat.ptx;

import dev.numbat.frontend.BytecodeFrontend;
import dev.numbat.frontend.ClassBytes;
import dev.numbat.frontend.UnsupportedConstructException;
import dev.numbat.ir.Function;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Module;
import dev.numbat.ir.pass.PassPipeline;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles a static Java method to a PTX kernel: lift its bytecode with the frontend (through
 * {@link GpuClassBytes}, so that {@code Gpu} intrinsics lift), run the standard IR passes, write NVPTX LLVM
 * IR ({@link KernelModuleWriter}) and compile it to PTX ({@link NvptxCompiler}). Every failure is a
 * {@link PtxCompileException} with a one-line message.
 */
public final class PtxBackend {
    /** The compute capability kernels are compiled for unless told: Ampere, which Hopper also runs. */
    public static final String DEFAULT_ARCH = "sm_80";

    private PtxBackend() {}

    /** Options read from {@code @Jit} by name (so another loader's copy of the annotation works). */
    public record Options(boolean parallelLoop, boolean checkBounds, boolean fastMath) {
        public static Options of(Method m) {
            return new Options(flag(m, "parallel", false), flag(m, "checkBounds", true), flag(m, "fastMath", false));
        }

        /** The same options with the parallel loop offloaded or not (launch and offload of one method). */
        public Options withParallelLoop(boolean parallel) { return new Options(parallel, checkBounds, fastMath); }

        private static boolean flag(Method m, String element, boolean otherwise) {
            for (Annotation a : m.getAnnotations()) {
                if (!a.annotationType().getName().equals("dev.numbat.Jit")) continue;
                try {
                    return (boolean) a.annotationType().getMethod(element).invoke(a);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return otherwise;
                }
            }
            return otherwise;
        }
    }

    public static PtxKernel compile(Method method, String arch) throws PtxCompileException {
        return compile(method, arch, Options.of(method));
    }

    public static PtxKernel compile(Method method, String arch, Options options) throws PtxCompileException {
        try {
            return compileMethod(method, arch, options);
        } catch (RuntimeException | LinkageError e) {
            // A bug of the back end must not become a user's stack trace: the kernel then runs on the simulator.
            throw new PtxCompileException("internal error of the PTX back end on " + method.getDeclaringClass().getName()
                    + "." + method.getName() + ": " + e);
        }
    }

    private static PtxKernel compileMethod(Method method, String arch, Options options) throws PtxCompileException {
        if (!Modifier.isStatic(method.getModifiers())) {
            throw new PtxCompileException(method + " is not static: only static methods become kernels");
        }
        ClassLoader loader = method.getDeclaringClass().getClassLoader();
        ClassBytes bytes = new GpuClassBytes(ClassBytes.fromClassLoader(loader));
        Module module;
        try {
            module = new BytecodeFrontend(bytes, loader).lift(method.getDeclaringClass().getName().replace('.', '/'),
                    method.getName(), org.objectweb.asm.Type.getMethodDescriptor(method));
        } catch (UnsupportedConstructException e) {
            throw new PtxCompileException(e.getMessage());
        }
        for (Function f : module.functions().values()) PassPipeline.standard().run(f);
        return compile(module, entryName(method), arch, options);
    }

    /** Compiles a lifted module whose entry is the kernel; {@code entryName} is its name in the PTX. */
    public static PtxKernel compile(Module module, String entryName, String arch, Options options) throws PtxCompileException {
        KernelModuleWriter writer = new KernelModuleWriter(module, entryName, options);
        String llvmIr = writer.write();
        Path libdevice = null;
        if (writer.libdeviceUse() != null) {
            libdevice = Libdevice.find().orElseThrow(() -> new PtxCompileException(writer.libdeviceUse()
                    + " needs CUDA's libdevice, which was not found (searched " + Libdevice.searched()
                    + "; set -Dnumbat.libdevice=/path/to/libdevice.10.bc or CUDA_HOME)"));
        }
        StringBuilder optimised = new StringBuilder();
        String ptx = NvptxCompiler.compile(llvmIr, arch, libdevice, entryName, optimised);
        List<String> npe = new ArrayList<>();
        for (Instruction i : writer.sites()) npe.add(i.site().nullPointerMessage());
        return new PtxKernel(module.entry().displayName(), entryName, arch, ptx, llvmIr, optimised.toString(),
                WrittenArrays.of(module), List.copyOf(npe.stream().map(s -> s == null ? "" : s).toList()), options.parallelLoop());
    }

    /** {@code numbat_Kernels_saxpy}: a PTX identifier naming the Java method. */
    static String entryName(Method m) {
        String raw = "numbat_" + m.getDeclaringClass().getSimpleName() + "_" + m.getName();
        StringBuilder b = new StringBuilder();
        for (char c : raw.toCharArray()) b.append(Character.isLetterOrDigit(c) && c < 128 || c == '_' ? c : '_');
        return b.toString();
    }
}
