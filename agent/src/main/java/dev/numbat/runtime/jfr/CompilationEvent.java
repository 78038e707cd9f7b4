package dev.numbat.runtime.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * One compilation by Numbat ({@code dev.numbat.Compilation}): its duration is the event's, from the start of the
 * pipeline to its outcome; the stages' times are fields (0 for a stage not reached).
 */
@Name("dev.numbat.Compilation")
@Label("Numbat Compilation")
@Category({"Numbat"})
@Description("A method compiled to native code by Numbat, or refused")
@StackTrace(false)
public final class CompilationEvent extends Event {
    @Label("Method") public String method;
    @Label("Outcome") @Description("compiled, or the one-line reason it was not") public String outcome;
    @Label("Profiled") @Description("Compiled with a run-time profile") public boolean profiled;
    @Label("Lift") @Timespan(Timespan.NANOSECONDS) public long lift;
    @Label("IR Passes") @Timespan(Timespan.NANOSECONDS) public long passes;
    @Label("LLVM") @Description("Lowering, optimisation and code generation (or a cache load)") @Timespan(Timespan.NANOSECONDS) public long llvm;
    @Label("Bind") @Timespan(Timespan.NANOSECONDS) public long bind;
    @Label("Code Size") @Description("Size of the object code linked") @DataAmount public long codeSize;
}
