package io.github.kslr.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.PoseLandmark;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmentationTest {

    private static final FeatureLayout L = FeatureLayout.POSE_HANDS_258;
    private static final int T = 10;

    private static float[] augment(Augmentation a, long seed) {
        float[] src = new float[T * L.size()];
        System.arraycopy(Synthetic.dataset(2, 1, T, 1).windows(), 0, src, 0, src.length);
        // Both hands in every frame (the synthetic signs use one), so that a missing hand means a dropped one.
        for (int f = 0; f < T; f++) {
            for (int lm = 0; lm < 21; lm++) {
                for (int k = 0; k < 3; k++) {
                    int l = f * L.size() + L.columnOf(LandmarkPart.LEFT_HAND, lm, k);
                    int r = f * L.size() + L.columnOf(LandmarkPart.RIGHT_HAND, lm, k);
                    if (src[l] == 0f) {
                        src[l] = 0.3f + 0.01f * lm + 0.001f * k;
                    }
                    if (src[r] == 0f) {
                        src[r] = 0.6f + 0.01f * lm + 0.001f * k;
                    }
                }
            }
        }
        float[] dst = new float[src.length];
        a.apply(new Perturbations(L), src, 0, dst, 0, new float[src.length], T, new Random(seed));
        return dst;
    }

    private static boolean partPresent(float[] w, int frame, LandmarkPart part) {
        for (int c = 0; c < L.size(); c++) {
            if (L.columnPart(c) == part && w[frame * L.size() + c] != 0f) {
                return true;
            }
        }
        return false;
    }

    /** Switched off, hand dropout and time masking draw nothing: recipes without them train exactly as before. */
    @Test
    void offDrawsNoRandomNumbers() {
        Augmentation off = Augmentation.defaults().withHandDropout(0).withTimeMask(0);
        // On, but too unlikely to fire: exactly one more nextDouble() each (the chance itself, two calls of next()).
        assertEquals(draws(off) + 2, draws(off.withHandDropout(1e-12)));
        assertEquals(draws(off) + 2, draws(off.withTimeMask(1e-12)));
        // The hand shift draws its two offsets (four calls of next()) only when on.
        assertEquals(draws(off) + 4, draws(off.withHandShift(1e-12)));
    }

    /** Both hands move by one offset, the same in every frame, within the largest shift; the body stays. */
    @Test
    void handShiftMovesBothHandsTogetherAndLeavesTheBody() {
        float[] still = augment(Augmentation.none(), 4);
        float[] moved = augment(Augmentation.none().withHandShift(0.1), 4);
        int lx = L.columnOf(LandmarkPart.LEFT_HAND, 8, 0);
        float dx = moved[lx] - still[lx];
        float dy = moved[lx + 1] - still[lx + 1];
        assertTrue(Math.abs(dx) <= 0.1f && Math.abs(dy) <= 0.1f && (dx != 0f || dy != 0f), dx + ", " + dy);
        for (int f = 0; f < T; f++) {
            int b = f * L.size();
            for (LandmarkPart hand : new LandmarkPart[] {LandmarkPart.LEFT_HAND, LandmarkPart.RIGHT_HAND}) {
                int x = b + L.columnOf(hand, 20, 0);
                assertEquals(still[x] + dx, moved[x], 1e-6, hand + " x, frame " + f);
                assertEquals(still[x + 1] + dy, moved[x + 1], 1e-6, hand + " y, frame " + f);
                assertEquals(still[x + 2], moved[x + 2], hand + " z");
            }
            int wrist = b + L.columnOf(LandmarkPart.POSE, PoseLandmark.RIGHT_WRIST, 0);
            assertEquals(still[wrist] + dx, moved[wrist], 1e-6, "the pose's wrist moves with its hand");
            int shoulder = b + L.columnOf(LandmarkPart.POSE, PoseLandmark.LEFT_SHOULDER, 0);
            assertEquals(still[shoulder], moved[shoulder], "the body stays");
        }
    }

    private static long draws(Augmentation a) {
        long[] count = {0};
        Random counting = new Random(3) {
            @Override
            protected int next(int bits) {
                count[0]++;
                return super.next(bits);
            }
        };
        float[] src = new float[T * L.size()];
        System.arraycopy(Synthetic.dataset(2, 1, T, 1).windows(), 0, src, 0, src.length);
        a.apply(new Perturbations(L), src, 0, new float[src.length], 0, new float[src.length], T, counting);
        return count[0];
    }

    @Test
    void handDropoutRemovesOneHandForARunOfFrames() {
        Augmentation a = Augmentation.none().withHandDropout(1);
        float[] original = augment(Augmentation.none(), 0);
        for (int f = 0; f < T; f++) {
            assertTrue(
                    partPresent(original, f, LandmarkPart.LEFT_HAND)
                            && partPresent(original, f, LandmarkPart.RIGHT_HAND),
                    "the test window has both hands in every frame");
        }
        for (long seed = 0; seed < 30; seed++) {
            float[] w = augment(a, seed);
            int leftGone = 0;
            int rightGone = 0;
            int firstGone = -1;
            int lastGone = -1;
            for (int f = 0; f < T; f++) {
                boolean l = !partPresent(w, f, LandmarkPart.LEFT_HAND);
                boolean r = !partPresent(w, f, LandmarkPart.RIGHT_HAND);
                assertTrue(!(l && r), "both hands gone in frame " + f);
                assertTrue(partPresent(w, f, LandmarkPart.POSE));
                if (l || r) {
                    leftGone += l ? 1 : 0;
                    rightGone += r ? 1 : 0;
                    firstGone = firstGone < 0 ? f : firstGone;
                    lastGone = f;
                }
            }
            int gone = leftGone + rightGone;
            assertTrue(leftGone == 0 || rightGone == 0, "one hand only");
            assertTrue(gone >= 2 && gone <= 6, "20-60 % of 10 frames, was " + gone);
            assertEquals(gone, lastGone - firstGone + 1, "one contiguous run");
        }
    }

    @Test
    void timeMaskBlanksWholeFrames() {
        Augmentation a = Augmentation.none().withTimeMask(1);
        for (long seed = 0; seed < 30; seed++) {
            float[] w = augment(a, seed);
            int blank = 0;
            for (int f = 0; f < T; f++) {
                boolean any = false;
                for (int c = 0; c < L.size(); c++) {
                    any |= w[f * L.size() + c] != 0f;
                }
                blank += any ? 0 : 1;
            }
            assertTrue(blank >= 1 && blank <= 2, "up to 20 % of 10 frames, was " + blank);
        }
    }

    /**
     * A no-sign window showing only its right hand takes a hand from a donor that shows only its right hand: on the
     * right side as it is, on the left side mirrored (x to 1 - x), and the rest of the window is untouched.
     */
    @Test
    void noSignHandMixTakesOneHandFromTheDonorMirroredWhereNeeded() {
        Perturbations p = new Perturbations(L);
        float[] window = augment(Augmentation.none(), 0);
        p.clearPart(window, 0, 0, T, LandmarkPart.LEFT_HAND);
        float[] donor = augment(Augmentation.none(), 0);
        p.clearPart(donor, 0, 0, T, LandmarkPart.LEFT_HAND);
        for (int i = 0; i < donor.length; i++) {
            if (L.columnPart(i % L.size()) == LandmarkPart.RIGHT_HAND && donor[i] != 0f) {
                donor[i] += 0.05f;
            }
        }
        float[] donorBefore = donor.clone();
        int x0 = L.columnOf(LandmarkPart.RIGHT_HAND, 0, 0);
        int lx0 = L.columnOf(LandmarkPart.LEFT_HAND, 0, 0);
        boolean[] sides = new boolean[2];
        for (long seed = 0; seed < 20; seed++) {
            float[] w = window.clone();
            Augmentation.none()
                    .withNoSignHandMix(1)
                    .mixNoSignHand(p, w, donor, new float[w.length], T, new Random(seed * 0x9E3779B97F4A7C15L));
            assertTrue(java.util.Arrays.equals(donorBefore, donor), "the donor is left as it was");
            boolean left = partPresent(w, 0, LandmarkPart.LEFT_HAND);
            sides[left ? 0 : 1] = true;
            for (int f = 0; f < T; f++) {
                if (left) {
                    assertEquals(1f - donor[f * L.size() + x0], w[f * L.size() + lx0], 1e-6f, "mirrored x");
                    assertEquals(window[f * L.size() + x0], w[f * L.size() + x0], "the right hand stays");
                } else {
                    assertEquals(donor[f * L.size() + x0], w[f * L.size() + x0], "the donor's right hand");
                }
                for (int c = 0; c < L.size(); c++) {
                    if (L.columnPart(c) == LandmarkPart.POSE) {
                        assertEquals(window[f * L.size() + c], w[f * L.size() + c], "the pose stays");
                    }
                }
            }
        }
        assertTrue(sides[0] && sides[1], "both sides are taken over 20 seeds");
    }

    /** Switched off it draws nothing and changes nothing; at chance 1 the window is empty, half-way about half. */
    @Test
    void noSignEmptyClearsTheWholeWindowByItsChance() {
        float[] window = augment(Augmentation.none(), 0);
        Random off = new Random(3);
        float[] w = window.clone();
        Augmentation.none().emptyNoSign(w, 0, w.length, off);
        assertArrayEquals(window, w, "chance 0 changes nothing");
        assertEquals(new Random(3).nextDouble(), off.nextDouble(), "chance 0 draws nothing");
        Augmentation.none().withNoSignEmpty(1).emptyNoSign(w, 0, w.length, new Random(3));
        assertArrayEquals(new float[w.length], w, "chance 1 empties every point");
        int emptied = 0;
        Random r = new Random(5);
        for (int i = 0; i < 200; i++) {
            float[] v = window.clone();
            Augmentation.none().withNoSignEmpty(0.5).emptyNoSign(v, 0, v.length, r);
            emptied += java.util.Arrays.equals(v, new float[v.length]) ? 1 : 0;
        }
        assertTrue(emptied > 70 && emptied < 130, "about half of 200 emptied, was " + emptied);
    }

    @Test
    void chancesOutsideZeroToOneAreNamed() {
        InvalidInputException e = assertThrows(
                InvalidInputException.class, () -> Augmentation.defaults().withHandDropout(1.5));
        assertTrue(e.getMessage().contains("handDropout"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> Augmentation.defaults().withTimeMask(-0.1));
        assertThrows(InvalidInputException.class, () -> Augmentation.defaults().withNoSignHandMix(2));
        InvalidInputException empty = assertThrows(
                InvalidInputException.class, () -> Augmentation.defaults().withNoSignEmpty(-1));
        assertTrue(empty.getMessage().contains("noSignEmpty"), empty.getMessage());
        InvalidInputException shift = assertThrows(
                InvalidInputException.class, () -> Augmentation.defaults().withHandShift(0.6));
        assertTrue(shift.getMessage().contains("handShift"), shift.getMessage());
    }
}
