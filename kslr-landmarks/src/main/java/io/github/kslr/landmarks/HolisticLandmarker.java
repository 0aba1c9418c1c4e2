package io.github.kslr.landmarks;

import io.github.kslr.api.Checks;
import io.github.kslr.api.ClosedException;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.LandmarkSet;
import io.github.kslr.api.Landmarker;
import io.github.kslr.api.RunningMode;
import java.nio.FloatBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MediaPipe Holistic re-created on ONNX Runtime and OpenCV: pose (33 landmarks with visibility, plus world
 * landmarks), left and right hands (21 each, named as Holistic names them: the signer's own left and right) and face
 * (468), from the same models and the same pre- and post-processing as MediaPipe's holistic graph.
 *
 * <p>Per frame: the pose region comes from pose detection (in {@link RunningMode#VIDEO}, from the previous frame's
 * landmarks while the pose is tracked); each hand's region from the pose's wrist, pinky and index landmarks refined by
 * the re-crop model, or the previous frame's hand when it agrees; the face region from the pose's face landmarks and
 * a face detection inside it. Beyond Holistic, a hand the pose does not give (no pose, a wrist not visible enough, or
 * no hand where the pose put it) is tracked from the previous frame or found with MediaPipe Hands' palm detector,
 * and named from the hand model's handedness output; {@link Builder#palmFallback(boolean)} turns this off for
 * Holistic's exact behaviour.
 * In video mode the pose is smoothed with MediaPipe's One-Euro settings when {@link Builder#smoothLandmarks} is on.
 *
 * <p>Coordinates: x and y are normalised to the frame's width and height; z is in units of frame width, relative to
 * each part's own origin (hips, wrist, head centre), as MediaPipe gives them.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one landmarker per stream, used from one thread at a time. Several
 * landmarkers may share one {@link LandmarkerModels}. The landmarker owns its native buffers and tensors
 * ({@link #close()} frees them, idempotently); it reads the caller's frame only during {@link #detect} and keeps no
 * reference to it. Results are immutable and owned by the caller.
 */
public final class HolisticLandmarker implements Landmarker {
    private static final Logger LOG = LoggerFactory.getLogger(HolisticLandmarker.class);
    private static final int POSE_POINTS = 39;
    private static final int HAND_POINTS = 21;
    private static final int FACE_POINTS = 468;
    private static final int LEFT = 0;
    private static final int RIGHT = 1;

    private final RunningMode mode;
    private final float minPoseDetectionConfidence;
    private final float minPosePresence;
    private final float minHandPresence;
    private final float minFaceDetectionConfidence;
    private final float minFacePresence;
    private final float minWristVisibility;
    private final boolean smooth;
    private final boolean palmFallback;

    private final StageRunners stages;
    private final OutputNames names;
    private final RoiCropper poseDetectionCrop;
    private final RoiCropper poseLandmarkCrop;
    private final RoiCropper handRecropCrop;
    private final RoiCropper handLandmarkCrop;
    private final RoiCropper palmDetectionCrop;
    private final RoiCropper faceDetectionCrop;
    private final RoiCropper faceLandmarkCrop;

    // Per-frame scratch, reused.
    private final float[] pose = new float[POSE_POINTS * 4];
    private final float[] world = new float[33 * 4];
    private final float[] faceScratch = new float[FACE_POINTS * 3];
    private final float[] handScratch = new float[HAND_POINTS * 3];
    private final float[] recropPoints = new float[2 * 3];
    private final float[] letterboxPad = new float[2];
    private final boolean[] needPalm = new boolean[2];
    private final int palmInterval;
    private int framesSincePalmSearch;
    private boolean posePresentThisFrame;

    // Tracking state (video mode).
    private NormRect trackedPoseRoi;
    private final float[][] prevHand = {new float[HAND_POINTS * 3], new float[HAND_POINTS * 3]};
    private final boolean[] prevHandPresent = new boolean[2];
    private final float[] prevFace = new float[FACE_POINTS * 3];
    private boolean prevFacePresent;
    private final LandmarkSmoother poseSmoother = new LandmarkSmoother(33, 0.05, 80, 1, true);
    private final LandmarkSmoother worldSmoother = new LandmarkSmoother(33, 0.1, 40, 1, false);
    private final LandmarkSmoother auxSmoother = new LandmarkSmoother(2, 0.01, 10, 1, true);
    private long lastTimestampMs = Long.MIN_VALUE;
    private boolean closed;

    private HolisticLandmarker(Builder b) {
        this.mode = b.mode;
        this.minPoseDetectionConfidence = b.minPoseDetectionConfidence;
        this.minPosePresence = b.minPosePresence;
        this.minHandPresence = b.minHandPresence;
        this.minFaceDetectionConfidence = b.minFaceDetectionConfidence;
        this.minFacePresence = b.minFacePresence;
        this.minWristVisibility = b.minWristVisibility;
        this.smooth = b.smoothLandmarks;
        this.palmFallback = b.palmFallback;
        this.palmInterval = b.palmInterval;
        // Batch 1: one crop a model call.
        stages = new StageRunners(b.models, 1, 1, minPoseDetectionConfidence, minFaceDetectionConfidence);
        names = stages.names;
        RoiCropper[] c;
        try {
            c = stages.newCroppers();
        } catch (RuntimeException e) {
            StageRunners.closeAll(java.util.List.of(stages), e);
            throw e;
        }
        poseDetectionCrop = c[0];
        poseLandmarkCrop = c[1];
        handRecropCrop = c[2];
        handLandmarkCrop = c[3];
        palmDetectionCrop = c[4];
        faceDetectionCrop = c[5];
        faceLandmarkCrop = c[6];
    }

    /** A builder over shared models. */
    public static Builder builder(LandmarkerModels models) {
        return new Builder(models);
    }

    @Override
    public RunningMode runningMode() {
        return mode;
    }

    @Override
    public void reset() {
        trackedPoseRoi = null;
        prevHandPresent[LEFT] = prevHandPresent[RIGHT] = false;
        prevFacePresent = false;
        poseSmoother.reset();
        worldSmoother.reset();
        auxSmoother.reset();
        lastTimestampMs = Long.MIN_VALUE;
        framesSincePalmSearch = 0;
    }

    @Override
    public HolisticLandmarks detect(ImageFrame frame) {
        if (closed) {
            throw new ClosedException("HolisticLandmarker");
        }
        Checks.notNull(frame, "frame");
        boolean video = mode == RunningMode.VIDEO;
        if (video && frame.timestampMs() <= lastTimestampMs) {
            throw new InvalidInputException("video frames need strictly increasing timestamps: got "
                    + frame.timestampMs() + " ms after " + lastTimestampMs + " ms (call reset() to start a new clip)");
        }
        lastTimestampMs = frame.timestampMs();
        if (!video) {
            reset();
        }
        int w = frame.width(), h = frame.height();
        long tUs = frame.timestampMs() * 1000L;

        // ---- Pose ----
        LandmarkSet poseSet = LandmarkSet.absent(LandmarkPart.POSE);
        LandmarkSet worldSet = LandmarkSet.absent(LandmarkPart.POSE_WORLD);
        NormRect poseRoi = video && trackedPoseRoi != null ? trackedPoseRoi : detectPose(frame);
        boolean posePresent = false;
        posePresentThisFrame = false;
        if (poseRoi != null) {
            float presence = runPose(frame, poseRoi);
            posePresent = presence > minPosePresence;
            posePresentThisFrame = posePresent;
            if (posePresent) {
                if (video) {
                    trackedPoseRoi = HolisticStages.smoothPose(pose, world, smooth, poseSmoother, worldSmoother,
                            auxSmoother, tUs, w, h);
                }
                poseSet = LandmarkSet.of(LandmarkPart.POSE, pose, 0, clamp01(presence));
                worldSet = LandmarkSet.of(LandmarkPart.POSE_WORLD, world, 0, clamp01(presence));
            }
        }
        if (!posePresent) {
            trackedPoseRoi = null;
            poseSmoother.reset();
            worldSmoother.reset();
            auxSmoother.reset();
        }

        // ---- Hands ----
        LandmarkSet[] hands = {LandmarkSet.absent(LandmarkPart.LEFT_HAND), LandmarkSet.absent(LandmarkPart.RIGHT_HAND)};
        boolean[] needPalm = this.needPalm;
        boolean hadLeft = prevHandPresent[LEFT], hadRight = prevHandPresent[RIGHT];
        for (int side = LEFT; side <= RIGHT; side++) {
            int wrist = 15 + side;
            needPalm[side] = true;
            if (!(posePresent && pose[wrist * 4 + 3] > minWristVisibility)) {
                continue;
            }
            NormRect recrop = handRecropRoi(frame, side);
            NormRect roi = recrop;
            if (video && prevHandPresent[side]) {
                NormRect prevRoi = handRoiFromLandmarks(prevHand[side], w, h);
                if (RoiTracking.HAND.keepPrevious(prevRoi, recrop, prevHand[side], 3, HAND_POINTS, w, h)) {
                    roi = prevRoi;
                }
            }
            hands[side] = runHand(frame, roi, side);
            needPalm[side] = !hands[side].isPresent();
        }
        if (palmFallback && (needPalm[LEFT] || needPalm[RIGHT])) {
            palmHands(frame, hands, needPalm, video, hadLeft, hadRight);
        }
        for (int side = LEFT; side <= RIGHT; side++) {
            if (!hands[side].isPresent()) {
                prevHandPresent[side] = false;
            }
        }

        // ---- Face ----
        LandmarkSet faceSet = LandmarkSet.absent(LandmarkPart.FACE);
        if (posePresent) {
            faceSet = runFace(frame, video);
        } else {
            prevFacePresent = false;
        }
        return new HolisticLandmarks(frame.timestampMs(), w, h, poseSet, worldSet, faceSet, hands[LEFT], hands[RIGHT]);
    }

    private static float clamp01(float v) {
        return HolisticStages.clamp01(v);
    }

    /** Pose detection on the letterboxed frame; the first detection's region, or null. */
    private NormRect detectPose(ImageFrame frame) {
        int w = frame.width(), h = frame.height();
        NormRect full = Geometry.letterboxRoi(w, h, letterboxPad);
        poseDetectionCrop.crop(frame, full, stages.poseDetection.input(), 0);
        stages.poseDetection.run(1);
        List<Detection> dets = HolisticStages.decode(stages.poseDetection.output(names.poseDetBoxes), 0,
                stages.poseDetection.output(names.poseDetScores), 0, stages.poseBoxes, stages.poseScores,
                stages.poseDecoder);
        if (dets.isEmpty()) {
            return null;
        }
        return HolisticStages.poseRoi(dets.get(0), full, w, h);
    }

    /**
     * Runs the pose landmark model on {@code roi}; fills {@link #pose} (39 x (x, y, z, visibility), image-normalised)
     * and {@link #world}; returns the presence score.
     */
    private float runPose(ImageFrame frame, NormRect roi) {
        poseLandmarkCrop.crop(frame, roi, stages.poseLandmark.input(), 0);
        stages.poseLandmark.run(1);
        float presence = stages.poseLandmark.output(names.posePresence).get(0);
        if (!(presence > minPosePresence)) {
            return presence;
        }
        BatchRunner r = stages.poseLandmark;
        HolisticStages.decodePose(r.output(names.poseLandmarks), 0, r.output(names.poseHeatmap), 0,
                r.output(names.poseWorld), 0, r.width(), r.height(), roi, pose, world);
        return presence;
    }

    private static float sigmoid(double x) {
        return HolisticStages.sigmoid(x);
    }

    /** The hand region from the pose's wrist, pinky and index, refined by the re-crop model. */
    private NormRect handRecropRoi(ImageFrame frame, int side) {
        int w = frame.width(), h = frame.height();
        NormRect fromPose = HolisticStages.handRecropInput(pose, side, w, h);
        handRecropCrop.crop(frame, fromPose, stages.handRecrop.input(), 0);
        stages.handRecrop.run(1);
        return HolisticStages.handRoiFromRecrop(stages.handRecrop.output(names.recrop), 0, stages.handRecrop.width(),
                stages.handRecrop.height(), fromPose, recropPoints, w, h);
    }

    private static NormRect handRoiFromLandmarks(float[] hand, int w, int h) {
        return HolisticStages.handRoiFromLandmarks(hand, w, h);
    }

    /**
     * Runs the hand landmark model on {@code roi}. When present, stores the landmarks as the side's previous hand and
     * returns them (a side without a hand at the end of the frame forgets its previous hand in {@link #detect}).
     */
    private LandmarkSet runHand(ImageFrame frame, NormRect roi, int side) {
        float presence = runHandModel(frame, roi);
        if (!(presence > minHandPresence)) {
            return LandmarkSet.absent(side == LEFT ? LandmarkPart.LEFT_HAND : LandmarkPart.RIGHT_HAND);
        }
        System.arraycopy(handScratch, 0, prevHand[side], 0, handScratch.length);
        prevHandPresent[side] = true;
        return LandmarkSet.of(side == LEFT ? LandmarkPart.LEFT_HAND : LandmarkPart.RIGHT_HAND, handScratch, 0,
                clamp01(presence));
    }

    private float lastHandedness;

    /** Runs the hand model; fills {@link #handScratch} (image-normalised) and returns the presence score. */
    private float runHandModel(ImageFrame frame, NormRect roi) {
        if (!HolisticStages.usable(roi)) {
            return 0f;
        }
        handLandmarkCrop.crop(frame, roi, stages.handLandmark.input(), 0);
        stages.handLandmark.run(1);
        float presence = stages.handLandmark.output(names.handPresence).get(0);
        lastHandedness = stages.handLandmark.output(names.handedness).get(0);
        HolisticStages.decodeHand(stages.handLandmark.output(names.handLandmarks), 0, stages.handLandmark.width(),
                stages.handLandmark.height(), roi, handScratch);
        return presence;
    }

    /**
     * MediaPipe Hands' path for hands the pose did not give (no pose, a wrist not visible enough, or no hand where the
     * pose put it - the pose model also "finds" bodies in hand-only footage): track the side's previous hand from its
     * landmarks; otherwise run palm detection on the whole frame and name each hand from the hand model's handedness. That
     * output assumes a mirrored (selfie) image, so on the unmirrored frames given here a "Left" score above 0.5 is the
     * signer's right hand.
     */
    private void palmHands(ImageFrame frame, LandmarkSet[] hands, boolean[] needPalm, boolean video,
            boolean hadLeft, boolean hadRight) {
        int w = frame.width(), h = frame.height();
        boolean missing = false;
        for (int side = LEFT; side <= RIGHT; side++) {
            if (!needPalm[side]) {
                continue;
            }
            // Track the side's hand from the previous frame, whichever path found it (MediaPipe Hands' tracking).
            if (video && (side == LEFT ? hadLeft : hadRight)) {
                hands[side] = runHand(frame, handRoiFromLandmarks(prevHand[side], w, h), side);
                if (hands[side].isPresent() && HolisticStages.overlapsOtherHand(hands, side)) {
                    hands[side] = LandmarkSet.absent(side == LEFT ? LandmarkPart.LEFT_HAND : LandmarkPart.RIGHT_HAND);
                }
            }
            missing |= !hands[side].isPresent();
        }
        if (!missing) {
            return;
        }
        // In video mode a hand that stays out of view (a signer's resting hand) would cost a palm detection (and hand
        // model runs on what it finds) every frame; search only every palmInterval frames, except while there is no
        // pose at all (hand-only footage), where MediaPipe Hands searches every frame.
        if (video && posePresentThisFrame && ++framesSincePalmSearch < palmInterval) {
            return;
        }
        framesSincePalmSearch = 0;
        NormRect full = Geometry.letterboxRoi(w, h, letterboxPad);
        palmDetectionCrop.crop(frame, full, stages.palmDetection.input(), 0);
        stages.palmDetection.run(1);
        List<Detection> palms = HolisticStages.decode(stages.palmDetection.output(names.palmBoxes), 0,
                stages.palmDetection.output(names.palmScores), 0, stages.palmBoxes, stages.palmScores,
                stages.palmDecoder);
        // As MediaPipe Hands with max_num_hands 2: only the two best palms go on to the hand model.
        for (Detection d : palms.subList(0, Math.min(2, palms.size()))) {
            if (HolisticStages.palmsDone(needPalm, hands)) {
                break;
            }
            NormRect roi = HolisticStages.palmRoi(d, full, w, h);
            float presence = runHandModel(frame, roi);
            if (!(presence > minHandPresence)) {
                continue;
            }
            if (HolisticStages.overlapsFoundHand(handScratch, hands)) {
                continue;
            }
            int side = HolisticStages.palmSide(lastHandedness, needPalm, hands);
            if (side < 0) {
                continue;
            }
            System.arraycopy(handScratch, 0, prevHand[side], 0, handScratch.length);
            prevHandPresent[side] = true;
            hands[side] = LandmarkSet.of(side == LEFT ? LandmarkPart.LEFT_HAND : LandmarkPart.RIGHT_HAND, handScratch,
                    0, clamp01(presence));
        }
    }

    /** The face branch: region from the pose, a face detection inside it, then 468 landmarks. */
    private LandmarkSet runFace(ImageFrame frame, boolean video) {
        int w = frame.width(), h = frame.height();
        NormRect fromPose = HolisticStages.faceDetectionRoi(pose, w, h);
        faceDetectionCrop.crop(frame, fromPose, stages.faceDetection.input(), 0);
        stages.faceDetection.run(1);
        List<Detection> faces = HolisticStages.decode(stages.faceDetection.output(names.faceBoxes), 0,
                stages.faceDetection.output(names.faceScores), 0, stages.faceBoxes, stages.faceScores,
                stages.faceDecoder);
        if (faces.isEmpty()) {
            prevFacePresent = false;
            return LandmarkSet.absent(LandmarkPart.FACE);
        }
        NormRect recrop = HolisticStages.faceRoi(faces.get(0), fromPose, w, h);
        NormRect roi = recrop;
        if (video && prevFacePresent) {
            NormRect prevRoi = HolisticStages.faceTrackedRoi(prevFace, w, h);
            if (RoiTracking.FACE.keepPrevious(prevRoi, recrop, prevFace, 3, FACE_POINTS, w, h)) {
                roi = prevRoi;
            }
        }
        faceLandmarkCrop.crop(frame, roi, stages.faceLandmark.input(), 0);
        stages.faceLandmark.run(1);
        float presence = sigmoid(stages.faceLandmark.output(names.faceFlag).get(0));
        if (!(presence > minFacePresence)) {
            prevFacePresent = false;
            return LandmarkSet.absent(LandmarkPart.FACE);
        }
        HolisticStages.decodeFace(stages.faceLandmark.output(names.faceLandmarks), 0, stages.faceLandmark.width(),
                stages.faceLandmark.height(), roi, faceScratch);
        System.arraycopy(faceScratch, 0, prevFace, 0, faceScratch.length);
        prevFacePresent = true;
        return LandmarkSet.of(LandmarkPart.FACE, faceScratch, 0, clamp01(presence));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AutoCloseable c : new AutoCloseable[] {stages, poseDetectionCrop, poseLandmarkCrop, handRecropCrop,
                handLandmarkCrop, palmDetectionCrop, faceDetectionCrop, faceLandmarkCrop}) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", c, e.toString());
            }
        }
    }

    /**
     * Options for a {@link HolisticLandmarker}: the running mode (default video) and the shared thresholds and palm
     * options with MediaPipe Holistic's defaults (see the inherited setters).
     *
     * <p><b>Thread-safety.</b> Not thread-safe; use from one thread.
     */
    public static final class Builder extends HolisticOptionsBuilder<Builder> {
        private RunningMode mode = RunningMode.VIDEO;

        private Builder(LandmarkerModels models) {
            super(models);
        }

        /** IMAGE: every frame independent, no smoothing; VIDEO: tracking, strictly increasing timestamps. */
        public Builder runningMode(RunningMode mode) {
            this.mode = Checks.notNull(mode, "mode");
            return this;
        }

        /**
         * @throws InvalidInputException for a threshold outside [0, 1] or a palm interval below 1
         */
        public HolisticLandmarker build() {
            validate();
            return new HolisticLandmarker(this);
        }
    }
}
