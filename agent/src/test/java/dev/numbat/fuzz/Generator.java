package dev.numbat.fuzz;

import dev.numbat.differential.EdgeValues;
import dev.numbat.fuzz.Ast.Assign;
import dev.numbat.fuzz.Ast.Binary;
import dev.numbat.fuzz.Ast.Block;
import dev.numbat.fuzz.Ast.Call;
import dev.numbat.fuzz.Ast.Cast;
import dev.numbat.fuzz.Ast.Cond;
import dev.numbat.fuzz.Ast.CopySign;
import dev.numbat.fuzz.Ast.Decl;
import dev.numbat.fuzz.Ast.DoWhile;
import dev.numbat.fuzz.Ast.Expr;
import dev.numbat.fuzz.Ast.ExprStmt;
import dev.numbat.fuzz.Ast.Field;
import dev.numbat.fuzz.Ast.For;
import dev.numbat.fuzz.Ast.ForEach;
import dev.numbat.fuzz.Ast.Labelled;
import dev.numbat.fuzz.Ast.If;
import dev.numbat.fuzz.Ast.IncDec;
import dev.numbat.fuzz.Ast.Index;
import dev.numbat.fuzz.Ast.Jump;
import dev.numbat.fuzz.Ast.Length;
import dev.numbat.fuzz.Ast.Lit;
import dev.numbat.fuzz.Ast.Method;
import dev.numbat.fuzz.Ast.NewArray;
import dev.numbat.fuzz.Ast.Null;
import dev.numbat.fuzz.Ast.Param;
import dev.numbat.fuzz.Ast.Prim;
import dev.numbat.fuzz.Ast.Program;
import dev.numbat.fuzz.Ast.RawBits;
import dev.numbat.fuzz.Ast.Return;
import dev.numbat.fuzz.Ast.Stmt;
import dev.numbat.fuzz.Ast.Switch;
import dev.numbat.fuzz.Ast.SwitchExpr;
import dev.numbat.fuzz.Ast.Ty;
import dev.numbat.fuzz.Ast.Unary;
import dev.numbat.fuzz.Ast.Var;
import dev.numbat.fuzz.Ast.While;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Writes random, terminating numeric Java classes inside Numbat's supported subset (docs/supported.md).
 *
 * <p>A class has 4 to 9 static methods {@code m0 ... mN}; {@code mI} may call {@code mJ} only for {@code J > I}
 * (the methods are generated from the last one up, so every callee exists and its cost is known), and a
 * recursive method calls itself with {@code depth - 1} behind the guard {@code if (depth <= 0 || depth > 7)
 * return ...}. Termination is by construction: {@code for} loops count a counter the body never assigns up to a
 * bound that is a constant, an array length or {@code (e) & mask}; {@code while} and {@code do} loops spend a
 * fuel variable before their body can run or {@code continue}. Each method's work is estimated while it is
 * written (loop trip counts times statements, plus the cost of callees) and kept under {@link #BUDGET}.
 *
 * <p>Behaviour the JVM does not pin down is never generated: the bits of a NaN ({@code floatToRawIntBits} and
 * {@code doubleToRawLongBits} only of non-NaN values, {@code Math.copySign} only with a non-NaN sign),
 * {@code Math}'s transcendental functions only as the returned value of a method that is compared within their
 * ulp bound ({@link Library#TRANSCENDENTAL}) and that no other method calls, no recursion deep enough for a
 * StackOverflowError, no allocation large enough for an OutOfMemoryError.
 */
final class Generator {
    /** Recursive methods return at once for a depth outside 1..MAX_DEPTH. */
    static final int MAX_DEPTH = 7;
    /** Longest array the generated code can see (inputs have at most 70 elements, local arrays at most 63). */
    static final int MAX_ARRAY_LENGTH = 72;
    /** Work allowed per method call: statements executed, loop iterations multiplied out, callees included. */
    static final long BUDGET = 20_000;

    private final Random r;
    private final List<Method> methods = new ArrayList<>();
    private final List<Field> fields = new ArrayList<>();

    // State of the method being written.
    private Method current;
    private final List<VarInfo> vars = new ArrayList<>();
    private final Deque<Loop> loops = new ArrayDeque<>();
    private final Deque<String> blockLabels = new ArrayDeque<>();
    private long multiplier;
    private long cost;
    private long budget;
    private int statementsLeft;
    private int names;
    private boolean selfCalled;
    /** The recursive method this one calls with {@code depth - 1} instead of itself (mutual recursion), or null. */
    private Method partner;
    /** Recursive methods whose body calls itself (they cannot become a partner). */
    private final java.util.Set<Method> selfCalling = new java.util.HashSet<>();
    private boolean inGuard;
    private int switches;
    /** Percent chance that an expression is a leaf before its depth runs out; low in some methods. */
    private int leafChance;

    /**
     * Which methods are {@code @Jit(parallel = true)} (one in four): a stream of its own, so that adding the choice left
     * every seed's programs as they were, but for the annotation.
     */
    private final Random parallelChoice;

    private record VarInfo(String name, Ty type, boolean writable) {}

    private record Loop(String label, String counter, String array) {}

    Generator(long seed) {
        this.r = new Random(seed);
        this.parallelChoice = new Random(seed ^ 0x9A7A11E1L);
    }

    Program generate(String className) {
        Program p = new Program(className);
        int nFields = r.nextInt(4);
        for (int i = 0; i < nFields; i++) fields.add(field("K" + i));
        int n = 4 + r.nextInt(6);
        Method[] ms = new Method[n];
        for (int i = n - 1; i >= 0; i--) {
            ms[i] = method("m" + i);
            methods.add(ms[i]);
        }
        p.kids.addAll(fields);
        for (Method m : ms) p.kids.add(m);
        return p;
    }

    // ---- fields and methods -----------------------------------------------------------------------

    private Field field(String name) {
        Prim p = pick(Prim.INT, Prim.LONG, Prim.FLOAT, Prim.DOUBLE);
        Expr init;
        List<Library.Fn> fns = Library.returning(p).stream().filter(f -> !mayThrow(f.name())).toList();
        if (r.nextBoolean() || fns.isEmpty()) {
            init = literal(p);
        } else {
            Library.Fn f = fns.get(r.nextInt(fns.size()));
            List<Expr> args = new ArrayList<>();
            for (Prim a : f.params()) args.add(literal(a));
            init = new Call(Ty.of(p), f.name(), 0, false, args);
        }
        return new Field(Ty.of(p), name, init);
    }

    private static boolean mayThrow(String fn) {
        return fn.contains("Exact") || fn.contains("Div") || fn.contains("Mod") || fn.contains("Unsigned");
    }

    private Method method(String name) {
        Ty ret = r.nextInt(10) == 0 ? null : Ty.of(primForValue());
        boolean recursive = r.nextInt(6) == 0;
        String tail = null;
        if (!recursive && r.nextInt(8) == 0) {
            ret = Ty.DOUBLE;
            List<String> fs = new ArrayList<>(Library.TRANSCENDENTAL.keySet());
            fs.sort(null);
            tail = fs.get(r.nextInt(fs.size()));
        }
        List<Param> params = new ArrayList<>();
        if (recursive) params.add(new Param(Ty.INT, "depth"));
        int nParams = r.nextInt(8) == 0 ? 6 + r.nextInt(5) : r.nextInt(6);
        for (int i = 0; i < nParams; i++) params.add(new Param(r.nextInt(10) < 3 ? Ty.arrayOf(arrayElement(false)) : Ty.of(primForValue()), "p" + i));

        int owner = switch (r.nextInt(10)) {
            case 0, 1 -> Method.BASE;
            case 2 -> Method.INTERFACE;
            default -> Method.MAIN;
        };
        Method m = new Method(name, owner, ret, params, recursive, tail);
        m.parallel = parallelChoice.nextInt(4) == 0;
        current = m;
        vars.clear();
        loops.clear();
        blockLabels.clear();
        if (owner == Method.MAIN) for (Field f : fields) vars.add(new VarInfo(f.name, f.type, false));
        for (Param p : params) vars.add(new VarInfo(p.name(), p.type(), !p.type().array() && !p.name().equals("depth")));
        multiplier = 1;
        cost = 0;
        budget = recursive ? BUDGET / (MAX_DEPTH + 1) : BUDGET;
        statementsLeft = r.nextInt(5) == 0 ? 30 + r.nextInt(40) : 4 + r.nextInt(26);
        names = 0;
        selfCalled = false;
        partner = null;
        if (recursive && !methods.isEmpty()) {
            Method next = methods.get(methods.size() - 1);
            if (next.recursive && !selfCalling.contains(next) && r.nextBoolean()) partner = next;
        }
        switches = 0;
        leafChance = r.nextInt(7) == 0 ? 6 : 22;

        Expr base = null;
        if (recursive && ret != null) {
            inGuard = true;
            base = expr(ret, 2);
            inGuard = false;
        }
        Block body = new Block();
        if (r.nextInt(40) == 0) {
            // more than 255 local slots: the frontend meets wide loads, stores and iinc
            int n = 100 + r.nextInt(60);
            for (int i = 0; i < n; i++) {
                Ty t = r.nextBoolean() ? Ty.LONG : Ty.DOUBLE;
                String v = fresh("w");
                body.kids.add(new Decl(t, v, expr(t, 1)));
                vars.add(new VarInfo(v, t, true));
                cost += 1;
            }
        }
        fill(body, statementsLeft);
        Expr result = null;
        if (tail != null) {
            List<Expr> args = new ArrayList<>();
            for (int i = 0; i < Library.arity(tail); i++) args.add(expr(Ty.DOUBLE, 3));
            result = new Call(Ty.DOUBLE, tail, 0, false, args);
        } else if (ret != null) {
            result = expr(ret, 3);
        }
        m.kids.add(body);
        m.kids.add(result);
        m.kids.add(base);
        m.cost = (cost + 1) * (selfCalled ? MAX_DEPTH + 1 : 1);
        if (selfCalled && partner == null) selfCalling.add(m);
        if (selfCalled && partner != null) callBack(m, partner);
        current = null;
        return m;
    }

    /**
     * Mutual recursion: {@code m} calls {@code partner} (the next method) with {@code depth - 1}, and now
     * {@code partner}, which has no recursive call of its own, gets {@code if (c) partner-calls m(depth - 1, ...)}
     * at the start of its body. Each call makes at most one recursive call and the depth falls by one each time,
     * so a chain has at most MAX_DEPTH calls; neither method calls the other any other way.
     */
    private void callBack(Method m, Method partner) {
        current = partner;
        vars.clear();
        loops.clear();
        if (partner.owner == Method.MAIN) for (Field f : fields) vars.add(new VarInfo(f.name, f.type, false));
        for (Param p : partner.params) vars.add(new VarInfo(p.name(), p.type(), false));
        long savedBudget = budget;
        budget = 0; // no calls in the arguments
        cost = 0;
        inGuard = true;
        List<Expr> args = new ArrayList<>();
        for (int i = 1; i < m.params.size(); i++) {
            Param p = m.params.get(i);
            args.add(p.type().array() ? arrayValue(p.type().prim(), 1, true) : expr(p.type(), 1));
        }
        Block then = new Block();
        then.kids.add(new ExprStmt(new Call(m.returnType, qualifier(partner, m), m.name, 0, true, args)));
        partner.body().kids.add(0, new If(expr(Ty.BOOLEAN, 1), then, new Block()));
        inGuard = false;
        budget = savedBudget;
        long chain = Math.max(m.cost, (partner.cost + 1) * (MAX_DEPTH + 1));
        m.cost = chain;
        partner.cost = chain;
    }

    // ---- statements -------------------------------------------------------------------------------

    private void fill(Block b, int n) {
        int mark = vars.size();
        for (int i = 0; i < n && statementsLeft > 0; i++) b.kids.add(statement());
        truncate(mark);
    }

    private Block block(int max) {
        Block b = new Block();
        fill(b, 1 + r.nextInt(max));
        return b;
    }

    private void truncate(int mark) {
        while (vars.size() > mark) vars.remove(vars.size() - 1);
    }

    private Stmt statement() {
        statementsLeft--;
        cost += multiplier;
        boolean canLoop = loops.size() < 3 && statementsLeft > 1;
        boolean canJump = !loops.isEmpty() || switches > 0 || !blockLabels.isEmpty();
        int[] weights = {
            18, // 0 declaration
            18, // 1 assignment
            anyArray() ? 16 : 0, // 2 array store
            10, // 3 if
            canLoop ? 12 : 0, // 4 loop
            5, // 5 switch
            6, // 6 call
            canJump ? 6 : 0, // 7 break / continue
            3, // 8 early return
            6, // 9 local array
            anyArray() && canLoop ? 7 : 0, // 10 array kernel loop
            canLoop ? 3 : 0, // 11 for-each loop
            2, // 12 labelled block
            anyArray() && canLoop ? 3 : 0, // 13 nest summing down columns
            canLoop ? 2 : 0, // 14 escape-time loop over points
        };
        return switch (weighted(weights)) {
            case 0 -> declaration();
            case 1 -> assignment();
            case 2 -> arrayStore();
            case 3 -> ifStatement();
            case 4 -> loop();
            case 5 -> switchStatement();
            case 6 -> callStatement();
            case 7 -> jump();
            case 8 -> earlyReturn();
            case 9 -> arrayDeclaration();
            case 10 -> kernelLoop();
            case 11 -> forEach();
            case 12 -> labelled();
            case 13 -> nestKernel();
            default -> escapeKernel();
        };
    }

    private String fresh(String prefix) {
        return prefix + names++;
    }

    private Stmt declaration() {
        Ty t = Ty.of(primForValue());
        Expr init = expr(t, 3);
        String name = fresh("l");
        vars.add(new VarInfo(name, t, true));
        return new Decl(t, name, init);
    }

    private Stmt arrayDeclaration() {
        Prim e = arrayElement(true);
        Expr init;
        List<VarInfo> same = arrays(e);
        if (!same.isEmpty() && r.nextInt(4) == 0) {
            init = r.nextBoolean() ? var(same) : new Cond(Ty.arrayOf(e), arrayCondition(), var(same), var(same));
        } else {
            init = newArray(e);
        }
        String name = fresh("t");
        vars.add(new VarInfo(name, Ty.arrayOf(e), true));
        return new Decl(Ty.arrayOf(e), name, init);
    }

    private Expr newArray(Prim e) {
        int k = r.nextInt(20);
        if (k < 3) return new NewArray(e, "& 63", expr(Ty.INT, 2));
        if (k < 13) return new NewArray(e, "& 15", expr(Ty.INT, 2));
        if (k < 16) return new NewArray(e, "% 9", expr(Ty.INT, 2));
        return new NewArray(e, Integer.toString(r.nextInt(13)), null);
    }

    private Stmt assignment() {
        List<VarInfo> arrayVars = new ArrayList<>();
        for (VarInfo v : vars) if (v.writable && v.type.array()) arrayVars.add(v);
        if (!arrayVars.isEmpty() && r.nextInt(10) == 0) {
            VarInfo v = arrayVars.get(r.nextInt(arrayVars.size()));
            Prim e = v.type.prim();
            Expr value = r.nextInt(3) == 0 ? newArray(e) : arrayValue(e, 2, false);
            return new ExprStmt(new Assign("=", new Var(v.type, v.name), value));
        }
        List<VarInfo> scalars = new ArrayList<>();
        for (VarInfo v : vars) if (v.writable && !v.type.array()) scalars.add(v);
        if (scalars.isEmpty()) return declaration();
        VarInfo v = scalars.get(r.nextInt(scalars.size()));
        if (r.nextInt(8) == 0) {
            List<Method> callees = callees(v.type);
            if (!callees.isEmpty()) return new ExprStmt(new Assign("=", new Var(v.type, v.name), call(callees, 2)));
        }
        return new ExprStmt(update(new Var(v.type, v.name), 3));
    }

    /** {@code target = e}, {@code target op= e} or an increment, with target a variable or an array element. */
    private Expr update(Expr target, int d) {
        Prim p = target.type.prim();
        int k = r.nextInt(100);
        if (k < 40) return new Assign("=", target, expr(target.type, d));
        if (k < 80 || p == Prim.BOOLEAN) {
            String op;
            Ty valueType;
            if (p == Prim.BOOLEAN) {
                op = pick("&=", "|=", "^=");
                valueType = Ty.BOOLEAN;
            } else if (p.integral()) {
                op = pick("+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", ">>>=", "+=", "-=", "*=");
                boolean bits = op.equals("&=") || op.equals("|=") || op.equals("^=") || op.contains("<") || op.contains(">");
                valueType = Ty.of(bits ? integral() : anyNumeric());
            } else {
                op = pick("+=", "-=", "*=", "/=", "%=", "+=", "*=");
                valueType = Ty.of(anyNumeric());
            }
            Expr value = op.contains("<") || op.contains(">") ? shiftCount(valueType.prim(), d - 1) : expr(valueType, d);
            return new Assign(op, target, value);
        }
        return new IncDec(r.nextBoolean(), r.nextBoolean(), target);
    }

    private Stmt arrayStore() {
        List<VarInfo> as = new ArrayList<>();
        for (VarInfo v : vars) if (v.type.array()) as.add(v);
        VarInfo a = as.get(r.nextInt(as.size()));
        Expr target = new Index(new Var(a.type, a.name), index(a.name));
        return new ExprStmt(update(target, 3));
    }

    /** An index into array variable {@code array}: mostly in range, sometimes not at all. */
    private Expr index(String array) {
        List<String> over = new ArrayList<>();
        List<String> counters = new ArrayList<>();
        for (Loop l : loops) {
            if (array.equals(l.array)) over.add(l.counter);
            if (l.counter != null && varType(l.counter) == Prim.INT) counters.add(l.counter);
        }
        int k = r.nextInt(100);
        if (k < 30 && !over.isEmpty()) return new Var(Ty.INT, over.get(r.nextInt(over.size())));
        if (k < 65) return new Binary(Ty.INT, "&", expr(Ty.INT, 2), new Lit(Ty.INT, pickInt(3, 3, 3, 7, 15)));
        if (k < 80) return new Lit(Ty.INT, r.nextInt(3));
        if (k < 90 && !counters.isEmpty()) return new Var(Ty.INT, counters.get(r.nextInt(counters.size())));
        if (k < 93) return new Binary(Ty.INT, "-", new Length(new Var(Ty.arrayOf(varElement(array)), array)), new Lit(Ty.INT, 1));
        if (k < 94) return new Lit(Ty.INT, -1);
        return expr(Ty.INT, 2);
    }

    private Prim varType(String name) {
        for (VarInfo v : vars) if (v.name.equals(name)) return v.type.prim();
        return null;
    }

    private Prim varElement(String array) {
        for (VarInfo v : vars) if (v.name.equals(array)) return v.type.prim();
        throw new IllegalStateException(array);
    }

    private Stmt ifStatement() {
        Expr c = expr(Ty.BOOLEAN, 3);
        Block then = block(3);
        Block otherwise = r.nextBoolean() ? block(3) : new Block();
        return new If(c, then, otherwise);
    }

    private Stmt loop() {
        String label = r.nextInt(5) == 0 ? fresh("L") : null;
        int kind = r.nextInt(100);
        long room = Math.max(1, (budget - cost) / (8 * multiplier));
        if (kind < 55) {
            // for: constant, length or masked bound
            int boundKind = r.nextInt(100);
            List<VarInfo> as = new ArrayList<>();
            for (VarInfo v : vars) if (v.type.array()) as.add(v);
            Prim counterType = r.nextInt(10) == 0 ? Prim.LONG : Prim.INT;
            int step = pickInt(1, 1, 1, 1, 1, 1, 2, 3);
            boolean down = r.nextInt(4) == 0;
            String counter = fresh("i");
            Expr bound;
            int constant = 0, mask = 0;
            long iterations;
            String array = null;
            if (boundKind < 30 && !as.isEmpty() && room >= MAX_ARRAY_LENGTH) {
                VarInfo a = as.get(r.nextInt(as.size()));
                bound = new Length(new Var(a.type, a.name));
                iterations = MAX_ARRAY_LENGTH;
                if (counterType == Prim.INT) array = a.name;
            } else if (boundKind < 60 && room >= 3) {
                mask = (int) Math.min(room, pickInt(3, 7, 7, 15));
                mask = mask >= 15 ? 15 : mask >= 7 ? 7 : 3;
                bound = null; // generated inside the loop: it is evaluated every iteration
                iterations = mask + 1;
            } else {
                constant = (int) Math.min(room, r.nextInt(11));
                bound = null;
                iterations = constant;
            }
            iterations = (iterations + step - 1) / step + 1;
            loops.push(new Loop(label, counter, array));
            long saved = multiplier;
            multiplier *= iterations;
            if (mask != 0 && down) {
                bound = expr(Ty.INT, 2); // evaluated once, before the counter exists
            }
            int mark = vars.size();
            vars.add(new VarInfo(counter, Ty.of(counterType), false));
            if (mask != 0 && !down) bound = expr(Ty.INT, 2);
            Block body = block(4);
            truncate(mark);
            multiplier = saved;
            loops.pop();
            return new For(label, counter, counterType, constant, mask, step, down, bound, body, null);
        }
        int n = (int) Math.min(room, r.nextInt(11));
        String fuel = fresh("f");
        loops.push(new Loop(label, null, null));
        long saved = multiplier;
        multiplier *= n + 1;
        Expr cond = expr(Ty.BOOLEAN, 2);
        Block body = block(4);
        multiplier = saved;
        loops.pop();
        vars.add(new VarInfo(fuel, Ty.INT, false));
        if (kind < 80) return new While(label, fuel, n, r.nextBoolean(), cond, body);
        return new DoWhile(label, fuel, n, cond, body);
    }

    /**
     * A loop of the shape LLVM vectorises: over an array's length (or a bit past it, or a masked count), reading
     * and writing elements at the counter (and its neighbours), with an accumulator declared just before it.
     * Arrays of inputs are long enough (up to 70 elements) for the vector body to run, and two array parameters
     * are often the same array, so alias checks and writes made before an out-of-bounds exception are tested.
     */
    private Stmt kernelLoop() {
        List<VarInfo> as = numericArrays();
        long room = (budget - cost) / Math.max(1, multiplier);
        if (as.isEmpty() || room < 4 * (MAX_ARRAY_LENGTH + 2)) return declaration();
        VarInfo a = as.get(r.nextInt(as.size()));
        Prim p = a.type.prim();
        List<VarInfo> same = arrays(p);
        VarInfo b = same.get(r.nextInt(same.size()));
        Prim accType = p.intLike() ? (r.nextInt(4) == 0 ? Prim.LONG : Prim.INT) : p;
        String acc = fresh("s");
        Block outer = new Block();
        outer.kids.add(new Decl(Ty.of(accType), acc, r.nextBoolean() ? Lit.of(accType, 0) : expr(Ty.of(accType), 1)));
        String i = fresh("i");
        Var av = new Var(a.type, a.name), bv = new Var(b.type, b.name);
        int k = r.nextInt(100);
        Expr bound;
        int mask = 0;
        if (k < 50) bound = new Length(av);
        else if (k < 65) bound = new Length(bv);
        else if (k < 78) {
            bound = expr(Ty.INT, 1);
            mask = 63;
        } else if (k < 90) bound = new Binary(Ty.INT, "-", new Length(av), new Lit(Ty.INT, 1));
        else bound = new Binary(Ty.INT, "+", new Length(av), new Lit(Ty.INT, pickInt(1, 1, 2)));
        boolean down = r.nextInt(6) == 0;
        int step = r.nextInt(6) == 0 ? 2 : 1;
        // A start known only at run time, as a CSR row's (RangeCheckVersioning): -1 to 6, evaluated before the loop.
        Expr start = !down && r.nextInt(3) == 0 ? expr(Ty.INT, 1) : null;
        loops.push(new Loop(null, i, null));
        long saved = multiplier;
        multiplier *= MAX_ARRAY_LENGTH + 3;
        int mark = vars.size();
        vars.add(new VarInfo(acc, Ty.of(accType), true));
        vars.add(new VarInfo(i, Ty.INT, false));
        Kernel kn = new Kernel(av, bv, new Var(Ty.of(accType), acc), new Var(Ty.INT, i));
        Block body = new Block();
        int n = 1 + r.nextInt(3);
        for (int s = 0; s < n; s++) {
            statementsLeft--;
            cost += multiplier;
            body.kids.add(kernelStatement(kn));
        }
        truncate(mark);
        multiplier = saved;
        loops.pop();
        outer.kids.add(new For(null, i, Prim.INT, 0, mask, step, down, bound, body, start));
        // the accumulator flows into a variable or an element the method's outcome depends on
        Expr target = sink(av);
        boolean bits = target.type.prim().integral() && accType.integral();
        outer.kids.add(new ExprStmt(new Assign(bits ? pick("+=", "^=", "-=") : pick("+=", "-="), target, new Var(Ty.of(accType), acc))));
        return outer;
    }

    private record Kernel(Var a, Var b, Var acc, Var i) {}

    /**
     * Where a kernel's result goes so that the method's outcome depends on it: a writable numeric variable, or else
     * {@code array[0]}.
     */
    private Expr sink(Var array) {
        List<VarInfo> sinks = numericSinks();
        return sinks.isEmpty() ? new Index(array, new Lit(Ty.INT, 0)) : var(sinks);
    }

    /** The writable numeric variables in scope, where a kernel's result may go. */
    private List<VarInfo> numericSinks() {
        List<VarInfo> sinks = new ArrayList<>();
        for (VarInfo v : vars) if (v.writable && !v.type.array() && v.type.prim().numeric()) sinks.add(v);
        return sinks;
    }

    /** The array variables in scope whose elements are numbers (not boolean). */
    private List<VarInfo> numericArrays() {
        List<VarInfo> as = new ArrayList<>();
        for (VarInfo v : vars) if (v.type.array() && v.type.prim() != Prim.BOOLEAN) as.add(v);
        return as;
    }

    private Stmt kernelStatement(Kernel kn) {
        Prim p = kn.a.type.prim();
        Ty pt = Ty.of(p);
        Ty promoted = p.intLike() ? Ty.INT : pt;
        switch (r.nextInt(6)) {
            case 0, 1: {
                Expr value = kernelExpr(kn, promoted, 2);
                return new ExprStmt(new Assign("=", new Index(kn.a, kn.i), promoted.equals(pt) ? value : new Cast(pt, value)));
            }
            case 2: {
                String op = p.floating() ? pick("+=", "*=", "-=") : pick("+=", "^=", "|=", "-=", "*=", "&=");
                return new ExprStmt(new Assign(op, new Index(kernelTarget(kn), kn.i), kernelExpr(kn, promoted, 1)));
            }
            case 3: {
                Ty at = kn.acc.type;
                String op = at.prim().floating() ? pick("+=", "-=", "*=") : pick("+=", "+=", "^=", "|=", "-=");
                return new ExprStmt(new Assign(op, kn.acc, kernelExpr(kn, at.prim() == Prim.LONG ? Ty.LONG : promoted, 2)));
            }
            case 4: {
                Ty at = kn.acc.type;
                String f = pick("Math.max", "Math.min");
                Prim ap = at.prim();
                Expr v = kernelExpr(kn, at, 1);
                return new ExprStmt(new Assign("=", kn.acc, new Call(at, f, 0, false, List.of(kn.acc, v))));
            }
            default: {
                Expr c = new Binary(Ty.BOOLEAN, pick("<", ">", "==", "!="), kernelExpr(kn, promoted, 1), kernelExpr(kn, promoted, 1));
                Block then = new Block();
                then.kids.add(r.nextBoolean() ? new ExprStmt(new IncDec(false, true, kn.acc))
                        : new ExprStmt(new Assign("=", new Index(kn.a, kn.i), Lit.of(p, r.nextInt(3) - 1))));
                return new If(c, then, new Block());
            }
        }
    }

    private Var kernelTarget(Kernel kn) {
        return r.nextInt(4) == 0 ? kn.b : kn.a;
    }

    /** Element reads at the counter (or a neighbour), the accumulator, the counter, literals; arithmetic of type t. */
    private Expr kernelExpr(Kernel kn, Ty t, int d) {
        Prim p = t.prim();
        if (d <= 0 || r.nextInt(3) == 0) {
            Expr leaf = switch (r.nextInt(8)) {
                case 0, 1, 2 -> new Index(kn.a, kn.i);
                case 3, 4 -> new Index(kn.b, r.nextInt(3) > 0 ? kn.i
                        : new Binary(Ty.INT, pick("+", "-"), kn.i, new Lit(Ty.INT, 1)));
                case 5 -> kn.acc;
                case 6 -> kn.i;
                default -> literal(p);
            };
            if (leaf.type.equals(t)) return leaf;
            return new Cast(t, leaf);
        }
        if (p.floating()) {
            return switch (r.nextInt(6)) {
                case 0 -> new Call(t, pick("Math.max", "Math.min"), 0, false, List.of(kernelExpr(kn, t, d - 1), kernelExpr(kn, t, d - 1)));
                case 1 -> new Call(t, "Math.abs", 0, false, List.of(kernelExpr(kn, t, d - 1)));
                default -> new Binary(t, pick("+", "-", "*", "/", "+", "*"), kernelExpr(kn, t, d - 1), kernelExpr(kn, t, d - 1));
            };
        }
        return switch (r.nextInt(8)) {
            case 0 -> new Call(t, pick("Math.max", "Math.min"), 0, false, List.of(kernelExpr(kn, t, d - 1), kernelExpr(kn, t, d - 1)));
            case 1 -> new Binary(t, pick("<<", ">>", ">>>"), kernelExpr(kn, t, d - 1), new Lit(Ty.INT, r.nextInt(40)));
            case 2 -> new Call(t, "Math.abs", 0, false, List.of(kernelExpr(kn, t, d - 1)));
            default -> new Binary(t, pick("+", "-", "*", "&", "|", "^", "+", "*"), kernelExpr(kn, t, d - 1), kernelExpr(kn, t, d - 1));
        };
    }

    /**
     * A nest that sums down columns, in the two shapes {@code UnrollAndJam} runs many columns of at once: a 1-D
     * convolution ({@code out[j] = s} after {@code s op= x[j + k] * w[k]}) and rows of a matrix product ({@code c[i * n
     * + j] = s} after {@code s op= a[i * K + k] * b[k * n + j]}). The arrays are the method's, of one element type, so
     * the one written is often one read (the jam's run-time test must then fall back); bounds come from lengths and
     * small constants, so accesses are out of range about as often as not, and the exception must come after the
     * same writes as in the JVM.
     */
    private Stmt nestKernel() {
        List<VarInfo> as = numericArrays();
        long room = (budget - cost) / Math.max(1, multiplier);
        if (as.isEmpty() || room < 8 * (MAX_ARRAY_LENGTH + 3)) return declaration();
        VarInfo outInfo = as.get(r.nextInt(as.size()));
        Prim p = outInfo.type.prim();
        List<VarInfo> same = arrays(p);
        Var out = new Var(outInfo.type, outInfo.name);
        // Mostly other arrays than the one written, where there are any: the jam runs only then.
        List<VarInfo> others = new ArrayList<>(same);
        others.remove(outInfo);
        List<VarInfo> from = others.isEmpty() || r.nextInt(4) == 0 ? same : others;
        VarInfo xi = from.get(r.nextInt(from.size())), wi = from.get(r.nextInt(from.size()));
        Var x = new Var(xi.type, xi.name), w = new Var(wi.type, wi.name);
        boolean product = r.nextBoolean();
        int rows = product ? 1 + r.nextInt(2) : 1, depth = product ? 1 + r.nextInt(2) : r.nextInt(6);
        int widthConstant = product ? pickInt(8, 16, 17, 31, 32, 33, 35) : 0;
        Block outer = new Block();
        // Or into a new array, which is then summed into the outcome: where the method has one array of the type, the
        // nest is otherwise never jammed.
        boolean local = others.isEmpty() ? r.nextInt(3) > 0 : r.nextInt(6) == 0;
        if (local) {
            out = new Var(outInfo.type, fresh("o"));
            Expr size = product ? new NewArray(p, Integer.toString(rows * widthConstant), null) : new NewArray(p, "& 63", new Length(x));
            outer.kids.add(new Decl(outInfo.type, out.name, size));
        }
        Prim accType = p.intLike() ? (r.nextInt(4) == 0 ? Prim.LONG : Prim.INT) : p;
        Ty at = Ty.of(accType);
        String acc = fresh("s"), i = fresh("i"), j = fresh("j"), k = fresh("k");
        Var sv = new Var(at, acc), iv = new Var(Ty.INT, i), jv = new Var(Ty.INT, j), kv = new Var(Ty.INT, k);
        Expr width = null;
        if (!product) {
            int kind = r.nextInt(4);
            width = kind == 0 ? new Binary(Ty.INT, "-", new Length(out), new Lit(Ty.INT, depth)) : new Length(kind == 1 ? x : out);
        }
        // the terms: x[j + k] * w[k], or a[i * K + k] * b[k * n + j]; each use of n gets its own node, since the reducer
        // edits the tree in place
        Expr left = product ? new Index(x, new Binary(Ty.INT, "+", new Binary(Ty.INT, "*", iv, new Lit(Ty.INT, depth)), kv))
                : new Index(x, new Binary(Ty.INT, "+", jv, kv));
        Expr right = product ? new Index(w, new Binary(Ty.INT, "+", new Binary(Ty.INT, "*", kv, new Lit(Ty.INT, widthConstant)), jv)) : new Index(w, kv);
        Ty promoted = p.intLike() ? Ty.INT : Ty.of(p);
        Expr term = switch (r.nextInt(4)) {
            case 0 -> left;
            case 1 -> new Binary(promoted, "+", left, right);
            default -> new Binary(promoted, "*", left, right);
        };
        if (!term.type.equals(at)) term = new Cast(at, term);
        Expr step = switch (r.nextInt(accType.integral() ? 5 : 4)) {
            case 0 -> new Call(at, pick("Math.max", "Math.min"), 0, false, List.of(sv, term));
            case 1 -> new Assign("-=", sv, term);
            case 4 -> new Assign("^=", sv, term);
            default -> new Assign("+=", sv, term);
        };
        Block inner = new Block();
        inner.kids.add(new ExprStmt(step instanceof Call ? new Assign("=", sv, step) : step));
        Block middle = new Block();
        middle.kids.add(new Decl(at, acc, r.nextBoolean() ? Lit.of(accType, 0) : literal(accType)));
        middle.kids.add(new For(null, k, Prim.INT, depth, 0, 1, false, null, inner, null));
        Expr target = product ? new Index(out, new Binary(Ty.INT, "+", new Binary(Ty.INT, "*", iv, new Lit(Ty.INT, widthConstant)), jv)) : new Index(out, jv);
        Expr stored = at.equals(Ty.of(p)) ? sv : new Cast(Ty.of(p), sv);
        boolean accumulate = r.nextInt(4) == 0; // a compound assignment narrows by itself
        middle.kids.add(new ExprStmt(new Assign(accumulate ? "+=" : "=", target, accumulate && r.nextBoolean() ? sv : stored)));
        Stmt columnLoop = new For(null, j, Prim.INT, widthConstant, 0, 1, false, width, middle, null);
        if (product) {
            Block rowBody = new Block();
            rowBody.kids.add(columnLoop);
            outer.kids.add(new For(null, i, Prim.INT, rows, 0, 1, false, null, rowBody, null));
        } else {
            outer.kids.add(columnLoop);
        }
        if (local) {
            Expr into = sink(x);
            String q = fresh("q");
            Block add = new Block();
            add.kids.add(new ExprStmt(new Assign(into.type.prim().integral() && p.integral() ? pick("+=", "^=") : "+=", into,
                    new Index(out, new Var(Ty.INT, q)))));
            outer.kids.add(new For(null, q, Prim.INT, 0, 0, 1, false, new Length(out), add, null));
        }
        statementsLeft -= 3;
        cost += multiplier * rows * (MAX_ARRAY_LENGTH + 3) * (depth + 2);
        return outer;
    }

    /**
     * A loop over points whose inner loop leaves on what it computes, an escape-time loop as Mandelbrot's, which
     * {@code PredicatedJam} runs several points of at once: {@code for (x) { c = x * k + b; z = z0; m = 0; for (n = 0;
     * n < LIMIT; n++) { if (leaves(z, c)) break; z = step(z, c); m++; } sink op= m; sink op= z; }}. Its arithmetic has
     * no effect and cannot throw (what the jam needs), in any of the four numeric types, with literals that may be
     * NaN, infinite or extreme, so wrapping, NaN and overflow decide when points stop. A third of them are
     * per-element solvers instead: {@code for (x < a.length) { c = a[x]; ...; b[x] = z; ... }}, {@code b} being
     * {@code a} or any array of its type (the same one under another name, shorter, or null), which the jam takes
     * where it can prove the reads stay unwritten by earlier points.
     */
    private Stmt escapeKernel() {
        long room = (budget - cost) / Math.max(1, multiplier);
        int width = pickInt(1, 7, 8, 9, 16, 17, 33), limit = pickInt(1, 5, 20, 60);
        List<VarInfo> arrays = numericArrays();
        // A per-element solver: over an array of one of the four types, from its elements (for all of its length).
        List<VarInfo> solvable = new ArrayList<>();
        for (VarInfo v : arrays) if (ESCAPE_TYPES.contains(v.type.prim())) solvable.add(v);
        VarInfo over = !solvable.isEmpty() && r.nextInt(3) == 0 ? solvable.get(r.nextInt(solvable.size())) : null;
        if (over != null) width = 64; // for the cost: its length is not known here (new arrays have at most 63 elements)
        if (arrays.isEmpty() && numericSinks().isEmpty() || room < (long) (width + 3) * (limit + 3)) return declaration();
        Prim p = over != null ? over.type.prim() : pick(Prim.DOUBLE, Prim.FLOAT, Prim.INT, Prim.LONG);
        Ty t = Ty.of(p);
        String x = fresh("x"), c = fresh("c"), z = fresh("z"), m = fresh("m"), n = fresh("n");
        Var xv = new Var(Ty.INT, x), cv = new Var(t, c), zv = new Var(t, z), mv = new Var(Ty.INT, m);
        Block point = new Block();
        Expr position = p == Prim.INT ? xv : new Cast(t, xv);
        point.kids.add(new Decl(t, c, over != null ? new Index(new Var(over.type, over.name), xv)
                : new Binary(t, "+", new Binary(t, "*", position, literal(p)), literal(p))));
        point.kids.add(new Decl(t, z, r.nextBoolean() ? cv : literal(p)));
        point.kids.add(new Decl(Ty.INT, m, new Lit(Ty.INT, 0)));
        Block leave = new Block();
        leave.kids.add(new Jump(true, null));
        Block step = new Block();
        step.kids.add(new If(escapeTest(p, zv, cv), leave, new Block()));
        step.kids.add(new ExprStmt(new Assign("=", zv, escapeStep(p, zv, cv))));
        step.kids.add(new ExprStmt(new IncDec(false, true, mv)));
        point.kids.add(new For(null, n, Prim.INT, limit, 0, 1, false, null, step, null));
        if (over != null) {
            // Back into its own element, or into the same element of an array of its type: perhaps the same array
            // under another name, a shorter one, or null.
            List<VarInfo> targets = new ArrayList<>();
            for (VarInfo v : solvable) if (v.type.equals(over.type)) targets.add(v);
            VarInfo target = r.nextBoolean() ? over : targets.get(r.nextInt(targets.size()));
            point.kids.add(new ExprStmt(new Assign("=", new Index(new Var(target.type, target.name), xv), zv)));
        }
        Expr into = sinkOrFirstElement(arrays);
        boolean bits = into.type.prim().integral();
        point.kids.add(new ExprStmt(new Assign(bits ? pick("+=", "^=") : "+=", into, mv)));
        if (r.nextBoolean()) {
            Expr last = sinkOrFirstElement(arrays);
            point.kids.add(new ExprStmt(new Assign("+=", last, zv)));
        }
        statementsLeft -= 3;
        cost += multiplier * (width + 3) * (limit + 3);
        return over != null ? new For(null, x, Prim.INT, 0, 0, 1, false, new Length(new Var(over.type, over.name)), point, null)
                : new For(null, x, Prim.INT, width, 0, 1, false, null, point, null);
    }

    private static final Set<Prim> ESCAPE_TYPES = Set.of(Prim.DOUBLE, Prim.FLOAT, Prim.INT, Prim.LONG);

    /** {@link #sink}, falling back to the first of {@code arrays}; a new node each call (the reducer edits nodes in place). */
    private Expr sinkOrFirstElement(List<VarInfo> arrays) {
        return sink(arrays.isEmpty() ? null : new Var(arrays.get(0).type, arrays.get(0).name));
    }

    /** When a point of {@link #escapeKernel} stops: its value grew past a threshold, became NaN, or hit a bit pattern. */
    private Expr escapeTest(Prim p, Var z, Var c) {
        Ty t = Ty.of(p);
        if (p.floating()) {
            return switch (r.nextInt(4)) {
                case 0 -> new Binary(Ty.BOOLEAN, ">", new Binary(t, "*", z, z), literal(p));
                case 1 -> new Binary(Ty.BOOLEAN, ">=", new Call(t, "Math.abs", 0, false, List.of(z)), literal(p));
                case 2 -> new Binary(Ty.BOOLEAN, "!=", z, z);
                default -> new Binary(Ty.BOOLEAN, ">", new Binary(t, "+", new Binary(t, "*", z, z), new Binary(t, "*", c, c)), literal(p));
            };
        }
        return switch (r.nextInt(3)) {
            case 0 -> new Binary(Ty.BOOLEAN, ">", z, literal(p));
            case 1 -> new Binary(Ty.BOOLEAN, "==", new Binary(t, "&", z, Lit.of(p, 3)), Lit.of(p, 0));
            default -> new Binary(Ty.BOOLEAN, "<", z, Lit.of(p, 0));
        };
    }

    /** A step of a point of {@link #escapeKernel}: a quadratic map, or one that scales, wraps and mixes bits. */
    private Expr escapeStep(Prim p, Var z, Var c) {
        Ty t = Ty.of(p);
        if (p.floating()) {
            return switch (r.nextInt(4)) {
                case 0 -> new Binary(t, "+", new Binary(t, "*", z, z), c);
                case 1 -> new Binary(t, "-", new Binary(t, "*", z, literal(p)), c);
                case 2 -> new Binary(t, "+", new Binary(t, "*", new Call(t, "Math.abs", 0, false, List.of(z)), literal(p)), c);
                default -> new Binary(t, "/", new Binary(t, "+", z, c), literal(p));
            };
        }
        return switch (r.nextInt(3)) {
            case 0 -> new Binary(t, "+", new Binary(t, "*", z, z), c);
            case 1 -> new Binary(t, "^", new Binary(t, "+", new Binary(t, "*", z, literal(p)), c), new Binary(t, ">>>", z, new Lit(Ty.INT, 3)));
            default -> new Binary(t, "-", new Binary(t, "<<", z, new Lit(Ty.INT, 1)), c);
        };
    }

    private Stmt forEach() {
        Prim e = arrayElement(true);
        long room = (budget - cost) / Math.max(1, multiplier);
        if (room < 2 * MAX_ARRAY_LENGTH) return declaration();
        String label = r.nextInt(5) == 0 ? fresh("L") : null;
        Expr array = arrayValue(e, 2, false);
        if (array instanceof Null) array = newArray(e); // javac needs an array type
        String v = fresh("e");
        loops.push(new Loop(label, null, null));
        long saved = multiplier;
        multiplier *= MAX_ARRAY_LENGTH + 1;
        int mark = vars.size();
        vars.add(new VarInfo(v, Ty.of(e), true));
        Block body = block(3);
        truncate(mark);
        multiplier = saved;
        loops.pop();
        return new ForEach(label, Ty.of(e), v, array, body);
    }

    private Stmt labelled() {
        String label = fresh("B");
        blockLabels.push(label);
        Block body = block(4);
        blockLabels.pop();
        return new Labelled(label, body);
    }

    /** {@code if (c) break/continue [label];} to a loop, a switch or a labelled block that encloses it. */
    private Stmt jump() {
        Expr c = expr(Ty.BOOLEAN, 2);
        Block then = new Block();
        List<String> loopLabels = new ArrayList<>();
        for (Loop l : loops) if (l.label != null) loopLabels.add(l.label);
        boolean unlabelledBreak = !loops.isEmpty() || switches > 0;
        int k = r.nextInt(10);
        Jump j;
        if (!blockLabels.isEmpty() && (k < 3 || !unlabelledBreak)) {
            List<String> bs = new ArrayList<>(blockLabels);
            j = new Jump(true, bs.get(r.nextInt(bs.size())));
        } else if (!loopLabels.isEmpty() && k < 6) {
            j = new Jump(r.nextBoolean(), loopLabels.get(r.nextInt(loopLabels.size())));
        } else {
            j = new Jump(loops.isEmpty() || r.nextBoolean(), null);
        }
        then.kids.add(j);
        return new If(c, then, new Block());
    }

    private Stmt earlyReturn() {
        Expr c = expr(Ty.BOOLEAN, 2);
        Block then = new Block();
        Expr value = null;
        if (current.returnType != null) {
            value = current.tail != null ? new Call(Ty.DOUBLE, current.tail, 0, false, tailArgs()) : expr(current.returnType, 2);
        }
        then.kids.add(new Return(value));
        return new If(c, then, new Block());
    }

    private List<Expr> tailArgs() {
        List<Expr> args = new ArrayList<>();
        for (int i = 0; i < Library.arity(current.tail); i++) args.add(expr(Ty.DOUBLE, 2));
        return args;
    }

    private Stmt switchStatement() {
        Prim selector = pick(Prim.INT, Prim.INT, Prim.INT, Prim.INT, Prim.INT, Prim.INT, Prim.CHAR, Prim.BYTE, Prim.SHORT);
        Expr sel = selector(selector, 2);
        boolean arrows = r.nextInt(4) == 0;
        int arms = r.nextInt(40) == 0 ? 30 + r.nextInt(120) : 1 + r.nextInt(5); // sometimes a huge switch
        List<int[]> labels = armLabels(selector, arms, r.nextInt(5) < 3);
        boolean[] breaks = new boolean[labels.size()];
        for (int i = 0; i < breaks.length; i++) breaks[i] = r.nextInt(10) < 7;
        Switch s = new Switch(labels, breaks, arrows);
        s.kids.add(sel);
        switches++;
        for (int i = 0; i < labels.size(); i++) {
            Block b = new Block();
            fill(b, r.nextInt(3));
            s.kids.add(b);
        }
        switches--;
        return s;
    }

    /** Case labels of {@code arms} arms (one or two labels each), dense or sparse; null marks {@code default}. */
    private List<int[]> armLabels(Prim selector, int arms, boolean withDefault) {
        long min = switch (selector) { case CHAR -> 0; case BYTE -> -128; case SHORT -> -32768; default -> Integer.MIN_VALUE; };
        long max = switch (selector) { case CHAR -> 65535; case BYTE -> 127; case SHORT -> 32767; default -> Integer.MAX_VALUE; };
        Set<Integer> values = new LinkedHashSet<>();
        int wanted = arms + r.nextInt(arms + 1);
        if (selector == Prim.BYTE) wanted = Math.min(wanted, 60); // the sparse values below reach about 140 bytes
        if (r.nextBoolean()) {
            int start = (int) Math.max(min, -2 + r.nextInt(6));
            for (int v = start; values.size() < wanted; v++) values.add(v);
        } else {
            while (values.size() < wanted) {
                long v = switch (r.nextInt(4)) {
                    case 0 -> pickLong(min, max, -1, 0, 1, 1000, 65535, 65536, 100_000, -100_000, 127, -128, 32767);
                    case 1 -> r.nextInt(64) - 8;
                    case 2 -> r.nextInt(1 << 16);
                    default -> r.nextInt();
                };
                if (v >= min && v <= max) values.add((int) v);
            }
        }
        List<Integer> vs = new ArrayList<>(values);
        List<int[]> out = new ArrayList<>();
        int i = 0;
        for (int a = 0; a < arms && i < vs.size(); a++) {
            int take = a == arms - 1 ? vs.size() - i : Math.min(vs.size() - i, 1 + r.nextInt(2));
            int[] ls = new int[take];
            for (int j = 0; j < take; j++) ls[j] = vs.get(i++);
            out.add(ls);
        }
        if (withDefault) out.add(r.nextInt(out.size() + 1), null);
        return out;
    }

    /**
     * A switch selector of exactly this type: a ternary whose int arm is a constant takes the type of its other
     * arm (byte, short or char), which would not hold every case label, so ternaries and switch expressions are
     * cast.
     */
    private Expr selector(Prim p, int d) {
        Expr e = expr(Ty.of(p), d);
        return e instanceof Cond || e instanceof SwitchExpr ? new Cast(Ty.of(p), e) : e;
    }

    private Stmt callStatement() {
        List<Method> cs = callees(null);
        if (cs.isEmpty()) return assignment();
        return new ExprStmt(call(cs, 2));
    }

    // ---- calls ------------------------------------------------------------------------------------

    /**
     * Methods that may be called here returning {@code type} (any type, void included, for null): later methods
     * that are cheap enough for the work left, and the method itself when it is recursive and may call itself
     * here (once per body, outside loops and outside its guard).
     */
    private List<Method> callees(Ty type) {
        List<Method> out = new ArrayList<>();
        long left = budget - cost;
        for (Method m : methods) {
            if (m.tail != null || m == partner) continue;
            if (type != null && !type.equals(m.returnType)) continue;
            if (m.cost * multiplier > left) continue;
            out.add(m);
        }
        Method recursiveTarget = partner != null ? partner : current;
        if (current.recursive && !selfCalled && !inGuard && loops.isEmpty()
                && (type == null || type.equals(recursiveTarget.returnType))) {
            out.add(recursiveTarget);
        }
        return out;
    }

    private Expr call(List<Method> candidates, int d) {
        Method m = candidates.get(r.nextInt(candidates.size()));
        Ty t = m.returnType == null ? null : m.returnType;
        List<Expr> args = new ArrayList<>();
        boolean self = m == current || m == partner;
        if (self) selfCalled = true;
        else cost += m.cost * multiplier;
        for (int i = 0; i < m.params.size(); i++) {
            Param p = m.params.get(i);
            if (i == 0 && m.recursive) {
                if (!self) args.add(expr(Ty.INT, Math.max(0, d - 1)));
                continue;
            }
            args.add(p.type().array() ? arrayValue(p.type().prim(), d, true) : expr(p.type(), Math.max(0, d - 1)));
        }
        return new Call(t, qualifier(current, m), m.name, m.recursive && !self ? MAX_DEPTH : 0, self, args);
    }

    /**
     * How {@code caller} names {@code callee}: unqualified in its own class, else by its class; a method of
     * {@code C_Base} often as {@code C.m()}, which invokestatic resolves through the superclass.
     */
    private String qualifier(Method caller, Method callee) {
        if (callee.owner == Method.INTERFACE) return caller.owner == Method.INTERFACE ? "" : "$C_I.";
        if (callee.owner == Method.MAIN) return caller.owner == Method.MAIN ? "" : "$C.";
        return switch (r.nextInt(3)) {
            case 0 -> caller.owner == Method.INTERFACE ? "$C." : "";
            case 1 -> "$C.";
            default -> "$C_Base.";
        };
    }

    // ---- expressions ------------------------------------------------------------------------------

    Expr expr(Ty t, int d) {
        if (t.array()) return arrayValue(t.prim(), d, false);
        Prim p = t.prim();
        if (d <= 0 || r.nextInt(100) < leafChance) return leaf(p);
        return switch (p) {
            case BOOLEAN -> booleanExpr(d);
            case BYTE, SHORT, CHAR -> narrowExpr(p, d);
            case INT, LONG -> integralExpr(p, d);
            case FLOAT, DOUBLE -> floatingExpr(p, d);
        };
    }

    private Expr booleanExpr(int d) {
        switch (weighted(34, 14, 8, 8, 10, 5, 6, 3, 2)) {
            case 0: {
                Prim a = anyNumeric();
                Prim b = r.nextInt(3) == 0 ? anyNumeric() : a;
                return new Binary(Ty.BOOLEAN, pick("<", "<=", ">", ">=", "==", "!="), expr(Ty.of(a), d - 1), expr(Ty.of(b), d - 1));
            }
            case 1:
                return new Binary(Ty.BOOLEAN, pick("&&", "||"), expr(Ty.BOOLEAN, d - 1), expr(Ty.BOOLEAN, d - 1));
            case 2:
                return new Binary(Ty.BOOLEAN, pick("&", "|", "^", "==", "!="), expr(Ty.BOOLEAN, d - 1), expr(Ty.BOOLEAN, d - 1));
            case 3:
                return new Unary(Ty.BOOLEAN, "!", expr(Ty.BOOLEAN, d - 1));
            case 4:
                return library(Prim.BOOLEAN, d);
            case 5:
                return cond(Ty.BOOLEAN, d);
            case 6:
                return callOrLeaf(Ty.BOOLEAN, d);
            case 7:
                return assignExpr(Ty.BOOLEAN, d);
            default:
                return switchExpr(Ty.BOOLEAN, d);
        }
    }

    private Expr narrowExpr(Prim p, int d) {
        Ty t = Ty.of(p);
        switch (weighted(45, 10, 10, 10, 5, 5)) {
            case 0: {
                Prim from = anyNumeric();
                return new Cast(t, expr(Ty.of(from), d - 1));
            }
            case 1:
                return cond(t, d);
            case 2:
                return callOrLeaf(t, d);
            case 3:
                return assignExpr(t, d);
            case 4:
                return switchExpr(t, d);
            default:
                return library(p, d);
        }
    }

    private Expr integralExpr(Prim p, int d) {
        Ty t = Ty.of(p);
        switch (weighted(30, 12, 10, 5, 10, 9, 5, 6, 3, 2, 2, 3)) {
            case 0: {
                Prim[] ops = operands(p);
                return new Binary(t, pick("+", "-", "*", "/", "%", "+", "-", "*"), expr(Ty.of(ops[0]), d - 1), expr(Ty.of(ops[1]), d - 1));
            }
            case 1: {
                Prim[] ops = integralOperands(p);
                return new Binary(t, pick("&", "|", "^"), expr(Ty.of(ops[0]), d - 1), expr(Ty.of(ops[1]), d - 1));
            }
            case 2: {
                Prim left = p == Prim.LONG ? Prim.LONG : intLike();
                Prim right = r.nextInt(4) == 0 ? Prim.LONG : intLike();
                return new Binary(t, pick("<<", ">>", ">>>"), expr(Ty.of(left), d - 1), shiftCount(right, d - 1));
            }
            case 3:
                return new Unary(t, pick("-", "~"), expr(t, d - 1));
            case 4: {
                Prim from = anyNumeric();
                if (from == p) from = Prim.DOUBLE;
                return new Cast(t, expr(Ty.of(from), d - 1));
            }
            case 5:
                return library(p, d);
            case 6:
                return cond(t, d);
            case 7:
                return callOrLeaf(t, d);
            case 8:
                return assignExpr(t, d);
            case 9:
                return switchExpr(t, d);
            case 10: {
                Ty from = p == Prim.INT ? Ty.FLOAT : Ty.DOUBLE;
                String v = someVar(from);
                return v == null ? leaf(p) : new RawBits(t, v);
            }
            default: {
                if (p == Prim.INT && anyArray()) return new Length(anyArrayVar());
                return leaf(p);
            }
        }
    }

    private Expr floatingExpr(Prim p, int d) {
        Ty t = Ty.of(p);
        switch (weighted(35, 5, 15, 12, 5, 6, 3, 2, 3)) {
            case 0: {
                Prim[] ops = operands(p);
                return new Binary(t, pick("+", "-", "*", "/", "%", "+", "-", "*"), expr(Ty.of(ops[0]), d - 1), expr(Ty.of(ops[1]), d - 1));
            }
            case 1:
                return new Unary(t, "-", expr(t, d - 1));
            case 2: {
                Prim from = anyNumeric();
                if (from == p) from = Prim.LONG;
                return new Cast(t, expr(Ty.of(from), d - 1));
            }
            case 3:
                return library(p, d);
            case 4:
                return cond(t, d);
            case 5:
                return callOrLeaf(t, d);
            case 6:
                return assignExpr(t, d);
            case 7:
                return switchExpr(t, d);
            default: {
                String v = someVar(t);
                return v == null ? leaf(p) : new CopySign(t, v, expr(t, d - 1));
            }
        }
    }

    /** Operand types of an arithmetic operator whose promoted type is {@code p}. */
    private Prim[] operands(Prim p) {
        Prim other = switch (p) {
            case INT -> intLike();
            case LONG -> r.nextBoolean() ? Prim.LONG : intLike();
            case FLOAT -> r.nextBoolean() ? Prim.FLOAT : integral();
            default -> r.nextBoolean() ? Prim.DOUBLE : anyNumeric();
        };
        Prim main = p == Prim.INT ? intLike() : p;
        return r.nextBoolean() ? new Prim[] {main, other} : new Prim[] {other, main};
    }

    private Prim[] integralOperands(Prim p) {
        Prim other = p == Prim.INT ? intLike() : r.nextBoolean() ? Prim.LONG : intLike();
        Prim main = p == Prim.INT ? intLike() : p;
        return r.nextBoolean() ? new Prim[] {main, other} : new Prim[] {other, main};
    }

    private static final int[] SHIFT_COUNTS = {-1, 0, 1, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65, -31, -32, -33, -63, -64, 100,
            Integer.MIN_VALUE, Integer.MAX_VALUE};

    private Expr shiftCount(Prim p, int d) {
        if (r.nextInt(5) < 2) {
            long v = SHIFT_COUNTS[r.nextInt(SHIFT_COUNTS.length)];
            if (p == Prim.LONG && r.nextInt(4) == 0) v = pickLong(Long.MIN_VALUE, 1L << 32, (1L << 32) + 1, -(1L << 32) + 5);
            if (p == Prim.BYTE || p == Prim.SHORT || p == Prim.CHAR) p = Prim.INT;
            return Lit.of(p, v);
        }
        return expr(Ty.of(p), Math.max(0, d));
    }

    private Expr library(Prim p, int d) {
        List<Library.Fn> fs = Library.returning(p);
        if (fs.isEmpty()) return leaf(p);
        Library.Fn f = fs.get(r.nextInt(fs.size()));
        List<Expr> args = new ArrayList<>();
        for (Prim a : f.params()) args.add(expr(Ty.of(a), d - 1));
        return new Call(Ty.of(p), f.name(), 0, false, args);
    }

    /** {@code c ? a : b}; for int, long, float and double one arm is sometimes of a narrower type (promoted). */
    private Expr cond(Ty t, int d) {
        Ty other = t;
        if (r.nextInt(10) < 3) {
            other = switch (t.prim()) {
                case INT -> Ty.of(pick(Prim.BYTE, Prim.SHORT, Prim.CHAR));
                case LONG -> Ty.of(pick(Prim.INT, Prim.INT, Prim.BYTE, Prim.CHAR));
                case FLOAT -> Ty.of(pick(Prim.INT, Prim.LONG, Prim.SHORT));
                case DOUBLE -> Ty.of(pick(Prim.FLOAT, Prim.INT, Prim.LONG));
                default -> t;
            };
        }
        Expr a = expr(t, d - 1), b = expr(other, d - 1);
        return r.nextBoolean() ? new Cond(t, expr(Ty.BOOLEAN, d - 1), a, b) : new Cond(t, expr(Ty.BOOLEAN, d - 1), b, a);
    }

    private Expr callOrLeaf(Ty t, int d) {
        List<Method> cs = callees(t);
        if (cs.isEmpty()) return leaf(t.prim());
        return call(cs, d);
    }

    private Expr assignExpr(Ty t, int d) {
        List<VarInfo> ws = new ArrayList<>();
        for (VarInfo v : vars) if (v.writable && v.type.equals(t)) ws.add(v);
        List<VarInfo> as = arrays(t.prim());
        if (!as.isEmpty() && (ws.isEmpty() || r.nextInt(3) == 0)) {
            VarInfo a = as.get(r.nextInt(as.size()));
            return update(new Index(new Var(a.type, a.name), index(a.name)), d - 1);
        }
        if (ws.isEmpty()) return leaf(t.prim());
        VarInfo v = ws.get(r.nextInt(ws.size()));
        return update(new Var(v.type, v.name), d - 1);
    }

    private Expr switchExpr(Ty t, int d) {
        Prim selector = pick(Prim.INT, Prim.INT, Prim.INT, Prim.CHAR, Prim.BYTE);
        List<int[]> labels = new ArrayList<>(armLabels(selector, r.nextInt(40) == 0 ? 20 + r.nextInt(80) : 1 + r.nextInt(4), false));
        labels.add(null);
        SwitchExpr s = new SwitchExpr(t, labels);
        s.kids.add(selector(selector, d - 1));
        for (int i = 0; i < labels.size(); i++) s.kids.add(expr(t, d - 1));
        return s;
    }

    /**
     * A variable, an array element or a literal; when no variable has type {@code p}, mostly one of another type
     * converted to it (a comparison for boolean), so that few expressions are constants javac or LLVM could fold.
     */
    private Expr leaf(Prim p) {
        Ty t = Ty.of(p);
        int k = r.nextInt(100);
        if (k < 55) {
            List<VarInfo> vs = new ArrayList<>();
            for (VarInfo v : vars) if (v.type.equals(t)) vs.add(v);
            if (!vs.isEmpty() && (k < 40 || p == Prim.BOOLEAN)) return var(vs);
            List<VarInfo> others = new ArrayList<>();
            for (VarInfo v : vars) if (!v.type.array() && v.type.prim().numeric()) others.add(v);
            if (!others.isEmpty()) {
                Var v = var(others);
                if (p == Prim.BOOLEAN) {
                    return new Binary(Ty.BOOLEAN, pick("<", "<=", ">", ">=", "==", "!="), v, literal(v.type.prim()));
                }
                return v.type.equals(t) ? v : new Cast(t, v);
            }
        }
        if (k >= 55 && k < 78) {
            List<VarInfo> as = arrays(p);
            if (!as.isEmpty()) {
                if (k < 57) {
                    // an element of a ternary of arrays (null sometimes): NullPointerException messages of expressions
                    Expr arms = new Cond(Ty.arrayOf(p), arrayCondition(), var(as), r.nextBoolean() ? var(as) : new Null(Ty.arrayOf(p)));
                    return new Index(arms, new Binary(Ty.INT, "&", expr(Ty.INT, 1), new Lit(Ty.INT, 3)));
                }
                VarInfo a = as.get(r.nextInt(as.size()));
                return new Index(new Var(a.type, a.name), index(a.name));
            }
        }
        if (k >= 78 && k < 82 && p == Prim.INT && anyArray()) {
            Var a = anyArrayVar();
            if (k == 78) return new Length(new Cond(a.type, arrayCondition(), a, r.nextBoolean() ? new Null(a.type) : arrayValue(a.type.prim(), 1, false)));
            return new Length(a);
        }
        return literal(p);
    }

    /** An array of {@code element}: a variable, a new array, a ternary of two, or (for call arguments) null. */
    private Expr arrayValue(Prim element, int d, boolean argument) {
        List<VarInfo> as = arrays(element);
        int k = r.nextInt(100);
        if (k < (argument ? 4 : 2)) return new Null(Ty.arrayOf(element));
        if (as.isEmpty() || k < 16) return newArray(element);
        if (k < 22) {
            Expr other = switch (r.nextInt(4)) {
                case 0 -> newArray(element);
                case 1 -> new Null(Ty.arrayOf(element));
                default -> var(as);
            };
            return new Cond(Ty.arrayOf(element), arrayCondition(), var(as), other);
        }
        return var(as);
    }

    /**
     * The condition of a ternary of arrays: a variable (not a static final field) compared with a literal, never a constant. javac 25 crashes
     * ("Invalid pool entry") on {@code (false ? a : null).length}, and may fold other constant conditions the same way.
     */
    private Expr arrayCondition() {
        List<VarInfo> scalars = new ArrayList<>();
        for (VarInfo v : vars) if (!v.type.array() && v.type.prim().numeric() && !isField(v)) scalars.add(v);
        String op = pick("<", "<=", ">", ">=", "==", "!=");
        if (!scalars.isEmpty() && r.nextInt(10) < 7) {
            Var v = var(scalars);
            return new Binary(Ty.BOOLEAN, op, v, literal(v.type.prim()));
        }
        return new Binary(Ty.BOOLEAN, op, new Length(anyArrayVar()), new Lit(Ty.INT, r.nextInt(12)));
    }

    /** Static final fields may be compile-time constants. */
    private boolean isField(VarInfo v) {
        for (Field f : fields) if (f.name.equals(v.name)) return true;
        return false;
    }

    private Var var(List<VarInfo> vs) {
        VarInfo v = vs.get(r.nextInt(vs.size()));
        return new Var(v.type, v.name);
    }

    private String someVar(Ty t) {
        List<VarInfo> vs = new ArrayList<>();
        for (VarInfo v : vars) if (v.type.equals(t)) vs.add(v);
        return vs.isEmpty() ? null : vs.get(r.nextInt(vs.size())).name;
    }

    private List<VarInfo> arrays(Prim element) {
        List<VarInfo> out = new ArrayList<>();
        for (VarInfo v : vars) if (v.type.array() && v.type.prim() == element) out.add(v);
        return out;
    }

    private boolean anyArray() {
        for (VarInfo v : vars) if (v.type.array()) return true;
        return false;
    }

    private Var anyArrayVar() {
        List<VarInfo> as = new ArrayList<>();
        for (VarInfo v : vars) if (v.type.array()) as.add(v);
        return var(as);
    }

    // ---- values -----------------------------------------------------------------------------------

    Lit literal(Prim p) {
        return switch (p) {
            case BOOLEAN -> new Lit(Ty.BOOLEAN, r.nextBoolean());
            case BYTE -> new Lit(Ty.BYTE, r.nextInt(3) < 2 ? EdgeValues.BYTES[r.nextInt(EdgeValues.BYTES.length)] : (byte) r.nextInt());
            case SHORT -> new Lit(Ty.SHORT, r.nextInt(3) < 2 ? EdgeValues.SHORTS[r.nextInt(EdgeValues.SHORTS.length)] : (short) r.nextInt());
            case CHAR -> new Lit(Ty.CHAR, r.nextInt(3) < 2 ? EdgeValues.CHARS[r.nextInt(EdgeValues.CHARS.length)] : (char) r.nextInt());
            case INT -> new Lit(Ty.INT, switch (r.nextInt(20)) {
                case 0, 1, 2, 3, 4, 5, 6, 7, 8 -> EdgeValues.INTS[r.nextInt(EdgeValues.INTS.length)];
                case 9, 10, 11, 12, 13, 14, 15, 16 -> r.nextInt(20) - 3;
                default -> r.nextInt();
            });
            case LONG -> new Lit(Ty.LONG, switch (r.nextInt(20)) {
                case 0, 1, 2, 3, 4, 5, 6, 7, 8 -> EdgeValues.LONGS[r.nextInt(EdgeValues.LONGS.length)];
                case 9, 10, 11, 12, 13, 14, 15 -> (long) (r.nextInt(20) - 3);
                default -> r.nextLong();
            });
            case FLOAT -> new Lit(Ty.FLOAT, switch (r.nextInt(20)) {
                case 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 -> EdgeValues.FLOATS[r.nextInt(EdgeValues.FLOATS.length)];
                case 10, 11, 12, 13, 14, 15 -> (r.nextInt(40) - 10) / 2.0f;
                default -> (float) ((r.nextDouble() - 0.5) * Math.pow(2, r.nextInt(60) - 30));
            });
            case DOUBLE -> new Lit(Ty.DOUBLE, switch (r.nextInt(20)) {
                case 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 -> EdgeValues.DOUBLES[r.nextInt(EdgeValues.DOUBLES.length)];
                case 10, 11, 12, 13, 14, 15 -> (r.nextInt(40) - 10) / 2.0;
                default -> (r.nextDouble() - 0.5) * Math.pow(2, r.nextInt(120) - 60);
            });
        };
    }

    /** Types of scalar values: int most often. */
    private Prim primForValue() {
        return switch (weighted(30, 14, 14, 9, 9, 8, 8, 8)) {
            case 0 -> Prim.INT;
            case 1 -> Prim.LONG;
            case 2 -> Prim.DOUBLE;
            case 3 -> Prim.FLOAT;
            case 4 -> Prim.BOOLEAN;
            case 5 -> Prim.BYTE;
            case 6 -> Prim.SHORT;
            default -> Prim.CHAR;
        };
    }

    private Prim arrayElement(boolean withBoolean) {
        Prim p = pick(Prim.INT, Prim.INT, Prim.INT, Prim.LONG, Prim.DOUBLE, Prim.DOUBLE, Prim.FLOAT, Prim.BYTE, Prim.SHORT,
                Prim.CHAR, Prim.BOOLEAN);
        if (p == Prim.BOOLEAN && !withBoolean) p = Prim.INT;
        return p;
    }

    private Prim anyNumeric() {
        return pick(Prim.INT, Prim.INT, Prim.INT, Prim.LONG, Prim.LONG, Prim.DOUBLE, Prim.DOUBLE, Prim.FLOAT, Prim.BYTE,
                Prim.SHORT, Prim.CHAR);
    }

    private Prim integral() {
        return pick(Prim.INT, Prim.INT, Prim.INT, Prim.LONG, Prim.LONG, Prim.BYTE, Prim.SHORT, Prim.CHAR);
    }

    private Prim intLike() {
        return pick(Prim.INT, Prim.INT, Prim.INT, Prim.INT, Prim.INT, Prim.BYTE, Prim.SHORT, Prim.CHAR);
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[r.nextInt(options.length)];
    }

    private int pickInt(int... options) {
        return options[r.nextInt(options.length)];
    }

    private long pickLong(long... options) {
        return options[r.nextInt(options.length)];
    }

    private int weighted(int... weights) {
        int total = 0;
        for (int w : weights) total += w;
        int k = r.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            k -= weights[i];
            if (k < 0) return i;
        }
        throw new IllegalStateException();
    }
}
