package dev.numbat.runtime.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * The choice among the settings of a method's switch (the entry's copy, the loop versions, both, neither), with a
 * stand-in for native code that reads the switch as compiled code does and is made far slower in some settings
 * (0.3 ms against nothing), so that the choice is certain; and the calls' results pass through unchanged all along.
 */
class VersionChoiceTest {
    private static final int COPY = 1, LOOPS = 2;
    private static MemorySegment versionSwitch;
    private static IntPredicate slow;

    /** The stand-in: {@code x + 1}, after spinning 0.3 ms when the switch's setting is a slow one. */
    static int code(int x) {
        if (slow.test(versionSwitch.get(ValueLayout.JAVA_INT, 0))) {
            long end = System.nanoTime() + 300_000;
            while (System.nanoTime() < end) Thread.onSpinWait();
        }
        return x + 1;
    }

    private static int choose(int parts, IntPredicate slowSettings) throws Throwable {
        versionSwitch = Arena.global().allocate(ValueLayout.JAVA_INT);
        versionSwitch.set(ValueLayout.JAVA_INT, 0, parts);
        slow = slowSettings;
        MethodHandle code = MethodHandles.lookup().findStatic(VersionChoiceTest.class, "code", MethodType.methodType(int.class, int.class));
        MethodHandle h = VersionChoice.of(code, versionSwitch, parts, "test.K.code(I)I");
        int settings = Integer.bitCount(parts) == 2 ? 4 : 2;
        int calls = settings * (VersionChoice.WARM_CALLS + MeasuredPolicy.SAMPLES) + 10;
        for (int i = 0; i < calls; i++) assertEquals(i + 1, (int) h.invokeExact(i));
        return versionSwitch.get(ValueLayout.JAVA_INT, 0);
    }

    @Test void turnsASlowerSpecialisedVersionOff() throws Throwable {
        assertEquals(0, choose(COPY, s -> s == COPY));
    }

    @Test void keepsAFasterSpecialisedVersion() throws Throwable {
        assertEquals(COPY, choose(COPY, s -> s == 0));
    }

    @Test void keepsTheCopyAndTurnsSlowerLoopVersionsOff() throws Throwable {
        assertEquals(COPY, choose(COPY | LOOPS, s -> (s & LOOPS) != 0 || s == 0));
    }

    @Test void keepsEveryPartWhenNoneIsSlower() throws Throwable {
        assertEquals(COPY | LOOPS, choose(COPY | LOOPS, s -> s != (COPY | LOOPS)));
    }

    @Test void settingsMostPartsFirst() {
        assertArrayEquals(new int[] {3, 1, 2, 0}, VersionChoice.settings(3));
        assertArrayEquals(new int[] {2, 0}, VersionChoice.settings(2));
        assertArrayEquals(new int[] {1, 0}, VersionChoice.settings(1));
    }

    @Test void codeWithOneVersionIsReturnedAsItIs() throws Throwable {
        MethodHandle code = MethodHandles.lookup().findStatic(VersionChoiceTest.class, "code", MethodType.methodType(int.class, int.class));
        assertEquals(code, VersionChoice.of(code, MemorySegment.NULL, 0, "test.K.code(I)I"));
    }
}
