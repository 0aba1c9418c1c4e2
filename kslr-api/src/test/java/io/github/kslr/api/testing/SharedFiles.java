package io.github.kslr.api.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds files under the project's {@code ../shared} folder (real media, sign data, test voices) for tests.
 *
 * <p>Nothing from there is committed. Where the folder or file is missing the test is skipped with a message saying
 * what is missing - unless {@code -Dkslr.requireShared=true} (as in CI), where it fails instead.
 * The folder is {@code -Dkslr.sharedDir} (set by the parent POM to {@code ../shared} beside the checkout).
 */
public final class SharedFiles {
    private SharedFiles() {}

    /** The shared folder (it may not exist). */
    public static Path root() {
        String dir = System.getProperty("kslr.sharedDir");
        return dir != null ? Paths.get(dir) : Paths.get("..", "shared");
    }

    /** Whether missing shared files fail tests rather than skip them. */
    public static boolean required() {
        return Boolean.getBoolean("kslr.requireShared");
    }

    /**
     * The file or folder {@code relative} under the shared folder; skips (or, in CI, fails) the calling test when it
     * does not exist.
     */
    public static Path require(String relative) {
        Path p = root().resolve(relative).normalize();
        if (!Files.exists(p)) {
            String msg = "needs " + p.toAbsolutePath() + " (from ../shared, see README 'Test data'); it is missing";
            if (required()) {
                fail(msg + " and -Dkslr.requireShared=true");
            }
            Assumptions.abort(msg + ", skipping");
        }
        return p;
    }
}
