package io.github.kslr.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Refuses a command line that names one file twice where one is written: {@code kslr landmarks v.mp4 --out v.mp4}
 * would replace the video with JSON, {@code --npy} equal to {@code --out} would overwrite the JSON.
 */
final class DistinctFiles {
    private DistinctFiles() {}

    /**
     * Throws a {@link CommandLine.ParameterException} when the output {@code out} (option {@code outName}) is the same
     * file as {@code other} (option or parameter {@code otherName}); nulls and camera inputs are ignored.
     */
    static void require(CommandLine.Model.CommandSpec spec, String outName, Path out, String otherName, Object other) {
        if (out == null || other == null || other.toString().startsWith("camera:")) {
            return;
        }
        Path o = Path.of(other.toString());
        if (same(out, o)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    outName + " " + out + " is the same file as " + otherName + " " + other
                            + "; writing it would destroy " + otherName + ": choose another path");
        }
    }

    private static boolean same(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            // Links and other spellings of one existing file.
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
