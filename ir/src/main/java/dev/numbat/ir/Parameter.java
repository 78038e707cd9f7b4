package dev.numbat.ir;

/** A parameter of a function, numbered from zero in declaration order. */
public final class Parameter extends Value {
    private final int index;
    private final String name;

    Parameter(int index, Type type, String name) {
        super(type);
        this.index = index;
        this.name = name;
    }

    public int index() { return index; }
    /** The source name from the local variable table, or {@code p<index>}. */
    public String name() { return name; }

    @Override public String reference() { return "%" + name; }
    @Override public String toString() { return reference(); }
}
