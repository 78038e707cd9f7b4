package dev.numbat.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class IrRoundTripTest {
    // int clamp(int x, int[] a) { int s = 0; for (int i = 0; i < x; i++) s += a[i]; return s; }
    static final String LOOP = """
            function T.sum(I[I)I (%x: int, %a: int[]) -> int {
            b0:
              goto b1
            b1: ; preds b0 b2
              %0 = phi int [b0: 0], [b2: %3]
              %1 = phi int [b0: 0], [b2: %4]
              if ge %0, %x then b3 else b2
            b2: ; preds b1
              %2 = aload %a, %0  @7:3
              %3 = add %0, 1
              %4 = add %1, %2
              goto b1
            b3: ; preds b1
              return %1
            }
            """;

    @Test
    void printedTextParsesBackToTheSameText() {
        Module m = IrParser.parse(LOOP);
        IrVerifier.verify(m);
        assertEquals(LOOP, IrPrinter.print(m));
    }

    // long f(MemorySegment s, long i) { s.setAtIndex(JAVA_SHORT, i, (short) 7); return s.get(JAVA_LONG_UNALIGNED, i) + s.byteSize(); }
    @Test
    void segmentAccessesRoundTripWithTheirLayouts() {
        String text = """
                function T.f(Ljava/lang/foreign/MemorySegment;J)J (%s: MemorySegment, %i: long) -> long {
                b0:
                  ssetindex %s, layout JAVA_SHORT, %i, short 7  @4:1
                  %0 = sget %s, layout JAVA_LONG_UNALIGNED, %i  @12:1
                  %1 = ssize %s  @15:1
                  %2 = add %0, %1
                  return %2
                }
                """;
        Module m = IrParser.parse(text);
        IrVerifier.verify(m);
        assertEquals(text, IrPrinter.print(m));
        Instruction get = m.functions().values().iterator().next().entry().instructions().get(1);
        assertEquals(Type.LONG, get.type());
        assertEquals(SegmentLayout.JAVA_LONG_UNALIGNED, ((Constant) get.operand(1)).layout());
    }

    @Test
    void tablesRoundTripWithTheirElements() {
        String text = """
                table @java/lang/T.C: double[] = [0.5d, -0.0d, d#7ff8000000000001]
                table @java/lang/T.B: byte[] = [byte -1, byte 7]
                function T.t(I)D (%i: int) -> double {
                b0:
                  %0 = aload @java/lang/T.C, %i  @3:1
                  %1 = aload @java/lang/T.B, %i  @7:1
                  %2 = b2i %1
                  %3 = i2d %2
                  %4 = add %0, %3
                  return %4
                }
                """;
        Module m = IrParser.parse(text);
        IrVerifier.verify(m);
        assertEquals(text, IrPrinter.print(m));
        assertEquals(3, m.tables().get("java/lang/T.C").length());
    }

    @Test
    void constantsKeepTheirBits() {
        String text = """
                function T.c()D () -> double {
                b0:
                  %0 = add -0.0d, d#7ff8000000000001
                  %1 = f2d f#ffc00000
                  %2 = add %0, %1
                  %3 = add %2, Infinityd
                  return %3
                }
                """;
        assertEquals(text, IrPrinter.print(IrParser.parse(text)));
    }

    @Test
    void verifierRejectsAUseNotDominatedByItsDefinition() {
        Function f = new Function("T", "bad", "(I)I", Type.INT);
        FunctionBuilder b = new FunctionBuilder(f);
        Parameter x = b.addParameter(Type.INT, "x");
        BasicBlock entry = b.newBlock(), left = b.newBlock(), right = b.newBlock(), join = b.newBlock();
        b.at(entry).branch(Condition.LT, x, Constant.ofInt(0), left, right);
        Instruction onlyLeft = b.at(left).binary(Opcode.ADD, x, x, Site.UNKNOWN);
        b.jump(join);
        b.at(right).jump(join);
        b.at(join).ret(onlyLeft);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> IrVerifier.verify(f));
        assertTrue(e.getMessage().contains("not dominated"), e.getMessage());
    }

    @Test
    void verifierRejectsMistypedOperands() {
        Function f = new Function("T", "bad", "(JI)J", Type.LONG);
        FunctionBuilder b = new FunctionBuilder(f);
        Parameter l = b.addParameter(Type.LONG, "l");
        Parameter i = b.addParameter(Type.INT, "i");
        b.at(b.newBlock());
        Instruction sum = b.binary(Opcode.ADD, l, i, Site.UNKNOWN);
        b.ret(sum);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> IrVerifier.verify(f));
        assertTrue(e.getMessage().contains("one arithmetic type"), e.getMessage());
    }

    @Test
    void verifierRejectsPhiMissingAPredecessor() {
        Module m = IrParser.parse(LOOP.replace("%0 = phi int [b0: 0], [b2: %3]", "%0 = phi int [b2: %3]"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> IrVerifier.verify(m));
        assertTrue(e.getMessage().contains("no operand for predecessor b0"), e.getMessage());
    }

    @Test
    void replaceAllUsesKeepsUseListsConsistent() {
        Module m = IrParser.parse(LOOP);
        Function f = m.entry();
        Instruction load = f.blocks().get(2).instructions().get(0);
        FunctionBuilder b = new FunctionBuilder(f);
        b.replaceAllUses(load, Constant.ofInt(7));
        assertTrue(load.users().isEmpty());
        b.remove(load);
        IrVerifier.verify(f);
        assertEquals(List.of(), load.users());
    }
}
