package io.github.kslr.landmarks;

import static io.github.kslr.landmarks.HolisticModel.Output.HEATMAP;
import static io.github.kslr.landmarks.HolisticModel.Output.LANDMARKS;
import static io.github.kslr.landmarks.HolisticModel.Output.PRESENCE;
import static io.github.kslr.landmarks.HolisticModel.Output.WORLD;
import static io.github.kslr.landmarks.HolisticModel.POSE_DETECTION;
import static io.github.kslr.landmarks.HolisticModel.POSE_LANDMARK;
import static io.github.kslr.landmarks.HolisticStages.POSE_POINTS;
import static io.github.kslr.landmarks.HolisticStages.clamp01;

import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.LandmarkSet;
import io.github.kslr.api.PoseLandmark;
import java.util.Arrays;
import java.util.List;

/**
 * The holistic graph's pose branch over every stream (MediaPipe's {@code holistic_pose_tracking}): pose detection for
 * the streams without a tracked pose, then pose landmarks for every stream with a region, one batch each; in video
 * mode the pose is smoothed and gives the next frame's region. The hand and face branches read its landmarks.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: owned by one {@link HolisticGraph}; after {@link #run} its results may be
 * read from another thread (the face branch) until the next run. {@link #close()} frees its runners and croppers.
 */
final class PoseTracking implements AutoCloseable {
    private final boolean video;
    private final boolean smooth;
    private final float minPresence;
    private final Units.DetectionAndLandmarks stages;
    private final BatchRunner landmark;
    private final Track[] tracks;

    /** One stream's pose: its tracking state and this frame's result (its croppers are in {@code stages}). */
    private static final class Track {
        final float[] pose = new float[POSE_POINTS * 4];
        final float[] world = new float[PoseLandmark.COUNT * 4];
        final float[] letterboxPad = new float[2];
        final LandmarkSmoother poseSmoother = new LandmarkSmoother(33, 0.05, 80, 1, true);
        final LandmarkSmoother worldSmoother = new LandmarkSmoother(33, 0.1, 40, 1, false);
        final LandmarkSmoother auxSmoother = new LandmarkSmoother(2, 0.01, 10, 1, true);
        NormRect trackedRoi;
        // Per frame.
        NormRect roi;
        boolean present;
        float presence;

        void reset() {
            trackedRoi = null;
            poseSmoother.reset();
            worldSmoother.reset();
            auxSmoother.reset();
        }
    }

    /**
     * @param batch   fixed batch of both models, 0 for variable batches
     * @param video   tracking and smoothing across frames
     */
    PoseTracking(
            LandmarkerModels models,
            int streams,
            int batch,
            boolean video,
            boolean smooth,
            float minDetectionConfidence,
            float minPresence) {
        this.video = video;
        this.smooth = smooth;
        this.minPresence = minPresence;
        stages = new Units.DetectionAndLandmarks(
                models, POSE_DETECTION, batch, minDetectionConfidence, POSE_LANDMARK, batch, streams);
        landmark = stages.landmark;
        tracks = new Track[streams];
        Arrays.setAll(tracks, i -> new Track());
    }

    /** Stream {@code stream}'s pose was found in the last frame. */
    boolean present(int stream) {
        return tracks[stream].present;
    }

    /**
     * Stream {@code stream}'s pose of the last frame: 39 x (x, y, z, visibility), image-normalised (the 33 landmarks,
     * then the auxiliary points); valid while {@link #present}.
     */
    float[] landmarks(int stream) {
        return tracks[stream].pose;
    }

    LandmarkSet pose(int stream) {
        Track t = tracks[stream];
        return t.present
                ? LandmarkSet.of(LandmarkPart.POSE, t.pose, 0, clamp01(t.presence))
                : LandmarkSet.absent(LandmarkPart.POSE);
    }

    LandmarkSet world(int stream) {
        Track t = tracks[stream];
        return t.present
                ? LandmarkSet.of(LandmarkPart.POSE_WORLD, t.world, 0, clamp01(t.presence))
                : LandmarkSet.absent(LandmarkPart.POSE_WORLD);
    }

    /** Forgets stream {@code stream}'s tracked region and smoothing. */
    void reset(int stream) {
        tracks[stream].reset();
    }

    /** Finds the pose of {@code frames[i]} for every stream {@code i}. */
    void run(ImageFrame[] frames) {
        int k = 0;
        for (Track t : tracks) {
            t.roi = t.trackedRoi;
            if (t.roi == null) {
                k++;
            }
        }
        if (k > 0) {
            detect(frames, k);
        }
        k = 0;
        for (Track t : tracks) {
            if (t.roi != null) {
                k++;
            }
        }
        if (k > 0) {
            landmark.ensure(k);
            int j = 0;
            for (int i = 0; i < tracks.length; i++) {
                Track t = tracks[i];
                if (t.roi != null) {
                    stages.landmarkCrop(i).crop(frames[i], t.roi, landmark.input(), landmark.inputOffset(j++));
                }
            }
            landmark.run(k);
        }
        int j = 0;
        for (int i = 0; i < tracks.length; i++) {
            Track t = tracks[i];
            ImageFrame f = frames[i];
            t.present = false;
            if (t.roi != null) {
                float presence = landmark.output(PRESENCE).get(landmark.outputOffset(PRESENCE, j));
                t.presence = presence;
                t.present = presence > minPresence;
                if (t.present) {
                    HolisticStages.decodePose(
                            landmark.output(LANDMARKS),
                            landmark.outputOffset(LANDMARKS, j),
                            landmark.output(HEATMAP),
                            landmark.outputOffset(HEATMAP, j),
                            landmark.output(WORLD),
                            landmark.outputOffset(WORLD, j),
                            landmark.width(),
                            landmark.height(),
                            t.roi,
                            t.pose,
                            t.world);
                    if (video) {
                        t.trackedRoi = HolisticStages.smoothPose(
                                t.pose,
                                t.world,
                                smooth,
                                t.poseSmoother,
                                t.worldSmoother,
                                t.auxSmoother,
                                f.timestampMs() * 1000L,
                                f.width(),
                                f.height());
                    }
                }
                j++;
            }
            if (!t.present) {
                t.reset();
            }
        }
    }

    /** Pose detection on the {@code k} streams without a tracked region: their region from the best detection. */
    private void detect(ImageFrame[] frames, int k) {
        BatchRunner r = stages.detection.runner;
        r.ensure(k);
        int j = 0;
        for (int i = 0; i < tracks.length; i++) {
            Track t = tracks[i];
            if (t.trackedRoi == null) {
                stages.detectionCrop(i).crop(frames[i], letterbox(frames[i], t), r.input(), r.inputOffset(j++));
            }
        }
        r.run(k);
        j = 0;
        for (int i = 0; i < tracks.length; i++) {
            Track t = tracks[i];
            if (t.trackedRoi == null) {
                List<Detection> dets = stages.detection.decode(j++);
                ImageFrame f = frames[i];
                t.roi = dets.isEmpty()
                        ? null
                        : HolisticStages.poseRoi(dets.get(0), letterbox(f, t), f.width(), f.height());
            }
        }
    }

    private static NormRect letterbox(ImageFrame f, Track t) {
        return Geometry.letterboxRoi(f.width(), f.height(), t.letterboxPad);
    }

    @Override
    public void close() {
        stages.close();
    }
}
