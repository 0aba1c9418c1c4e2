package io.github.kslr.tools.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.kslr.api.testing.SharedFiles;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/** Test helpers: the parity rule, and the LiteRT.js reference (skipped when not installed, failed in CI). */
public final class Parity {
    /** |onnx - tflite| <= TOLERANCE * (1 + |tflite|) for every element. */
    public static final double TOLERANCE = 1e-3;

    private Parity() {}

    /** The maximum absolute and scaled errors of one output. */
    public record Error(double maxAbs, double maxScaled, int worstIndex) {}

    public static Error error(float[] onnx, float[] tflite) {
        assertEquals(tflite.length, onnx.length, "element count");
        double maxAbs = 0;
        double maxScaled = 0;
        int worst = -1;
        for (int i = 0; i < tflite.length; i++) {
            double d = Math.abs((double) onnx[i] - tflite[i]);
            if (Double.isNaN(d)) {
                return new Error(Double.NaN, Double.NaN, i);
            }
            double scaled = d / (1 + Math.abs(tflite[i]));
            maxAbs = Math.max(maxAbs, d);
            if (scaled > maxScaled || worst < 0) {
                maxScaled = Math.max(maxScaled, scaled);
                worst = i;
            }
        }
        return new Error(maxAbs, maxScaled, worst);
    }

    /** Asserts the parity rule; returns the errors. */
    public static Error check(String what, float[] onnx, float[] tflite) {
        Error e = error(onnx, tflite);
        if (!(e.maxScaled() <= TOLERANCE)) {
            fail(what + ": |onnx - tflite| / (1 + |tflite|) reaches " + e.maxScaled() + " at element " + e.worstIndex()
                    + " (onnx " + onnx[e.worstIndex()] + ", tflite " + tflite[e.worstIndex()] + "), allowed "
                    + TOLERANCE);
        }
        return e;
    }

    public static void checkShape(String what, int[] expected, long[] actual) {
        long[] e = new long[expected.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = expected[i];
        }
        assertArrayEquals(e, actual, what + " shape");
    }

    /** tools/tflite-ref (tests run in the tools module's folder), or -Dkslr.tfliteRefDir. */
    public static Path refDir() {
        return Paths.get(System.getProperty("kslr.tfliteRefDir", "tflite-ref")).toAbsolutePath();
    }

    /**
     * The LiteRT.js reference; skips the test with the reason when Node or the package is missing, and fails instead
     * under -Dkslr.requireShared=true (CI installs it with `npm ci --prefix tools/tflite-ref`).
     */
    public static LiteRtReference reference() {
        String reason = LiteRtReference.unavailableReason(refDir());
        if (reason != null) {
            if (SharedFiles.required()) {
                fail(reason + " (and -Dkslr.requireShared=true: CI must run `npm ci --prefix tools/tflite-ref`)");
            }
            Assumptions.abort(reason + "; skipping the TFLite comparison");
        }
        return new LiteRtReference(refDir(), Paths.get("target", "litert-work").toAbsolutePath());
    }
}
