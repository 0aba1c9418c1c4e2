package io.github.kslr.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.HandLandmark;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkPart;
import org.junit.jupiter.api.Test;

class FeatureTransformTest {

    @Test
    void selectedLayoutUsesOnlyPointsTheDataHas() {
        SignDataset d = Synthetic.dataset(3, 2, 4, 1);
        FeatureLayout l = FeatureTransform.selectLayout(d);
        assertEquals("pose:0-16:xyz;left_hand:0-20:xyz;right_hand:0-20:xyz", l.spec());
        assertFalse(l.uses(LandmarkPart.FACE));
        // The same data in the 1662 layout has all-zero face columns: they must not be selected.
        SignDataset holistic = d.convertTo(FeatureLayout.HOLISTIC_1662);
        assertEquals(l, FeatureTransform.selectLayout(holistic));
        // Data without shoulders cannot be normalised.
        float[] x = d.windows();
        FeatureLayout src = d.layout();
        for (int i = 0; i < x.length; i += src.size()) {
            for (int lm : new int[] {11, 12}) {
                for (int k = 0; k < 4; k++) {
                    x[i + src.columnOf(LandmarkPart.POSE, lm, k)] = 0f;
                }
            }
        }
        SignDataset noShoulders = new SignDataset(src, d.sequenceLength(), x, d.labelsArray(), null, d.labels());
        assertThrows(InvalidInputException.class, () -> FeatureTransform.selectLayout(noShoulders));
    }

    @Test
    void featuresDoNotDependOnPositionOrDistance() {
        SignDataset d = Synthetic.dataset(2, 1, 3, 4);
        FeatureLayout l = FeatureTransform.selectLayout(d);
        FeatureTransform tf = new FeatureTransform(l);
        Perturbations p = new Perturbations(l);
        float[] w = firstWindow(d, l);
        float[] moved = w.clone();
        p.affine(moved, 0, 3, 0.7f, 0.7f, 0.5f, 0.5f, 0.12f, -0.08f);
        float[] a = new float[3 * tf.outputSize()];
        float[] b = new float[3 * tf.outputSize()];
        tf.apply(w, 0, 3, a, 0);
        tf.apply(moved, 0, 3, b, 0);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 2e-5, "feature " + i);
        }
        // Mirroring negates normalised x and swaps partners: the nose's x changes sign.
        float[] mir = new float[w.length];
        p.mirror(w, 0, mir, 0, 3);
        float[] c = new float[3 * tf.outputSize()];
        tf.apply(mir, 0, 3, c, 0);
        assertEquals(-a[0], c[0], 1e-5, "nose x");
        assertEquals(a[tf.pointCount()], c[tf.pointCount()], 1e-5, "nose y");
    }

    /**
     * Velocities are each point's normalised x and y minus the previous frame's: a wrist moved by a known distance
     * with the shoulders still gives that distance in shoulder widths; the first frame, and a point absent in either
     * frame, give 0; moving or scaling the whole signer changes nothing; the other blocks stay as they were.
     */
    @Test
    void velocitiesAreTheMotionSinceThePreviousFrameInShoulderWidths() {
        SignDataset d = Synthetic.dataset(2, 1, 3, 8);
        FeatureLayout l = FeatureTransform.selectLayout(d);
        FeatureTransform plain = new FeatureTransform(l);
        FeatureTransform tf = new FeatureTransform(l, false, false, true);
        assertTrue(tf.velocities());
        int p = tf.pointCount();
        int base = plain.outputSize();
        assertEquals(base + 2 * p, tf.outputSize());
        int n = l.size();
        float[] w = firstWindow(d, l);
        // Shoulders still in every frame, so the normalisation is the same in all three.
        int[] shoulders = {
            l.columnOf(LandmarkPart.POSE, 11, 0),
            l.columnOf(LandmarkPart.POSE, 11, 1),
            l.columnOf(LandmarkPart.POSE, 12, 0),
            l.columnOf(LandmarkPart.POSE, 12, 1)
        };
        for (int f = 1; f < 3; f++) {
            for (int c : shoulders) {
                w[f * n + c] = w[c];
            }
        }
        float width = (float) Math.hypot(w[shoulders[0]] - w[shoulders[2]], w[shoulders[1]] - w[shoulders[3]]);
        int wx = l.columnOf(LandmarkPart.RIGHT_HAND, HandLandmark.WRIST, 0);
        int wy = l.columnOf(LandmarkPart.RIGHT_HAND, HandLandmark.WRIST, 1);
        w[n + wx] = w[wx] + 0.03f;
        w[n + wy] = w[wy] - 0.02f;
        // The left hand's wrist is absent in frame 2.
        int lx = l.columnOf(LandmarkPart.LEFT_HAND, HandLandmark.WRIST, 0);
        int ly = l.columnOf(LandmarkPart.LEFT_HAND, HandLandmark.WRIST, 1);
        w[2 * n + lx] = 0f;
        w[2 * n + ly] = 0f;
        int out = tf.outputSize();
        float[] a = new float[3 * out];
        tf.apply(w, 0, 3, a, 0);
        int rightWrist = pointOf(l, tf, wx);
        int leftWrist = pointOf(l, tf, lx);
        for (int i = 0; i < 2 * p; i++) {
            assertEquals(0f, a[base + i], "first frame, feature " + i);
        }
        assertEquals(0.03f / width, a[out + base + rightWrist], 1e-5, "x velocity");
        assertEquals(-0.02f / width, a[out + base + p + rightWrist], 1e-5, "y velocity");
        assertEquals(0f, a[2 * out + base + leftWrist], "absent now");
        assertEquals(0f, a[2 * out + base + p + leftWrist], "absent now");
        for (int f = 1; f < 3; f++) {
            for (int i = 0; i < p; i++) {
                assertEquals(
                        a[f * out + i] - a[(f - 1) * out + i],
                        a[f * out + base + i],
                        i == leftWrist && f == 2 ? Float.MAX_VALUE : 1e-6,
                        "frame " + f + " point " + i);
            }
        }
        float[] b = new float[3 * plain.outputSize()];
        plain.apply(w, 0, 3, b, 0);
        for (int f = 0; f < 3; f++) {
            for (int i = 0; i < base; i++) {
                assertEquals(
                        b[f * base + i], a[f * out + i], "frame " + f + " feature " + i + " as without velocities");
            }
        }
        float[] moved = w.clone();
        new Perturbations(l).affine(moved, 0, 3, 0.7f, 0.7f, 0.5f, 0.5f, 0.12f, -0.08f);
        float[] c = new float[3 * out];
        tf.apply(moved, 0, 3, c, 0);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], c[i], 2e-5, "feature " + i + " of the moved signer");
        }
    }

    /** The index (into the transform's points) of the point whose x is column {@code xColumn}. */
    private static int pointOf(FeatureLayout l, FeatureTransform tf, int xColumn) {
        int k = 0;
        for (int c = 0; c < l.size(); c++) {
            if (l.columnComponent(c) == 0) {
                if (c == xColumn) {
                    return k;
                }
                k++;
            }
        }
        throw new AssertionError("no point at column " + xColumn);
    }

    /**
     * The joint cosines measure the hand's shape only: turning the hand about its wrist, scaling it, moving it or
     * mirroring the signer leaves them as they were; a straight finger gives cosines of 1 and a finger bent at a
     * right angle 0 where it bends.
     */
    @Test
    void handAnglesDependOnlyOnTheHandsShape() {
        SignDataset d = Synthetic.dataset(2, 1, 1, 6);
        FeatureLayout l = FeatureTransform.selectLayout(d);
        FeatureTransform tf = new FeatureTransform(l, false, true);
        int base = new FeatureTransform(l).outputSize();
        assertEquals(base + 2 * FeatureTransform.ANGLES_PER_HAND, tf.outputSize());
        float[] w = firstWindow(d, l);
        // The right index finger straight on from its base (as the wrist-to-base line goes), then its tip bent at a
        // right angle to it, in the image plane.
        LandmarkPart right = LandmarkPart.RIGHT_HAND;
        float bx = w[l.columnOf(right, HandLandmark.INDEX_FINGER_MCP, 0)];
        float by = w[l.columnOf(right, HandLandmark.INDEX_FINGER_MCP, 1)];
        float bz = w[l.columnOf(right, HandLandmark.INDEX_FINGER_MCP, 2)];
        float wx = w[l.columnOf(right, HandLandmark.WRIST, 0)];
        float wy = w[l.columnOf(right, HandLandmark.WRIST, 1)];
        float wz = w[l.columnOf(right, HandLandmark.WRIST, 2)];
        float[][] finger = {
            {bx + (bx - wx), by + (by - wy), bz + (bz - wz)},
            {bx + 2 * (bx - wx), by + 2 * (by - wy), bz + 2 * (bz - wz)},
            {bx + 2 * (bx - wx) - (by - wy), by + 2 * (by - wy) + (bx - wx), bz + 2 * (bz - wz)}
        };
        int[] joints = {HandLandmark.INDEX_FINGER_PIP, HandLandmark.INDEX_FINGER_DIP, HandLandmark.INDEX_FINGER_TIP};
        for (int j = 0; j < 3; j++) {
            for (int k = 0; k < 3; k++) {
                w[l.columnOf(right, joints[j], k)] = finger[j][k];
            }
        }
        float[] a = new float[tf.outputSize()];
        tf.apply(w, 0, 1, a, 0);
        // Right hand's block; the index finger's joints (MCP, PIP, DIP) come after the thumb's three.
        int index = base + FeatureTransform.ANGLES_PER_HAND + 3;
        assertEquals(1f, a[index], 1e-5, "MCP: wrist-base and base-PIP in one line");
        assertEquals(1f, a[index + 1], 1e-5, "PIP: straight");
        assertEquals(0f, a[index + 2], 1e-5, "DIP: bent at a right angle");

        // Turn the right hand 40 degrees about its wrist in the image plane, halve its size and move it.
        float[] turned = w.clone();
        double c = Math.cos(0.7);
        double sn = Math.sin(0.7);
        for (int lm = 0; lm < HandLandmark.COUNT; lm++) {
            int cx = l.columnOf(right, lm, 0);
            int cy = l.columnOf(right, lm, 1);
            int cz = l.columnOf(right, lm, 2);
            double dx = w[cx] - wx;
            double dy = w[cy] - wy;
            turned[cx] = (float) (wx + 0.1 + 0.5 * (c * dx - sn * dy));
            turned[cy] = (float) (wy - 0.05 + 0.5 * (sn * dx + c * dy));
            turned[cz] = (float) (wz + 0.5 * (w[cz] - wz));
        }
        float[] b = new float[tf.outputSize()];
        tf.apply(turned, 0, 1, b, 0);
        for (int i = base; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-4, "joint cosine " + (i - base));
        }
        // A mirrored signer: the same cosines, the hands' blocks swapped.
        float[] mir = new float[w.length];
        new Perturbations(l).mirror(w, 0, mir, 0, 1);
        float[] e = new float[tf.outputSize()];
        tf.apply(mir, 0, 1, e, 0);
        for (int i = 0; i < FeatureTransform.ANGLES_PER_HAND; i++) {
            assertEquals(a[base + FeatureTransform.ANGLES_PER_HAND + i], e[base + i], 1e-5, "mirrored " + i);
            assertEquals(a[base + i], e[base + FeatureTransform.ANGLES_PER_HAND + i], 1e-5, "mirrored " + i);
        }
    }

    @Test
    void absentPointsAreZeroAndShoulderlessFramesUseTheFallback() {
        SignDataset d = Synthetic.dataset(2, 1, 1, 5);
        FeatureLayout l = FeatureTransform.selectLayout(d);
        FeatureTransform tf = new FeatureTransform(l);
        float[] w = new float[l.size()];
        // Only the right wrist at (0.75, 0.5); no pose, no left hand.
        w[l.columnOf(LandmarkPart.RIGHT_HAND, 0, 0)] = 0.75f;
        w[l.columnOf(LandmarkPart.RIGHT_HAND, 0, 1)] = 0.5f;
        w[l.columnOf(LandmarkPart.RIGHT_HAND, 1, 0)] = 0.80f;
        w[l.columnOf(LandmarkPart.RIGHT_HAND, 1, 1)] = 0.55f;
        float[] out = new float[tf.outputSize()];
        tf.apply(w, 0, 1, out, 0);
        int p = tf.pointCount();
        int nonZero = 0;
        for (float v : out) {
            nonZero += v != 0f ? 1 : 0;
        }
        // Two points' x and y, and the second point's offset from the wrist (the wrist's own offset is 0).
        assertEquals(5, nonZero);
        int wristIndex = 17 + 21; // 17 pose points, 21 left-hand points, then the right wrist
        assertEquals((0.75f - 0.5f) / FeatureTransform.FALLBACK_WIDTH, out[wristIndex], 1e-6);
        assertEquals(0f, out[p + wristIndex], 1e-6);
        assertTrue(tf.outputSize() == 2 * p + 2 * 42);
    }

    /** The first window of {@code d} in layout {@code l}. */
    private static float[] firstWindow(SignDataset d, FeatureLayout l) {
        SignDataset m = d.convertTo(l);
        float[] w = new float[m.windowSize()];
        m.copyWindow(0, w, 0);
        return w;
    }
}
