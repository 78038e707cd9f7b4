package dev.numbat.ptx.cuda;

import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuInit;

import dev.numbat.GpuRuntime;
import java.nio.charset.StandardCharsets;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;

/**
 * Where {@link dev.numbat.Gpu} finds the CUDA runtime, by name, the first time a kernel is launched. This is
 * the only way into JCuda: nothing loads its classes or natives before {@link #open()} is called. Without a
 * driver or a device, {@code open()} throws {@link IllegalStateException} saying which, and Gpu falls back to
 * the simulator. {@code -Dnumbat.gpu.device=N} picks a device other than the first.
 */
public final class CudaRuntimeProvider {
    private static GpuRuntime opened;
    private static String failure;

    private CudaRuntimeProvider() {}

    public static synchronized GpuRuntime open() {
        if (opened != null) return opened;
        if (failure != null) throw new IllegalStateException(failure);
        try {
            opened = start();
            return opened;
        } catch (LinkageError e) {
            // libJCudaDriver links against libcuda.so.1, which only a machine with NVIDIA's driver has.
            failure = "the CUDA driver library could not be loaded: " + oneLine(e.getMessage());
        } catch (RuntimeException e) {
            failure = e.getMessage();
        }
        throw new IllegalStateException(failure);
    }

    /** JCuda's loader explains each attempt over many lines; the user needs the missing library's name. */
    static String oneLine(String message) {
        if (message == null) return "no reason given";
        int cuda = message.indexOf("libcuda.so");
        if (cuda >= 0) {
            int end = message.indexOf('\n', cuda);
            return message.substring(cuda, end < 0 ? message.length() : end).strip() + " (NVIDIA's driver is not installed)";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    private static GpuRuntime start() {
        JCudaDriver.setExceptionsEnabled(false);
        CudaCalls.check(cuInit(0), "initialising the CUDA driver");
        int[] count = {0};
        CudaCalls.check(cuDeviceGetCount(count), "counting CUDA devices");
        if (count[0] == 0) throw new IllegalStateException("the CUDA driver reports no device");
        int ordinal = Integer.getInteger("numbat.gpu.device", 0);
        if (ordinal < 0 || ordinal >= count[0]) throw new IllegalStateException("no CUDA device " + ordinal + " (" + count[0] + " found)");
        CUdevice device = new CUdevice();
        CudaCalls.check(cuDeviceGet(device, ordinal), "opening CUDA device " + ordinal);
        byte[] name = new byte[256];
        CudaCalls.check(cuDeviceGetName(name, name.length, device), "reading the device name");
        int[] major = {0}, minor = {0};
        CudaCalls.check(cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device), "reading the compute capability");
        CudaCalls.check(cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device), "reading the compute capability");
        CUcontext context = new CUcontext();
        CudaCalls.check(cuDevicePrimaryCtxRetain(context, device), "creating a CUDA context");
        String deviceName = new String(name, StandardCharsets.US_ASCII).trim().replace("\0", "");
        return new CudaGpuRuntime(context, deviceName, arch(major[0] * 10 + minor[0]));
    }

    /**
     * The PTX target for a compute capability: sm_90 for Hopper and later (the driver compiles PTX for newer
     * GPUs), sm_80 for Ampere and Ada, the device's own below that.
     */
    static String arch(int capability) {
        if (capability >= 90) return "sm_90";
        if (capability >= 80) return "sm_80";
        return "sm_" + capability;
    }
}
