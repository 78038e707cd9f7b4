package dev.numbat.runtime.jfr;

import dev.numbat.runtime.policy.MethodRecord;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * Periodically, one per profiled or measured method ({@code dev.numbat.MethodStatistics}): its calls, native
 * calls and time in native code so far (see {@link MethodRecord} for which are estimates). Every second by
 * default; a recording's settings may change the period.
 */
@Name("dev.numbat.MethodStatistics")
@Label("Numbat Method Statistics")
@Category({"Numbat"})
@Description("Calls of a profiled or measured method so far, and its time in native code")
@Period("1 s")
@StackTrace(false)
public final class MethodStatisticsEvent extends Event {
    @Label("Method") public String method;
    @Label("Decision") public String decision;
    @Label("Calls") public long calls;
    @Label("Native Calls") public long nativeCalls;
    @Label("Native Time") @Timespan(Timespan.NANOSECONDS) public long nativeTime;

    private static volatile boolean registered;

    /** Registers the periodic hook once; the JDK then calls it for each recording that enables the event. */
    public static void register() {
        if (registered) return;
        synchronized (MethodStatisticsEvent.class) {
            if (registered) return;
            registered = true;
            try {
                FlightRecorder.addPeriodicEvent(MethodStatisticsEvent.class, MethodStatisticsEvent::emitAll);
            } catch (RuntimeException | LinkageError e) {
                // A JVM without JFR (jdk.jfr absent or disabled): statistics stay available through Numbat.statistics().
            }
        }
    }

    private static void emitAll() {
        for (MethodRecord r : MethodRecord.all()) {
            MethodStatisticsEvent e = new MethodStatisticsEvent();
            e.method = r.method();
            e.decision = r.decision();
            e.calls = r.calls();
            e.nativeCalls = r.nativeCalls();
            e.nativeTime = r.nativeNanos();
            e.commit();
        }
    }
}
