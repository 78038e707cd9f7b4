package dev.numbat.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Something an instruction can use: a constant, a parameter or the result of an instruction.
 * The list of users is kept by {@link FunctionBuilder}; nothing else adds or removes uses.
 */
public abstract sealed class Value permits Constant, ConstantArray, Parameter, Instruction {
    private Type type;
    final List<Instruction> users = new ArrayList<>();

    Value(Type type) { this.type = type; }

    public Type type() { return type; }

    void setType(Type type) { this.type = type; }

    /** Instructions that use this value, once per use. */
    public List<Instruction> users() { return Collections.unmodifiableList(users); }

    /** How this value appears as an operand in the text form. */
    public abstract String reference();
}
