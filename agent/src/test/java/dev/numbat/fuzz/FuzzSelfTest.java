package dev.numbat.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.numbat.fuzz.Ast.Prim;
import dev.numbat.fuzz.Harness.Kind;
import dev.numbat.fuzz.Harness.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tests of the fuzzer itself: the library table, determinism, the text form of inputs, and the reducer. */
class FuzzSelfTest {

    /**
     * Every JDK function the generator calls compiles: a refusal of a generated method would otherwise count as a
     * fuzzer defect. (Float.float16ToFloat, Float.floatToFloat16 and Math.scalb are left out of the table: they
     * hold {@code assert}s, which Numbat refuses.)
     */
    @Test
    void everyLibraryFunctionCompiles() throws Exception {
        StringBuilder src = new StringBuilder("public final class Lib {\n");
        List<Library.Fn> fns = new ArrayList<>(Library.EXACT);
        for (String t : Library.TRANSCENDENTAL.keySet()) {
            fns.add(Library.arity(t) == 1 ? new Library.Fn(t, Prim.DOUBLE, Prim.DOUBLE) : new Library.Fn(t, Prim.DOUBLE, Prim.DOUBLE, Prim.DOUBLE));
        }
        for (int i = 0; i < fns.size(); i++) {
            Library.Fn f = fns.get(i);
            src.append("  static ").append(f.result().java).append(" f").append(i).append('(');
            for (int j = 0; j < f.params().length; j++) src.append(j == 0 ? "" : ", ").append(f.params()[j].java).append(" a").append(j);
            src.append(") { return ").append(f.name()).append('(');
            for (int j = 0; j < f.params().length; j++) src.append(j == 0 ? "" : ", ").append("a").append(j);
            src.append("); }\n");
        }
        src.append("}\n");
        Class<?> cls = Harness.load("Lib", src.toString(), true);
        List<String> refused = new ArrayList<>();
        Random r = new Random(1);
        for (int i = 0; i < fns.size(); i++) {
            Library.Fn f = fns.get(i);
            List<Ast.Param> params = new ArrayList<>();
            for (Prim p : f.params()) params.add(new Ast.Param(Ast.Ty.of(p), "a"));
            double ulps = Library.TRANSCENDENTAL.getOrDefault(f.name(), 0.0);
            Verdict v = Harness.check(Harness.method(cls, "f" + i), Inputs.generate(params, r, 40), ulps);
            if (v.kind() != Kind.PASS) refused.add(f + ": " + v.kind() + " " + v.message());
        }
        assertTrue(refused.isEmpty(), () -> refused.size() + " library functions fail:\n" + String.join("\n", refused));
    }

    @Test
    void sameSeedSameProgram() {
        for (int k = 0; k < 5; k++) {
            long s = Campaign.classSeed(42, k);
            assertEquals(new Generator(s).generate("A").source(), new Generator(s).generate("A").source());
        }
    }

    @Test
    void inputsSurviveTheirTextForm() {
        Object arr = new double[] {-0.0, Double.NaN, Double.longBitsToDouble(0x7ff8000000000001L), Double.MIN_VALUE};
        Object[] args = {5, -1L, true, (byte) -128, (short) 7, (char) 65535, Float.intBitsToFloat(0xffc00001), 1e-310, arr, arr,
                null, new int[0], new char[] {0, 'x'}};
        Object[] back = Inputs.decode(Inputs.encode(args));
        assertEquals(Inputs.encode(args), Inputs.encode(back));
        assertTrue(back[8] == back[9], "aliased arrays stay one array");
        assertEquals(Float.floatToRawIntBits((Float) args[6]), Float.floatToRawIntBits((Float) back[6]));
    }

    /** The reducer shrinks a generated program to the few statements a (fake) failure needs. */
    @Test
    void reducerKeepsOnlyWhatTheFailureNeeds() {
        Ast.Program p = null;
        String entry = null;
        for (int k = 0; p == null; k++) {
            Ast.Program candidate = new Generator(Campaign.classSeed(3, k)).generate("R");
            for (Ast.Method m : candidate.methods()) {
                if (m.returnType != null && m.returnType.prim() == Prim.INT && m.body().kids.size() > 6) {
                    p = candidate;
                    entry = m.name;
                    break;
                }
            }
        }
        Ast.Method m = p.method(entry);
        // "fails" while the entry method still has a multiplication in it and javac accepts the program
        m.body().kids.add(0, new Ast.Decl(Ast.Ty.INT, "marker", new Ast.Binary(Ast.Ty.INT, "*", new Ast.Lit(Ast.Ty.INT, 6), new Ast.Lit(Ast.Ty.INT, 7))));
        String e = entry;
        Reducer.Case start = new Reducer.Case(p, entry, Inputs.generate(m.params, new Random(1), 3), true, 0);
        Reducer.Case reduced = Reducer.reduce(start, c -> {
            try {
                Harness.load(c.program().className, c.program().source(), true);
            } catch (Harness.CompileError x) {
                return false;
            }
            return Ast.Printer.of(c.method().result()).length() >= 0 && c.program().method(e).body().kids.stream()
                    .anyMatch(s -> s instanceof Ast.Decl d && d.name.equals("marker") && d.kids.get(0) instanceof Ast.Binary);
        }, 120_000);
        String src = reduced.program().source();
        assertEquals(1, reduced.tuples().size());
        assertEquals(1, reduced.program().methods().size(), src);
        assertEquals(1, reduced.method().body().kids.size(), src);
        assertTrue(src.length() < 300, src);
    }
}
