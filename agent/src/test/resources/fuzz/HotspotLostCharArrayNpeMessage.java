// Found by the fuzzer (seed 11, class 361, method m8), reduced automatically; kept as a regression test of the
// fuzzer's tolerance. Not a Numbat bug: HotSpot's interpreter rewrites "iload 4; caload" into its fast_icaload
// bytecode the first time it runs it, and a NullPointerException raised there afterwards has no message (the
// first one has "Cannot load from char array because "<parameter4>" is null"; java -Xint shows it too,
// -XX:-RewriteFrequentPairs makes it go away). Numbat always gives the message; Harness.lostMessage
// accepts exactly this difference. The fourth tuple passes null for p4 after three runs of the same caload.
// entry: m8
// javac: -g:none
// ulps: 0.0
// args: S:0 | [D: | Z:false | [C:
// args: S:0 | [D: | Z:false | [C:
// args: S:0 | [D: | Z:false | [C:
// args: S:0 | [D: | Z:false | null
// args: S:0 | [D: | Z:false | null
public final class HotspotLostCharArrayNpeMessage {

    static float m8(short p0, double[] p1, boolean p2, char[] p4) {
        for (int i0 = 0; i0 < 7; i0++) {
            p1[0] = (0.0 * (0 + p4[i0]));
        }
        return 0.0f;
    }
}
