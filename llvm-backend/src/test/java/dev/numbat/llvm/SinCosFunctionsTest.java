package dev.numbat.llvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What {@link SinCosFunctions} computes instead of looking up a table of fdlibm's. */
class SinCosFunctionsTest {
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
            int high = (int) (Double.doubleToRawLongBits(n * SinCosFunctions.PIO2_1) >>> 32);
            assertEquals(NPIO2_HW[n - 1], high, "n = " + n);
        }
    }
}
