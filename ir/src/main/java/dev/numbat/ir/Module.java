package dev.numbat.ir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The unit of compilation: the method asked for (the entry) and every static method it calls,
 * transitively, each once. Backends compile a module into one native object.
 */
public final class Module {
    private final Map<String, Function> functions = new LinkedHashMap<>();
    private final Map<String, ConstantArray> tables = new LinkedHashMap<>();
    private Function entry;

    public void add(Function f) {
        if (functions.putIfAbsent(f.name(), f) != null) throw new IllegalArgumentException("duplicate " + f.name());
        if (entry == null) entry = f;
    }

    public Function entry() { return entry; }

    /** Adds a table, or returns the one of the same name already added. */
    public ConstantArray table(ConstantArray t) {
        ConstantArray known = tables.putIfAbsent(t.name(), t);
        return known != null ? known : t;
    }

    public Map<String, ConstantArray> tables() { return Collections.unmodifiableMap(tables); }
    public Function get(String name) { return functions.get(name); }
    public Map<String, Function> functions() { return Collections.unmodifiableMap(functions); }

    @Override public String toString() { return IrPrinter.print(this); }
}
