package dev.numbat.ptx.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.numbat.Gpu;
import dev.numbat.GpuRuntime;
import dev.numbat.simulator.GpuSimulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * How Gpu picks its runtime from -Dnumbat.gpu (the choice itself is made once per JVM, so its private
 * step is called directly): simulate is the simulator, silently; auto is the device where there is one,
 * else the simulator after one line on standard error.
 */
class RuntimeChoiceTest {
    private static GpuRuntime choose(String mode, ByteArrayOutputStream err) throws Exception {
        Method choose = Gpu.class.getDeclaredMethod("choose", String.class);
        choose.setAccessible(true);
        PrintStream before = System.err;
        System.setErr(new PrintStream(err, true));
        try {
            return (GpuRuntime) choose.invoke(null, mode);
        } finally {
            System.setErr(before);
        }
    }

    @Test void simulateIsTheSimulatorWithoutAWord() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertSame(GpuSimulator.INSTANCE, choose("simulate", err));
        assertEquals("", err.toString());
    }

    @Test void autoIsTheDeviceOrTheSimulatorWithOneLine() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        GpuRuntime r = choose("auto", err);
        if (r == GpuSimulator.INSTANCE) {
            String line = err.toString();
            assertTrue(line.startsWith("numbat: no CUDA device for GPU kernels (") && line.endsWith("; they run on the CPU simulator\n")
                    && line.indexOf('\n') == line.length() - 1, line);
        } else {
            assertTrue(r.description().startsWith("CUDA: "), r.description());
        }
    }
}
