package io.github.kslr.landmarks;

/**
 * MediaPipe's pose landmark filtering for one list of landmarks: visibility through a low-pass filter
 * ({@code VisibilitySmoothingCalculator}, alpha 0.1) and x, y, z through One-Euro filters on pixel coordinates
 * (x * width, y * height, z * width) with {@code valueScale = 1 / objectScale}, or 1 when value scaling is disabled
 * ({@code LandmarksSmoothingCalculator}). {@link #reset()} when the landmarks are lost.
 *
 * <p><b>Thread-safety.</b> Not thread-safe; owned by one landmarker.
 */
final class LandmarkSmoother {
    private static final double VISIBILITY_ALPHA = 0.1;
    private final OneEuroFilter[] filters;
    private final double[] visibility;
    private final int count;
    private final boolean scaleValues;
    private boolean visibilityInitialized;

    LandmarkSmoother(int count, double minCutoff, double beta, double derivateCutoff, boolean scaleValues) {
        this.count = count;
        this.scaleValues = scaleValues;
        this.filters = new OneEuroFilter[count * 3];
        for (int i = 0; i < filters.length; i++) {
            filters[i] = new OneEuroFilter(minCutoff, beta, derivateCutoff);
        }
        this.visibility = new double[count];
    }

    /**
     * Filters {@code count} landmarks in place.
     *
     * @param values records of {@code stride} floats (x, y, z[, visibility]) starting at {@code offset}
     * @param hasVisibility whether component 3 is a visibility to low-pass
     * @param normalised whether x, y, z are image-normalised (then filtered in pixels) or already metric
     * @param objectScale the object's size in pixels (ignored when value scaling is off)
     */
    void apply(
            float[] values,
            int offset,
            int stride,
            boolean hasVisibility,
            boolean normalised,
            long timestampUs,
            int imageWidth,
            int imageHeight,
            double objectScale) {
        double valueScale = 1.0;
        if (scaleValues) {
            if (objectScale < 1e-6) {
                return;
            }
            valueScale = 1.0 / objectScale;
        }
        double sx = normalised ? imageWidth : 1.0, sy = normalised ? imageHeight : 1.0;
        for (int i = 0; i < count; i++) {
            int k = offset + i * stride;
            if (hasVisibility) {
                double v = values[k + 3];
                visibility[i] =
                        visibilityInitialized ? VISIBILITY_ALPHA * v + (1 - VISIBILITY_ALPHA) * visibility[i] : v;
                values[k + 3] = (float) visibility[i];
            }
            values[k] = (float) (filters[3 * i].apply(timestampUs, valueScale, values[k] * sx) / sx);
            values[k + 1] = (float) (filters[3 * i + 1].apply(timestampUs, valueScale, values[k + 1] * sy) / sy);
            values[k + 2] = (float) (filters[3 * i + 2].apply(timestampUs, valueScale, values[k + 2] * sx) / sx);
        }
        visibilityInitialized = hasVisibility;
    }

    void reset() {
        for (OneEuroFilter f : filters) {
            f.reset();
        }
        visibilityInitialized = false;
    }
}
