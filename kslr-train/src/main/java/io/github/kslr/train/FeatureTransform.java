package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkPart;
import java.util.ArrayList;
import java.util.List;

/**
 * The geometric normalisation a model applies to its raw input, written once in Java (for training) and once as
 * ONNX nodes by {@link OnnxExport} (for inference); tests check both agree.
 *
 * <p>Per frame: the shoulders' midpoint {@code m} and width {@code w} (pose landmarks 11 and 12, x and y) define
 * the signer's frame of reference. Every present point {@code p} (x or y non-zero) becomes {@code (p - m) / w}
 * (absent points stay 0), which makes the features independent of where the signer stands and how far from the
 * camera. Each present hand point also contributes its offset from its wrist in the same units (the hand's shape apart from
 * its position). z and visibility are not used: z does not scale with distance like x and y do, so it would undo
 * the scale invariance. When the shoulders are missing (width below {@value #MIN_WIDTH}), {@code m = (0.5, 0.5)} and
 * {@code w = }{@value #FALLBACK_WIDTH} (about the median shoulder width of webcam recordings).
 *
 * <p>Output per frame, {@link #outputSize()} floats: normalised x of the layout's points in column order, then
 * their y, then the wrist-relative x of the hand points, then their y.
 *
 * <p><b>Thread-safety.</b> Immutable; safe to share.
 */
public final class FeatureTransform {

    /** Shoulder width below which a frame counts as having no pose. */
    public static final float MIN_WIDTH = 1e-4f;
    /** Width used for frames without shoulders. */
    public static final float FALLBACK_WIDTH = 0.25f;

    private final FeatureLayout layout;
    private final int[] xCol;
    private final int[] yCol;
    /** Indices (into the point list) of hand points, and of their hand's wrist point. */
    private final int[] handPoint;
    private final int[] handWrist;
    private final int lsx;
    private final int lsy;
    private final int rsx;
    private final int rsy;

    public FeatureTransform(FeatureLayout layout) {
        this.layout = Checks.notNull(layout, "layout");
        lsx = layout.columnOf(LandmarkPart.POSE, 11, 0);
        lsy = layout.columnOf(LandmarkPart.POSE, 11, 1);
        rsx = layout.columnOf(LandmarkPart.POSE, 12, 0);
        rsy = layout.columnOf(LandmarkPart.POSE, 12, 1);
        if (lsx < 0 || rsx < 0) {
            throw new InvalidInputException("layout " + layout.spec() + " lacks pose landmarks 11 and 12 (the"
                    + " shoulders), which the normalisation needs");
        }
        List<int[]> points = new ArrayList<>();
        for (int c = 0; c < layout.size(); c++) {
            if (layout.columnComponent(c) == 0) {
                points.add(new int[] {c, layout.columnOf(layout.columnPart(c), layout.columnLandmark(c), 1)});
            }
        }
        xCol = points.stream().mapToInt(p -> p[0]).toArray();
        yCol = points.stream().mapToInt(p -> p[1]).toArray();
        List<int[]> hand = new ArrayList<>();
        for (LandmarkPart part : new LandmarkPart[] {LandmarkPart.LEFT_HAND, LandmarkPart.RIGHT_HAND}) {
            int wristCol = layout.columnOf(part, 0, 0);
            if (wristCol < 0) {
                continue;
            }
            int wrist = indexOf(xCol, wristCol);
            for (int i = 0; i < xCol.length; i++) {
                if (layout.columnPart(xCol[i]) == part) {
                    hand.add(new int[] {i, wrist});
                }
            }
        }
        handPoint = hand.stream().mapToInt(h -> h[0]).toArray();
        handWrist = hand.stream().mapToInt(h -> h[1]).toArray();
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        throw new IllegalStateException("column " + v + " is not a point column");
    }

    public FeatureLayout layout() {
        return layout;
    }

    /** Number of points (x, y pairs) read from the layout. */
    public int pointCount() {
        return xCol.length;
    }

    /** Floats out per frame. */
    public int outputSize() {
        return 2 * xCol.length + 2 * handPoint.length;
    }

    int[] xColumns() {
        return xCol.clone();
    }

    int[] yColumns() {
        return yCol.clone();
    }

    int[] handPoints() {
        return handPoint.clone();
    }

    int[] handWrists() {
        return handWrist.clone();
    }

    int[] shoulderColumns() {
        return new int[] {lsx, lsy, rsx, rsy};
    }

    /** Transforms {@code frames} frames from {@code src[srcOff..]} into {@code dst[dstOff..]}. */
    public void apply(float[] src, int srcOff, int frames, float[] dst, int dstOff) {
        int in = layout.size();
        int out = outputSize();
        int p = xCol.length;
        int h = handPoint.length;
        for (int f = 0; f < frames; f++) {
            int s = srcOff + f * in;
            int d = dstOff + f * out;
            float ax = src[s + lsx];
            float ay = src[s + lsy];
            float bx = src[s + rsx];
            float by = src[s + rsy];
            float ddx = ax - bx;
            float ddy = ay - by;
            float w = (float) Math.sqrt(ddx * ddx + ddy * ddy);
            float mx;
            float my;
            if (w > MIN_WIDTH) {
                mx = (ax + bx) * 0.5f;
                my = (ay + by) * 0.5f;
            } else {
                mx = 0.5f;
                my = 0.5f;
                w = FALLBACK_WIDTH;
            }
            for (int i = 0; i < p; i++) {
                float x = src[s + xCol[i]];
                float y = src[s + yCol[i]];
                boolean present = Math.abs(x) + Math.abs(y) > 0f;
                dst[d + i] = present ? (x - mx) / w : 0f;
                dst[d + p + i] = present ? (y - my) / w : 0f;
            }
            for (int k = 0; k < h; k++) {
                int hp = handPoint[k];
                boolean present = Math.abs(src[s + xCol[hp]]) + Math.abs(src[s + yCol[hp]]) > 0f;
                dst[d + 2 * p + k] = present ? dst[d + hp] - dst[d + handWrist[k]] : 0f;
                dst[d + 2 * p + h + k] = present ? dst[d + p + hp] - dst[d + p + handWrist[k]] : 0f;
            }
        }
    }

    /**
     * The layout a model trained on {@code data} reads: pose landmarks 0-16 (face-area and upper-body points;
     * hips and legs are often out of a webcam's view) and both hands, x, y, z - restricted to the points the data
     * actually has (a column that is zero in every frame, such as face points of a 258-feature dataset, is never
     * used) and to left/right pairs that are both there (so mirroring stays possible). Face-mesh points are not
     * used.
     *
     * @throws InvalidInputException when the data lacks the shoulders
     */
    public static FeatureLayout selectLayout(SignDataset data) {
        FeatureLayout src = data.layout();
        List<Integer> pose = new ArrayList<>();
        for (int lm = 0; lm <= 16; lm++) {
            if (has(data, LandmarkPart.POSE, lm)
                    && has(data, LandmarkPart.POSE, Perturbations.partnerLandmark(LandmarkPart.POSE, lm))) {
                pose.add(lm);
            }
        }
        if (!pose.contains(11) || !pose.contains(12)) {
            throw new InvalidInputException("the data (" + src.spec() + ") has no pose shoulders (landmarks 11, 12)"
                    + " with non-zero values; the model's normalisation needs them");
        }
        StringBuilder spec = new StringBuilder("pose:");
        for (int i = 0; i < pose.size(); i++) {
            spec.append(i == 0 ? "" : ",").append(pose.get(i));
        }
        spec.append(":xyz");
        boolean left = true;
        boolean right = true;
        for (int lm = 0; lm < 21; lm++) {
            left &= has(data, LandmarkPart.LEFT_HAND, lm);
            right &= has(data, LandmarkPart.RIGHT_HAND, lm);
        }
        if (left && right) {
            spec.append(";left_hand:0-20:xyz;right_hand:0-20:xyz");
        }
        return FeatureLayout.parse("custom", spec.toString());
    }

    private static boolean has(SignDataset data, LandmarkPart part, int lm) {
        int cx = data.layout().columnOf(part, lm, 0);
        int cy = data.layout().columnOf(part, lm, 1);
        return cx >= 0 && cy >= 0 && data.layout().columnOf(part, lm, 2) >= 0
                && (data.columnUsed(cx) || data.columnUsed(cy));
    }
}
