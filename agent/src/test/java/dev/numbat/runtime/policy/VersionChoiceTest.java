package dev.numbat.runtime.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.junit.jupiter.api.Test;

/**
 * The choice between a specialised version and the general code, with a stand-in for native code that reads the
 * switch as the compiled entry does and is made far slower in one version (0.3 ms against nothing), so that the
 * choice is certain; and the calls' results pass through unchanged all along.
 */
class VersionChoiceTest {
    private static MemorySegment versionSwitch;
    private static int slowVersion;

    /** The stand-in: {@code x + 1}, after spinning 0.3 ms when the switch selects the slow version. */
    static int code(int x) {
        if (versionSwitch.get(ValueLayout.JAVA_INT, 0) == slowVersion) {
            long end = System.nanoTime() + 300_000;
            while (System.nanoTime() < end) Thread.onSpinWait();
        }
        return x + 1;
    }

    private static int choose(int slow) throws Throwable {
        versionSwitch = Arena.global().allocate(ValueLayout.JAVA_INT);
        versionSwitch.set(ValueLayout.JAVA_INT, 0, 1);
        slowVersion = slow;
        MethodHandle code = MethodHandles.lookup().findStatic(VersionChoiceTest.class, "code", MethodType.methodType(int.class, int.class));
        MethodHandle h = VersionChoice.of(code, versionSwitch, "test.K.code(I)I");
        int calls = 2 * (VersionChoice.WARM_CALLS + MeasuredPolicy.SAMPLES) + 10;
        for (int i = 0; i < calls; i++) assertEquals(i + 1, (int) h.invokeExact(i));
        return versionSwitch.get(ValueLayout.JAVA_INT, 0);
    }

    @Test void turnsASlowerSpecialisedVersionOff() throws Throwable {
        assertEquals(0, choose(1));
    }

    @Test void keepsAFasterSpecialisedVersion() throws Throwable {
        assertEquals(1, choose(0));
    }

    @Test void codeWithOneVersionIsReturnedAsItIs() throws Throwable {
        MethodHandle code = MethodHandles.lookup().findStatic(VersionChoiceTest.class, "code", MethodType.methodType(int.class, int.class));
        assertEquals(code, VersionChoice.of(code, MemorySegment.NULL, "test.K.code(I)I"));
    }
}
