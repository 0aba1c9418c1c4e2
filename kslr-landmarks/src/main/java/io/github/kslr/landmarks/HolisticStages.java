package io.github.kslr.landmarks;

import io.github.kslr.api.HandLandmark;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.LandmarkSet;
import io.github.kslr.api.PoseLandmark;
import java.nio.FloatBuffer;

/**
 * The holistic graph's per-stage geometry and tensor decoding, used by the tracking units ({@link PoseTracking},
 * {@link HandTracking}, {@link FaceTracking}): every method reads one batch item of a model's output at a given float
 * offset, so an item is decoded the same way whatever batch it ran in.
 *
 * <p><b>Thread-safety.</b> Stateless; the arrays passed in belong to the caller.
 */
final class HolisticStages {
    /** The pose model's 33 landmarks and its 6 auxiliary points (the next frame's alignment and ROI). */
    static final int POSE_POINTS = PoseLandmark.COUNT + 6;
    /** The auxiliary points that align the next frame's pose region: its centre and a point on its scale circle. */
    static final int AUX_CENTRE = PoseLandmark.COUNT;

    static final int AUX_SCALE = PoseLandmark.COUNT + 1;
    static final int HAND_POINTS = HandLandmark.COUNT;
    static final int FACE_POINTS = 468;
    static final int LEFT = 0;
    static final int RIGHT = 1;

    private HolisticStages() {}

    static float clamp01(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    static float sigmoid(double x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    static LandmarkPart handPart(int side) {
        return side == LEFT ? LandmarkPart.LEFT_HAND : LandmarkPart.RIGHT_HAND;
    }

    /** The pose region from the pose detector's first detection on the letterboxed frame {@code full}. */
    static NormRect poseRoi(Detection d, NormRect full, int w, int h) {
        // Keypoints 0 (hip centre) and 1 (full-body size/rotation point), from tensor to image coordinates.
        float x0 = full.projectX(d.kx(0), d.ky(0), w, h), y0 = full.projectY(d.kx(0), d.ky(0), w, h);
        float x1 = full.projectX(d.kx(1), d.ky(1), w, h), y1 = full.projectY(d.kx(1), d.ky(1), w, h);
        NormRect r = Geometry.alignmentRect(x0, y0, x1, y1, w, h, Math.PI / 2);
        return Geometry.transform(r, w, h, 1.25f, 1.25f, 0f, 0f, true);
    }

    /**
     * Fills {@code pose} (39 x (x, y, z, visibility), image-normalised) and {@code world} (33 x 4) from one batch item
     * of the pose landmark model run on {@code roi}.
     */
    static void decodePose(
            FloatBuffer lm,
            int lmBase,
            FloatBuffer heatmap,
            int heatmapBase,
            FloatBuffer wl,
            int wlBase,
            int inWidth,
            int inHeight,
            NormRect roi,
            float[] pose,
            float[] world) {
        float size = inWidth;
        for (int i = 0; i < POSE_POINTS; i++) {
            pose[i * 4] = lm.get(lmBase + i * 5) / size;
            pose[i * 4 + 1] = lm.get(lmBase + i * 5 + 1) / inHeight;
            pose[i * 4 + 2] = lm.get(lmBase + i * 5 + 2) / size;
            pose[i * 4 + 3] = sigmoid(lm.get(lmBase + i * 5 + 3));
        }
        HeatmapRefinement.refine(pose, 4, POSE_POINTS, heatmap, heatmapBase, 64, 64);
        double c = Math.cos(roi.rotation()), s = Math.sin(roi.rotation());
        for (int i = 0; i < 33; i++) {
            float x = wl.get(wlBase + i * 3), y = wl.get(wlBase + i * 3 + 1);
            world[i * 4] = (float) (c * x - s * y);
            world[i * 4 + 1] = (float) (s * x + c * y);
            world[i * 4 + 2] = wl.get(wlBase + i * 3 + 2);
            world[i * 4 + 3] = pose[i * 4 + 3];
        }
        Geometry.project(pose, 0, POSE_POINTS, 4, roi);
    }

    /**
     * Video-mode pose filtering (smoothing when {@code smooth}, the auxiliary landmarks always) in place; returns the
     * next frame's tracked pose region.
     */
    static NormRect smoothPose(
            float[] pose,
            float[] world,
            boolean smooth,
            LandmarkSmoother poseSmoother,
            LandmarkSmoother worldSmoother,
            LandmarkSmoother auxSmoother,
            long tUs,
            int w,
            int h) {
        // Object scale for the filters comes from the unfiltered auxiliary landmarks.
        NormRect objectRoi = auxiliaryRect(pose, w, h);
        double objectScale = (objectRoi.width() * w + objectRoi.height() * h) / 2.0;
        if (smooth) {
            poseSmoother.apply(pose, 0, 4, true, true, tUs, w, h, objectScale);
            worldSmoother.apply(world, 0, 4, true, false, tUs, w, h, objectScale);
        }
        auxSmoother.apply(pose, PoseLandmark.COUNT * 4, 4, true, true, tUs, w, h, objectScale);
        NormRect next = auxiliaryRect(pose, w, h);
        return Geometry.transform(next, w, h, 1.25f, 1.25f, 0f, 0f, true);
    }

    /** The alignment rectangle of the pose's two auxiliary landmarks (centre and scale point) in a w x h image. */
    private static NormRect auxiliaryRect(float[] pose, int w, int h) {
        return Geometry.alignmentRect(
                pose[AUX_CENTRE * 4],
                pose[AUX_CENTRE * 4 + 1],
                pose[AUX_SCALE * 4],
                pose[AUX_SCALE * 4 + 1],
                w,
                h,
                Math.PI / 2);
    }

    /** The re-crop model's input region from the pose's wrist, pinky and index on {@code side}. */
    static NormRect handRecropInput(float[] pose, int side, int w, int h) {
        // LEFT = 0 and RIGHT = 1 follow each left/right pair of pose landmarks.
        int wrist = PoseLandmark.LEFT_WRIST + side;
        int pinky = PoseLandmark.LEFT_PINKY + side;
        int index = PoseLandmark.LEFT_INDEX + side;
        float wx = pose[wrist * 4], wy = pose[wrist * 4 + 1];
        float mx = (2f * pose[index * 4] + pose[pinky * 4]) / 3f;
        float my = (2f * pose[index * 4 + 1] + pose[pinky * 4 + 1]) / 3f;
        double dx = (mx - wx) * (double) w, dy = (my - wy) * (double) h;
        double size = 2 * Math.sqrt(dx * dx + dy * dy);
        NormRect fromPose = new NormRect(
                mx, my, (float) (size / w), (float) (size / h), Geometry.rotation(wx, wy, mx, my, w, h, Math.PI / 2));
        return Geometry.transform(fromPose, w, h, 2.7f, 2.7f, 0f, -0.1f, true);
    }

    /** The hand region from one batch item of the re-crop model run on {@code fromPose}. */
    static NormRect handRoiFromRecrop(
            FloatBuffer out,
            int base,
            int inWidth,
            int inHeight,
            NormRect fromPose,
            float[] recropPoints,
            int w,
            int h) {
        for (int k = 0; k < 2; k++) {
            recropPoints[k * 3] = out.get(base + k * 2) / inWidth;
            recropPoints[k * 3 + 1] = out.get(base + k * 2 + 1) / inHeight;
            recropPoints[k * 3 + 2] = 0f;
        }
        Geometry.project(recropPoints, 0, 2, 3, fromPose);
        NormRect r = Geometry.alignmentRect(
                recropPoints[0], recropPoints[1], recropPoints[3], recropPoints[4], w, h, -Math.PI / 2);
        return Geometry.transform(r, w, h, 1f, 1f, 0f, -0.1f, true);
    }

    static NormRect handRoiFromLandmarks(float[] hand, int w, int h) {
        return Geometry.transform(Geometry.handLandmarksToRect(hand, 3, w, h), w, h, 2f, 2f, 0f, -0.1f, true);
    }

    /** Whether the hand model can run on {@code roi} (an empty region counts as presence 0). */
    static boolean usable(NormRect roi) {
        return roi.width() > 0 && roi.height() > 0;
    }

    /** Fills {@code hand} (21 x 3, image-normalised) from one batch item of the hand model run on {@code roi}. */
    static void decodeHand(FloatBuffer lm, int base, int inWidth, int inHeight, NormRect roi, float[] hand) {
        float size = inWidth;
        for (int i = 0; i < HAND_POINTS; i++) {
            hand[i * 3] = lm.get(base + i * 3) / size;
            hand[i * 3 + 1] = lm.get(base + i * 3 + 1) / inHeight;
            // MediaPipe's hand model normalises z by 0.4 (TensorsToLandmarks normalize_z).
            hand[i * 3 + 2] = lm.get(base + i * 3 + 2) / size / 0.4f;
        }
        Geometry.project(hand, 0, HAND_POINTS, 3, roi);
    }

    /** The hand region from a palm detection on the letterboxed frame {@code full}. */
    static NormRect palmRoi(Detection d, NormRect full, int w, int h) {
        // Box and keypoints 0 (wrist) and 2 (middle-finger base), from the letterboxed tensor to the image.
        float cx = full.projectX((d.xMin() + d.xMax()) / 2, (d.yMin() + d.yMax()) / 2, w, h);
        float cy = full.projectY((d.xMin() + d.xMax()) / 2, (d.yMin() + d.yMax()) / 2, w, h);
        float bw = (d.xMax() - d.xMin()) * full.width(), bh = (d.yMax() - d.yMin()) * full.height();
        float x0 = full.projectX(d.kx(0), d.ky(0), w, h), y0 = full.projectY(d.kx(0), d.ky(0), w, h);
        float x2 = full.projectX(d.kx(2), d.ky(2), w, h), y2 = full.projectY(d.kx(2), d.ky(2), w, h);
        NormRect palm = new NormRect(cx, cy, bw, bh, Geometry.rotation(x0, y0, x2, y2, w, h, Math.PI / 2));
        return Geometry.transform(palm, w, h, 2.6f, 2.6f, 0f, -0.5f, true);
    }

    /**
     * The side a palm-found hand takes, from its handedness score (the model assumes a mirrored image, so on
     * unmirrored frames "Left" above 0.5 is the signer's right hand), or -1 when no side that needs a hand is free.
     */
    static int palmSide(float handedness, boolean[] needPalm, LandmarkSet[] hands) {
        int side = handedness > 0.5f ? RIGHT : LEFT;
        if (!needPalm[side] || hands[side].isPresent()) {
            // Two hands can get the same handedness; the second takes the other side if that one is free.
            side = 1 - side;
            if (!needPalm[side] || hands[side].isPresent()) {
                return -1;
            }
        }
        return side;
    }

    /** Whether both sides are done (found, or not looked for) so later palms need not be examined. */
    static boolean palmsDone(boolean[] needPalm, LandmarkSet[] hands) {
        return !(needPalm[LEFT] && !hands[LEFT].isPresent()) && !(needPalm[RIGHT] && !hands[RIGHT].isPresent());
    }

    /** Whether {@code hand} is one already found (bounding boxes overlap with IoU > 0.5). */
    static boolean overlapsFoundHand(float[] hand, LandmarkSet[] hands) {
        Detection a = bbox(hand);
        for (LandmarkSet s : hands) {
            if (s.isPresent() && SsdDecoder.iou(a, bbox(s.toArray())) > 0.5f) {
                return true;
            }
        }
        return false;
    }

    /** Whether the hand on {@code side} is the same hand as the other side's (bounding-box IoU > 0.5). */
    static boolean overlapsOtherHand(LandmarkSet[] hands, int side) {
        LandmarkSet other = hands[1 - side];
        return other.isPresent() && SsdDecoder.iou(bbox(hands[side].toArray()), bbox(other.toArray())) > 0.5f;
    }

    private static Detection bbox(float[] xyz) {
        NormRect r = Geometry.boundingRect(xyz, 3, 0, HAND_POINTS, 0f);
        return new Detection(
                1f,
                r.xCenter() - r.width() / 2,
                r.yCenter() - r.height() / 2,
                r.xCenter() + r.width() / 2,
                r.yCenter() + r.height() / 2,
                new float[0]);
    }

    /** The face detector's input region from pose landmarks 0..10. */
    static NormRect faceDetectionRoi(float[] pose, int w, int h) {
        // Pose landmarks 0..10 (face) -> box; rotation from the right eye (5) to the left eye (2), target 0.
        NormRect box = Geometry.boundingRect(
                pose, 4, 0, 11, Geometry.rotation(pose[5 * 4], pose[5 * 4 + 1], pose[2 * 4], pose[2 * 4 + 1], w, h, 0));
        return Geometry.transform(box, w, h, 3f, 3f, 0f, 0f, true);
    }

    /** The face landmark region from a face detection inside {@code fromPose}. */
    static NormRect faceRoi(Detection d, NormRect fromPose, int w, int h) {
        float minX = Float.MAX_VALUE, minY = Float.MAX_VALUE, maxX = -Float.MAX_VALUE, maxY = -Float.MAX_VALUE;
        float[] kp = new float[12];
        for (int k = 0; k < 6; k++) {
            kp[2 * k] = fromPose.projectX(d.kx(k), d.ky(k), w, h);
            kp[2 * k + 1] = fromPose.projectY(d.kx(k), d.ky(k), w, h);
            minX = Math.min(minX, kp[2 * k]);
            maxX = Math.max(maxX, kp[2 * k]);
            minY = Math.min(minY, kp[2 * k + 1]);
            maxY = Math.max(maxY, kp[2 * k + 1]);
        }
        NormRect det = new NormRect(
                (minX + maxX) / 2,
                (minY + maxY) / 2,
                maxX - minX,
                maxY - minY,
                Geometry.rotation(kp[0], kp[1], kp[2], kp[3], w, h, 0));
        return Geometry.transform(det, w, h, 2f, 2f, 0f, -0.1f, true);
    }

    /** The face region tracked from the previous frame's landmarks (eyes 33 and 263 give the rotation). */
    static NormRect faceTrackedRoi(float[] prevFace, int w, int h) {
        NormRect prevBox = Geometry.boundingRect(
                prevFace,
                3,
                0,
                FACE_POINTS,
                Geometry.rotation(
                        prevFace[33 * 3], prevFace[33 * 3 + 1], prevFace[263 * 3], prevFace[263 * 3 + 1], w, h, 0));
        return Geometry.transform(prevBox, w, h, 1.5f, 1.5f, 0f, 0f, true);
    }

    /** Fills {@code face} (468 x 3, image-normalised) from one batch item of the face model run on {@code roi}. */
    static void decodeFace(FloatBuffer lm, int base, int inWidth, int inHeight, NormRect roi, float[] face) {
        float size = inWidth;
        for (int i = 0; i < FACE_POINTS; i++) {
            face[i * 3] = lm.get(base + i * 3) / size;
            face[i * 3 + 1] = lm.get(base + i * 3 + 1) / inHeight;
            face[i * 3 + 2] = lm.get(base + i * 3 + 2) / size;
        }
        Geometry.project(face, 0, FACE_POINTS, 3, roi);
    }
}
