package io.github.kslr.landmarks;

import static io.github.kslr.landmarks.HolisticModel.Output.CROP_POINTS;
import static io.github.kslr.landmarks.HolisticModel.Output.HANDEDNESS;
import static io.github.kslr.landmarks.HolisticModel.Output.LANDMARKS;
import static io.github.kslr.landmarks.HolisticModel.Output.PRESENCE;
import static io.github.kslr.landmarks.HolisticStages.HAND_POINTS;
import static io.github.kslr.landmarks.HolisticStages.LEFT;
import static io.github.kslr.landmarks.HolisticStages.RIGHT;
import static io.github.kslr.landmarks.HolisticStages.clamp01;
import static io.github.kslr.landmarks.HolisticStages.handPart;

import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.LandmarkSet;
import io.github.kslr.api.PoseLandmark;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The holistic graph's hand branch over every stream (MediaPipe's {@code holistic_hand_tracking}), plus the palm
 * fallback: hands seeded from the pose (re-crop model, then the hand model, keeping the previous frame's region when
 * it agrees); with the palm fallback, hands the pose did not give tracked from the previous frame, then palm detection
 * (MediaPipe Hands) for the streams still missing one. Every step is one batch over all streams and sides, so a frame
 * may run the hand model up to three times (without padded batches the second-best palms get a fourth call, only where
 * the best palm left a hand missing).
 *
 * <p><b>Thread-safety.</b> Not thread-safe: owned by one {@link HolisticGraph}. {@link #close()} frees its runners and
 * croppers.
 */
final class HandTracking implements AutoCloseable {
    private final boolean video;
    private final boolean padded;
    private final float minPresence;
    private final float minWristVisibility;
    private final boolean palmFallback;
    private final int palmInterval;
    private final BatchRunner recrop;
    private final Units.DetectionAndLandmarks palmThenHand;
    private final BatchRunner landmark;
    private final Detector palmDetection;
    private final Pair[] pairs;
    // One a stream; the hand landmark and palm croppers are palmThenHand's.
    private final RoiCropper[] recropCrops;
    private final float[] recropPoints = new float[2 * 3];
    // Batch job tables, reused: which stream (and hand side / palm) each batch item belongs to.
    private final int[] jobStream;
    private final int[] jobSide;
    private final NormRect[] jobRoi;
    private final float[][] jobHand;
    private final float[] jobPresence;
    private final float[] jobHandedness;
    // This frame's images, during run.
    private ImageFrame[] frames;

    /** One stream's two hands: their tracking state and this frame's results. */
    private static final class Pair {
        final float[] letterboxPad = new float[2];
        final boolean[] needPalm = new boolean[2];
        final LandmarkSet[] hands = new LandmarkSet[2];
        final float[][] prevHand = {new float[HAND_POINTS * 3], new float[HAND_POINTS * 3]};
        final boolean[] prevHandPresent = new boolean[2];
        int framesSincePalmSearch;
        // Per frame.
        boolean hadLeft;
        boolean hadRight;
        boolean searchPalms;
        final NormRect[] palmRoi = new NormRect[2];
        int palms;

        void reset() {
            prevHandPresent[LEFT] = prevHandPresent[RIGHT] = false;
            framesSincePalmSearch = 0;
        }
    }

    /**
     * @param perPart     fixed batch of palm detection (one crop a stream), 0 for variable batches
     * @param perHandPair fixed batch of the re-crop and hand models (two crops a stream), 0 for variable batches
     * @param padded      whether the batches are fixed (both palms of a stream then go to the hand model at once)
     * @param video       tracking across frames (else a palm search on every frame that misses a hand)
     */
    HandTracking(
            LandmarkerModels models,
            int streams,
            int perPart,
            int perHandPair,
            boolean padded,
            boolean video,
            float minPresence,
            float minWristVisibility,
            boolean palmFallback,
            int palmInterval) {
        this.video = video;
        this.padded = padded;
        this.minPresence = minPresence;
        this.minWristVisibility = minWristVisibility;
        this.palmFallback = palmFallback;
        this.palmInterval = palmInterval;
        List<AutoCloseable> made = new ArrayList<>();
        try {
            recrop = Units.keep(made, Units.runner(models, HolisticModel.HAND_RECROP, perHandPair));
            palmThenHand = Units.keep(
                    made,
                    new Units.DetectionAndLandmarks(
                            models,
                            HolisticModel.PALM_DETECTION,
                            perPart,
                            0.5f,
                            HolisticModel.HAND_LANDMARK,
                            perHandPair,
                            streams));
            recropCrops = new RoiCropper[streams];
            for (int i = 0; i < streams; i++) {
                recropCrops[i] = Units.keep(made, Units.cropper(HolisticModel.HAND_RECROP, recrop));
            }
        } catch (RuntimeException e) {
            Units.closeAll(made, e);
            throw e;
        }
        landmark = palmThenHand.landmark;
        palmDetection = palmThenHand.detection;
        pairs = new Pair[streams];
        Arrays.setAll(pairs, i -> new Pair());
        int jobs = 2 * streams;
        jobStream = new int[jobs];
        jobSide = new int[jobs];
        jobRoi = new NormRect[jobs];
        jobHand = new float[jobs][HAND_POINTS * 3];
        jobPresence = new float[jobs];
        jobHandedness = new float[jobs];
    }

    /** Stream {@code stream}'s hand on {@code side} ({@link HolisticStages#LEFT} or {@code RIGHT}), last frame. */
    LandmarkSet hand(int stream, int side) {
        return pairs[stream].hands[side];
    }

    /** Forgets stream {@code stream}'s previous hands and palm search count. */
    void reset(int stream) {
        pairs[stream].reset();
    }

    /** Finds the hands of {@code frames[i]} for every stream {@code i}, after {@code pose} has run on them. */
    void run(ImageFrame[] frames, PoseTracking pose) {
        this.frames = frames;
        try {
            poseSeededHands(pose);
            if (palmFallback) {
                trackedHands();
                palmHands(pose);
            }
            for (Pair s : pairs) {
                for (int side = LEFT; side <= RIGHT; side++) {
                    if (!s.hands[side].isPresent()) {
                        s.prevHandPresent[side] = false;
                    }
                }
            }
        } finally {
            this.frames = null;
        }
    }

    /** Hands seeded from the pose: one re-crop batch, then one hand landmark batch, over all streams and sides. */
    private void poseSeededHands(PoseTracking pose) {
        int k = 0;
        for (int i = 0; i < pairs.length; i++) {
            Pair s = pairs[i];
            float[] p = pose.landmarks(i);
            s.hadLeft = s.prevHandPresent[LEFT];
            s.hadRight = s.prevHandPresent[RIGHT];
            for (int side = LEFT; side <= RIGHT; side++) {
                s.hands[side] = LandmarkSet.absent(handPart(side));
                s.needPalm[side] = true;
                if (pose.present(i) && p[(PoseLandmark.LEFT_WRIST + side) * 4 + 3] > minWristVisibility) {
                    jobStream[k] = i;
                    jobSide[k] = side;
                    jobRoi[k] = HolisticStages.handRecropInput(p, side, frames[i].width(), frames[i].height());
                    k++;
                }
            }
        }
        if (k == 0) {
            return;
        }
        recrop.ensure(k);
        for (int j = 0; j < k; j++) {
            recropCrops[jobStream[j]].crop(frames[jobStream[j]], jobRoi[j], recrop.input(), recrop.inputOffset(j));
        }
        recrop.run(k);
        for (int j = 0; j < k; j++) {
            Pair s = pairs[jobStream[j]];
            ImageFrame f = frames[jobStream[j]];
            int side = jobSide[j], w = f.width(), h = f.height();
            NormRect fromRecrop = HolisticStages.handRoiFromRecrop(
                    recrop.output(CROP_POINTS),
                    recrop.outputOffset(CROP_POINTS, j),
                    recrop.width(),
                    recrop.height(),
                    jobRoi[j],
                    recropPoints,
                    w,
                    h);
            NormRect roi = fromRecrop;
            if (s.prevHandPresent[side]) {
                NormRect prevRoi = HolisticStages.handRoiFromLandmarks(s.prevHand[side], w, h);
                if (RoiTracking.HAND.keepPrevious(prevRoi, fromRecrop, s.prevHand[side], 3, HAND_POINTS, w, h)) {
                    roi = prevRoi;
                }
            }
            jobRoi[j] = roi;
        }
        runHands(k);
        for (int j = 0; j < k; j++) {
            Pair s = pairs[jobStream[j]];
            int side = jobSide[j];
            s.hands[side] = acceptHand(s, side, j);
            s.needPalm[side] = !s.hands[side].isPresent();
        }
    }

    /** A present hand becomes the side's previous hand (a side without a hand at the frame's end forgets it). */
    private LandmarkSet acceptHand(Pair s, int side, int job) {
        float presence = jobPresence[job];
        if (!(presence > minPresence)) {
            return LandmarkSet.absent(handPart(side));
        }
        System.arraycopy(jobHand[job], 0, s.prevHand[side], 0, HAND_POINTS * 3);
        s.prevHandPresent[side] = true;
        return LandmarkSet.of(handPart(side), jobHand[job], 0, clamp01(presence));
    }

    /**
     * Runs the hand model once over jobs 0..k-1 (regions in {@link #jobRoi}); fills {@link #jobPresence},
     * {@link #jobHandedness} and {@link #jobHand}. An empty region gets presence 0 without a model run.
     */
    private void runHands(int k) {
        int batch = 0;
        landmark.ensure(k);
        for (int j = 0; j < k; j++) {
            if (HolisticStages.usable(jobRoi[j])) {
                palmThenHand
                        .landmarkCrop(jobStream[j])
                        .crop(frames[jobStream[j]], jobRoi[j], landmark.input(), landmark.inputOffset(batch++));
            }
        }
        if (batch > 0) {
            landmark.run(batch);
        }
        FloatBuffer presence = landmark.output(PRESENCE);
        FloatBuffer handedness = landmark.output(HANDEDNESS);
        FloatBuffer lm = landmark.output(LANDMARKS);
        int b = 0;
        for (int j = 0; j < k; j++) {
            if (!HolisticStages.usable(jobRoi[j])) {
                jobPresence[j] = 0f;
                continue;
            }
            jobPresence[j] = presence.get(landmark.outputOffset(PRESENCE, b));
            jobHandedness[j] = handedness.get(landmark.outputOffset(HANDEDNESS, b));
            HolisticStages.decodeHand(
                    lm,
                    landmark.outputOffset(LANDMARKS, b),
                    landmark.width(),
                    landmark.height(),
                    jobRoi[j],
                    jobHand[j]);
            b++;
        }
    }

    /** Hands the pose did not give, tracked from the previous frame (MediaPipe Hands' tracking), all in one batch. */
    private void trackedHands() {
        int k = 0;
        for (int i = 0; i < pairs.length; i++) {
            Pair s = pairs[i];
            for (int side = LEFT; side <= RIGHT; side++) {
                if (s.needPalm[side] && (side == LEFT ? s.hadLeft : s.hadRight)) {
                    jobStream[k] = i;
                    jobSide[k] = side;
                    jobRoi[k] = HolisticStages.handRoiFromLandmarks(
                            s.prevHand[side], frames[i].width(), frames[i].height());
                    k++;
                }
            }
        }
        if (k == 0) {
            return;
        }
        runHands(k);
        // Jobs are in stream order, left before right: the overlap check sees the left hand's outcome first.
        for (int j = 0; j < k; j++) {
            Pair s = pairs[jobStream[j]];
            int side = jobSide[j];
            s.hands[side] = acceptHand(s, side, j);
            if (s.hands[side].isPresent() && HolisticStages.overlapsOtherHand(s.hands, side)) {
                s.hands[side] = LandmarkSet.absent(handPart(side));
            }
        }
    }

    /** Palm detection for the streams still missing a hand (at their search interval), then the hand model. */
    private void palmHands(PoseTracking pose) {
        int k = 0;
        for (int i = 0; i < pairs.length; i++) {
            Pair s = pairs[i];
            boolean missing = false;
            for (int side = LEFT; side <= RIGHT; side++) {
                missing |= s.needPalm[side] && !s.hands[side].isPresent();
            }
            s.searchPalms = false;
            if (!missing) {
                continue;
            }
            // In video mode a hand that stays out of view (a signer's resting hand) would cost a palm detection (and
            // hand model runs on what it finds) every frame; search only every palmInterval frames, except while
            // there is no pose at all (hand-only footage), where MediaPipe Hands searches every frame.
            if (video && pose.present(i) && ++s.framesSincePalmSearch < palmInterval) {
                continue;
            }
            s.framesSincePalmSearch = 0;
            s.searchPalms = true;
            k++;
        }
        if (k == 0) {
            return;
        }
        BatchRunner r = palmDetection.runner;
        r.ensure(k);
        int j = 0;
        for (int i = 0; i < pairs.length; i++) {
            Pair s = pairs[i];
            if (s.searchPalms) {
                palmThenHand.detectionCrop(i).crop(frames[i], letterbox(i), r.input(), r.inputOffset(j++));
            }
        }
        r.run(k);
        j = 0;
        for (int i = 0; i < pairs.length; i++) {
            Pair s = pairs[i];
            s.palms = 0;
            if (!s.searchPalms) {
                continue;
            }
            List<Detection> palms = palmDetection.decode(j++);
            // As MediaPipe Hands with max_num_hands 2: only the two best palms go on to the hand model.
            for (int p = 0; p < Math.min(2, palms.size()); p++) {
                s.palmRoi[s.palms++] =
                        HolisticStages.palmRoi(palms.get(p), letterbox(i), frames[i].width(), frames[i].height());
            }
        }
        // Padded batches (GPU): both palms of every stream in one hand-model call. Otherwise (CPU) a second palm goes
        // to the hand model only for the streams the best palm left unfinished, as a sequential search would.
        int perRound = padded ? 2 : 1;
        for (int first = 0; first < 2; first += perRound) {
            palmRound(first, first + perRound);
        }
    }

    private NormRect letterbox(int stream) {
        return Geometry.letterboxRoi(frames[stream].width(), frames[stream].height(), pairs[stream].letterboxPad);
    }

    /** Runs the hand model on palms {@code from..to-1} of every stream still missing a hand; accepts them in order. */
    private void palmRound(int from, int to) {
        int jobs = 0;
        for (int i = 0; i < pairs.length; i++) {
            Pair s = pairs[i];
            if (s.palms <= from || HolisticStages.palmsDone(s.needPalm, s.hands)) {
                continue;
            }
            for (int p = from; p < Math.min(to, s.palms); p++) {
                jobStream[jobs] = i;
                jobRoi[jobs] = s.palmRoi[p];
                jobs++;
            }
        }
        if (jobs == 0) {
            return;
        }
        runHands(jobs);
        // Sequentially per stream, best palm first: a palm after both sides are done is ignored.
        for (int q = 0; q < jobs; q++) {
            Pair s = pairs[jobStream[q]];
            if (HolisticStages.palmsDone(s.needPalm, s.hands)) {
                continue;
            }
            float presence = jobPresence[q];
            if (!(presence > minPresence)) {
                continue;
            }
            if (HolisticStages.overlapsFoundHand(jobHand[q], s.hands)) {
                continue;
            }
            int side = HolisticStages.palmSide(jobHandedness[q], s.needPalm, s.hands);
            if (side < 0) {
                continue;
            }
            System.arraycopy(jobHand[q], 0, s.prevHand[side], 0, HAND_POINTS * 3);
            s.prevHandPresent[side] = true;
            s.hands[side] = LandmarkSet.of(handPart(side), jobHand[q], 0, clamp01(presence));
        }
    }

    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(List.of(recropCrops));
        all.add(recrop);
        all.add(palmThenHand);
        Units.closeQuietly(all);
    }
}
