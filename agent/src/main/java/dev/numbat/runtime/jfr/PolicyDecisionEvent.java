package dev.numbat.runtime.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** The measured policy chose native code or bytecode for a method ({@code dev.numbat.PolicyDecision}). */
@Name("dev.numbat.PolicyDecision")
@Label("Numbat Policy Decision")
@Category({"Numbat"})
@Description("The measured never-slower policy kept native code or the bytecode of a method")
@StackTrace(false)
public final class PolicyDecisionEvent extends Event {
    @Label("Method") public String method;
    @Label("Decision") @Description("native or bytecode") public String decision;
    @Label("Native Median") @Timespan(Timespan.NANOSECONDS) public long nativeMedian;
    @Label("Bytecode Median") @Timespan(Timespan.NANOSECONDS) public long bytecodeMedian;
    @Label("Array Elements") @Description("Total array length of the calls measured; -1 without array parameters") public long arrayElements;
    @Label("Samples") @Description("Timed calls of each version") public int samples;

    public static void commit(String method, String decision, double nativeMedian, double bytecodeMedian, long arrayElements, int samples) {
        PolicyDecisionEvent e = new PolicyDecisionEvent();
        if (!e.isEnabled()) return;
        e.method = method;
        e.decision = decision;
        e.nativeMedian = Math.round(nativeMedian);
        e.bytecodeMedian = Math.round(bytecodeMedian);
        e.arrayElements = arrayElements;
        e.samples = samples;
        e.commit();
    }
}
