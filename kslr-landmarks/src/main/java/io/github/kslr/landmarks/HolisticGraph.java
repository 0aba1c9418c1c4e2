package io.github.kslr.landmarks;

import static io.github.kslr.landmarks.HolisticStages.FACE_POINTS;
import static io.github.kslr.landmarks.HolisticStages.HAND_POINTS;
import static io.github.kslr.landmarks.HolisticStages.LEFT;
import static io.github.kslr.landmarks.HolisticStages.POSE_POINTS;
import static io.github.kslr.landmarks.HolisticStages.RIGHT;
import static io.github.kslr.landmarks.HolisticStages.clamp01;
import static io.github.kslr.landmarks.HolisticStages.handPart;
import static io.github.kslr.landmarks.HolisticModel.Output.CROP_POINTS;
import static io.github.kslr.landmarks.HolisticModel.Output.HANDEDNESS;
import static io.github.kslr.landmarks.HolisticModel.Output.HEATMAP;
import static io.github.kslr.landmarks.HolisticModel.Output.LANDMARKS;
import static io.github.kslr.landmarks.HolisticModel.Output.PRESENCE;
import static io.github.kslr.landmarks.HolisticModel.Output.WORLD;

import io.github.kslr.api.PoseLandmark;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.InferenceException;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.LandmarkSet;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MediaPipe Holistic's graph over one or more streams: the engine behind {@link HolisticLandmarker} (one stream) and
 * {@link MultiStreamLandmarker} (several). {@link #detect} takes one frame per stream and runs every model stage once
 * for all the crops of all the streams that need it (pose detection for the streams without a tracked pose, pose
 * landmarks for every pose, hand re-crop and hand landmarks for every hand, palm detection, face detection and face
 * landmarks for every face), so a GPU gets a few large calls per step instead of many small ones. Each stream keeps
 * its own tracking and smoothing state; the per-stage geometry and decoding are in {@link HolisticStages}.
 *
 * <p>Stages run in the graph's order, so a later stage's batch holds only the crops the earlier stages asked for;
 * with the palm fallback a frame may run the hand model up to three times (pose-seeded hands, hands tracked from the
 * previous frame, palm-found hands; without padded batches the second-best palms get a fourth call, only where the
 * best palm left a hand missing), each time batched over all streams.
 *
 * <p>In image mode ({@code video} false) every call starts from a fresh state: no tracking, no smoothing, and a palm
 * search on every frame that misses a hand.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: owned by one landmarker. It owns its croppers and batch buffers
 * ({@link #close()} frees them); the frames are read only during {@link #detect} and not kept.
 */
final class HolisticGraph implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HolisticGraph.class);

    private final boolean video;
    /** Every model call at its stage's largest batch (see the constructor). */
    private final boolean padded;

    private final float minPosePresence;
    private final float minHandPresence;
    private final float minFacePresence;
    private final float minWristVisibility;
    private final boolean smooth;
    private final boolean palmFallback;
    private final int palmInterval;
    private final boolean face;
    private final StageRunners stages;
    private final float[] recropPoints = new float[2 * 3];

    private final Stream[] streams;
    // Batch job tables, reused: which stream (and hand side / palm) each batch item belongs to.
    private final int[] jobStream;
    private final int[] jobSide;
    private final NormRect[] jobRoi;
    private final float[][] jobHand;
    private final float[] jobPresence;
    private final float[] jobHandedness;
    /** Runs the face branch beside the hand branch ({@code faceInParallel}), or null. */
    private final ExecutorService faceWorker;
    private boolean closed;

    /** One stream's tracking state and its croppers (which cache Mats over its frame and the batch slots). */
    private static final class Stream implements AutoCloseable {
        final RoiCropper poseDetectionCrop;
        final RoiCropper poseLandmarkCrop;
        final RoiCropper handRecropCrop;
        final RoiCropper handLandmarkCrop;
        final RoiCropper palmDetectionCrop;
        final RoiCropper faceDetectionCrop;
        final RoiCropper faceLandmarkCrop;
        final float[] pose = new float[POSE_POINTS * 4];
        final float[] world = new float[PoseLandmark.COUNT * 4];
        final float[] face = new float[FACE_POINTS * 3];
        final float[] letterboxPad = new float[2];
        final boolean[] needPalm = new boolean[2];
        final LandmarkSet[] hands = new LandmarkSet[2];
        final float[][] prevHand = {new float[HAND_POINTS * 3], new float[HAND_POINTS * 3]};
        final boolean[] prevHandPresent = new boolean[2];
        final float[] prevFace = new float[FACE_POINTS * 3];
        final LandmarkSmoother poseSmoother = new LandmarkSmoother(33, 0.05, 80, 1, true);
        final LandmarkSmoother worldSmoother = new LandmarkSmoother(33, 0.1, 40, 1, false);
        final LandmarkSmoother auxSmoother = new LandmarkSmoother(2, 0.01, 10, 1, true);
        NormRect trackedPoseRoi;
        boolean prevFacePresent;
        long lastTimestampMs = Long.MIN_VALUE;
        int framesSincePalmSearch;
        // Per frame.
        ImageFrame frame;
        NormRect poseRoi;
        boolean posePresent;
        float posePresence;
        boolean hadLeft;
        boolean hadRight;
        NormRect full;
        boolean searchPalms;
        final NormRect[] palmRoi = new NormRect[2];
        int palms;
        NormRect faceFromPose;
        NormRect faceRoi;
        LandmarkSet faceSet;

        Stream(RoiCropper... c) {
            poseDetectionCrop = c[0];
            poseLandmarkCrop = c[1];
            handRecropCrop = c[2];
            handLandmarkCrop = c[3];
            palmDetectionCrop = c[4];
            faceDetectionCrop = c[5];
            faceLandmarkCrop = c[6];
        }

        void reset() {
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
        public void close() {
            for (RoiCropper c : new RoiCropper[] {poseDetectionCrop, poseLandmarkCrop, handRecropCrop,
                    handLandmarkCrop, palmDetectionCrop, faceDetectionCrop, faceLandmarkCrop}) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    /**
     * @param b            the landmarker's options
     * @param streamCount  how many streams {@link #detect} advances together
     * @param video        tracking and smoothing across calls (video mode), or every call from scratch (image mode)
     * @param fixedBatches whether every model call runs at the largest batch its stage can need (the unused items
     *                     ignored), so each model sees one input shape; null: on for CUDA models (see
     *                     {@link MultiStreamLandmarker.Builder#fixedBatches} why), off for the CPU
     */
    HolisticGraph(HolisticOptionsBuilder<?> b, int streamCount, boolean video, Boolean fixedBatches) {
        this.video = video;
        this.minPosePresence = b.minPosePresence;
        this.minHandPresence = b.minHandPresence;
        this.minFacePresence = b.minFacePresence;
        this.minWristVisibility = b.minWristVisibility;
        this.smooth = b.smoothLandmarks;
        this.palmFallback = b.palmFallback;
        this.palmInterval = b.palmInterval;
        this.face = b.faceLandmarks;
        LandmarkerModels m = b.models;
        padded = fixedBatches != null ? fixedBatches
                : m.device().kind() == io.github.kslr.api.ExecutionDevice.Kind.CUDA;
        stages = new StageRunners(m, padded ? streamCount : 0, padded ? 2 * streamCount : 0, b.minPoseDetectionConfidence,
                b.minFaceDetectionConfidence);
        streams = new Stream[streamCount];
        try {
            for (int i = 0; i < streams.length; i++) {
                streams[i] = new Stream(stages.newCroppers());
            }
        } catch (RuntimeException e) {
            List<AutoCloseable> made = new ArrayList<>(Arrays.asList(streams));
            made.add(stages);
            StageRunners.closeAll(made, e);
            throw e;
        }
        int jobs = 2 * streams.length;
        jobStream = new int[jobs];
        jobSide = new int[jobs];
        jobRoi = new NormRect[jobs];
        jobHand = new float[jobs][HAND_POINTS * 3];
        jobPresence = new float[jobs];
        jobHandedness = new float[jobs];
        faceWorker = face && b.faceInParallel ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kslr-face-branch");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    int streams() {
        return streams.length;
    }

    /** Stream {@code stream}'s last timestamp, {@link Long#MIN_VALUE} after a reset. */
    long lastTimestampMs(int stream) {
        return streams[stream].lastTimestampMs;
    }

    /** Forgets every stream's tracking and smoothing state (new clips). */
    void reset() {
        for (Stream s : streams) {
            s.reset();
        }
    }

    /** Forgets stream {@code stream}'s tracking and smoothing state (a new clip on that stream). */
    void reset(int stream) {
        streams[stream].reset();
    }

    /**
     * Landmarks for one frame of every stream: {@code frames[i]} is stream {@code i}'s next frame. The caller has
     * checked the frames (one per stream, none null, timestamps increasing per stream in video mode).
     */
    HolisticLandmarks[] detect(ImageFrame[] frames) {
        int n = streams.length;
        if (!video) {
            reset();
        }
        for (int i = 0; i < n; i++) {
            Stream s = streams[i];
            s.frame = frames[i];
            s.lastTimestampMs = s.frame.timestampMs();
            s.full = null;
        }
        Future<?> faceDone = null;
        try {
            poseStage();
            // The face branch reads only the pose, the frame and its own state, runners and croppers.
            faceDone = faceWorker != null ? faceWorker.submit(this::faceStage) : null;
            handStage();
            if (palmFallback) {
                trackedHandStage();
                palmStage();
            }
            for (Stream s : streams) {
                for (int side = LEFT; side <= RIGHT; side++) {
                    if (!s.hands[side].isPresent()) {
                        s.prevHandPresent[side] = false;
                    }
                }
            }
            if (faceDone != null) {
                await(faceDone);
                faceDone = null;
            } else if (face) {
                faceStage();
            } else {
                for (Stream s : streams) {
                    s.faceSet = LandmarkSet.absent(LandmarkPart.FACE);
                }
            }
            HolisticLandmarks[] out = new HolisticLandmarks[n];
            for (int i = 0; i < n; i++) {
                Stream s = streams[i];
                ImageFrame f = s.frame;
                LandmarkSet poseSet = s.posePresent
                        ? LandmarkSet.of(LandmarkPart.POSE, s.pose, 0, clamp01(s.posePresence))
                        : LandmarkSet.absent(LandmarkPart.POSE);
                LandmarkSet worldSet = s.posePresent
                        ? LandmarkSet.of(LandmarkPart.POSE_WORLD, s.world, 0, clamp01(s.posePresence))
                        : LandmarkSet.absent(LandmarkPart.POSE_WORLD);
                out[i] = new HolisticLandmarks(f.timestampMs(), f.width(), f.height(), poseSet, worldSet, s.faceSet,
                        s.hands[LEFT], s.hands[RIGHT]);
            }
            return out;
        } finally {
            if (faceDone != null) {
                // Something failed before the face branch was awaited: let it finish with the frame before the frame
                // is released (if it failed too, the first exception is the one thrown).
                try {
                    await(faceDone);
                } catch (RuntimeException ignored) {
                    // already failing
                }
            }
            for (Stream s : streams) {
                s.frame = null;
            }
        }
    }

    /** Waits for the face branch; rethrows what it threw. */
    private static void await(Future<?> task) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    task.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // the frame's buffers are in use until the branch ends
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new InferenceException("face branch failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private NormRect full(Stream s) {
        if (s.full == null) {
            s.full = Geometry.letterboxRoi(s.frame.width(), s.frame.height(), s.letterboxPad);
        }
        return s.full;
    }

    /** Pose detection for the streams without a tracked pose, then pose landmarks for every stream with a region. */
    private void poseStage() {
        int k = 0;
        for (Stream s : streams) {
            s.poseRoi = s.trackedPoseRoi;
            if (s.poseRoi == null) {
                k++;
            }
        }
        if (k > 0) {
            stages.poseDetection.runner.ensure(k);
            int j = 0;
            for (Stream s : streams) {
                if (s.trackedPoseRoi == null) {
                    s.poseDetectionCrop.crop(s.frame, full(s), stages.poseDetection.runner.input(),
                            stages.poseDetection.runner.inputOffset(j++));
                }
            }
            stages.poseDetection.runner.run(k);
            j = 0;
            for (Stream s : streams) {
                if (s.trackedPoseRoi == null) {
                    List<Detection> dets = stages.poseDetection.decode(j++);
                    s.poseRoi = dets.isEmpty() ? null
                            : HolisticStages.poseRoi(dets.get(0), full(s), s.frame.width(), s.frame.height());
                }
            }
        }
        k = 0;
        for (Stream s : streams) {
            if (s.poseRoi != null) {
                k++;
            }
        }
        if (k > 0) {
            stages.poseLandmark.ensure(k);
            int j = 0;
            for (Stream s : streams) {
                if (s.poseRoi != null) {
                    s.poseLandmarkCrop.crop(s.frame, s.poseRoi, stages.poseLandmark.input(),
                            stages.poseLandmark.inputOffset(j++));
                }
            }
            stages.poseLandmark.run(k);
        }
        int j = 0;
        for (Stream s : streams) {
            s.posePresent = false;
            if (s.poseRoi != null) {
                float presence = stages.poseLandmark.output(PRESENCE)
                        .get(stages.poseLandmark.outputOffset(PRESENCE, j));
                s.posePresence = presence;
                s.posePresent = presence > minPosePresence;
                if (s.posePresent) {
                    HolisticStages.decodePose(stages.poseLandmark.output(LANDMARKS),
                            stages.poseLandmark.outputOffset(LANDMARKS, j),
                            stages.poseLandmark.output(HEATMAP),
                            stages.poseLandmark.outputOffset(HEATMAP, j),
                            stages.poseLandmark.output(WORLD),
                            stages.poseLandmark.outputOffset(WORLD, j), stages.poseLandmark.width(),
                            stages.poseLandmark.height(), s.poseRoi, s.pose, s.world);
                    if (video) {
                        s.trackedPoseRoi = HolisticStages.smoothPose(s.pose, s.world, smooth, s.poseSmoother,
                                s.worldSmoother, s.auxSmoother, s.frame.timestampMs() * 1000L, s.frame.width(),
                                s.frame.height());
                    }
                }
                j++;
            }
            if (!s.posePresent) {
                s.trackedPoseRoi = null;
                s.poseSmoother.reset();
                s.worldSmoother.reset();
                s.auxSmoother.reset();
            }
        }
    }

    /** Hands seeded from the pose: one re-crop batch, then one hand landmark batch, over all streams and sides. */
    private void handStage() {
        int k = 0;
        for (int i = 0; i < streams.length; i++) {
            Stream s = streams[i];
            s.hadLeft = s.prevHandPresent[LEFT];
            s.hadRight = s.prevHandPresent[RIGHT];
            for (int side = LEFT; side <= RIGHT; side++) {
                s.hands[side] = LandmarkSet.absent(handPart(side));
                s.needPalm[side] = true;
                if (s.posePresent && s.pose[(PoseLandmark.LEFT_WRIST + side) * 4 + 3] > minWristVisibility) {
                    jobStream[k] = i;
                    jobSide[k] = side;
                    jobRoi[k] = HolisticStages.handRecropInput(s.pose, side, s.frame.width(), s.frame.height());
                    k++;
                }
            }
        }
        if (k == 0) {
            return;
        }
        stages.handRecrop.ensure(k);
        for (int j = 0; j < k; j++) {
            Stream s = streams[jobStream[j]];
            s.handRecropCrop.crop(s.frame, jobRoi[j], stages.handRecrop.input(), stages.handRecrop.inputOffset(j));
        }
        stages.handRecrop.run(k);
        for (int j = 0; j < k; j++) {
            Stream s = streams[jobStream[j]];
            int side = jobSide[j], w = s.frame.width(), h = s.frame.height();
            NormRect recrop = HolisticStages.handRoiFromRecrop(stages.handRecrop.output(CROP_POINTS),
                    stages.handRecrop.outputOffset(CROP_POINTS, j), stages.handRecrop.width(),
                    stages.handRecrop.height(), jobRoi[j],
                    recropPoints, w, h);
            NormRect roi = recrop;
            if (s.prevHandPresent[side]) {
                NormRect prevRoi = HolisticStages.handRoiFromLandmarks(s.prevHand[side], w, h);
                if (RoiTracking.HAND.keepPrevious(prevRoi, recrop, s.prevHand[side], 3, HAND_POINTS, w, h)) {
                    roi = prevRoi;
                }
            }
            jobRoi[j] = roi;
        }
        runHands(k);
        for (int j = 0; j < k; j++) {
            Stream s = streams[jobStream[j]];
            int side = jobSide[j];
            s.hands[side] = acceptHand(s, side, j);
            s.needPalm[side] = !s.hands[side].isPresent();
        }
    }

    /** A present hand becomes the side's previous hand (a side without a hand at the frame's end forgets it). */
    private LandmarkSet acceptHand(Stream s, int side, int job) {
        float presence = jobPresence[job];
        if (!(presence > minHandPresence)) {
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
        stages.handLandmark.ensure(k);
        for (int j = 0; j < k; j++) {
            if (HolisticStages.usable(jobRoi[j])) {
                Stream s = streams[jobStream[j]];
                s.handLandmarkCrop.crop(s.frame, jobRoi[j], stages.handLandmark.input(),
                        stages.handLandmark.inputOffset(batch++));
            }
        }
        if (batch > 0) {
            stages.handLandmark.run(batch);
        }
        FloatBuffer presence = stages.handLandmark.output(PRESENCE);
        FloatBuffer handedness = stages.handLandmark.output(HANDEDNESS);
        FloatBuffer lm = stages.handLandmark.output(LANDMARKS);
        int b = 0;
        for (int j = 0; j < k; j++) {
            if (!HolisticStages.usable(jobRoi[j])) {
                jobPresence[j] = 0f;
                continue;
            }
            jobPresence[j] = presence.get(stages.handLandmark.outputOffset(PRESENCE, b));
            jobHandedness[j] = handedness.get(stages.handLandmark.outputOffset(HANDEDNESS, b));
            HolisticStages.decodeHand(lm, stages.handLandmark.outputOffset(LANDMARKS, b),
                    stages.handLandmark.width(),
                    stages.handLandmark.height(), jobRoi[j], jobHand[j]);
            b++;
        }
    }

    /** Hands the pose did not give, tracked from the previous frame (MediaPipe Hands' tracking), all in one batch. */
    private void trackedHandStage() {
        int k = 0;
        for (int i = 0; i < streams.length; i++) {
            Stream s = streams[i];
            for (int side = LEFT; side <= RIGHT; side++) {
                if (s.needPalm[side] && (side == LEFT ? s.hadLeft : s.hadRight)) {
                    jobStream[k] = i;
                    jobSide[k] = side;
                    jobRoi[k] = HolisticStages.handRoiFromLandmarks(s.prevHand[side], s.frame.width(),
                            s.frame.height());
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
            Stream s = streams[jobStream[j]];
            int side = jobSide[j];
            s.hands[side] = acceptHand(s, side, j);
            if (s.hands[side].isPresent() && HolisticStages.overlapsOtherHand(s.hands, side)) {
                s.hands[side] = LandmarkSet.absent(handPart(side));
            }
        }
    }

    /** Palm detection for the streams still missing a hand (at their search interval), then the hand model. */
    private void palmStage() {
        int k = 0;
        for (Stream s : streams) {
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
            if (video && s.posePresent && ++s.framesSincePalmSearch < palmInterval) {
                continue;
            }
            s.framesSincePalmSearch = 0;
            s.searchPalms = true;
            k++;
        }
        if (k == 0) {
            return;
        }
        stages.palmDetection.runner.ensure(k);
        int j = 0;
        for (Stream s : streams) {
            if (s.searchPalms) {
                s.palmDetectionCrop.crop(s.frame, full(s), stages.palmDetection.runner.input(),
                        stages.palmDetection.runner.inputOffset(j++));
            }
        }
        stages.palmDetection.runner.run(k);
        j = 0;
        for (Stream s : streams) {
            s.palms = 0;
            if (!s.searchPalms) {
                continue;
            }
            List<Detection> palms = stages.palmDetection.decode(j++);
            // As MediaPipe Hands with max_num_hands 2: only the two best palms go on to the hand model.
            for (int p = 0; p < Math.min(2, palms.size()); p++) {
                s.palmRoi[s.palms++] = HolisticStages.palmRoi(palms.get(p), full(s), s.frame.width(),
                        s.frame.height());
            }
        }
        // Padded batches (GPU): both palms of every stream in one hand-model call. Otherwise (CPU) a second palm goes
        // to the hand model only for the streams the best palm left unfinished, as a sequential search would.
        int perRound = padded ? 2 : 1;
        for (int first = 0; first < 2; first += perRound) {
            palmHands(first, first + perRound);
        }
    }

    /** Runs the hand model on palms {@code from..to-1} of every stream still missing a hand; accepts them in order. */
    private void palmHands(int from, int to) {
        int jobs = 0;
        for (int i = 0; i < streams.length; i++) {
            Stream s = streams[i];
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
            Stream s = streams[jobStream[q]];
            if (HolisticStages.palmsDone(s.needPalm, s.hands)) {
                continue;
            }
            float presence = jobPresence[q];
            if (!(presence > minHandPresence)) {
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

    /** Face detection inside the pose's face region for every stream with a pose, then face landmarks. */
    private void faceStage() {
        int k = 0;
        for (Stream s : streams) {
            s.faceSet = LandmarkSet.absent(LandmarkPart.FACE);
            s.faceRoi = null;
            if (!s.posePresent) {
                s.prevFacePresent = false;
                continue;
            }
            s.faceFromPose = HolisticStages.faceDetectionRoi(s.pose, s.frame.width(), s.frame.height());
            k++;
        }
        if (k == 0) {
            return;
        }
        stages.faceDetection.runner.ensure(k);
        int j = 0;
        for (Stream s : streams) {
            if (s.posePresent) {
                s.faceDetectionCrop.crop(s.frame, s.faceFromPose, stages.faceDetection.runner.input(),
                        stages.faceDetection.runner.inputOffset(j++));
            }
        }
        stages.faceDetection.runner.run(k);
        j = 0;
        int m = 0;
        for (Stream s : streams) {
            if (!s.posePresent) {
                continue;
            }
            List<Detection> faces = stages.faceDetection.decode(j++);
            if (faces.isEmpty()) {
                s.prevFacePresent = false;
                continue;
            }
            int w = s.frame.width(), h = s.frame.height();
            NormRect recrop = HolisticStages.faceRoi(faces.get(0), s.faceFromPose, w, h);
            NormRect roi = recrop;
            if (s.prevFacePresent) {
                NormRect prevRoi = HolisticStages.faceTrackedRoi(s.prevFace, w, h);
                if (RoiTracking.FACE.keepPrevious(prevRoi, recrop, s.prevFace, 3, FACE_POINTS, w, h)) {
                    roi = prevRoi;
                }
            }
            s.faceRoi = roi;
            m++;
        }
        if (m == 0) {
            return;
        }
        stages.faceLandmark.ensure(m);
        j = 0;
        for (Stream s : streams) {
            if (s.faceRoi != null) {
                s.faceLandmarkCrop.crop(s.frame, s.faceRoi, stages.faceLandmark.input(),
                        stages.faceLandmark.inputOffset(j++));
            }
        }
        stages.faceLandmark.run(m);
        j = 0;
        for (Stream s : streams) {
            if (s.faceRoi == null) {
                continue;
            }
            float presence = HolisticStages.sigmoid(stages.faceLandmark.output(PRESENCE)
                    .get(stages.faceLandmark.outputOffset(PRESENCE, j)));
            if (!(presence > minFacePresence)) {
                s.prevFacePresent = false;
            } else {
                HolisticStages.decodeFace(stages.faceLandmark.output(LANDMARKS),
                        stages.faceLandmark.outputOffset(LANDMARKS, j), stages.faceLandmark.width(),
                        stages.faceLandmark.height(), s.faceRoi, s.face);
                System.arraycopy(s.face, 0, s.prevFace, 0, s.face.length);
                s.prevFacePresent = true;
                s.faceSet = LandmarkSet.of(LandmarkPart.FACE, s.face, 0, clamp01(presence));
            }
            j++;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (faceWorker != null) {
            faceWorker.shutdown(); // no branch is running: detect waits for it before returning
        }
        List<AutoCloseable> all = new ArrayList<>(Arrays.asList(streams));
        all.add(stages);
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", c, e.toString());
            }
        }
    }
}
