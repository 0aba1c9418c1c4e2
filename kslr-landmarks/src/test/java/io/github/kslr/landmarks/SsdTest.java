package io.github.kslr.landmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SsdTest {
    @Test
    void anchorCountsMatchMediaPipesDetectors() {
        // Per merged grid: cells x (layers in the group x 2 anchors).
        assertEquals(28 * 28 * 2 + 14 * 14 * 2 + 7 * 7 * 6, SsdAnchors.POSE_DETECTION.count());
        assertEquals(2254, SsdAnchors.POSE_DETECTION.count());
        assertEquals(16 * 16 * 2 + 8 * 8 * 6, SsdAnchors.FACE_DETECTION.count());
        assertEquals(24 * 24 * 2 + 12 * 12 * 6, SsdAnchors.PALM_DETECTION.count());
    }

    @Test
    void anchorCentresFollowTheGridOrder() {
        SsdAnchors a = SsdAnchors.PALM_DETECTION;
        for (int i = 0; i < a.count(); i++) {
            int grid = i < 1152 ? 24 : 12;
            int perCell = i < 1152 ? 2 : 6;
            int k = i < 1152 ? i : i - 1152;
            int cell = k / perCell;
            assertEquals((cell % grid + 0.5) / grid, a.x(i), 1e-6, "x of anchor " + i);
            assertEquals((cell / grid + 0.5) / grid, a.y(i), 1e-6, "y of anchor " + i);
        }
    }

    /** Encodes a box at anchor i as a detector would, so decoding must give it back. */
    private static void encode(
            float[] boxes,
            float[] scores,
            SsdAnchors anchors,
            int i,
            int coords,
            float size,
            float xc,
            float yc,
            float w,
            float h,
            float[] kp,
            float logit) {
        int b = i * coords;
        boxes[b] = (xc - anchors.x(i)) * size;
        boxes[b + 1] = (yc - anchors.y(i)) * size;
        boxes[b + 2] = w * size;
        boxes[b + 3] = h * size;
        for (int k = 0; k < kp.length; k++) {
            boxes[b + 4 + k] = (kp[k] - (k % 2 == 0 ? anchors.x(i) : anchors.y(i))) * size;
        }
        scores[i] = logit;
    }

    @Test
    void decodeRecoversEncodedBoxesAndMergesOverlapsByScoreWeight() {
        SsdAnchors anchors = SsdAnchors.FACE_DETECTION;
        SsdDecoder dec = new SsdDecoder(anchors, 16, 6, 128f, 0.5f, 100f, 0.3f);
        float[] boxes = new float[896 * 16];
        float[] scores = new float[896];
        java.util.Arrays.fill(scores, -10f);
        float[] kpA = new float[12];
        float[] kpB = new float[12];
        for (int k = 0; k < 12; k++) {
            kpA[k] = 0.3f + 0.01f * k;
            kpB[k] = 0.32f + 0.01f * k;
        }
        encode(boxes, scores, anchors, 100, 16, 128f, 0.40f, 0.40f, 0.2f, 0.2f, kpA, 2.0f);
        encode(boxes, scores, anchors, 101, 16, 128f, 0.42f, 0.41f, 0.2f, 0.2f, kpB, 1.0f);
        encode(boxes, scores, anchors, 700, 16, 128f, 0.80f, 0.80f, 0.1f, 0.1f, kpA, 0.5f);
        // A box below threshold (sigmoid(-0.1) < 0.5) is dropped.
        encode(boxes, scores, anchors, 800, 16, 128f, 0.1f, 0.1f, 0.1f, 0.1f, kpA, -0.1f);
        List<Detection> out = dec.decode(boxes, scores);
        assertEquals(2, out.size());
        double sA = 1 / (1 + Math.exp(-2.0)), sB = 1 / (1 + Math.exp(-1.0));
        Detection d = out.get(0);
        assertEquals(sA, d.score(), 1e-6);
        assertEquals((sA * (0.40 - 0.1) + sB * (0.42 - 0.1)) / (sA + sB), d.xMin(), 1e-5);
        assertEquals((sA * (0.40 + 0.1) + sB * (0.41 + 0.1)) / (sA + sB), d.yMax(), 1e-5);
        for (int k = 0; k < 12; k++) {
            assertEquals((sA * kpA[k] + sB * kpB[k]) / (sA + sB), d.keypoints()[k], 1e-5);
        }
        assertEquals(1 / (1 + Math.exp(-0.5)), out.get(1).score(), 1e-6);
        assertEquals(0.75, out.get(1).xMin(), 1e-5);
    }

    @Test
    void iouIsIntersectionOverUnion() {
        Detection a = new Detection(1f, 0f, 0f, 2f, 2f, new float[0]);
        Detection b = new Detection(1f, 1f, 1f, 3f, 3f, new float[0]);
        assertEquals(1.0 / (4 + 4 - 1), SsdDecoder.iou(a, b), 1e-6);
        assertEquals(0.0, SsdDecoder.iou(a, new Detection(1f, 5f, 5f, 6f, 6f, new float[0])), 0);
    }
}
