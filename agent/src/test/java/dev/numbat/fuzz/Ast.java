package dev.numbat.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fuzzer's program tree: one generated class with static final fields and static methods, made of the
 * statements and expressions the {@link Generator} writes and the {@link Reducer} shrinks.
 *
 * <p>Every node keeps its sub-trees in {@link Node#kids} (in evaluation/print order, nulls allowed for absent
 * parts), so the reducer can walk and edit any program without knowing its node types. What keeps a program
 * terminating and free of behaviour that may legitimately differ (loop bounds and fuel, the recursion guard, the
 * masks on array sizes and recursion depths, the NaN guards of raw-bit conversions and {@code Math.copySign}) is
 * held in fields, not kids, and printed by the node itself: no reduction step can remove it.
 */
final class Ast {
    private Ast() {}

    // ---- types ------------------------------------------------------------------------------------

    enum Prim {
        BOOLEAN("boolean", boolean.class, boolean[].class, "Z"),
        BYTE("byte", byte.class, byte[].class, "B"),
        SHORT("short", short.class, short[].class, "S"),
        CHAR("char", char.class, char[].class, "C"),
        INT("int", int.class, int[].class, "I"),
        LONG("long", long.class, long[].class, "J"),
        FLOAT("float", float.class, float[].class, "F"),
        DOUBLE("double", double.class, double[].class, "D");

        final String java;
        final Class<?> cls;
        final Class<?> arrayCls;
        final String code;

        Prim(String java, Class<?> cls, Class<?> arrayCls, String code) {
            this.java = java;
            this.cls = cls;
            this.arrayCls = arrayCls;
            this.code = code;
        }

        boolean integral() { return this == BYTE || this == SHORT || this == CHAR || this == INT || this == LONG; }
        boolean floating() { return this == FLOAT || this == DOUBLE; }
        boolean numeric() { return this != BOOLEAN; }
        /** byte, short, char and int: what Java promotes to int. */
        boolean intLike() { return this == BYTE || this == SHORT || this == CHAR || this == INT; }

        static Prim of(Class<?> c) {
            for (Prim p : values()) if (p.cls == c) return p;
            throw new IllegalArgumentException(String.valueOf(c));
        }
    }

    /** A primitive type or a one-dimensional array of one. */
    record Ty(Prim prim, boolean array) {
        static final Ty BOOLEAN = new Ty(Prim.BOOLEAN, false);
        static final Ty BYTE = new Ty(Prim.BYTE, false);
        static final Ty SHORT = new Ty(Prim.SHORT, false);
        static final Ty CHAR = new Ty(Prim.CHAR, false);
        static final Ty INT = new Ty(Prim.INT, false);
        static final Ty LONG = new Ty(Prim.LONG, false);
        static final Ty FLOAT = new Ty(Prim.FLOAT, false);
        static final Ty DOUBLE = new Ty(Prim.DOUBLE, false);

        static Ty of(Prim p) { return new Ty(p, false); }
        static Ty arrayOf(Prim p) { return new Ty(p, true); }
        Ty element() { return new Ty(prim, false); }
        String java() { return array ? prim.java + "[]" : prim.java; }
        Class<?> cls() { return array ? prim.arrayCls : prim.cls; }
        @Override public String toString() { return java(); }
    }

    // ---- nodes ------------------------------------------------------------------------------------

    abstract static class Node {
        final List<Node> kids = new ArrayList<>();

        /** A copy of this node's own fields, without kids. */
        abstract Node shallow();

        Node copy() {
            Node n = shallow();
            for (Node k : kids) n.kids.add(k == null ? null : k.copy());
            return n;
        }

        /** Whether the reducer may put another expression of the same type into kid {@code i}. */
        boolean replaceable(int i) { return true; }

        Node kid(int i) { return kids.get(i); }

        @SuppressWarnings("unchecked")
        <T extends Node> T add(Node k) {
            kids.add(k);
            return (T) this;
        }
    }

    // ---- expressions ------------------------------------------------------------------------------

    abstract static class Expr extends Node {
        final Ty type;

        Expr(Ty type) { this.type = type; }

        abstract void print(StringBuilder sb);

        /** As an expression statement (no enclosing parentheses); only assignments, increments and calls. */
        void printStatement(StringBuilder sb) { throw new IllegalStateException("not a statement expression: " + this); }

        Expr e(int i) { return (Expr) kids.get(i); }

        @Override Expr copy() { return (Expr) super.copy(); }

        @Override public String toString() {
            StringBuilder sb = new StringBuilder();
            print(sb);
            return sb.toString();
        }
    }

    /** A literal of a primitive type, printed so that javac reads back exactly this value. */
    static final class Lit extends Expr {
        final Object value;

        Lit(Ty type, Object value) {
            super(type);
            this.value = value;
        }

        static Lit of(Prim p, long v) {
            return switch (p) {
                case BOOLEAN -> new Lit(Ty.BOOLEAN, v != 0);
                case BYTE -> new Lit(Ty.BYTE, (byte) v);
                case SHORT -> new Lit(Ty.SHORT, (short) v);
                case CHAR -> new Lit(Ty.CHAR, (char) v);
                case INT -> new Lit(Ty.INT, (int) v);
                case LONG -> new Lit(Ty.LONG, v);
                case FLOAT -> new Lit(Ty.FLOAT, (float) v);
                case DOUBLE -> new Lit(Ty.DOUBLE, (double) v);
            };
        }

        @Override Node shallow() { return new Lit(type, value); }

        @Override void print(StringBuilder sb) { sb.append(source(type.prim(), value)); }

        static String source(Prim p, Object value) {
            return switch (p) {
                case BOOLEAN -> value.toString();
                case BYTE -> "(byte) " + signed(((Byte) value).longValue(), "");
                case SHORT -> "(short) " + signed(((Short) value).longValue(), "");
                case CHAR -> "(char) " + (int) (Character) value;
                case INT -> signed(((Integer) value).longValue(), "");
                case LONG -> signed((Long) value, "L");
                case FLOAT -> floatSource((Float) value);
                case DOUBLE -> doubleSource((Double) value);
            };
        }

        private static String signed(long v, String suffix) { return v < 0 ? "(" + v + suffix + ")" : v + suffix; }

        static String floatSource(float f) {
            if (Float.isNaN(f)) return "Float.NaN";
            if (f == Float.POSITIVE_INFINITY) return "Float.POSITIVE_INFINITY";
            if (f == Float.NEGATIVE_INFINITY) return "Float.NEGATIVE_INFINITY";
            String s = Float.toString(Math.abs(f)) + "f";
            return (Float.floatToRawIntBits(f) < 0) ? "(-" + s + ")" : s;
        }

        static String doubleSource(double d) {
            if (Double.isNaN(d)) return "Double.NaN";
            if (d == Double.POSITIVE_INFINITY) return "Double.POSITIVE_INFINITY";
            if (d == Double.NEGATIVE_INFINITY) return "Double.NEGATIVE_INFINITY";
            String s = Double.toString(Math.abs(d));
            return (Double.doubleToRawLongBits(d) < 0) ? "(-" + s + ")" : s;
        }
    }

    /** A parameter, local, loop counter or static final field. */
    static final class Var extends Expr {
        final String name;

        Var(Ty type, String name) {
            super(type);
            this.name = name;
        }

        @Override Node shallow() { return new Var(type, name); }
        @Override void print(StringBuilder sb) { sb.append(name); }
    }

    /** {@code null} where an array is expected (a call argument, a ternary arm). */
    static final class Null extends Expr {
        Null(Ty type) { super(type); }
        @Override Node shallow() { return new Null(type); }
        /** Never cast: {@code (int[]) null} is a checkcast, which Numbat refuses like any object cast. */
        @Override void print(StringBuilder sb) { sb.append("null"); }
    }

    /** {@code array.length}. */
    static final class Length extends Expr {
        Length(Expr array) {
            super(Ty.INT);
            kids.add(array);
        }

        private Length() { super(Ty.INT); }

        @Override Node shallow() { return new Length(); }
        @Override boolean replaceable(int i) { return false; }

        @Override void print(StringBuilder sb) {
            printArray(sb, e(0));
            sb.append(".length");
        }
    }

    static void printArray(StringBuilder sb, Expr array) {
        if (array instanceof Var) {
            array.print(sb);
        } else {
            sb.append('(');
            array.print(sb);
            sb.append(')');
        }
    }

    /** {@code array[index]}: an element read, or the target of an assignment. */
    static final class Index extends Expr {
        Index(Expr array, Expr index) {
            super(array.type.element());
            kids.add(array);
            kids.add(index);
        }

        private Index(Ty t) { super(t); }

        @Override Node shallow() { return new Index(type); }
        @Override boolean replaceable(int i) { return i == 1; }

        @Override void print(StringBuilder sb) {
            printArray(sb, e(0));
            sb.append('[');
            e(1).print(sb);
            sb.append(']');
        }
    }

    static final class Unary extends Expr {
        final String op;

        Unary(Ty type, String op, Expr operand) {
            super(type);
            this.op = op;
            if (operand != null) kids.add(operand);
        }

        @Override Node shallow() { return new Unary(type, op, null); }

        @Override void print(StringBuilder sb) {
            sb.append('(').append(op).append(' ');
            e(0).print(sb);
            sb.append(')');
        }
    }

    static final class Binary extends Expr {
        final String op;

        Binary(Ty type, String op, Expr a, Expr b) {
            super(type);
            this.op = op;
            if (a != null) {
                kids.add(a);
                kids.add(b);
            }
        }

        @Override Node shallow() { return new Binary(type, op, null, null); }

        @Override void print(StringBuilder sb) {
            sb.append('(');
            e(0).print(sb);
            sb.append(' ').append(op).append(' ');
            e(1).print(sb);
            sb.append(')');
        }
    }

    static final class Cast extends Expr {
        Cast(Ty type, Expr operand) {
            super(type);
            if (operand != null) kids.add(operand);
        }

        @Override Node shallow() { return new Cast(type, null); }

        @Override void print(StringBuilder sb) {
            sb.append("((").append(type.java()).append(") ");
            e(0).print(sb);
            sb.append(')');
        }
    }

    /** {@code c ? a : b} with both arms of this type. */
    static final class Cond extends Expr {
        Cond(Ty type, Expr c, Expr a, Expr b) {
            super(type);
            if (c != null) {
                kids.add(c);
                kids.add(a);
                kids.add(b);
            }
        }

        @Override Node shallow() { return new Cond(type, null, null, null); }

        @Override void print(StringBuilder sb) {
            sb.append('(');
            e(0).print(sb);
            sb.append(" ? ");
            e(1).print(sb);
            sb.append(" : ");
            e(2).print(sb);
            sb.append(')');
        }
    }

    /**
     * A static call: to a JDK method ({@code Math.floorMod}) or a generated method. For a call to a recursive
     * generated method, the first argument (its depth) is printed masked ({@code (e) & 7}) so that any depth
     * stays small; a recursive method's call to itself passes {@code depth - 1}, which no reduction can change.
     */
    static final class Call extends Expr {
        final String name;
        /** Printed before the name: "" or a class, {@code $C.}, {@code $C_Base.} or {@code $C_I.} ($C: the class name). */
        final String qualifier;
        /** 0, or the mask printed around the first kid (the callee's depth). */
        final int depthMask;
        /** A recursive method calling itself: {@code depth - 1} is printed before the kids. */
        final boolean selfCall;

        Call(Ty type, String name, int depthMask, boolean selfCall, List<Expr> args) {
            this(type, "", name, depthMask, selfCall, args);
        }

        Call(Ty type, String qualifier, String name, int depthMask, boolean selfCall, List<Expr> args) {
            super(type);
            this.qualifier = qualifier;
            this.name = name;
            this.depthMask = depthMask;
            this.selfCall = selfCall;
            kids.addAll(args);
        }

        @Override Node shallow() { return new Call(type, qualifier, name, depthMask, selfCall, List.of()); }

        @Override void print(StringBuilder sb) {
            sb.append(qualifier).append(name).append('(');
            boolean first = true;
            if (selfCall) {
                sb.append("depth - 1");
                first = false;
            }
            for (int i = 0; i < kids.size(); i++) {
                if (!first) sb.append(", ");
                first = false;
                if (i == 0 && depthMask != 0) {
                    sb.append('(');
                    e(0).print(sb);
                    sb.append(") & ").append(depthMask);
                } else {
                    e(i).print(sb);
                }
            }
            sb.append(')');
        }

        @Override void printStatement(StringBuilder sb) { print(sb); }
    }

    /** {@code target op value} ({@code =}, {@code +=}, {@code >>>=}, ...) as an expression or a statement. */
    static final class Assign extends Expr {
        final String op;

        Assign(String op, Expr target, Expr value) {
            super(target == null ? null : target.type);
            this.op = op;
            if (target != null) {
                kids.add(target);
                kids.add(value);
            }
        }

        private Assign(Ty type, String op) {
            super(type);
            this.op = op;
        }

        @Override Node shallow() { return new Assign(type, op); }
        @Override boolean replaceable(int i) { return i == 1; }

        @Override void print(StringBuilder sb) {
            sb.append('(');
            printStatement(sb);
            sb.append(')');
        }

        @Override void printStatement(StringBuilder sb) {
            e(0).print(sb);
            sb.append(' ').append(op).append(' ');
            e(1).print(sb);
        }
    }

    /** {@code ++x}, {@code x--}, {@code a[i]++}, ... */
    static final class IncDec extends Expr {
        final boolean prefix;
        final boolean increment;

        IncDec(boolean prefix, boolean increment, Expr target) {
            super(target == null ? null : target.type);
            this.prefix = prefix;
            this.increment = increment;
            if (target != null) kids.add(target);
        }

        private IncDec(Ty type, boolean prefix, boolean increment) {
            super(type);
            this.prefix = prefix;
            this.increment = increment;
        }

        @Override Node shallow() { return new IncDec(type, prefix, increment); }
        @Override boolean replaceable(int i) { return false; }

        @Override void print(StringBuilder sb) {
            sb.append('(');
            printStatement(sb);
            sb.append(')');
        }

        @Override void printStatement(StringBuilder sb) {
            String op = increment ? "++" : "--";
            if (prefix) sb.append(op);
            e(0).print(sb);
            if (!prefix) sb.append(op);
        }
    }

    /**
     * {@code new T[size]} with the size masked as the generator chose: {@code (e) & 15} (0..15), {@code (e) % 9}
     * (-8..8, so sometimes a NegativeArraySizeException) or a constant.
     */
    static final class NewArray extends Expr {
        final String sizeForm;

        NewArray(Prim element, String sizeForm, Expr size) {
            super(Ty.arrayOf(element));
            this.sizeForm = sizeForm;
            if (size != null) kids.add(size);
        }

        @Override Node shallow() { return new NewArray(type.prim(), sizeForm, null); }

        @Override void print(StringBuilder sb) {
            sb.append("new ").append(type.prim().java).append('[');
            if (kids.isEmpty()) {
                sb.append(sizeForm);
            } else {
                sb.append('(');
                e(0).print(sb);
                sb.append(") ").append(sizeForm);
            }
            sb.append(']');
        }
    }

    /**
     * {@code Float.floatToRawIntBits(v)} / {@code Double.doubleToRawLongBits(v)} of a variable, with NaN mapped to
     * a fixed value first: the bits of a NaN are not specified (either side may produce another NaN), its
     * NaN-ness is.
     */
    static final class RawBits extends Expr {
        final String var;

        RawBits(Ty type, String var) {
            super(type);
            this.var = var;
        }

        @Override Node shallow() { return new RawBits(type, var); }

        @Override void print(StringBuilder sb) {
            if (type.prim() == Prim.INT) {
                sb.append("(Float.isNaN(").append(var).append(") ? 0x7fc00000 : Float.floatToRawIntBits(").append(var).append("))");
            } else {
                sb.append("(Double.isNaN(").append(var).append(") ? 0x7ff8000000000000L : Double.doubleToRawLongBits(")
                        .append(var).append("))");
            }
        }
    }

    /**
     * {@code Math.copySign(magnitude, sign)} with a NaN sign replaced by 1: the Javadoc lets {@code Math.copySign}
     * treat a NaN sign either way ({@code StrictMath.copySign}, which the generator also uses, does not).
     */
    static final class CopySign extends Expr {
        final String signVar;

        CopySign(Ty type, String signVar, Expr magnitude) {
            super(type);
            this.signVar = signVar;
            if (magnitude != null) kids.add(magnitude);
        }

        @Override Node shallow() { return new CopySign(type, signVar, null); }

        @Override void print(StringBuilder sb) {
            String isNaN = type.prim() == Prim.FLOAT ? "Float.isNaN(" : "Double.isNaN(";
            String one = type.prim() == Prim.FLOAT ? "1.0f" : "1.0";
            sb.append("Math.copySign(");
            e(0).print(sb);
            sb.append(", ").append(isNaN).append(signVar).append(") ? ").append(one).append(" : ").append(signVar).append(')');
        }
    }

    /** {@code switch (selector) { case 1, 2 -> a; default -> b; }}: kids are the selector, then one per arm. */
    static final class SwitchExpr extends Expr {
        /** Labels of each arm but the last, which is {@code default}. */
        final List<int[]> labels;

        SwitchExpr(Ty type, List<int[]> labels) {
            super(type);
            this.labels = labels;
        }

        @Override Node shallow() { return new SwitchExpr(type, labels); }

        @Override void print(StringBuilder sb) {
            sb.append("(switch (");
            e(0).print(sb);
            sb.append(") { ");
            for (int a = 1; a < kids.size(); a++) {
                int[] ls = labels.get(a - 1);
                if (ls == null) {
                    sb.append("default -> ");
                } else {
                    sb.append("case ");
                    for (int j = 0; j < ls.length; j++) sb.append(j == 0 ? "" : ", ").append(Lit.source(Prim.INT, ls[j]));
                    sb.append(" -> ");
                }
                e(a).print(sb);
                sb.append("; ");
            }
            sb.append("})");
        }
    }

    // ---- statements -------------------------------------------------------------------------------

    abstract static class Stmt extends Node {
        abstract void print(Printer p);

        @Override Stmt copy() { return (Stmt) super.copy(); }
    }

    /** Java source with indentation. */
    static final class Printer {
        final StringBuilder sb = new StringBuilder();
        int indent;

        Printer line(String s) {
            sb.append("    ".repeat(indent)).append(s).append('\n');
            return this;
        }

        StringBuilder start() {
            sb.append("    ".repeat(indent));
            return sb;
        }

        void end(String s) { sb.append(s).append('\n'); }

        static String of(Expr e) {
            StringBuilder b = new StringBuilder();
            e.print(b);
            return b.toString();
        }
    }

    static final class Block extends Stmt {
        @Override Node shallow() { return new Block(); }

        Stmt s(int i) { return (Stmt) kids.get(i); }

        void printBody(Printer p) {
            p.indent++;
            for (Node k : kids) ((Stmt) k).print(p);
            p.indent--;
        }

        @Override void print(Printer p) {
            p.line("{");
            printBody(p);
            p.line("}");
        }
    }

    static final class Decl extends Stmt {
        final Ty type;
        final String name;

        Decl(Ty type, String name, Expr init) {
            this.type = type;
            this.name = name;
            if (init != null) kids.add(init);
        }

        @Override Node shallow() { return new Decl(type, name, null); }

        @Override void print(Printer p) {
            StringBuilder sb = p.start().append(type.java()).append(' ').append(name).append(" = ");
            ((Expr) kids.get(0)).print(sb);
            p.end(";");
        }
    }

    static final class ExprStmt extends Stmt {
        ExprStmt(Expr e) { if (e != null) kids.add(e); }

        @Override Node shallow() { return new ExprStmt(null); }
        @Override boolean replaceable(int i) { return false; }

        @Override void print(Printer p) {
            ((Expr) kids.get(0)).printStatement(p.start());
            p.end(";");
        }
    }

    /** {@code if (c) {...} else {...}}; an empty else is not printed. */
    static final class If extends Stmt {
        If(Expr c, Block then, Block otherwise) {
            if (c != null) {
                kids.add(c);
                kids.add(then);
                kids.add(otherwise);
            }
        }

        @Override Node shallow() { return new If(null, null, null); }

        @Override void print(Printer p) {
            StringBuilder sb = p.start().append("if (");
            ((Expr) kids.get(0)).print(sb);
            p.end(") {");
            ((Block) kids.get(1)).printBody(p);
            Block otherwise = (Block) kids.get(2);
            if (otherwise.kids.isEmpty()) {
                p.line("}");
            } else {
                p.line("} else {");
                otherwise.printBody(p);
                p.line("}");
            }
        }
    }

    /**
     * A counted loop whose counter the body never assigns: {@code for (int i = 0; i < BOUND; i += step)}, or
     * counting down from {@code BOUND - 1} to 0. BOUND is a constant, {@code array.length} or {@code (e) & mask};
     * the kids are the bound's expression (absent for a constant) and the body.
     */
    static final class For extends Stmt {
        final String label;
        final String counter;
        final Prim counterType;
        final int constant;
        final int mask;
        final int step;
        final boolean down;

        /**
         * {@code start}: null for a loop from 0; else an up-counting loop starts at {@code (start & 7) - 1}, a value
         * known only at run time (and sometimes -1), as a CSR row's loop does.
         */
        For(String label, String counter, Prim counterType, int constant, int mask, int step, boolean down, Expr bound, Block body,
            Expr start) {
            this.label = label;
            this.counter = counter;
            this.counterType = counterType;
            this.constant = constant;
            this.mask = mask;
            this.step = step;
            this.down = down;
            if (body != null) {
                kids.add(bound);
                kids.add(body);
                if (start != null) kids.add(start);
            }
        }

        @Override Node shallow() { return new For(label, counter, counterType, constant, mask, step, down, null, null, null); }

        /** A {@code length} bound stays a {@code length}: its array may not be replaced by a scalar. */
        @Override boolean replaceable(int i) { return i != 0 || !(kids.get(0) instanceof Length); }

        Block body() { return (Block) kids.get(1); }

        String start() { return kids.size() > 2 ? "(" + Printer.of((Expr) kids.get(2)) + " & 7) - 1" : "0"; }

        String bound() {
            Expr e = (Expr) kids.get(0);
            if (e == null) return Integer.toString(constant);
            if (mask == 0) return Printer.of(e);
            return "(" + Printer.of(e) + " & " + mask + ")";
        }

        @Override void print(Printer p) {
            String t = counterType.java;
            String head = down
                    ? "for (" + t + " " + counter + " = " + bound() + " - 1; " + counter + " >= 0; " + counter + (step == 1 ? "--" : " -= " + step) + ")"
                    : "for (" + t + " " + counter + " = " + start() + "; " + counter + " < " + bound() + "; " + counter + (step == 1 ? "++" : " += " + step) + ")";
            p.line((label == null ? "" : label + ": ") + head + " {");
            body().printBody(p);
            p.line("}");
        }
    }

    /**
     * {@code int f = N; while (f-- > 0 && cond) {...}} ({@code fuelFirst}) or {@code while (cond && f-- > 0)}:
     * at most N iterations whatever the body does, since the fuel is spent before the body can {@code continue}.
     */
    static final class While extends Stmt {
        final String label;
        final String fuel;
        final int n;
        final boolean fuelFirst;

        While(String label, String fuel, int n, boolean fuelFirst, Expr cond, Block body) {
            this.label = label;
            this.fuel = fuel;
            this.n = n;
            this.fuelFirst = fuelFirst;
            if (body != null) {
                kids.add(cond);
                kids.add(body);
            }
        }

        @Override Node shallow() { return new While(label, fuel, n, fuelFirst, null, null); }

        @Override void print(Printer p) {
            p.line("int " + fuel + " = " + n + ";");
            String c = Printer.of((Expr) kids.get(0));
            String cond = fuelFirst ? fuel + "-- > 0 && " + c : c + " && " + fuel + "-- > 0";
            p.line((label == null ? "" : label + ": ") + "while (" + cond + ") {");
            ((Block) kids.get(1)).printBody(p);
            p.line("}");
        }
    }

    /** {@code int f = N; do { f--; ... } while (f > 0 && cond);}: the fuel is spent first in each iteration. */
    static final class DoWhile extends Stmt {
        final String label;
        final String fuel;
        final int n;

        DoWhile(String label, String fuel, int n, Expr cond, Block body) {
            this.label = label;
            this.fuel = fuel;
            this.n = n;
            if (body != null) {
                kids.add(cond);
                kids.add(body);
            }
        }

        @Override Node shallow() { return new DoWhile(label, fuel, n, null, null); }

        @Override void print(Printer p) {
            p.line("int " + fuel + " = " + n + ";");
            p.line((label == null ? "" : label + ": ") + "do {");
            p.indent++;
            p.line(fuel + "--;");
            p.indent--;
            ((Block) kids.get(1)).printBody(p);
            p.line("} while (" + fuel + " > 0 && " + Printer.of((Expr) kids.get(0)) + ");");
        }
    }

    /** {@code for (T v : array) {...}}: javac keeps its own copy of the array and its length. */
    static final class ForEach extends Stmt {
        final String label;
        final Ty element;
        final String var;

        ForEach(String label, Ty element, String var, Expr array, Block body) {
            this.label = label;
            this.element = element;
            this.var = var;
            if (body != null) {
                kids.add(array);
                kids.add(body);
            }
        }

        @Override Node shallow() { return new ForEach(label, element, var, null, null); }

        Block body() { return (Block) kids.get(1); }

        @Override void print(Printer p) {
            p.line((label == null ? "" : label + ": ") + "for (" + element.java() + " " + var + " : " + Printer.of((Expr) kids.get(0)) + ") {");
            body().printBody(p);
            p.line("}");
        }
    }

    /** {@code L: {...}}: a labelled block that {@code break L} leaves. */
    static final class Labelled extends Stmt {
        final String label;

        Labelled(String label, Block body) {
            this.label = label;
            if (body != null) kids.add(body);
        }

        @Override Node shallow() { return new Labelled(label, null); }

        @Override void print(Printer p) {
            p.line(label + ": {");
            ((Block) kids.get(0)).printBody(p);
            p.line("}");
        }
    }

    static final class Jump extends Stmt {
        final boolean isBreak;
        final String label;

        Jump(boolean isBreak, String label) {
            this.isBreak = isBreak;
            this.label = label;
        }

        @Override Node shallow() { return new Jump(isBreak, label); }

        @Override void print(Printer p) {
            p.line((isBreak ? "break" : "continue") + (label == null ? "" : " " + label) + ";");
        }
    }

    static final class Return extends Stmt {
        Return(Expr value) { kids.add(value); }

        private Return() {}

        @Override Node shallow() { return new Return(); }

        @Override void print(Printer p) {
            if (kids.get(0) == null) {
                p.line("return;");
            } else {
                StringBuilder sb = p.start().append("return ");
                ((Expr) kids.get(0)).print(sb);
                p.end(";");
            }
        }
    }

    /**
     * A switch statement: kids are the selector, then one block per arm. An arm has labels (null: {@code default})
     * and ends with {@code break;} or falls through to the next one. {@code arrows} prints {@code case 1, 2 -> {}}
     * (no fall-through) instead.
     */
    static final class Switch extends Stmt {
        final List<int[]> labels;
        final boolean[] breaks;
        final boolean arrows;

        Switch(List<int[]> labels, boolean[] breaks, boolean arrows) {
            this.labels = labels;
            this.breaks = breaks;
            this.arrows = arrows;
        }

        @Override Node shallow() { return new Switch(labels, breaks, arrows); }

        @Override void print(Printer p) {
            StringBuilder sb = p.start().append("switch (");
            ((Expr) kids.get(0)).print(sb);
            p.end(") {");
            p.indent++;
            for (int a = 1; a < kids.size(); a++) {
                int[] ls = labels.get(a - 1);
                Block body = (Block) kids.get(a);
                if (arrows) {
                    String head = ls == null ? "default" : "case " + join(ls, ", ");
                    p.line(head + " -> {");
                    body.printBody(p);
                    p.line("}");
                } else {
                    if (ls == null) {
                        p.line("default: {");
                    } else {
                        StringBuilder h = new StringBuilder();
                        for (int l : ls) h.append("case ").append(Lit.source(Prim.INT, l)).append(": ");
                        p.line(h + "{");
                    }
                    body.printBody(p);
                    p.line("}");
                    if (breaks[a - 1]) {
                        p.indent++;
                        p.line("break;");
                        p.indent--;
                    }
                }
            }
            p.indent--;
            p.line("}");
        }

        private static String join(int[] ls, String sep) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < ls.length; i++) sb.append(i == 0 ? "" : sep).append(Lit.source(Prim.INT, ls[i]));
            return sb.toString();
        }
    }

    // ---- methods and classes ----------------------------------------------------------------------

    record Param(Ty type, String name) {}

    /**
     * A generated static method. Kids: the body, the final return value (null for void) and, for a recursive
     * method, the value returned by its guard {@code if (depth <= 0 || depth > MAX) return base;}.
     */
    static final class Method extends Node {
        /** Where the method is declared: the class itself, its superclass {@code C_Base}, or the interface {@code C_I}. */
        static final int MAIN = 0, BASE = 1, INTERFACE = 2;

        final String name;
        final int owner;
        final Ty returnType;
        final List<Param> params;
        final boolean recursive;
        /**
         * The {@code Math} transcendental function whose call is the return value (and appears nowhere else), or
         * null: such a method is compared within that function's ulp bound and never called by other methods.
         */
        final String tail;
        /** Upper estimate of the work of one call, in loop iterations and statements (see Generator). */
        long cost;
        /** Annotated {@code @Jit(parallel = true)}: its loops that qualify run on the pool's threads (the tests' threshold is 1). */
        boolean parallel;

        Method(String name, int owner, Ty returnType, List<Param> params, boolean recursive, String tail) {
            this.name = name;
            this.owner = owner;
            this.returnType = returnType;
            this.params = params;
            this.recursive = recursive;
            this.tail = tail;
        }

        @Override Node shallow() {
            Method m = new Method(name, owner, returnType, new ArrayList<>(params), recursive, tail);
            m.cost = cost;
            m.parallel = parallel;
            return m;
        }

        @Override Method copy() { return (Method) super.copy(); }

        Block body() { return (Block) kids.get(0); }
        Expr result() { return (Expr) kids.get(1); }
        Expr base() { return (Expr) kids.get(2); }

        Class<?>[] parameterClasses() {
            return params.stream().map(p -> p.type().cls()).toArray(Class<?>[]::new);
        }

        void print(Printer p) {
            StringBuilder h = new StringBuilder(parallel ? "@dev.numbat.Jit(parallel = true) static " : "static ");
            h.append(returnType == null ? "void" : returnType.java()).append(' ').append(name).append('(');
            for (int i = 0; i < params.size(); i++) {
                if (i > 0) h.append(", ");
                h.append(params.get(i).type().java()).append(' ').append(params.get(i).name());
            }
            p.line(h + ") {");
            p.indent++;
            if (recursive) {
                p.line("if (depth <= 0 || depth > " + Generator.MAX_DEPTH + ") {");
                p.indent++;
                p.line(base() == null ? "return;" : "return " + Printer.of(base()) + ";");
                p.indent--;
                p.line("}");
            }
            p.indent--;
            body().printBody(p);
            p.indent++;
            if (returnType != null) p.line("return " + Printer.of(result()) + ";");
            p.indent--;
            p.line("}");
        }
    }

    /** {@code static final T NAME = init;}: a compile-time constant or a value computed by a JDK call. */
    static final class Field extends Node {
        final Ty type;
        final String name;

        Field(Ty type, String name, Expr init) {
            this.type = type;
            this.name = name;
            if (init != null) kids.add(init);
        }

        @Override Node shallow() { return new Field(type, name, null); }
    }

    /** One generated class. Kids: fields, then methods. */
    static final class Program extends Node {
        final String className;

        Program(String className) { this.className = className; }

        @Override Node shallow() { return new Program(className); }
        @Override Program copy() { return (Program) super.copy(); }
        @Override boolean replaceable(int i) { return false; }

        Program renamed(String name) {
            Program p = new Program(name);
            for (Node k : kids) p.kids.add(k.copy());
            return p;
        }

        List<Method> methods() {
            List<Method> ms = new ArrayList<>();
            for (Node k : kids) if (k instanceof Method m) ms.add(m);
            return ms;
        }

        Method method(String name) {
            for (Method m : methods()) if (m.name.equals(name)) return m;
            return null;
        }

        List<Field> fields() {
            List<Field> fs = new ArrayList<>();
            for (Node k : kids) if (k instanceof Field f) fs.add(f);
            return fs;
        }

        /**
         * The class, then (when it has methods) its superclass {@code C_Base}, whose static methods calls reach as
         * {@code C.m()} through the superclass, and an interface {@code C_I} with static methods.
         */
        String source() {
            Printer p = new Printer();
            boolean base = methods().stream().anyMatch(m -> m.owner == Method.BASE);
            boolean iface = methods().stream().anyMatch(m -> m.owner == Method.INTERFACE);
            p.line("public final class $C" + (base ? " extends $C_Base" : "") + " {");
            p.indent++;
            for (Field f : fields()) p.line("static final " + f.type.java() + " " + f.name + " = " + Printer.of((Expr) f.kids.get(0)) + ";");
            printMethods(p, Method.MAIN);
            p.indent--;
            p.line("}");
            if (base) {
                p.line("");
                p.line("class $C_Base {");
                p.indent++;
                printMethods(p, Method.BASE);
                p.indent--;
                p.line("}");
            }
            if (iface) {
                p.line("");
                p.line("interface $C_I {");
                p.indent++;
                printMethods(p, Method.INTERFACE);
                p.indent--;
                p.line("}");
            }
            return p.sb.toString().replace("$C", className);
        }

        private void printMethods(Printer p, int owner) {
            for (Method m : methods()) {
                if (m.owner != owner) continue;
                p.line("");
                m.print(p);
            }
        }
    }

    static String describe(int[] a) { return Arrays.toString(a); }
}
