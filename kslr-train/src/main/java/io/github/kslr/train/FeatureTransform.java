package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.HandLandmark;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.PoseLandmark;
import io.github.kslr.onnx.writer.OnnxGraphWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The geometric normalisation a model applies to its raw input, written here twice: in Java ({@link #apply}, for
 * training) and as ONNX nodes ({@link #write}, inside every exported model); tests check both agree.
 *
 * <p>Per frame: the shoulders' midpoint {@code m} and width {@code w} (pose landmarks 11 and 12, x and y) define
 * the signer's frame of reference. Every present point {@code p} (x or y non-zero) becomes {@code (p - m) / w}
 * (absent points stay 0), which makes the features independent of where the signer stands and how far from the
 * camera. Each present hand point also contributes its offset from its wrist in the same units (the hand's shape apart from
 * its position). z and visibility are not used: z does not scale with distance like x and y do, so it would undo
 * the scale invariance. When the shoulders are missing (width below {@value #MIN_WIDTH}), {@code m = (0.5, 0.5)} and
 * {@code w = }{@value #FALLBACK_WIDTH} (about the median shoulder width of webcam recordings).
 *
 * <p>With {@code handShape}, each hand also contributes its shape apart from its size: every point's offset from the
 * wrist in x, y and z, divided by the palm's length (wrist to the middle finger's base, landmarks 0 and 9, in x and
 * y). Shoulder width measures the body, not the hand: signers' hands differ in size and come closer to the camera
 * than the shoulders, and this block sees the same shape either way. A hand without wrist or with a degenerate palm
 * gives zeros.
 *
 * <p>With {@code handAngles}, each hand also contributes the cosines of its joints' angles, which depend neither on
 * the hand's size nor on how it is turned (a signer's hand shape, wherever and however the hand is held): per finger
 * (thumb to pinky, the wrist before each) the angle between consecutive bones at each of its three joints, then the
 * spread of each pair of neighbouring fingers (the angle between their base-to-tip directions), 19 a hand, in x, y
 * and z. An absent hand gives zeros.
 *
 * <p>With {@code velocities}, each point also contributes how far it moved since the previous frame, in the
 * normalised x and y above (motion relative to the body, in shoulder widths a frame): 0 in a window's first frame
 * and wherever the point is absent in either frame. A window's frames are taken as consecutive, so this block is a
 * property of the window, not of one frame.
 *
 * <p>Output per frame, {@link #outputSize()} floats: normalised x of the layout's points in column order, then
 * their y, then the wrist-relative x of the hand points, then their y; with {@code handShape}, then per hand point
 * (left hand first) its palm-scaled x, y, z; with {@code handAngles}, then per hand (left first) its joint cosines;
 * with {@code velocities}, then every point's x velocity, then their y velocities.
 *
 * <p><b>Thread-safety.</b> Immutable; safe to share.
 */
public final class FeatureTransform {

    /** Shoulder width below which a frame counts as having no pose. */
    public static final float MIN_WIDTH = 1e-4f;
    /** Width used for frames without shoulders. */
    public static final float FALLBACK_WIDTH = 0.25f;
    /** Palm length (image units) below which a hand's shape is not measured. */
    public static final float MIN_PALM = 1e-4f;
    /**
     * Added to the product of two bones' lengths before dividing by it: a bone of zero length (two points on top of
     * each other) then gives a cosine of 0, not a division by zero; far below real bones' products (about 1e-4).
     */
    public static final float ANGLE_EPSILON = 1e-12f;
    /** Joint cosines a hand contributes with {@code handAngles}: three joints a finger, then four finger spreads. */
    public static final int ANGLES_PER_HAND = 19;

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
    private final boolean handShape;
    /** Per hand-shape point: its x, y, z columns, and its hand's wrist and middle-finger-base x, y, z columns. */
    private final int[][] shape;
    /**
     * Per joint cosine: the x, y, z columns of points a, b, c, d (the cosine is that of b - a and d - c), then the
     * hand's wrist x and y (whether the hand is there).
     */
    private final int[][] angle;

    private final boolean velocities;

    /** The normalisation without the hand-shape block. */
    public FeatureTransform(FeatureLayout layout) {
        this(layout, false);
    }

    /**
     * @param handShape add each hand's palm-scaled shape (x, y, z relative to the wrist); needs z columns for the
     *                  hands' points
     */
    public FeatureTransform(FeatureLayout layout, boolean handShape) {
        this(layout, handShape, false);
    }

    /**
     * @param handShape  add each hand's palm-scaled shape (x, y, z relative to the wrist); needs z columns for the
     *                   hands' points
     * @param handAngles add each hand's joint cosines; needs x, y and z of every hand point
     */
    public FeatureTransform(FeatureLayout layout, boolean handShape, boolean handAngles) {
        this(layout, handShape, handAngles, false);
    }

    /**
     * @param handShape  add each hand's palm-scaled shape (x, y, z relative to the wrist); needs z columns for the
     *                   hands' points
     * @param handAngles add each hand's joint cosines; needs x, y and z of every hand point
     * @param velocities add every point's motion since the previous frame (normalised x and y)
     */
    public FeatureTransform(FeatureLayout layout, boolean handShape, boolean handAngles, boolean velocities) {
        this.layout = Checks.notNull(layout, "layout");
        this.handShape = handShape;
        this.velocities = velocities;
        lsx = layout.columnOf(LandmarkPart.POSE, PoseLandmark.LEFT_SHOULDER, 0);
        lsy = layout.columnOf(LandmarkPart.POSE, PoseLandmark.LEFT_SHOULDER, 1);
        rsx = layout.columnOf(LandmarkPart.POSE, PoseLandmark.RIGHT_SHOULDER, 0);
        rsy = layout.columnOf(LandmarkPart.POSE, PoseLandmark.RIGHT_SHOULDER, 1);
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
            int wristCol = layout.columnOf(part, HandLandmark.WRIST, 0);
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
        List<int[]> sh = new ArrayList<>();
        if (handShape) {
            for (LandmarkPart part : new LandmarkPart[] {LandmarkPart.LEFT_HAND, LandmarkPart.RIGHT_HAND}) {
                if (layout.columnOf(part, HandLandmark.WRIST, 0) < 0) {
                    continue;
                }
                for (int lm = 0; lm < HandLandmark.COUNT; lm++) {
                    int wrist = HandLandmark.WRIST;
                    int palmEnd = HandLandmark.MIDDLE_FINGER_MCP;
                    int[] c = {
                        layout.columnOf(part, lm, 0),
                        layout.columnOf(part, lm, 1),
                        layout.columnOf(part, lm, 2),
                        layout.columnOf(part, wrist, 0),
                        layout.columnOf(part, wrist, 1),
                        layout.columnOf(part, wrist, 2),
                        layout.columnOf(part, palmEnd, 0),
                        layout.columnOf(part, palmEnd, 1)
                    };
                    for (int col : c) {
                        if (col < 0) {
                            throw new InvalidInputException("hand-shape features need x, y and z of every point of "
                                    + part + "; layout " + layout.spec() + " lacks landmark " + lm + " or its z");
                        }
                    }
                    sh.add(c);
                }
            }
        }
        shape = sh.toArray(new int[0][]);
        angle = handAngles ? angleColumns(layout) : new int[0][];
    }

    private static int[][] angleColumns(FeatureLayout layout) {
        List<int[]> out = new ArrayList<>();
        for (LandmarkPart part : new LandmarkPart[] {LandmarkPart.LEFT_HAND, LandmarkPart.RIGHT_HAND}) {
            if (layout.columnOf(part, HandLandmark.WRIST, 0) < 0) {
                continue;
            }
            List<int[]> quads = new ArrayList<>();
            for (List<Integer> finger : HandLandmark.FINGERS) {
                int[] chain = {HandLandmark.WRIST, finger.get(0), finger.get(1), finger.get(2), finger.get(3)};
                for (int j = 0; j + 2 < chain.length; j++) {
                    quads.add(new int[] {chain[j], chain[j + 1], chain[j + 1], chain[j + 2]});
                }
            }
            for (int f = 0; f + 1 < HandLandmark.FINGERS.size(); f++) {
                List<Integer> a = HandLandmark.FINGERS.get(f);
                List<Integer> b = HandLandmark.FINGERS.get(f + 1);
                quads.add(new int[] {a.get(0), a.get(3), b.get(0), b.get(3)});
            }
            for (int[] q : quads) {
                int[] c = new int[14];
                for (int k = 0; k < 4; k++) {
                    for (int axis = 0; axis < 3; axis++) {
                        c[3 * k + axis] = handColumn(layout, part, q[k], axis);
                    }
                }
                c[12] = handColumn(layout, part, HandLandmark.WRIST, 0);
                c[13] = handColumn(layout, part, HandLandmark.WRIST, 1);
                out.add(c);
            }
        }
        return out.toArray(new int[0][]);
    }

    private static int handColumn(FeatureLayout layout, LandmarkPart part, int landmark, int axis) {
        int col = layout.columnOf(part, landmark, axis);
        if (col < 0) {
            throw new InvalidInputException("hand-angle features need x, y and z of every point of " + part
                    + "; layout " + layout.spec() + " lacks landmark " + landmark + " or its z");
        }
        return col;
    }

    /** Whether the hand-shape block is part of the features. */
    public boolean handShape() {
        return handShape;
    }

    /** Whether the hands' joint cosines are part of the features. */
    public boolean handAngles() {
        return angle.length > 0;
    }

    /** Whether every point's motion since the previous frame is part of the features. */
    public boolean velocities() {
        return velocities;
    }

    /** What the transform does, for a model's {@code kslr.normalization} metadata. */
    public String description() {
        return "points relative to the shoulders' midpoint, divided by the shoulder width (pose 11/12, x and y;"
                + " absent points 0); plus hand points relative to the wrist;"
                + (handShape
                        ? " plus each hand's points relative to its wrist in x, y, z divided by the palm length"
                                + " (landmarks 0-9);"
                        : "")
                + (angle.length > 0
                        ? " plus each hand's joint cosines (three joints a finger, four finger spreads; x, y, z);"
                        : "")
                + (velocities
                        ? " plus every point's normalised x and y minus the previous frame's (0 in the first frame"
                                + " and where the point is absent in either);"
                        : "")
                + " then per-feature standardisation learned from the training data";
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
        return 2 * xCol.length
                + 2 * handPoint.length
                + 3 * shape.length
                + angle.length
                + (velocities ? 2 * xCol.length : 0);
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
            int o = d + 2 * p + 2 * h;
            for (int[] c : shape) {
                float x = src[s + c[0]];
                float y = src[s + c[1]];
                float wx = src[s + c[3]];
                float wy = src[s + c[4]];
                float px = src[s + c[6]] - wx;
                float py = src[s + c[7]] - wy;
                float palm = (float) Math.sqrt(px * px + py * py);
                boolean valid = Math.abs(x) + Math.abs(y) > 0f && Math.abs(wx) + Math.abs(wy) > 0f && palm > MIN_PALM;
                dst[o++] = valid ? (x - wx) / palm : 0f;
                dst[o++] = valid ? (y - wy) / palm : 0f;
                dst[o++] = valid ? (src[s + c[2]] - src[s + c[5]]) / palm : 0f;
            }
            for (int[] c : angle) {
                boolean there = Math.abs(src[s + c[12]]) + Math.abs(src[s + c[13]]) > 0f;
                float ux = src[s + c[3]] - src[s + c[0]];
                float uy = src[s + c[4]] - src[s + c[1]];
                float uz = src[s + c[5]] - src[s + c[2]];
                float vx = src[s + c[9]] - src[s + c[6]];
                float vy = src[s + c[10]] - src[s + c[7]];
                float vz = src[s + c[11]] - src[s + c[8]];
                float dot = ux * vx + uy * vy + uz * vz;
                float lengths =
                        (float) Math.sqrt(ux * ux + uy * uy + uz * uz) * (float) Math.sqrt(vx * vx + vy * vy + vz * vz);
                dst[o++] = there ? dot / (lengths + ANGLE_EPSILON) : 0f;
            }
            if (velocities) {
                int v = d + out - 2 * p;
                boolean earlier = f > 0;
                for (int i = 0; i < p; i++) {
                    boolean moved = earlier && present(src, s, i) && present(src, s - in, i);
                    dst[v + i] = moved ? dst[d + i] - dst[d - out + i] : 0f;
                    dst[v + p + i] = moved ? dst[d + p + i] - dst[d - out + p + i] : 0f;
                }
            }
        }
    }

    /** Whether point {@code i} is there (x or y non-zero) in the raw frame at {@code src[s..]}. */
    private boolean present(float[] src, int s, int i) {
        return Math.abs(src[s + xCol[i]]) + Math.abs(src[s + yCol[i]]) > 0f;
    }

    /**
     * Writes the same transform as ONNX nodes reading the raw float input {@code input [B, T, F]}; returns the name
     * of the features {@code [B, T, outputSize()]}.
     */
    String write(OnnxGraphWriter g, String input) {
        String xs = gather(g, input, g.int64Vector("x_columns", xCol));
        String ys = gather(g, input, g.int64Vector("y_columns", yCol));
        String ax = gather(g, input, g.int64Vector("left_shoulder_x", lsx));
        String ay = gather(g, input, g.int64Vector("left_shoulder_y", lsy));
        String bx = gather(g, input, g.int64Vector("right_shoulder_x", rsx));
        String by = gather(g, input, g.int64Vector("right_shoulder_y", rsy));
        String dx = op(g, "Sub", ax, bx);
        String dy = op(g, "Sub", ay, by);
        String w = op(g, "Sqrt", op(g, "Add", op(g, "Mul", dx, dx), op(g, "Mul", dy, dy)));
        String valid = cast(g, op(g, "Greater", w, g.floatScalar("min_width", MIN_WIDTH)));
        String invalid = op(g, "Sub", g.floatScalar("one", 1f), valid);
        String half = g.floatScalar("half", 0.5f);
        String mx = op(
                g, "Add", op(g, "Mul", op(g, "Mul", op(g, "Add", ax, bx), half), valid), op(g, "Mul", half, invalid));
        String my = op(
                g, "Add", op(g, "Mul", op(g, "Mul", op(g, "Add", ay, by), half), valid), op(g, "Mul", half, invalid));
        String wf = op(
                g,
                "Add",
                op(g, "Mul", w, valid),
                op(g, "Mul", g.floatScalar("fallback_width", FALLBACK_WIDTH), invalid));
        String present =
                cast(g, op(g, "Greater", op(g, "Add", op(g, "Abs", xs), op(g, "Abs", ys)), g.floatScalar("zero", 0f)));
        String nx = op(g, "Mul", op(g, "Div", op(g, "Sub", xs, mx), wf), present);
        String ny = op(g, "Mul", op(g, "Div", op(g, "Sub", ys, my), wf), present);
        String hp = g.int64Vector("hand_points", handPoint);
        String hw = g.int64Vector("hand_wrists", handWrist);
        String handPresent = gather(g, present, hp);
        String rx = op(g, "Mul", op(g, "Sub", gather(g, nx, hp), gather(g, nx, hw)), handPresent);
        String ry = op(g, "Mul", op(g, "Sub", gather(g, ny, hp), gather(g, ny, hw)), handPresent);
        List<String> blocks = new ArrayList<>(List.of(nx, ny, rx, ry));
        if (shape.length > 0) {
            blocks.add(writeHandShape(g, input));
        }
        if (angle.length > 0) {
            blocks.add(writeHandAngles(g, input));
        }
        if (velocities) {
            blocks.addAll(writeVelocities(g, nx, ny, present));
        }
        return g.node("Concat", blocks, OnnxGraphWriter.intAttr("axis", 2));
    }

    /**
     * The velocity blocks, x then y, each {@code [B, T, P]}: frame t's normalised coordinate minus frame t-1's where
     * the point is present in both, zeros for the first frame; computed as {@link #apply} does.
     */
    private static List<String> writeVelocities(OnnxGraphWriter g, String nx, String ny, String present) {
        String time = g.int64Vector("velocity_time_axis", 1);
        String first = g.int64Vector("velocity_from_0", 0);
        String second = g.int64Vector("velocity_from_1", 1);
        String end = g.int64Initializer("velocity_to_end", new long[] {Long.MAX_VALUE}, 1);
        String last = g.int64Vector("velocity_to_last", -1);
        String nothing = g.floatScalar("velocity_nothing", 0f);
        String both = op(
                g,
                "Mul",
                g.node("Slice", List.of(present, second, end, time)),
                g.node("Slice", List.of(present, first, last, time)));
        List<String> out = new ArrayList<>();
        for (String coordinate : List.of(nx, ny)) {
            String later = g.node("Slice", List.of(coordinate, second, end, time));
            String earlier = g.node("Slice", List.of(coordinate, first, last, time));
            String moved = op(g, "Mul", op(g, "Sub", later, earlier), both);
            // The first frame has no previous one: zeros of its shape, then frames 1.. .
            String start = op(g, "Mul", g.node("Slice", List.of(coordinate, first, second, time)), nothing);
            out.add(g.node("Concat", List.of(start, moved), OnnxGraphWriter.intAttr("axis", 1)));
        }
        return out;
    }

    /** The joint-cosine block: [B, T, angles], computed as {@link #apply} does. */
    private String writeHandAngles(OnnxGraphWriter g, String input) {
        String[] col = gatherTable(g, input, "angle_columns_", angle, 14);
        String[] u = new String[3];
        String[] v = new String[3];
        for (int axis = 0; axis < 3; axis++) {
            u[axis] = op(g, "Sub", col[3 + axis], col[axis]);
            v[axis] = op(g, "Sub", col[9 + axis], col[6 + axis]);
        }
        String dot = op(
                g, "Add", op(g, "Add", op(g, "Mul", u[0], v[0]), op(g, "Mul", u[1], v[1])), op(g, "Mul", u[2], v[2]));
        String lengths = op(g, "Mul", length(g, u), length(g, v));
        String there = cast(
                g,
                op(
                        g,
                        "Greater",
                        op(g, "Add", op(g, "Abs", col[12]), op(g, "Abs", col[13])),
                        g.floatScalar("angle_zero", 0f)));
        String cosine = op(g, "Div", dot, op(g, "Add", lengths, g.floatScalar("angle_epsilon", ANGLE_EPSILON)));
        return op(g, "Mul", cosine, there);
    }

    private static String length(OnnxGraphWriter g, String[] xyz) {
        return op(
                g,
                "Sqrt",
                op(
                        g,
                        "Add",
                        op(g, "Add", op(g, "Mul", xyz[0], xyz[0]), op(g, "Mul", xyz[1], xyz[1])),
                        op(g, "Mul", xyz[2], xyz[2])));
    }

    /** The hand-shape block: [B, T, 3 * points], x, y, z interleaved per point as {@link #apply} writes it. */
    private String writeHandShape(OnnxGraphWriter g, String input) {
        String zero = g.floatScalar("shape_zero", 0f);
        String[] col = gatherTable(g, input, "shape_columns_", shape, 8);
        String px = op(g, "Sub", col[6], col[3]);
        String py = op(g, "Sub", col[7], col[4]);
        String palm = op(g, "Sqrt", op(g, "Add", op(g, "Mul", px, px), op(g, "Mul", py, py)));
        String pointThere = cast(g, op(g, "Greater", op(g, "Add", op(g, "Abs", col[0]), op(g, "Abs", col[1])), zero));
        String wristThere = cast(g, op(g, "Greater", op(g, "Add", op(g, "Abs", col[3]), op(g, "Abs", col[4])), zero));
        String palmOk = cast(g, op(g, "Greater", palm, g.floatScalar("min_palm", MIN_PALM)));
        String valid = op(g, "Mul", op(g, "Mul", pointThere, wristThere), palmOk);
        // Where invalid the palm may be 0: divide by 1 there instead (the result is multiplied by 0 anyway).
        String safePalm = op(g, "Add", op(g, "Mul", palm, valid), op(g, "Sub", g.floatScalar("shape_one", 1f), valid));
        List<String> xyz = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            String rel = op(g, "Div", op(g, "Sub", col[k], col[3 + k]), safePalm);
            xyz.add(g.node("Unsqueeze", List.of(op(g, "Mul", rel, valid), g.int64Vector("shape_axis_" + k, 3))));
        }
        // [B, T, P, 3] -> [B, T, 3P]: x, y, z of point 0, then of point 1, ...
        String stacked = g.node("Concat", xyz, OnnxGraphWriter.intAttr("axis", 3));
        return g.node("Reshape", List.of(stacked, g.int64Initializer("shape_flat", new long[] {0, 0, -1}, 3)));
    }

    /**
     * Per column k of {@code table} (a row per output feature), the input's columns it names, gathered as one
     * {@code [B, T, rows]} tensor whose index initializer is {@code prefix + k}.
     */
    private static String[] gatherTable(OnnxGraphWriter g, String input, String prefix, int[][] table, int columns) {
        String[] out = new String[columns];
        for (int k = 0; k < columns; k++) {
            int kk = k;
            out[k] = gather(
                    g,
                    input,
                    g.int64Vector(
                            prefix + k,
                            java.util.Arrays.stream(table).mapToInt(c -> c[kk]).toArray()));
        }
        return out;
    }

    private static String op(OnnxGraphWriter g, String type, String... inputs) {
        return g.node(type, List.of(inputs));
    }

    /** Gathers feature columns (axis 2 of {@code [B, T, F]}). */
    private static String gather(OnnxGraphWriter g, String data, String indices) {
        return g.node("Gather", List.of(data, indices), OnnxGraphWriter.intAttr("axis", 2));
    }

    private static String cast(OnnxGraphWriter g, String in) {
        return g.node(
                "Cast",
                List.of(in),
                OnnxGraphWriter.intAttr("to", ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT_VALUE));
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
            if (has(data, LandmarkPart.POSE, lm) && has(data, LandmarkPart.POSE, PoseLandmark.partner(lm))) {
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
        return cx >= 0
                && cy >= 0
                && data.layout().columnOf(part, lm, 2) >= 0
                && (data.columnUsed(cx) || data.columnUsed(cy));
    }
}
