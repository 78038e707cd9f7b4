package dev.numbat.ir.pass;

import dev.numbat.ir.Function;
import dev.numbat.ir.FunctionBuilder;
import dev.numbat.ir.IrPrinter;
import dev.numbat.ir.IrVerifier;
import dev.numbat.ir.pass.Pass.Property;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An ordered list of passes. It checks each pass's stated requirements against what earlier passes
 * established, runs the verifier after every pass when asked (tests always ask), and hands the IR
 * text after a named pass to a dump sink ({@code -Dnumbat.dumpAfter=NAME}, or {@code all}).
 */
public final class PassPipeline {
    private final List<Pass> passes;
    private final boolean verifyEach;
    private final String dumpAfter;
    private final BiConsumer<String, String> dumpSink;

    private PassPipeline(List<Pass> passes, boolean verifyEach, String dumpAfter, BiConsumer<String, String> dumpSink) {
        this.passes = List.copyOf(passes);
        this.verifyEach = verifyEach;
        this.dumpAfter = dumpAfter;
        this.dumpSink = dumpSink;
    }

    /** The passes every function goes through before a backend sees it. */
    public static PassPipeline standard() {
        return of(new RemoveUnreachableBlocks(), new RemoveTrivialPhis(), new MergeStraightLineBlocks(),
                new DeadCodeElimination());
    }

    public static PassPipeline of(Pass... passes) {
        return new PassPipeline(List.of(passes), Boolean.getBoolean("numbat.verify"),
                System.getProperty("numbat.dumpAfter"), (pass, text) -> System.err.print(
                        "numbat: IR after " + pass + ":\n" + text));
    }

    public PassPipeline verifyingEachPass(boolean verify) { return new PassPipeline(passes, verify, dumpAfter, dumpSink); }

    /** Sends the IR after the pass named {@code pass} (or after every pass for {@code all}) to {@code sink}. */
    public PassPipeline dumpingAfter(String pass, BiConsumer<String, String> sink) {
        return new PassPipeline(passes, verifyEach, pass, sink);
    }

    public List<Pass> passes() { return passes; }

    public void run(Function f) {
        FunctionBuilder builder = new FunctionBuilder(f);
        Set<Property> holds = EnumSet.noneOf(Property.class);
        if (verifyEach) IrVerifier.verify(f);
        for (Pass pass : passes) {
            Set<Property> missing = EnumSet.noneOf(Property.class);
            missing.addAll(pass.requires());
            missing.removeAll(holds);
            if (!missing.isEmpty()) throw new IllegalStateException(pass.name() + " needs " + missing + " first");
            boolean changed = pass.run(builder);
            if (changed) holds.removeAll(pass.invalidates());
            holds.addAll(pass.establishes());
            builder.renumber();
            if (verifyEach) IrVerifier.verify(f);
            if (pass.name().equals(dumpAfter) || "all".equals(dumpAfter)) dumpSink.accept(pass.name(), IrPrinter.print(f));
        }
    }

    /** One line per pass: its name and what it does. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Pass p : passes) lines.add(p.name() + ": " + p.description());
        return lines;
    }
}
