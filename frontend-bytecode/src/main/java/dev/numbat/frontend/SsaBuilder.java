package dev.numbat.frontend;

import dev.numbat.ir.BasicBlock;
import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.Instruction;
import dev.numbat.ir.Type;
import dev.numbat.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * SSA construction after Braun, Buchwald, Hack, Leißa, Mallon and Zwinkau, "Simple and Efficient
 * Construction of Static Single Assignment Form" (CC 2013). Variables are the JVM's local slots and
 * operand-stack slots, numbered by the caller. A block is sealed once every predecessor is filled;
 * reads in unsealed blocks make incomplete phis that sealing completes. Trivial phis are left for
 * {@link dev.numbat.ir.pass.RemoveTrivialPhis}, which keeps this class short.
 */
final class SsaBuilder {
    private final FunctionBuilder builder;
    /** The type of variable {@code var} on entry to a block, for the phis made there. */
    private final BiFunction<BasicBlock, Integer, Type> typeAtEntry;
    private final Map<BasicBlock, Map<Integer, Value>> definitions = new HashMap<>();
    private final Map<BasicBlock, Map<Integer, Instruction>> incompletePhis = new HashMap<>();
    private final Set<BasicBlock> sealed = new HashSet<>();

    SsaBuilder(FunctionBuilder builder, BiFunction<BasicBlock, Integer, Type> typeAtEntry) {
        this.builder = builder;
        this.typeAtEntry = typeAtEntry;
    }

    void write(int var, BasicBlock block, Value value) {
        definitions.computeIfAbsent(block, b -> new HashMap<>()).put(var, value);
    }

    Value read(int var, BasicBlock block) {
        // Walk single-predecessor chains iteratively: straight-line code can be long.
        List<BasicBlock> chain = new ArrayList<>();
        BasicBlock b = block;
        Value v;
        while (true) {
            v = definitions.getOrDefault(b, Map.of()).get(var);
            if (v != null) break;
            if (sealed.contains(b) && b.predecessors().size() == 1) {
                chain.add(b);
                b = b.predecessors().get(0);
                continue;
            }
            v = readAtMerge(var, b);
            break;
        }
        for (BasicBlock c : chain) write(var, c, v);
        return v;
    }

    private Value readAtMerge(int var, BasicBlock block) {
        Type type = typeAtEntry.apply(block, var);
        Instruction phi = builder.phi(block, type);
        write(var, block, phi);
        if (!sealed.contains(block)) {
            incompletePhis.computeIfAbsent(block, b -> new HashMap<>()).put(var, phi);
        } else {
            addOperands(var, phi);
        }
        return phi;
    }

    private void addOperands(int var, Instruction phi) {
        for (BasicBlock pred : phi.block().predecessors()) builder.addIncoming(phi, pred, read(var, pred));
    }

    boolean isSealed(BasicBlock block) { return sealed.contains(block); }

    /** Declares that every predecessor of {@code block} is known and filled. */
    void seal(BasicBlock block) {
        if (!sealed.add(block)) return;
        Map<Integer, Instruction> pending = incompletePhis.remove(block);
        if (pending != null) pending.forEach(this::addOperands);
    }
}
