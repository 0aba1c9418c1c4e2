package io.github.kslr.examples;

import static org.junit.jupiter.api.Assertions.fail;

import io.github.kslr.api.testing.SharedFiles;
import io.github.kslr.examples.pipeline.SdkModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The models the examples' end-to-end tests run: the bundled ones, or (for development) {@code -Dkslr.signModel=FILE}
 * and {@code -Dkslr.landmarkModels=DIR}. Also the skip-or-fail rule for tools the tests need.
 */
public final class TestModels {
    private TestModels() {}

    /** -Dkslr.landmarkModels, or null for the bundled landmark models. */
    public static Path landmarkModels() {
        String dir = System.getProperty("kslr.landmarkModels");
        return dir == null || dir.isBlank() ? null : Path.of(dir);
    }

    /** -Dkslr.signModel, or null for the bundled demo model (skips, or fails in CI, when there is none). */
    public static Path signModel() {
        String file = System.getProperty("kslr.signModel");
        if (file != null && !file.isBlank()) {
            return Path.of(file);
        }
        require(
                SdkModels.hasBundledSignModel(),
                "the demo sign model bundled in kslr-recognizer (or" + " -Dkslr.signModel=MODEL.onnx)");
        return null;
    }

    /** The same as command-line options for {@code kslr recognize} / {@code serve}. */
    public static List<String> modelOptions() {
        List<String> o = new ArrayList<>();
        Path sign = signModel();
        if (sign != null) {
            o.add("--model");
            o.add(sign.toString());
        }
        if (landmarkModels() != null) {
            o.add("--landmark-models");
            o.add(landmarkModels().toString());
        }
        return o;
    }

    /** Skips (locally) or fails (with -Dkslr.requireShared=true, as in CI) when something the test needs is missing. */
    public static void require(boolean present, String what) {
        if (!present) {
            String msg = "needs " + what;
            if (SharedFiles.required()) {
                fail(msg + ", and -Dkslr.requireShared=true");
            }
            Assumptions.abort(msg + "; it is missing, skipping");
        }
    }
}
