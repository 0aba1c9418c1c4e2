package io.github.kslr.landmarks;

import static io.github.kslr.landmarks.HolisticStages.FACE_POINTS;
import static io.github.kslr.landmarks.HolisticStages.HAND_POINTS;
import static io.github.kslr.landmarks.HolisticStages.LEFT;
import static io.github.kslr.landmarks.HolisticStages.POSE_POINTS;
import static io.github.kslr.landmarks.HolisticStages.RIGHT;
import static io.github.kslr.landmarks.HolisticStages.clamp01;
import static io.github.kslr.landmarks.HolisticStages.handPart;

import io.github.kslr.api.Checks;
import io.github.kslr.api.ClosedException;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.LandmarkSet;
import io.github.kslr.api.RunningMode;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HolisticLandmarker}'s video-mode graph over several streams at once: {@link #detect(List)} takes one frame
 * per stream and runs every model stage once for all the crops of all the streams that need it (pose detection for
 * the streams without a tracked pose, pose landmarks for every pose, hand re-crop and hand landmarks for every hand,
 * palm detection, face detection and face landmarks for every face), so a GPU gets a few large calls per step
 * instead of many small ones. Each stream keeps its own tracking and smoothing state, exactly as its own
 * {@code HolisticLandmarker} would; the per-stage geometry and decoding are the same code ({@link HolisticStages}),
 * so results differ from per-stream landmarkers only by the models' floating-point noise between batch sizes.
 *
 * <p>Stages run in the graph's order, so a later stage's batch holds only the crops the earlier stages asked for;
 * with the palm fallback a frame may run the hand model up to three times (pose-seeded hands, hands tracked from the
 * previous frame, palm-found hands), each time batched over all streams.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one caller at a time (all streams advance together in
 * {@link #detect(List)}). Several instances may share one {@link LandmarkerModels}. The landmarker owns its native
 * input and output buffers and tensors, sized for the largest batch seen and reused afterwards ({@link #close()}
 * frees them, idempotently); it reads the caller's frames only during {@link #detect(List)} and keeps no reference
 * to them. The returned list and its results are immutable and owned by the caller.
 */
public final class MultiStreamLandmarker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MultiStreamLandmarker.class);

    private final float minPosePresence;
    private final float minHandPresence;
    private final float minFacePresence;
    private final float minWristVisibility;
    private final boolean smooth;
    private final boolean palmFallback;
    private final int palmInterval;
    private final StageRunners stages;
    private final OutputNames names;
    private final float[] recropPoints = new float[2 * 3];

    private final Stream[] streams;
    // Batch job tables, reused: which stream (and hand side / palm) each batch item belongs to.
    private final int[] jobStream;
    private final int[] jobSide;
    private final NormRect[] jobRoi;
    private final float[][] jobHand;
    private final float[] jobPresence;
    private final float[] jobHandedness;
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
        final float[] world = new float[33 * 4];
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

    private MultiStreamLandmarker(Builder b) {
        this.minPosePresence = b.minPosePresence;
        this.minHandPresence = b.minHandPresence;
        this.minFacePresence = b.minFacePresence;
        this.minWristVisibility = b.minWristVisibility;
        this.smooth = b.smoothLandmarks;
        this.palmFallback = b.palmFallback;
        this.palmInterval = b.palmInterval;
        LandmarkerModels m = b.models;
        boolean pad = b.fixedBatches != null ? b.fixedBatches
                : m.device().kind() == io.github.kslr.api.ExecutionDevice.Kind.CUDA;
        stages = new StageRunners(m, pad ? b.streams : 0, pad ? 2 * b.streams : 0, b.minPoseDetectionConfidence,
                b.minFaceDetectionConfidence);
        names = stages.names;
        streams = new Stream[b.streams];
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
    }

    /** A builder over shared models. */
    public static Builder builder(LandmarkerModels models) {
        return new Builder(models);
    }

    /** The number of streams; {@link #detect(List)} takes exactly this many frames. */
    public int streams() {
        return streams.length;
    }

    /** Always {@link RunningMode#VIDEO}: the streams are tracked from frame to frame. */
    public RunningMode runningMode() {
        return RunningMode.VIDEO;
    }

    /** Forgets every stream's tracking and smoothing state (new clips). */
    public void reset() {
        for (Stream s : streams) {
            s.reset();
        }
    }

    /** Forgets stream {@code stream}'s tracking and smoothing state (a new clip on that stream). */
    public void reset(int stream) {
        if (stream < 0 || stream >= streams.length) {
            throw new InvalidInputException("stream must be in [0, " + streams.length + "), was " + stream);
        }
        streams[stream].reset();
    }

    /**
     * Landmarks for one frame of every stream: {@code frames.get(i)} is stream {@code i}'s next frame, with a
     * timestamp later than that stream's previous one. Returns one result per stream, in order.
     *
     * @throws InvalidInputException when the list is null, its size is not {@link #streams()}, a frame is null, or a
     *                               stream's timestamps do not increase (no stream's state changes then)
     * @throws ClosedException after {@link #close()}
     */
    public List<HolisticLandmarks> detect(List<ImageFrame> frames) {
        if (closed) {
            throw new ClosedException("MultiStreamLandmarker");
        }
        Checks.notNull(frames, "frames");
        int n = streams.length;
        if (frames.size() != n) {
            throw new InvalidInputException("expected one frame per stream (" + n + "), got " + frames.size());
        }
        for (int i = 0; i < n; i++) {
            ImageFrame f = frames.get(i);
            if (f == null) {
                throw new InvalidInputException("frame for stream " + i + " is null");
            }
            if (f.timestampMs() <= streams[i].lastTimestampMs) {
                throw new InvalidInputException("stream " + i + ": video frames need strictly increasing timestamps: got "
                        + f.timestampMs() + " ms after " + streams[i].lastTimestampMs
                        + " ms (call reset(" + i + ") to start a new clip)");
            }
        }
        for (int i = 0; i < n; i++) {
            Stream s = streams[i];
            s.frame = frames.get(i);
            s.lastTimestampMs = s.frame.timestampMs();
            s.full = null;
        }
        try {
            poseStage();
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
            faceStage();
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
            return List.of(out);
        } finally {
            for (Stream s : streams) {
                s.frame = null;
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
            stages.poseDetection.ensure(k);
            int j = 0;
            for (Stream s : streams) {
                if (s.trackedPoseRoi == null) {
                    s.poseDetectionCrop.crop(s.frame, full(s), stages.poseDetection.input(),
                            stages.poseDetection.inputOffset(j++));
                }
            }
            stages.poseDetection.run(k);
            j = 0;
            for (Stream s : streams) {
                if (s.trackedPoseRoi == null) {
                    List<Detection> dets = HolisticStages.decode(stages.poseDetection.output(names.poseDetBoxes),
                            stages.poseDetection.outputOffset(names.poseDetBoxes, j),
                            stages.poseDetection.output(names.poseDetScores),
                            stages.poseDetection.outputOffset(names.poseDetScores, j), stages.poseBoxes,
                            stages.poseScores, stages.poseDecoder);
                    j++;
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
                float presence = stages.poseLandmark.output(names.posePresence)
                        .get(stages.poseLandmark.outputOffset(names.posePresence, j));
                s.posePresence = presence;
                s.posePresent = presence > minPosePresence;
                if (s.posePresent) {
                    HolisticStages.decodePose(stages.poseLandmark.output(names.poseLandmarks),
                            stages.poseLandmark.outputOffset(names.poseLandmarks, j),
                            stages.poseLandmark.output(names.poseHeatmap),
                            stages.poseLandmark.outputOffset(names.poseHeatmap, j),
                            stages.poseLandmark.output(names.poseWorld),
                            stages.poseLandmark.outputOffset(names.poseWorld, j), stages.poseLandmark.width(),
                            stages.poseLandmark.height(), s.poseRoi, s.pose, s.world);
                    s.trackedPoseRoi = HolisticStages.smoothPose(s.pose, s.world, smooth, s.poseSmoother,
                            s.worldSmoother, s.auxSmoother, s.frame.timestampMs() * 1000L, s.frame.width(),
                            s.frame.height());
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
                if (s.posePresent && s.pose[(15 + side) * 4 + 3] > minWristVisibility) {
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
            NormRect recrop = HolisticStages.handRoiFromRecrop(stages.handRecrop.output(names.recrop),
                    stages.handRecrop.outputOffset(names.recrop, j), stages.handRecrop.width(),
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

    /** As HolisticLandmarker's runHand: a present hand becomes the side's previous hand. */
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
        FloatBuffer presence = stages.handLandmark.output(names.handPresence);
        FloatBuffer handedness = stages.handLandmark.output(names.handedness);
        FloatBuffer lm = stages.handLandmark.output(names.handLandmarks);
        int b = 0;
        for (int j = 0; j < k; j++) {
            if (!HolisticStages.usable(jobRoi[j])) {
                jobPresence[j] = 0f;
                continue;
            }
            jobPresence[j] = presence.get(stages.handLandmark.outputOffset(names.handPresence, b));
            jobHandedness[j] = handedness.get(stages.handLandmark.outputOffset(names.handedness, b));
            HolisticStages.decodeHand(lm, stages.handLandmark.outputOffset(names.handLandmarks, b),
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
        // Jobs are in stream order, left before right, as HolisticLandmarker checks them.
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
            // As HolisticLandmarker: while a pose is present, search only every palmInterval frames.
            if (s.posePresent && ++s.framesSincePalmSearch < palmInterval) {
                continue;
            }
            s.framesSincePalmSearch = 0;
            s.searchPalms = true;
            k++;
        }
        if (k == 0) {
            return;
        }
        stages.palmDetection.ensure(k);
        int j = 0;
        for (Stream s : streams) {
            if (s.searchPalms) {
                s.palmDetectionCrop.crop(s.frame, full(s), stages.palmDetection.input(),
                        stages.palmDetection.inputOffset(j++));
            }
        }
        stages.palmDetection.run(k);
        int jobs = 0;
        j = 0;
        for (int i = 0; i < streams.length; i++) {
            Stream s = streams[i];
            if (!s.searchPalms) {
                continue;
            }
            List<Detection> palms = HolisticStages.decode(stages.palmDetection.output(names.palmBoxes),
                    stages.palmDetection.outputOffset(names.palmBoxes, j),
                    stages.palmDetection.output(names.palmScores),
                    stages.palmDetection.outputOffset(names.palmScores, j), stages.palmBoxes, stages.palmScores,
                    stages.palmDecoder);
            j++;
            // As MediaPipe Hands with max_num_hands 2: only the two best palms go on to the hand model.
            for (int p = 0; p < Math.min(2, palms.size()); p++) {
                jobStream[jobs] = i;
                jobSide[jobs] = p;
                jobRoi[jobs] = HolisticStages.palmRoi(palms.get(p), full(s), s.frame.width(), s.frame.height());
                jobs++;
            }
        }
        if (jobs == 0) {
            return;
        }
        runHands(jobs);
        // Sequentially per stream, as HolisticLandmarker: a palm after both sides are done is ignored.
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
        stages.faceDetection.ensure(k);
        int j = 0;
        for (Stream s : streams) {
            if (s.posePresent) {
                s.faceDetectionCrop.crop(s.frame, s.faceFromPose, stages.faceDetection.input(),
                        stages.faceDetection.inputOffset(j++));
            }
        }
        stages.faceDetection.run(k);
        j = 0;
        int m = 0;
        for (Stream s : streams) {
            if (!s.posePresent) {
                continue;
            }
            List<Detection> faces = HolisticStages.decode(stages.faceDetection.output(names.faceBoxes),
                    stages.faceDetection.outputOffset(names.faceBoxes, j),
                    stages.faceDetection.output(names.faceScores),
                    stages.faceDetection.outputOffset(names.faceScores, j), stages.faceBoxes, stages.faceScores,
                    stages.faceDecoder);
            j++;
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
            float presence = HolisticStages.sigmoid(stages.faceLandmark.output(names.faceFlag)
                    .get(stages.faceLandmark.outputOffset(names.faceFlag, j)));
            if (!(presence > minFacePresence)) {
                s.prevFacePresent = false;
            } else {
                HolisticStages.decodeFace(stages.faceLandmark.output(names.faceLandmarks),
                        stages.faceLandmark.outputOffset(names.faceLandmarks, j), stages.faceLandmark.width(),
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

    /**
     * Options for a {@link MultiStreamLandmarker}: the number of streams (required, at least 1), padded batches, and
     * the same thresholds and defaults as {@link HolisticLandmarker.Builder} (video mode only).
     *
     * <p><b>Thread-safety.</b> Not thread-safe; use from one thread.
     */
    public static final class Builder extends HolisticOptionsBuilder<Builder> {
        private int streams;
        private Boolean fixedBatches;

        private Builder(LandmarkerModels models) {
            super(models);
        }

        /**
         * Whether every model call runs at the largest batch a stage can need (streams, or twice that for the hand
         * models), the unused items ignored, instead of at the number of crops the stage has. Default: on for CUDA
         * models, off for the CPU. Why: on the H100, with batch sizes that change from call to call, this path ran
         * at only 5-6 frames/s over 8 streams (and 1-8 steps/s for 1 stream), far below per-stream landmarkers;
         * ONNX Runtime's cuDNN (frontend) convolution state re-plans when the input shape differs from the last
         * call's, so one fixed shape per model should avoid that. On the CPU the padding is wasted work. (The gain
         * of this option on CUDA is not measured yet.)
         */
        public Builder fixedBatches(boolean on) {
            this.fixedBatches = on;
            return this;
        }

        /** How many streams {@link MultiStreamLandmarker#detect(List)} advances together. */
        public Builder streams(int streams) {
            this.streams = streams;
            return this;
        }

        /**
         * @throws InvalidInputException for fewer than one stream, a threshold outside [0, 1] or a palm interval
         *     below 1
         */
        public MultiStreamLandmarker build() {
            if (streams < 1) {
                throw new InvalidInputException("streams must be >= 1, was " + streams);
            }
            validate();
            return new MultiStreamLandmarker(this);
        }
    }
}
