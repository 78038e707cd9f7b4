package dev.numbat.ptx;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Prints what the PTX back end makes of a kernel, without a GPU:
 * {@code java -cp ... dev.numbat.ptx.PtxTool com.example.Kernels saxpy [sm_90] [ptx|ir|optimised]}.
 * Exit status 0, or 1 with one line when the kernel is refused or not found.
 */
public final class PtxTool {
    private PtxTool() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2) {
            err.println("usage: PtxTool <class> <static method> [sm_80|sm_90|...] [ptx|ir|optimised]");
            return 1;
        }
        String arch = args.length > 2 ? args[2] : PtxBackend.DEFAULT_ARCH;
        String what = args.length > 3 ? args[3] : "ptx";
        try {
            Class<?> owner = Class.forName(args[0], false, PtxTool.class.getClassLoader());
            Method method = null;
            for (Method m : owner.getDeclaredMethods()) {
                if (m.getName().equals(args[1]) && Modifier.isStatic(m.getModifiers())) method = m;
            }
            if (method == null) {
                err.println("numbat: no static method " + args[0] + "." + args[1]);
                return 1;
            }
            PtxKernel k = PtxBackend.compile(method, arch);
            out.print(switch (what) {
                case "ir" -> k.llvmIr();
                case "optimised" -> k.optimisedIr();
                default -> k.ptx();
            });
            return 0;
        } catch (ClassNotFoundException e) {
            err.println("numbat: class " + args[0] + " not found");
        } catch (PtxCompileException e) {
            err.println("numbat: " + args[0] + "." + args[1] + " not compiled for the GPU: " + e.getMessage());
        }
        return 1;
    }
}
