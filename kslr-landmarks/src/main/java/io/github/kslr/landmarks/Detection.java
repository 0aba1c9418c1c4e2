package io.github.kslr.landmarks;

/**
 * One SSD detection in normalised coordinates: score, box corners and keypoints (x, y pairs).
 *
 * <p><b>Thread-safety.</b> Immutable by convention: {@code keypoints} is owned by the detection and never changed
 * after construction.
 */
record Detection(float score, float xMin, float yMin, float xMax, float yMax, float[] keypoints) {
    int keypointCount() {
        return keypoints.length / 2;
    }

    float kx(int i) {
        return keypoints[2 * i];
    }

    float ky(int i) {
        return keypoints[2 * i + 1];
    }
}
