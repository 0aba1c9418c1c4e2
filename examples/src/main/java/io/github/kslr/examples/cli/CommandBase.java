package io.github.kslr.examples.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * What every {@code kslr} sub-command shares: picocli's model of the command (injected into subclasses too), its
 * output and error writers, and usage errors. Not thread-safe, as picocli commands are not.
 */
abstract class CommandBase implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The command's standard output (what tests and pipes read). */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The command's error output. */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A usage error: {@code kslr} prints {@code message} with a pointer to the usage and exits with status 2. */
    CommandLine.ParameterException usageError(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
