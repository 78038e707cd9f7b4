package dev.numbat.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the text form that {@link IrPrinter} writes, so golden tests can state a pass's input and
 * expected output as text. Blocks are rebuilt in reverse postorder, where every non-phi operand is
 * defined before its use; phis are made first and filled last, since they may refer forward.
 */
public final class IrParser {
    private static final Pattern HEADER = Pattern.compile("function (\\S+)\\.([^.(]+)(\\(\\S*) \\((.*)\\) -> (\\S+) \\{");
    private static final Pattern CONVERSION = Pattern.compile("[zbscilfd]2[zbscilfd]");
    private static final Pattern SITE = Pattern.compile("\\s+@(-?\\d+)(?::(-?\\d+))?$");

    private static final Pattern TABLE = Pattern.compile("table @(\\S+): (\\S+) = \\[(.*)]");
    private final Module module = new Module();
    private final Map<Function, List<String>> bodies = new LinkedHashMap<>();

    private IrParser() {}

    public static Module parse(String text) {
        IrParser p = new IrParser();
        p.readFunctions(text);
        for (Map.Entry<Function, List<String>> e : p.bodies.entrySet()) new Body(p.module, e.getKey(), e.getValue()).build();
        return p.module;
    }

    private void readFunctions(String text) {
        List<String> body = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("//")) continue;
            Matcher h = HEADER.matcher(line);
            Matcher t = TABLE.matcher(line);
            if (body == null && t.matches()) {
                Type type = type(t.group(2));
                String[] items = t.group(3).isBlank() ? new String[0] : t.group(3).split(",\\s*");
                long[] bits = new long[items.length];
                for (int k = 0; k < items.length; k++) bits[k] = ((Constant) Body.literal(items[k], type.element())).bits();
                module.table(ConstantArray.of(type, t.group(1), bits));
            } else if (h.matches()) {
                Type ret = type(h.group(5));
                Function f = new Function(h.group(1), h.group(2), h.group(3), ret);
                FunctionBuilder b = new FunctionBuilder(f);
                if (!h.group(4).isBlank()) {
                    for (String param : h.group(4).split(",\\s*")) {
                        String[] nt = param.split(":\\s*");
                        b.addParameter(type(nt[1]), nt[0].substring(1));
                    }
                }
                module.add(f);
                body = new ArrayList<>();
                bodies.put(f, body);
            } else if (line.equals("}")) {
                body = null;
            } else if (body != null) {
                body.add(line);
            } else {
                throw new IllegalArgumentException("text outside a function: " + line);
            }
        }
    }

    static Type type(String s) {
        Type t = Type.parse(s);
        if (t == null) throw new IllegalArgumentException("unknown type " + s);
        return t;
    }

    /** One function's blocks and instructions. */
    private static final class Body {
        private final Module module;
        private final Function f;
        private final FunctionBuilder b;
        private final Map<String, List<String>> lines = new LinkedHashMap<>();
        private final Map<String, BasicBlock> blocks = new HashMap<>();
        private final Map<String, Value> values = new HashMap<>();
        private final Map<Instruction, String> phiText = new LinkedHashMap<>();

        Body(Module module, Function f, List<String> text) {
            this.module = module;
            this.f = f;
            this.b = new FunctionBuilder(f);
            String current = null;
            for (String line : text) {
                if (line.matches("b\\d+:.*")) {
                    current = line.substring(0, line.indexOf(':'));
                    lines.put(current, new ArrayList<>());
                } else {
                    if (current == null) throw new IllegalArgumentException("instruction before any block: " + line);
                    lines.get(current).add(line);
                }
            }
            for (Parameter p : f.parameters()) values.put("%" + p.name(), p);
        }

        void build() {
            for (String name : lines.keySet()) blocks.put(name, b.newBlock());
            for (Map.Entry<String, List<String>> e : lines.entrySet()) {
                for (String line : e.getValue()) {
                    String[] d = definition(line);
                    if (d[1].startsWith("phi ")) {
                        Instruction phi = b.phi(blocks.get(e.getKey()), type(d[1].substring(4).split(" ")[0]));
                        values.put(d[0], phi);
                        phiText.put(phi, d[1]);
                    }
                }
            }
            for (String name : reversePostorder()) {
                b.at(blocks.get(name));
                for (String line : lines.get(name)) {
                    String[] d = definition(line);
                    if (d[1].startsWith("phi ")) continue;
                    Value v = instruction(d[1]);
                    if (d[0] != null) values.put(d[0], v);
                }
            }
            for (Map.Entry<Instruction, String> e : phiText.entrySet()) {
                Matcher m = Pattern.compile("\\[(b\\d+): ([^\\]]+)]").matcher(e.getValue());
                while (m.find()) b.addIncoming(e.getKey(), blocks.get(m.group(1)), value(m.group(2), e.getKey().type()));
            }
            f.blocks.sort((x, y) -> Integer.compare(indexOf(x), indexOf(y)));
        }

        private int indexOf(BasicBlock block) {
            int k = 0;
            for (String name : lines.keySet()) {
                if (blocks.get(name) == block) return k;
                k++;
            }
            return k;
        }

        private List<String> reversePostorder() {
            List<String> post = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            visit(lines.keySet().iterator().next(), seen, post);
            for (String name : lines.keySet()) if (!seen.contains(name)) visit(name, seen, post);
            java.util.Collections.reverse(post);
            return post;
        }

        private void visit(String block, java.util.Set<String> seen, List<String> post) {
            if (!seen.add(block)) return;
            List<String> body = lines.get(block);
            String last = body.get(body.size() - 1);
            Matcher m = Pattern.compile("\\bb\\d+\\b").matcher(last);
            while (m.find()) visit(m.group(), seen, post);
            post.add(block);
        }

        private static String[] definition(String line) {
            int eq = line.indexOf(" = ");
            if (line.startsWith("%") && eq > 0) return new String[] {line.substring(0, eq), line.substring(eq + 3)};
            return new String[] {null, line};
        }

        private Value instruction(String text) {
            Site site = Site.UNKNOWN;
            Matcher s = SITE.matcher(text);
            if (s.find()) {
                site = new Site(Integer.parseInt(s.group(1)), s.group(2) == null ? -1 : Integer.parseInt(s.group(2)));
                text = text.substring(0, s.start());
            }
            int space = text.indexOf(' ');
            String op = space < 0 ? text : text.substring(0, space);
            String rest = space < 0 ? "" : text.substring(space + 1);
            switch (op) {
                case "goto": return b.jump(blocks.get(rest));
                case "return": return b.ret(rest.isEmpty() ? null : value(rest, f.returnType()));
                case "if": {
                    Matcher m = Pattern.compile("(\\w+) (.+), (.+) then (b\\d+) else (b\\d+)").matcher(rest);
                    if (!m.matches()) throw new IllegalArgumentException("bad if: " + text);
                    Value x = value(m.group(2), null);
                    return b.branch(Condition.valueOf(m.group(1).toUpperCase()), x, value(m.group(3), x.type()),
                            blocks.get(m.group(4)), blocks.get(m.group(5)));
                }
                case "switch": {
                    Matcher m = Pattern.compile("(\\S+) \\[(.*)] default (b\\d+)").matcher(rest);
                    if (!m.matches()) throw new IllegalArgumentException("bad switch: " + text);
                    List<Integer> keys = new ArrayList<>();
                    List<BasicBlock> targets = new ArrayList<>();
                    if (!m.group(2).isBlank()) {
                        for (String kt : m.group(2).split(",\\s*")) {
                            String[] p = kt.split(":\\s*");
                            keys.add(Integer.parseInt(p[0]));
                            targets.add(blocks.get(p[1]));
                        }
                    }
                    targets.add(blocks.get(m.group(3)));
                    return b.switchOn(value(m.group(1), Type.INT), keys.stream().mapToInt(Integer::intValue).toArray(), targets);
                }
                case "newarray": {
                    String[] p = rest.split(",\\s*");
                    return b.newArray(type(p[0]), value(p[1], Type.INT), site);
                }
                case "call": {
                    int sp = rest.indexOf(' ');
                    String name = sp < 0 ? rest : rest.substring(0, sp);
                    Function callee = module.get(name);
                    if (callee == null) throw new IllegalArgumentException("unknown function " + name);
                    List<Value> args = new ArrayList<>();
                    List<String> texts = operands(sp < 0 ? "" : rest.substring(sp + 1));
                    for (int k = 0; k < texts.size(); k++) args.add(value(texts.get(k), callee.parameterTypes().get(k)));
                    return b.call(callee, args, site);
                }
                case "parallel": {
                    String[] p = rest.split(" ", 3);
                    Function body = module.get(p[1]);
                    if (body == null) throw new IllegalArgumentException("unknown function " + p[1]);
                    List<Value> args = new ArrayList<>();
                    List<String> texts = operands(p.length > 2 ? p[2] : "");
                    for (int k = 0; k < texts.size(); k++) args.add(value(texts.get(k), body.parameterTypes().get(k)));
                    return b.parallel(body, Reduction.byText(p[0]), args);
                }
                default: break;
            }
            List<String> texts = operands(rest);
            if (CONVERSION.matcher(op).matches()) return b.convert(value(texts.get(0), letterType(op.charAt(0))), letterType(op.charAt(2)));
            Intrinsic intrinsic = Intrinsic.byText(op);
            if (intrinsic != null) {
                List<Value> args = new ArrayList<>();
                for (String t : texts) args.add(value(t, args.isEmpty() ? null : args.get(0).type()));
                return b.intrinsic(intrinsic, args, site);
            }
            Opcode opcode = Opcode.byText(op);
            if (opcode == null) throw new IllegalArgumentException("unknown instruction " + text);
            Value first = value(texts.get(0), null);
            return switch (opcode) {
                case NEG -> b.neg(first);
                case ARRAY_LENGTH -> b.arrayLength(first, site);
                case ARRAY_LOAD -> b.arrayLoad(first, value(texts.get(1), Type.INT), site);
                case ARRAY_STORE -> b.arrayStore(first, value(texts.get(1), Type.INT), value(texts.get(2), first.type().element()), site);
                case SEGMENT_SIZE -> b.segmentSize(first, site);
                case SEGMENT_GET, SEGMENT_GET_AT_INDEX ->
                        b.segmentGet(opcode, first, (Constant) value(texts.get(1), Type.LAYOUT), value(texts.get(2), Type.LONG), site);
                case SEGMENT_SET, SEGMENT_SET_AT_INDEX -> {
                    Constant layout = (Constant) value(texts.get(1), Type.LAYOUT);
                    yield b.segmentSet(opcode, first, layout, value(texts.get(2), Type.LONG),
                            value(texts.get(3), layout.layout().element()), site);
                }
                case SHL, SHR, USHR -> b.binary(opcode, first, value(texts.get(1), Type.INT), site);
                default -> b.binary(opcode, first, value(texts.get(1), first.type()), site);
            };
        }

        private static Type letterType(char c) {
            return switch (c) {
                case 'z' -> Type.BOOLEAN; case 'b' -> Type.BYTE; case 's' -> Type.SHORT; case 'c' -> Type.CHAR;
                case 'i' -> Type.INT; case 'l' -> Type.LONG; case 'f' -> Type.FLOAT; default -> Type.DOUBLE;
            };
        }

        private static List<String> operands(String text) {
            List<String> out = new ArrayList<>();
            if (text.isBlank()) return out;
            for (String s : text.split(",\\s*")) out.add(s.strip());
            return out;
        }

        /** A value reference; {@code hint} types bare integer literals where the text leaves it open. */
        private Value value(String t, Type hint) {
            t = t.strip();
            if (t.startsWith("%")) {
                Value v = values.get(t);
                if (v == null) throw new IllegalArgumentException("undefined value " + t + " in " + f.name());
                return v;
            }
            if (t.startsWith("@")) {
                ConstantArray table = module.tables().get(t.substring(1));
                if (table == null) throw new IllegalArgumentException("undeclared table " + t);
                return table;
            }
            return literal(t, hint);
        }

        /** A constant written inline; {@code hint} gives sub-int element types their type. */
        static Value literal(String t, Type hint) {
            t = t.strip();
            if (t.equals("null")) return Constant.nullOf(hint != null && hint.isReference() ? hint : Type.NULL);
            if (t.startsWith("f#")) return Constant.ofBits(Type.FLOAT, Integer.parseUnsignedInt(t.substring(2), 16));
            if (t.startsWith("d#")) return Constant.ofBits(Type.DOUBLE, Long.parseUnsignedLong(t.substring(2), 16));
            String[] typed = t.split(" ");
            if (typed.length == 2 && typed[0].equals("layout")) {
                SegmentLayout layout = SegmentLayout.byFieldName(typed[1]);
                if (layout == null) throw new IllegalArgumentException("unknown layout " + typed[1]);
                return Constant.ofLayout(layout);
            }
            if (typed.length == 2) return Constant.ofBits(type(typed[0]), Long.parseLong(typed[1]));
            if (hint != null && hint.isSubInt()) return Constant.ofBits(hint, Long.parseLong(t));
            char last = t.charAt(t.length() - 1);
            if (last == 'L') return Constant.ofLong(Long.parseLong(t.substring(0, t.length() - 1)));
            if (last == 'f') return Constant.ofFloat(Float.parseFloat(t.substring(0, t.length() - 1)));
            if (last == 'd') return Constant.ofDouble(Double.parseDouble(t.substring(0, t.length() - 1)));
            return Constant.ofInt(Integer.parseInt(t));
        }
    }
}
