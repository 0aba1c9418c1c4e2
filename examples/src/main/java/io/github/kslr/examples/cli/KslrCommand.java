package io.github.kslr.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code kslr} command line: {@code java -jar examples/target/kslr.jar --help}.
 *
 * <p>Each sub-command is a class in this package registered in {@link #newCommandLine()}. Tests run commands
 * in-process through {@link #run(PrintWriter, PrintWriter, String...)}.
 */
@Command(
        name = "kslr",
        mixinStandardHelpOptions = true,
        versionProvider = KslrCommand.Version.class,
        description = "Khmer Sign Language recognition, Khmer text and Khmer speech on the JVM.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:done",
            "1:failed (the one-line message says why)",
            "2:wrong usage, or an input file that does not exist"
        },
        subcommands = {
            CommandLine.HelpCommand.class,
            RecognizeCommand.class,
            ServeCommand.class,
            SpeakCommand.class,
            TrainCommand.class,
            EvaluateCommand.class,
            TrainEmbedderCommand.class,
            FewShotCommand.class,
            EnrolCommand.class,
            VocabularyCommand.class,
            LandmarksCommand.class,
            CollectCommand.class,
            DatasetCommand.class
        })
public final class KslrCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // Read by main() before any logger exists (slf4j-simple fixes levels when the first logger is made); declared
    // here so that picocli accepts them, after the command name or a sub-command's.
    @CommandLine.Option(
            names = "--verbose",
            scope = CommandLine.ScopeType.INHERIT,
            description = "show the libraries' INFO log lines, and stack traces of errors")
    boolean verbose;

    @CommandLine.Option(
            names = "--quiet",
            scope = CommandLine.ScopeType.INHERIT,
            description = "log errors only (standard output then holds only results)")
    boolean quiet;

    @Override
    public void run() {
        // "kslr" alone: show what it can do.
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A fresh command line with every sub-command. */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new KslrCommand());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("kslr " + commandLine.getCommandName() + ": " + ex.getMessage());
            if (parseResult.originalArgs().contains("--verbose")) {
                ex.printStackTrace(commandLine.getErr());
            }
            return missingFile(ex) ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
        });
        return cl;
    }

    /** Whether {@code ex} comes from a file that does not exist (a mistyped input path: a usage error). */
    private static boolean missingFile(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof java.nio.file.NoSuchFileException || t instanceof java.io.FileNotFoundException) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code kslr args...} with the given output streams and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = newCommandLine();
        cl.setOut(out);
        cl.setErr(err);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    public static void main(String[] args) {
        configureLogging(args);
        System.exit(newCommandLine().execute(args));
    }

    /** Sets slf4j-simple's levels from --verbose / --quiet, before the first logger is made. */
    static void configureLogging(String[] args) {
        java.util.List<String> a = java.util.Arrays.asList(args);
        int end = a.contains("--") ? a.indexOf("--") : a.size();
        java.util.List<String> options = a.subList(0, end);
        String level = options.contains("--verbose") ? "info" : options.contains("--quiet") ? "error" : null;
        if (level != null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
            for (String name : new String[] {"io.github.kslr.train", "io.github.kslr.examples.web"}) {
                System.setProperty("org.slf4j.simpleLogger.log." + name, level);
            }
        }
    }

    /** Reads the version Maven wrote into {@code version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream in =
                    KslrCommand.class.getResourceAsStream("/io/github/kslr/examples/version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {
                "kslr " + p.getProperty("version", "unknown"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
            };
        }
    }
}
