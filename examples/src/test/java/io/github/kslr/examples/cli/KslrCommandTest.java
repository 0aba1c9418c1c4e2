package io.github.kslr.examples.cli;

import static io.github.kslr.examples.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KslrCommandTest {

    @Test
    void helpListsUsage() {
        String[] r = run("--help");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("Usage: kslr"), r[1]);
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
        assertNotEquals("0", r[0]);
        assertTrue(r[2].contains("--no-such-option"), r[2]);
    }
}
