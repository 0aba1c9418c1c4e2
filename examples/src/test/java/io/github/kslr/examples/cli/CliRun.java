package io.github.kslr.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code kslr} in-process for the command tests. */
final class CliRun {
    private CliRun() {}

    /** {@code kslr args...}: the exit code, standard output and standard error, as strings. */
    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KslrCommand.run(new PrintWriter(out), new PrintWriter(err), args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    /** {@code kslr COMMAND shared... args...}: for calls that share some of their arguments. */
    static String[] run(String command, List<String> shared, String... args) {
        List<String> all = new ArrayList<>();
        all.add(command);
        all.addAll(shared);
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    /** Asserts that a {@link #run} succeeded (exit code 0) with each of {@code parts} in its standard output. */
    static void assertSucceeded(String[] result, String... parts) {
        assertEquals("0", result[0], result[2]);
        for (String part : parts) {
            assertTrue(result[1].contains(part), result[1]);
        }
    }

    /** Asserts that a {@link #run} failed (any exit code but 0) with each of {@code parts} in its standard error. */
    static void assertRefused(String[] result, String... parts) {
        assertNotEquals("0", result[0], result[1]);
        for (String part : parts) {
            assertTrue(result[2].contains(part), result[2]);
        }
    }
}
