package io.github.kslr.landmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * SSD anchor centres as MediaPipe's {@code SsdAnchorsCalculator} makes them for fixed-size anchors (every
 * detector Holistic and Hands use has {@code fixed_anchor_size: true}, so each anchor is 1 x 1 and only its centre
 * matters). Consecutive layers with the same stride share one feature-map grid; each layer in such a group adds
 * one anchor per aspect ratio plus one interpolated anchor per cell. Anchors are ordered grid by grid, row-major,
 * anchors innermost.
 *
 * <p><b>Thread-safety.</b> Immutable.
 */
final class SsdAnchors {
    /** Pose detection (224 x 224): strides 8, 16, 32, 32, 32, 2254 anchors. */
    static final SsdAnchors POSE_DETECTION = generate(224, 224, new int[] {8, 16, 32, 32, 32}, 1, true, 0.5f);
    /** Short-range face detection (128 x 128): strides 8, 16, 16, 16, 896 anchors. */
    static final SsdAnchors FACE_DETECTION = generate(128, 128, new int[] {8, 16, 16, 16}, 1, true, 0.5f);
    /** Palm detection, full model (192 x 192): strides 8, 16, 16, 16, 2016 anchors. */
    static final SsdAnchors PALM_DETECTION = generate(192, 192, new int[] {8, 16, 16, 16}, 1, true, 0.5f);

    private final float[] centres;

    private SsdAnchors(float[] centres) {
        this.centres = centres;
    }

    /**
     * @param aspectRatioCount number of aspect ratios per layer (all MediaPipe detectors here use one, 1.0)
     * @param interpolated whether each layer adds the interpolated-scale anchor (MediaPipe's default ratio 1.0)
     * @param offset anchor offset inside the cell, in cells
     */
    static SsdAnchors generate(
            int inputWidth, int inputHeight, int[] strides, int aspectRatioCount, boolean interpolated, float offset) {
        List<float[]> out = new ArrayList<>();
        int layer = 0;
        while (layer < strides.length) {
            int last = layer;
            int perCell = 0;
            while (last < strides.length && strides[last] == strides[layer]) {
                perCell += aspectRatioCount + (interpolated ? 1 : 0);
                last++;
            }
            int fw = (int) Math.ceil((double) inputWidth / strides[layer]);
            int fh = (int) Math.ceil((double) inputHeight / strides[layer]);
            for (int y = 0; y < fh; y++) {
                for (int x = 0; x < fw; x++) {
                    for (int a = 0; a < perCell; a++) {
                        out.add(new float[] {(x + offset) / fw, (y + offset) / fh});
                    }
                }
            }
            layer = last;
        }
        float[] c = new float[out.size() * 2];
        for (int i = 0; i < out.size(); i++) {
            c[2 * i] = out.get(i)[0];
            c[2 * i + 1] = out.get(i)[1];
        }
        return new SsdAnchors(c);
    }

    int count() {
        return centres.length / 2;
    }

    float x(int i) {
        return centres[2 * i];
    }

    float y(int i) {
        return centres[2 * i + 1];
    }
}
