package io.github.kslr.landmarks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RoiTrackingTest {
    private static final int W = 640;
    private static final int H = 480;

    /** Landmarks spread inside a pixel-square rect, at fraction f of its half-size. */
    private static float[] landmarksInside(NormRect r, double f) {
        float[] p = new float[4 * 3];
        double[][] uv = {{-f, -f}, {f, -f}, {f, f}, {-f, f}};
        for (int i = 0; i < 4; i++) {
            p[3 * i] = r.projectX((float) (0.5 + uv[i][0] / 2), (float) (0.5 + uv[i][1] / 2), W, H);
            p[3 * i + 1] = r.projectY((float) (0.5 + uv[i][0] / 2), (float) (0.5 + uv[i][1] / 2), W, H);
        }
        return p;
    }

    @Test
    void keepsAMatchingPreviousRegion() {
        NormRect recrop = new NormRect(0.5f, 0.5f, 120f / W, 120f / H, 0.3f);
        NormRect prev = new NormRect(0.5f + 10f / W, 0.5f, 130f / W, 130f / H, 0.3f + (float) Math.toRadians(30));
        assertTrue(RoiTracking.HAND.keepPrevious(prev, recrop, landmarksInside(recrop, 0.85), 3, 4, W, H));
    }

    @Test
    void rejectsOnEachTolerance() {
        NormRect recrop = new NormRect(0.5f, 0.5f, 120f / W, 120f / H, 0.3f);
        float[] inside = landmarksInside(recrop, 0.85);
        NormRect rotated = new NormRect(0.5f, 0.5f, 120f / W, 120f / H, 0.3f + (float) Math.toRadians(41));
        assertFalse(RoiTracking.HAND.keepPrevious(rotated, recrop, inside, 3, 4, W, H));
        // 0.21 of the size away along the recrop's own rotated x axis.
        float dx = (float) (0.21 * 120 * Math.cos(0.3)), dy = (float) (0.21 * 120 * Math.sin(0.3));
        NormRect moved = new NormRect(0.5f + dx / W, 0.5f + dy / H, 120f / W, 120f / H, 0.3f);
        assertFalse(RoiTracking.HAND.keepPrevious(moved, recrop, inside, 3, 4, W, H));
        NormRect bigger = new NormRect(0.5f, 0.5f, 170f / W, 170f / H, 0.3f);
        assertFalse(RoiTracking.HAND.keepPrevious(bigger, recrop, inside, 3, 4, W, H));
        // Landmarks at 95 % of the half-size lie outside the rect shrunk by 10 %.
        assertFalse(RoiTracking.HAND.keepPrevious(recrop, recrop, landmarksInside(recrop, 0.95), 3, 4, W, H));
        // The face margin is 20 %: 85 % is outside.
        assertFalse(RoiTracking.FACE.keepPrevious(recrop, recrop, inside, 3, 4, W, H));
    }
}
