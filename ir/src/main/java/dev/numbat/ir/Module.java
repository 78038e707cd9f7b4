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
    private Function entry;

    public void add(Function f) {
        if (functions.putIfAbsent(f.name(), f) != null) throw new IllegalArgumentException("duplicate " + f.name());
        if (entry == null) entry = f;
    }

    public Function entry() { return entry; }
    public Function get(String name) { return functions.get(name); }
    public Map<String, Function> functions() { return Collections.unmodifiableMap(functions); }

    @Override public String toString() { return IrPrinter.print(this); }
}
