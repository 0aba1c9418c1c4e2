package io.github.kslr.landmarks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decodes SSD detector outputs as MediaPipe's {@code TensorsToDetectionsCalculator} does with
 * {@code reverse_output_order: true} and fixed-size anchors, then merges them with weighted non-maximum suppression
 * ({@code NonMaxSuppressionCalculator}, algorithm WEIGHTED, intersection over union).
 *
 * <p>Box layout per anchor: x centre, y centre, width, height, then keypoints as (x, y), all in input pixels
 * relative to the anchor. Scores are logits: {@code sigmoid(clamp(raw, +-clip))}; a box is kept when its score is
 * at least {@code minScore}.
 *
 * <p><b>Thread-safety.</b> Immutable; {@link #decode} allocates only the detections it returns.
 */
final class SsdDecoder {
    private final SsdAnchors anchors;
    private final int numCoords;
    private final int numKeypoints;
    private final float scale;
    private final float minScore;
    private final float clip;
    private final float nmsThreshold;

    SsdDecoder(
            SsdAnchors anchors,
            int numCoords,
            int numKeypoints,
            float inputSize,
            float minScore,
            float clip,
            float nmsThreshold) {
        this.anchors = anchors;
        this.numCoords = numCoords;
        this.numKeypoints = numKeypoints;
        this.scale = inputSize;
        this.minScore = minScore;
        this.clip = clip;
        this.nmsThreshold = nmsThreshold;
    }

    int numCoords() {
        return numCoords;
    }

    int numBoxes() {
        return anchors.count();
    }

    /** Decodes boxes ({@code numBoxes x numCoords} floats) and score logits ({@code numBoxes}), then applies NMS. */
    List<Detection> decode(float[] boxes, float[] scores) {
        List<Detection> raw = new ArrayList<>();
        for (int i = 0; i < anchors.count(); i++) {
            float logit = Math.max(-clip, Math.min(clip, scores[i]));
            float score = (float) (1.0 / (1.0 + Math.exp(-logit)));
            if (!(score >= minScore)) {
                continue;
            }
            int b = i * numCoords;
            float ax = anchors.x(i), ay = anchors.y(i);
            float xc = boxes[b] / scale + ax;
            float yc = boxes[b + 1] / scale + ay;
            float w = boxes[b + 2] / scale;
            float h = boxes[b + 3] / scale;
            if (!(w >= 0) || !(h >= 0)) {
                continue;
            }
            float[] kp = new float[numKeypoints * 2];
            for (int k = 0; k < numKeypoints; k++) {
                kp[2 * k] = boxes[b + 4 + 2 * k] / scale + ax;
                kp[2 * k + 1] = boxes[b + 4 + 2 * k + 1] / scale + ay;
            }
            raw.add(new Detection(score, xc - w / 2, yc - h / 2, xc + w / 2, yc + h / 2, kp));
        }
        return weightedNms(raw, nmsThreshold);
    }

    static float iou(Detection a, Detection b) {
        float ix = Math.min(a.xMax(), b.xMax()) - Math.max(a.xMin(), b.xMin());
        float iy = Math.min(a.yMax(), b.yMax()) - Math.max(a.yMin(), b.yMin());
        if (ix <= 0 || iy <= 0) {
            return 0f;
        }
        float inter = ix * iy;
        float areaA = (a.xMax() - a.xMin()) * (a.yMax() - a.yMin());
        float areaB = (b.xMax() - b.xMin()) * (b.yMax() - b.yMin());
        float union = areaA + areaB - inter;
        return union > 0 ? inter / union : 0f;
    }

    /**
     * Weighted NMS: repeatedly take the best remaining detection, gather every remaining detection whose IoU with
     * it exceeds {@code threshold} (itself included), and output the best one's score with box and keypoints
     * replaced by the score-weighted means of the group.
     */
    static List<Detection> weightedNms(List<Detection> detections, float threshold) {
        List<Detection> remaining = new ArrayList<>(detections);
        remaining.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> out = new ArrayList<>();
        while (!remaining.isEmpty()) {
            Detection top = remaining.get(0);
            List<Detection> rest = new ArrayList<>();
            double total = 0, x0 = 0, y0 = 0, x1 = 0, y1 = 0;
            double[] kp = new double[top.keypoints().length];
            for (Detection d : remaining) {
                if (d == top || iou(top, d) > threshold) {
                    double s = d.score();
                    total += s;
                    x0 += s * d.xMin();
                    y0 += s * d.yMin();
                    x1 += s * d.xMax();
                    y1 += s * d.yMax();
                    for (int k = 0; k < kp.length; k++) {
                        kp[k] += s * d.keypoints()[k];
                    }
                } else {
                    rest.add(d);
                }
            }
            float[] kpOut = new float[kp.length];
            for (int k = 0; k < kp.length; k++) {
                kpOut[k] = (float) (kp[k] / total);
            }
            out.add(new Detection(
                    top.score(),
                    (float) (x0 / total),
                    (float) (y0 / total),
                    (float) (x1 / total),
                    (float) (y1 / total),
                    kpOut));
            remaining = rest;
        }
        return out;
    }
}
