package io.github.kslr.landmarks;

/**
 * MediaPipe's {@code RoiTrackingCalculator}: keep the region derived from the previous frame's landmarks instead of
 * this frame's re-crop region when the two agree (rotation, translation and size within tolerances measured in the
 * re-crop's own rotated pixel frame) and every previous landmark lies inside the re-crop region shrunk by a margin.
 * Keeping the previous region is what makes tracked landmarks stable between frames.
 *
 * <p><b>Thread-safety.</b> Immutable.
 */
record RoiTracking(double maxRotationDegrees, double maxTranslation, double maxScale, double margin) {
    /** Hands: 40 degrees, 0.2, 0.4, margin -0.1. */
    static final RoiTracking HAND = new RoiTracking(40, 0.2, 0.4, -0.1);
    /** Face: 15 degrees, 0.1, 0.3, margin -0.2. */
    static final RoiTracking FACE = new RoiTracking(15, 0.1, 0.3, -0.2);

    /** Whether {@code previous} (from {@code prevLandmarks}) may replace {@code recrop}. */
    boolean keepPrevious(
            NormRect previous,
            NormRect recrop,
            float[] prevLandmarks,
            int stride,
            int count,
            int imageWidth,
            int imageHeight) {
        double dTheta = Math.abs(Geometry.normalizeRadians(previous.rotation() - recrop.rotation()));
        if (Math.toDegrees(dTheta) > maxRotationDegrees) {
            return false;
        }
        double w = recrop.width() * (double) imageWidth, h = recrop.height() * (double) imageHeight;
        double dx = (recrop.xCenter() - previous.xCenter()) * (double) imageWidth;
        double dy = (recrop.yCenter() - previous.yCenter()) * (double) imageHeight;
        double c = Math.cos(-recrop.rotation()), s = Math.sin(-recrop.rotation());
        double rx = dx * c - dy * s, ry = dx * s + dy * c;
        if (Math.abs(rx) / w > maxTranslation || Math.abs(ry) / h > maxTranslation) {
            return false;
        }
        double pw = previous.width() * (double) imageWidth, ph = previous.height() * (double) imageHeight;
        if (Math.abs(pw - w) / w > maxScale || Math.abs(ph - h) / h > maxScale) {
            return false;
        }
        double halfW = w * (1 + margin) / 2, halfH = h * (1 + margin) / 2;
        double cx = recrop.xCenter() * (double) imageWidth, cy = recrop.yCenter() * (double) imageHeight;
        for (int i = 0; i < count; i++) {
            double px = prevLandmarks[i * stride] * (double) imageWidth - cx;
            double py = prevLandmarks[i * stride + 1] * (double) imageHeight - cy;
            double lx = px * c - py * s, ly = px * s + py * c;
            if (!(Math.abs(lx) < halfW && Math.abs(ly) < halfH)) {
                return false;
            }
        }
        return true;
    }
}
