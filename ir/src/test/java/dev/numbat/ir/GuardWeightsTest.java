package dev.numbat.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.numbat.ir.loop.RangeCheckVersioning;
import dev.numbat.ir.pass.PassPipeline;
import dev.numbat.ir.pass.RemoveUnreachableBlocks;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The site that tells the backend a guard's failure is rare (the text form does not print a branch's site, so the
 * goldens cannot show it): after range-check versioning of a CSR product, every test of both guards, the one before
 * the loop over rows and the one before each row, is marked, each jumping first to the loop as it was; no other
 * branch is.
 */
class GuardWeightsTest {
    @Test
    void theGuardsOfACsrProductAreMarkedRarelyFailing() throws IOException {
        String text = Files.readString(PassGoldenTest.DIR.resolve("range-versions-csr-row.ir"));
        Module m = IrParser.parse(text.substring(0, text.indexOf("// after ")));
        Function f = m.functions().values().iterator().next();
        PassPipeline.of(new RemoveUnreachableBlocks(), new RangeCheckVersioning()).verifyingEachPass(true).run(f);

        Set<BasicBlock> failures = new HashSet<>();
        int marked = 0;
        for (BasicBlock b : f.blocks()) {
            Instruction t = b.terminator();
            if (t == null || t.site() != Site.GUARD_FAILURE_FIRST) continue;
            marked++;
            failures.add(t.targets().get(0));
        }
        // Outer guard: y null twice (its length is read), y.length against itself and rowPtr, 4 arrays non-null: 8 tests;
        // the row's: rowPtr null, r + 1 < 0, r + 1 >= length, vals null, (start | (vals.length - end)) < 0,
        // cols null, end > cols.length: 7, in each of the two copies of the row loop (the outer loop's and its copy's).
        assertEquals(8 + 7 + 7, marked, IrPrinter.print(m));
        assertEquals(3, failures.size(), "one way back to the loop as it was per guard:\n" + IrPrinter.print(m));
        for (BasicBlock general : failures) {
            assertTrue(general.terminator().opcode() == Opcode.GOTO, general + " should only lead to the loop as it was");
        }
    }
}
