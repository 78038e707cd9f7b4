package dev.numbat.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A compiled method: parameters, a return type and basic blocks, the first of which is the entry.
 * Its name is the JVM's {@code owner.name(descriptor)} with the owner in internal form.
 */
public final class Function {
    private final String owner;
    private final String methodName;
    private final String descriptor;
    private final Type returnType;
    final List<Parameter> parameters = new ArrayList<>();
    final List<BasicBlock> blocks = new ArrayList<>();
    int nextValueId;
    int nextBlockId;
    String sourceFile;

    public Function(String owner, String methodName, String descriptor, Type returnType) {
        this.owner = owner;
        this.methodName = methodName;
        this.descriptor = descriptor;
        this.returnType = returnType;
    }

    /** Internal name of the declaring class, e.g. {@code com/example/Kernels}. */
    public String owner() { return owner; }
    public String methodName() { return methodName; }
    public String descriptor() { return descriptor; }
    public Type returnType() { return returnType; }
    public String sourceFile() { return sourceFile; }
    public List<Parameter> parameters() { return Collections.unmodifiableList(parameters); }
    public List<BasicBlock> blocks() { return Collections.unmodifiableList(blocks); }
    public BasicBlock entry() { return blocks.get(0); }

    /** {@code com/example/Kernels.dot([D[D)D}: unique within a module. */
    public String name() { return owner + "." + methodName + descriptor; }

    /** {@code com.example.Kernels.dot([D[D)D}: as diagnostics print it. */
    public String displayName() { return owner.replace('/', '.') + "." + methodName + descriptor; }

    public List<Type> parameterTypes() {
        List<Type> t = new ArrayList<>();
        for (Parameter p : parameters) t.add(p.type());
        return t;
    }

    @Override public String toString() { return name(); }
}
