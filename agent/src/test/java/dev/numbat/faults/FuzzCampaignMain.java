package dev.numbat.faults;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Runs the differential fuzzer's {@code FuzzTest} (or, with the argument {@code ecj}, {@link EcjFuzzTest}: the
 * fuzzer's programs compiled by ecj, {@code -Dfuzz.ecjPrograms}, {@code -Dfuzz.ecjSeed}) from a plain {@code java} command, without Maven or a JUnit
 * launcher, for long campaigns that should not hold the build's lock for hours (docs/reliability.md, "Campaigns").
 * The same system properties as under Maven ({@code fuzz.programs}, {@code fuzz.seed}, {@code fuzz.saveDir}, ...);
 * {@code basedir} should name the agent module, where {@code target/fuzz/current.java} is journalled. Exits 0 when
 * every program agreed with the JVM, 1 when the run failed (its report is printed), 2 on anything else.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xss4m -cp "$CP" -Dbasedir=agent -Dfuzz.programs=5000 -Dfuzz.seed=101 \
 *      dev.numbat.faults.FuzzCampaignMain
 * </pre>
 */
public final class FuzzCampaignMain {
    private FuzzCampaignMain() {}

    public static void main(String[] args) throws Exception {
        // FuzzTest and its method are package-private (JUnit's convention); reflection reaches them from here.
        boolean ecj = args.length > 0 && args[0].equals("ecj");
        Class<?> test = Class.forName(ecj ? "dev.numbat.faults.EcjFuzzTest" : "dev.numbat.fuzz.FuzzTest");
        Constructor<?> make = test.getDeclaredConstructor();
        make.setAccessible(true);
        Method run = test.getDeclaredMethod(ecj ? "fuzzProgramsCompiledByEcjAgreeWithTheJvm" : "generatedProgramsAgreeWithTheJvm");
        run.setAccessible(true);
        long start = System.nanoTime();
        int status;
        try {
            run.invoke(make.newInstance());
            status = 0;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            // JUnit's AssertionFailedError carries the failure report (differences, reduced programs).
            System.out.println(cause instanceof AssertionError ? "FUZZ CAMPAIGN FAILED:\n" + cause.getMessage()
                    : "FUZZ CAMPAIGN ERROR: " + cause);
            if (!(cause instanceof AssertionError)) cause.printStackTrace(System.out);
            status = cause instanceof AssertionError ? 1 : 2;
        }
        System.out.printf("fuzz campaign: %sseed %s, exit %d, %.0f s%n", ecj ? "ecj, " : "",
                System.getProperty(ecj ? "fuzz.ecjSeed" : "fuzz.seed"), status,
                (System.nanoTime() - start) / 1e9);
        System.exit(status);
    }
}
