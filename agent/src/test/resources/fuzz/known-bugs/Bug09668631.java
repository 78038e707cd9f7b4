// Numbat fuzz regression, reduced automatically from seed 14865, class 0 (Fuzzbgx_0), method m0.
// Failure: REFUSED: internal compiler error: java.lang.NoSuchMethodError: 'void dev.numbat.ir.loop.NestRangeVersioning.<init>(..)
//   internal compiler error: java.lang.NoSuchMethodError: 'void dev.numbat.ir.loop.NestRangeVersioning.<init>(boolean)'
// entry: m0
// javac: -g
// ulps: 0.0
// args: 
public final class Bug09668631 {
    
    static float m0() {
        return 0.0f;
    }
}
