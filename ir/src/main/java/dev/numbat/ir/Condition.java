package dev.numbat.ir;

/** The comparison of an {@code if}: signed for int, identity for references (eq/ne only). */
public enum Condition {
    EQ, NE, LT, GE, GT, LE;

    public String text() { return name().toLowerCase(); }

    public Condition negate() {
        return switch (this) { case EQ -> NE; case NE -> EQ; case LT -> GE; case GE -> LT; case GT -> LE; case LE -> GT; };
    }
}
