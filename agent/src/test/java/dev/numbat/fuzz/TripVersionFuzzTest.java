package dev.numbat.fuzz;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * The differential fuzzer's programs with every loop of the right shape versioned for a trip-count range
 * ({@code -Dnumbat.test.tripRange}, a test hook of {@code ProfileTripCounts}): at most 8 iterations, and exactly 3, so
 * that both kinds of copy and their guards run on generated loops (bounds that are array lengths, {@code (e) & mask}
 * and the like) against the JVM. The first calls of each program go through the switch's settings, so the copies and
 * the loops as they were both run. A smaller campaign than {@link FuzzTest}'s, with a seed of its own.
 */
class TripVersionFuzzTest {

    @Test
    void generatedProgramsWithLoopVersionsAgreeWithTheJvm() {
        for (String range : new String[] {"0..8", "3..3"}) {
            System.setProperty("numbat.test.tripRange", range);
            try {
                Campaign.Config d = Campaign.Config.fromSystemProperties(System.out);
                Campaign.Config config = new Campaign.Config(0x7219_0000L + range.hashCode(), Integer.getInteger("fuzz.tripPrograms", 120),
                        d.tuples(), 0, d.reduce(), d.reduceSeconds(), d.maxReductions(), null, d.journal(), d.log());
                Campaign c = new Campaign(config).run();
                System.out.print("loops versioned for " + range + " trips: " + c.summary());
                if (!c.failures.isEmpty() || !c.generatorDefects.isEmpty()) {
                    StringBuilder sb = new StringBuilder("loops versioned for " + range + " trips:\n" + c.summary());
                    for (Campaign.Failure f : c.failures) {
                        sb.append("\nFAILED ").append(f.where()).append(": ").append(f.signature()).append('\n').append(f.verdict().message());
                        if (f.reducedText() != null) sb.append("\nreduced program:\n").append(f.reducedText());
                    }
                    fail(sb.toString());
                }
            } finally {
                System.clearProperty("numbat.test.tripRange");
            }
        }
    }
}
