package io.github.kslr.landmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The parity measure: per frame and part, the mean Euclidean pixel distance (x, y) between corresponding
 * landmarks; then the median and 95th percentile over frames where both sides have the part; "found" = frames where
 * KSLR has the part / frames where the reference has it.
 */
final class Parity {
    final String part;
    final List<Double> errors = new ArrayList<>();
    int referenceFrames;
    int kslrFrames;
    int kslrOnlyFrames;

    Parity(String part) {
        this.part = part;
    }

    /** Adds one frame; either side may be null (absent). Points are [n][>=2] in pixels. */
    void add(double[][] kslr, double[][] reference) {
        if (reference != null) {
            referenceFrames++;
        }
        if (kslr != null) {
            kslrFrames++;
        }
        if (kslr != null && reference == null) {
            kslrOnlyFrames++;
        }
        if (kslr != null && reference != null) {
            errors.add(meanDistance(kslr, reference));
        }
    }

    static double meanDistance(double[][] a, double[][] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.hypot(a[i][0] - b[i][0], a[i][1] - b[i][1]);
        }
        return sum / a.length;
    }

    double found() {
        return referenceFrames == 0 ? Double.NaN : (double) errors.size() / referenceFrames;
    }

    double median() {
        return percentile(50);
    }

    double p95() {
        return percentile(95);
    }

    /** Nearest-rank percentile. */
    double percentile(double p) {
        if (errors.isEmpty()) {
            return Double.NaN;
        }
        double[] s = errors.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    @Override
    public String toString() {
        return String.format(
                "%s: reference %d frames, kslr %d (%d only kslr), both %d, found %.1f %%, median %.2f px,"
                        + " p95 %.2f px",
                part, referenceFrames, kslrFrames, kslrOnlyFrames, errors.size(), 100 * found(), median(), p95());
    }
}
