package io.github.kslr.examples.cli;

import static io.github.kslr.examples.cli.CliRun.assertRefused;
import static io.github.kslr.examples.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KslrCommandTest {

    @Test
    void helpListsUsage() {
        String[] r = run("--help");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("Usage: kslr"), r[1]);
    }

    /** --layout's help lists the built-in layouts from FeatureLayout, wrapped or not. */
    @Test
    void layoutHelpListsTheBuiltInLayouts() {
        for (String command : new String[] {"dataset", "landmarks"}) {
            String[] r = run(command, "--help");
            assertEquals("0", r[0]);
            String help = r[1].replaceAll("\\s+", " ");
            assertTrue(help.contains("reports-177, holistic-1662, pose-hands-258 or a spec"), help);
        }
    }

    @Test
    void versionNamesTheProjectVersion() {
        String[] r = run("--version");
        assertEquals("0", r[0]);
        assertTrue(r[1].matches("(?s)kslr \\d+\\.\\d+\\.\\d+.*"), r[1]);
    }

    @Test
    void unknownOptionFailsWithNonZeroExit() {
        String[] r = run("--no-such-option");
        assertRefused(r, "--no-such-option");
    }

    /**
     * Errors are one line; --verbose adds the stack trace; --quiet is accepted after a sub-command too. A missing
     * input file is a usage error (exit status 2), other failures exit with 1.
     */
    @Test
    void errorsAreOneLineUnlessVerbose() {
        String[] plain = run("landmarks", "/no/such/video.mp4", "--out", "/tmp/x.json");
        assertEquals("2", plain[0]);
        String[] recognize = run("recognize", "/no/such/video.mp4");
        assertEquals("2", recognize[0]);
        assertEquals(1, recognize[2].strip().lines().count(), recognize[2]);
        assertTrue(
                recognize[2].startsWith("kslr recognize: input file /no/such/video.mp4 does not exist"), recognize[2]);
        String[] notVideo = run("recognize", "/");
        assertEquals("1", notVideo[0], "a folder exists: not a usage error but a failure");
        assertEquals(1, plain[2].strip().lines().count(), plain[2]);
        assertTrue(plain[2].startsWith("kslr landmarks: input file /no/such/video.mp4 does not exist"), plain[2]);
        String[] verbose = run("landmarks", "/no/such/video.mp4", "--out", "/tmp/x.json", "--verbose");
        assertTrue(verbose[2].contains("\tat io.github.kslr."), verbose[2]);
        String[] quiet = run("--quiet", "landmarks", "/no/such/video.mp4", "--out", "/tmp/x.json");
        assertEquals(1, quiet[2].strip().lines().count(), quiet[2]);
    }

    @Test
    void verboseAndQuietSetTheLogLevelsBeforeAnyLogger() {
        java.util.Properties saved =
                (java.util.Properties) System.getProperties().clone();
        try {
            KslrCommand.configureLogging(new String[] {"train", "--quiet"});
            assertEquals("error", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel"));
            assertEquals("error", System.getProperty("org.slf4j.simpleLogger.log.io.github.kslr.train"));
            KslrCommand.configureLogging(new String[] {"--verbose", "landmarks"});
            assertEquals("info", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel"));
            System.clearProperty("org.slf4j.simpleLogger.defaultLogLevel");
            KslrCommand.configureLogging(new String[] {"speak", "--", "--verbose"});
            assertEquals(null, System.getProperty("org.slf4j.simpleLogger.defaultLogLevel"), "after --: text");
        } finally {
            System.setProperties(saved);
        }
    }
}
