package dev.numbat.ptx.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.numbat.Gpu;
import dev.numbat.GpuArray;
import dev.numbat.GpuGrid;
import dev.numbat.GpuStream;
import dev.numbat.Jit;
import dev.numbat.simulator.GpuSimulator;
import java.io.DataInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The GPU API lives in numbat-annotations, which applications on Java 17 must be able to load. */
class AnnotationsTargetTest {
    @Test void gpuApiIsJava17ClassFiles() throws Exception {
        for (Class<?> c : new Class<?>[] {Gpu.class, GpuArray.class, GpuGrid.class, GpuStream.class, Jit.class,
                Jit.Target.class, GpuSimulator.class}) {
            try (InputStream in = c.getResourceAsStream(c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class")) {
                DataInputStream d = new DataInputStream(in);
                d.readInt();
                d.readUnsignedShort();
                assertEquals(61, d.readUnsignedShort(), c + " must be a Java 17 class file");
            }
        }
    }
}
