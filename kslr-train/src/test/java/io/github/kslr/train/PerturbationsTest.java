package io.github.kslr.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.PoseLandmark;
import org.junit.jupiter.api.Test;

class PerturbationsTest {

    private static final FeatureLayout L = FeatureLayout.POSE_HANDS_258;

    private static float[] window(int frames) {
        float[] w = Synthetic.dataset(2, 1, frames, 1).windows();
        float[] one = new float[frames * L.size()];
        System.arraycopy(w, 0, one, 0, one.length);
        return one;
    }

    @Test
    void mirrorSwapsPartnersFlipsXAndIsItsOwnInverse() {
        Perturbations p = new Perturbations(L);
        assertTrue(p.canMirror());
        float[] w = window(3);
        // Make the left hand absent in frame 0: it must stay absent (zeros) after mirroring, as the right hand.
        int lh = L.columnOf(LandmarkPart.LEFT_HAND, 0, 0);
        java.util.Arrays.fill(w, lh, lh + 63, 0f);
        float[] m = new float[w.length];
        p.mirror(w, 0, m, 0, 3);
        int rh = L.columnOf(LandmarkPart.RIGHT_HAND, 0, 0);
        for (int k = 0; k < 63; k++) {
            assertEquals(0f, m[rh + k], "absent left hand becomes an absent right hand");
        }
        // Pose 11 (left shoulder) takes 1 - x of pose 12, y and z unchanged, visibility carried along.
        assertEquals(1f - w[L.columnOf(LandmarkPart.POSE, 12, 0)], m[L.columnOf(LandmarkPart.POSE, 11, 0)], 1e-7);
        assertEquals(w[L.columnOf(LandmarkPart.POSE, 12, 1)], m[L.columnOf(LandmarkPart.POSE, 11, 1)]);
        assertEquals(w[L.columnOf(LandmarkPart.POSE, 12, 3)], m[L.columnOf(LandmarkPart.POSE, 11, 3)]);
        // The nose has no partner.
        assertEquals(1f - w[L.columnOf(LandmarkPart.POSE, 0, 0)], m[L.columnOf(LandmarkPart.POSE, 0, 0)], 1e-7);
        // Right hand 5 (frame 1) becomes left hand 5.
        int f1 = L.size();
        assertEquals(
                1f - w[f1 + L.columnOf(LandmarkPart.RIGHT_HAND, 5, 0)],
                m[f1 + L.columnOf(LandmarkPart.LEFT_HAND, 5, 0)],
                1e-7);
        float[] back = new float[w.length];
        p.mirror(m, 0, back, 0, 3);
        assertArrayEquals(w, back, 1e-6f);
    }

    @Test
    void shiftAndScaleTouchOnlyPresentPointsXAndY() {
        Perturbations p = new Perturbations(L);
        float[] w = window(1);
        int lh = L.columnOf(LandmarkPart.LEFT_HAND, 0, 0);
        java.util.Arrays.fill(w, lh, lh + 63, 0f);
        float[] s = w.clone();
        p.shift(s, 0, 1, 0.15f, 0.05f);
        int px = L.columnOf(LandmarkPart.POSE, 3, 0);
        assertEquals(w[px] + 0.15f, s[px], 1e-6);
        assertEquals(w[px + 1] + 0.05f, s[px + 1], 1e-6);
        assertEquals(w[px + 2], s[px + 2], "z unchanged");
        assertEquals(w[px + 3], s[px + 3], "visibility unchanged");
        assertEquals(0f, s[lh], "absent points stay 0");
        float[] c = w.clone();
        p.scale(c, 0, 1, 0.8f);
        assertEquals((w[px] - 0.5f) * 0.8f + 0.5f, c[px], 1e-6);
        assertEquals((w[px + 1] - 0.5f) * 0.8f + 0.5f, c[px + 1], 1e-6);
        assertEquals(0f, c[lh + 1]);
    }

    @Test
    void shiftHandsMovesTheHandsAndThePoseHandPointsOnly() {
        Perturbations p = new Perturbations(L);
        float[] w = window(2);
        for (int c = 0; c < L.size(); c++) {
            if (w[c] == 0f) {
                w[c] = 0.4f + 0.001f * c; // every point present in frame 0
            }
        }
        int rh = L.columnOf(LandmarkPart.RIGHT_HAND, 0, 0);
        java.util.Arrays.fill(w, L.size() + rh, L.size() + rh + 63, 0f); // the right hand absent in frame 1
        float[] s = w.clone();
        p.shiftHands(s, 0, 2, 0.1f, -0.05f);
        for (int c = 0; c < L.size(); c++) {
            LandmarkPart part = L.columnPart(c);
            int lm = L.columnLandmark(c);
            int k = L.columnComponent(c);
            boolean moves = part == LandmarkPart.LEFT_HAND
                    || part == LandmarkPart.RIGHT_HAND
                    || (part == LandmarkPart.POSE && lm >= PoseLandmark.LEFT_WRIST && lm <= PoseLandmark.RIGHT_THUMB);
            float expected = !moves || k > 1 ? w[c] : w[c] + (k == 0 ? 0.1f : -0.05f);
            assertEquals(expected, s[c], 1e-6, part + " " + lm + " component " + k);
        }
        for (int c = rh; c < rh + 63; c++) {
            assertEquals(0f, s[L.size() + c], "an absent hand stays absent");
        }
        assertEquals(
                w[L.size() + L.columnOf(LandmarkPart.POSE, PoseLandmark.NOSE, 0)],
                s[L.size() + L.columnOf(LandmarkPart.POSE, PoseLandmark.NOSE, 0)]);
    }

    @Test
    void tempoTakesTheNearestFrameClampedAtTheLast() {
        Perturbations p = new Perturbations(L);
        int t = 20;
        float[] w = new float[t * L.size()];
        for (int f = 0; f < t; f++) {
            w[f * L.size()] = f; // frame number in column 0
        }
        float[] fast = new float[w.length];
        p.tempo(w, 0, fast, 0, t, 1.3, 0);
        float[] slow = new float[w.length];
        p.tempo(w, 0, slow, 0, t, 0.75, 0);
        for (int f = 0; f < t; f++) {
            assertEquals(Math.min(Math.round(f * 1.3), t - 1), (int) fast[f * L.size()], "1.3x frame " + f);
            assertEquals(Math.min(Math.round(f * 0.75), t - 1), (int) slow[f * L.size()], "0.75x frame " + f);
        }
        assertEquals(19, (int) fast[19 * L.size()]);
        assertEquals(14, (int) slow[19 * L.size()]);
        assertThrows(InvalidInputException.class, () -> p.tempo(w, 0, fast, 0, t, 0, 0));
    }

    @Test
    void layoutsWithFacePointsCannotMirror() {
        Perturbations p = new Perturbations(FeatureLayout.REPORTS_177);
        assertFalse(p.canMirror());
        float[] w = new float[177];
        assertThrows(InvalidInputException.class, () -> p.mirror(w, 0, new float[177], 0, 1));
    }

    @Test
    void suitePerturbsByName() {
        SignDataset d = Synthetic.dataset(2, 2, 4, 3);
        assertThrows(InvalidInputException.class, () -> PerturbationSuite.perturb(d, "upside-down"));
        SignDataset m = PerturbationSuite.perturb(d, "mirrored");
        assertEquals(d.size(), m.size());
        assertFalse(java.util.Arrays.equals(d.windows(), m.windows()));
        assertArrayEquals(d.windows(), PerturbationSuite.perturb(d, "clean").windows());
    }
}
