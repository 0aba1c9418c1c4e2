package io.github.kslr.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class WindowMirrorTest {

    @Test
    void poseLandmarksHaveTheirOtherSidesPartnerAndTheNoseIsItsOwn() {
        assertEquals(PoseLandmark.NOSE, PoseLandmark.partner(PoseLandmark.NOSE));
        assertEquals(PoseLandmark.RIGHT_WRIST, PoseLandmark.partner(PoseLandmark.LEFT_WRIST));
        assertEquals(PoseLandmark.LEFT_EYE_OUTER, PoseLandmark.partner(PoseLandmark.RIGHT_EYE_OUTER));
        for (int lm = 0; lm < PoseLandmark.COUNT; lm++) {
            assertEquals(lm, PoseLandmark.partner(PoseLandmark.partner(lm)), "landmark " + lm);
        }
        assertThrows(InvalidInputException.class, () -> PoseLandmark.partner(PoseLandmark.COUNT));
        assertThrows(InvalidInputException.class, () -> PoseLandmark.partner(-1));
    }

    @Test
    void aMirrorImageSwapsSidesFlipsPresentPointsAndMirroredAgainIsTheWindow() {
        FeatureLayout layout = FeatureLayout.POSE_HANDS_258;
        WindowMirror m = new WindowMirror(layout);
        assertTrue(m.canMirror());
        int frames = 3;
        float[] w = new float[frames * layout.size()];
        Random r = new Random(3);
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextFloat();
        }
        // The left hand is missing in frame 1 (zeros): it stays missing, as the right hand.
        int lhx = layout.columnOf(LandmarkPart.LEFT_HAND, 0, 0);
        int hand = LandmarkPart.LEFT_HAND.landmarkCount() * 3; // x, y, z a point in this layout
        java.util.Arrays.fill(w, layout.size() + lhx, layout.size() + lhx + hand, 0f);
        float[] once = new float[w.length];
        m.mirror(w, 0, once, 0, frames);
        int rhx = layout.columnOf(LandmarkPart.RIGHT_HAND, 0, 0);
        assertEquals(0f, once[layout.size() + rhx]);
        assertEquals(1f - w[lhx], once[rhx], 1e-6f);
        int lw = layout.columnOf(LandmarkPart.POSE, PoseLandmark.LEFT_WRIST, 1);
        int rw = layout.columnOf(LandmarkPart.POSE, PoseLandmark.RIGHT_WRIST, 1);
        assertEquals(w[lw], once[rw]); // y of the other side's wrist, unchanged
        float[] twice = new float[w.length];
        m.mirror(once, 0, twice, 0, frames);
        assertArrayEquals(w, twice, 1e-6f);
        assertThrows(InvalidInputException.class, () -> m.mirror(w, 1, twice, 0, frames));
        // Several windows at once: each mirrored as on its own.
        float[] both = new float[2 * w.length];
        System.arraycopy(w, 0, both, 0, w.length);
        System.arraycopy(once, 0, both, w.length, w.length);
        float[] all = m.mirrorAll(both, frames);
        assertArrayEquals(once, java.util.Arrays.copyOf(all, w.length));
        assertArrayEquals(twice, java.util.Arrays.copyOfRange(all, w.length, all.length), 1e-6f);
        assertThrows(InvalidInputException.class, () -> m.mirrorAll(new float[w.length + 1], frames));
    }

    @Test
    void faceMeshPointsHaveNoTabulatedPartnerSoSuchALayoutCannotMirror() {
        WindowMirror m = new WindowMirror(FeatureLayout.REPORTS_177);
        assertFalse(m.canMirror());
        float[] w = new float[FeatureLayout.REPORTS_177.size()];
        assertThrows(InvalidInputException.class, () -> m.mirror(w, 0, new float[w.length], 0, 1));
    }
}
