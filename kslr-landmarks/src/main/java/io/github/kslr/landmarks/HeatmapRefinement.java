package io.github.kslr.landmarks;

import java.nio.FloatBuffer;

/**
 * MediaPipe's {@code RefineLandmarksFromHeatmapCalculator} with the pose graph's options (kernel 7, minimum
 * confidence 0.5, presence and visibility untouched): each landmark (crop-normalised x, y) moves to the
 * confidence-weighted mean of the integer cell indices in a 7 x 7 window of the sigmoid of its heatmap channel,
 * divided by the heatmap size - when the window's highest confidence reaches 0.5. MediaPipe uses the integer index,
 * not the cell centre, and truncates the landmark's cell index toward zero; both are mirrored.
 *
 * <p><b>Thread-safety.</b> Stateless.
 */
final class HeatmapRefinement {
    private static final int OFFSET = 3;
    private static final double MIN_CONFIDENCE = 0.5;

    private HeatmapRefinement() {}

    /**
     * Refines {@code count} landmarks in place ({@code stride} floats each, x and y first) from an NHWC heatmap of
     * {@code rows x cols x count} logits.
     */
    static void refine(float[] landmarks, int stride, int count, FloatBuffer heatmap, int rows, int cols) {
        refine(landmarks, stride, count, heatmap, 0, rows, cols);
    }

    /** As {@link #refine(float[], int, int, FloatBuffer, int, int)}, the heatmap starting at float {@code base}. */
    static void refine(float[] landmarks, int stride, int count, FloatBuffer heatmap, int base, int rows, int cols) {
        for (int i = 0; i < count; i++) {
            int col = (int) (landmarks[i * stride] * cols), row = (int) (landmarks[i * stride + 1] * rows);
            if (col < 0 || col >= cols || row < 0 || row >= rows) {
                continue;
            }
            double sum = 0, weightedCol = 0, weightedRow = 0, max = 0;
            for (int r = Math.max(0, row - OFFSET); r < Math.min(rows, row + OFFSET + 1); r++) {
                for (int c = Math.max(0, col - OFFSET); c < Math.min(cols, col + OFFSET + 1); c++) {
                    double confidence = 1.0 / (1.0 + Math.exp(-heatmap.get(base + (r * cols + c) * count + i)));
                    sum += confidence;
                    max = Math.max(max, confidence);
                    weightedCol += c * confidence;
                    weightedRow += r * confidence;
                }
            }
            if (max >= MIN_CONFIDENCE && sum > 0) {
                landmarks[i * stride] = (float) (weightedCol / cols / sum);
                landmarks[i * stride + 1] = (float) (weightedRow / rows / sum);
            }
        }
    }
}
