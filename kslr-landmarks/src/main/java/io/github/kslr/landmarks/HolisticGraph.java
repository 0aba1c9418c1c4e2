package io.github.kslr.landmarks;

import static io.github.kslr.landmarks.HolisticStages.LEFT;
import static io.github.kslr.landmarks.HolisticStages.RIGHT;

import io.github.kslr.api.ClosedException;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.InferenceException;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.LandmarkSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * MediaPipe Holistic's graph over one or more streams: the engine behind {@link HolisticLandmarker} (one stream) and
 * {@link MultiStreamLandmarker} (several). {@link #detect} takes one frame per stream and runs every model stage once
 * for all the crops of all the streams that need it (pose detection for the streams without a tracked pose, pose
 * landmarks for every pose, hand re-crop and hand landmarks for every hand, palm detection, face detection and face
 * landmarks for every face), so a GPU gets a few large calls per step instead of many small ones. Each stream keeps
 * its own tracking and smoothing state.
 *
 * <p>The graph is three tracking units, as MediaPipe's holistic graph is three subgraphs: {@link PoseTracking}
 * ({@code holistic_pose_tracking}), {@link HandTracking} ({@code holistic_hand_tracking}, plus the palm fallback) and
 * {@link FaceTracking} ({@code holistic_face_tracking}); each owns its models' runners, its croppers and every
 * stream's state for its part. This class runs them in order (the face beside the hands with {@code faceInParallel})
 * and assembles the results. The per-stage geometry and decoding are in {@link HolisticStages}; the models are
 * described in {@link HolisticModel}.
 *
 * <p>Stages run in the graph's order, so a later stage's batch holds only the crops the earlier stages asked for;
 * with the palm fallback a frame may run the hand model up to three times (pose-seeded hands, hands tracked from the
 * previous frame, palm-found hands; without padded batches the second-best palms get a fourth call, only where the
 * best palm left a hand missing), each time batched over all streams.
 *
 * <p>In image mode ({@code video} false) every call starts from a fresh state: no tracking, no smoothing, and a palm
 * search on every frame that misses a hand.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: owned by one landmarker. It owns its units, and through them the
 * croppers and batch buffers ({@link #close()} frees them); the frames are read only during {@link #detect} and not
 * kept.
 */
final class HolisticGraph implements AutoCloseable {
    private final boolean video;
    private final boolean face;
    private final PoseTracking pose;
    private final HandTracking hands;
    private final FaceTracking faces;
    /** Each stream's last timestamp, {@link Long#MIN_VALUE} after a reset. */
    private final long[] lastTimestampMs;
    /** Runs the face branch beside the hand branch ({@code faceInParallel}), or null. */
    private final ExecutorService faceWorker;

    private boolean closed;

    /**
     * @param b            the landmarker's options
     * @param streamCount  how many streams {@link #detect} advances together
     * @param video        tracking and smoothing across calls (video mode), or every call from scratch (image mode)
     * @param batchShape   whether every model call runs at the largest batch its stage can need (the unused items
     *                     ignored), so each model sees one input shape
     */
    HolisticGraph(HolisticOptions b, int streamCount, boolean video, BatchShape batchShape) {
        this.video = video;
        this.face = b.faceLandmarks();
        LandmarkerModels m = b.models();
        boolean padded = batchShape.padded(m.device());
        int perPart = padded ? streamCount : 0;
        int perHandPair = padded ? 2 * streamCount : 0;
        List<AutoCloseable> made = new ArrayList<>();
        try {
            pose = Units.keep(
                    made,
                    new PoseTracking(
                            m,
                            streamCount,
                            perPart,
                            video,
                            b.smoothLandmarks(),
                            b.minPoseDetectionConfidence(),
                            b.minPosePresence()));
            hands = Units.keep(
                    made,
                    new HandTracking(
                            m,
                            streamCount,
                            perPart,
                            perHandPair,
                            padded,
                            video,
                            b.minHandPresence(),
                            b.minWristVisibility(),
                            b.palmFallback(),
                            b.palmInterval()));
            faces = Units.keep(
                    made,
                    new FaceTracking(m, streamCount, perPart, b.minFaceDetectionConfidence(), b.minFacePresence()));
        } catch (RuntimeException e) {
            Units.closeAll(made, e);
            throw e;
        }
        lastTimestampMs = new long[streamCount];
        Arrays.fill(lastTimestampMs, Long.MIN_VALUE);
        faceWorker = face && b.faceInParallel()
                ? Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "kslr-face-branch");
                    t.setDaemon(true);
                    return t;
                })
                : null;
    }

    int streams() {
        return lastTimestampMs.length;
    }

    /**
     * Refuses a video frame that is not later than stream {@code stream}'s previous one (nothing changes then): the
     * one rule, and message, of both landmarkers.
     *
     * @param nameStream name the stream in the message (several streams), or not (one)
     * @throws InvalidInputException when {@code frame}'s timestamp is not after the stream's last one
     */
    void requireLaterTimestamp(int stream, ImageFrame frame, boolean nameStream) {
        long last = lastTimestampMs[stream];
        if (frame.timestampMs() <= last) {
            throw new InvalidInputException((nameStream ? "stream " + stream + ": " : "")
                    + "video frames need strictly increasing timestamps: got " + frame.timestampMs() + " ms after "
                    + last + " ms (call reset(" + (nameStream ? stream : "") + ") to start a new clip)");
        }
    }

    /**
     * Throws {@link ClosedException} naming {@code owner} after {@link #close()}: the landmarkers keep no closed flag
     * of their own.
     */
    void ensureOpen(String owner) {
        if (closed) {
            throw new ClosedException(owner);
        }
    }

    /** Forgets every stream's tracking and smoothing state (new clips). */
    void reset() {
        for (int i = 0; i < lastTimestampMs.length; i++) {
            reset(i);
        }
    }

    /** Forgets stream {@code stream}'s tracking and smoothing state (a new clip on that stream). */
    void reset(int stream) {
        pose.reset(stream);
        hands.reset(stream);
        faces.reset(stream);
        lastTimestampMs[stream] = Long.MIN_VALUE;
    }

    /**
     * Landmarks for one frame of every stream: {@code frames[i]} is stream {@code i}'s next frame. The caller has
     * checked the frames (one per stream, none null, timestamps increasing per stream in video mode).
     */
    HolisticLandmarks[] detect(ImageFrame[] frames) {
        int n = lastTimestampMs.length;
        if (!video) {
            reset();
        }
        for (int i = 0; i < n; i++) {
            lastTimestampMs[i] = frames[i].timestampMs();
        }
        Future<?> faceDone = null;
        try {
            pose.run(frames);
            // The face branch reads only the pose, the frames and its own state, runners and croppers.
            faceDone = faceWorker != null ? faceWorker.submit(() -> faces.run(frames, pose)) : null;
            hands.run(frames, pose);
            if (faceDone != null) {
                await(faceDone);
                faceDone = null;
            } else if (face) {
                faces.run(frames, pose);
            }
            HolisticLandmarks[] out = new HolisticLandmarks[n];
            for (int i = 0; i < n; i++) {
                ImageFrame f = frames[i];
                out[i] = new HolisticLandmarks(
                        f.timestampMs(),
                        f.width(),
                        f.height(),
                        pose.pose(i),
                        pose.world(i),
                        face ? faces.face(i) : LandmarkSet.absent(LandmarkPart.FACE),
                        hands.hand(i, LEFT),
                        hands.hand(i, RIGHT));
            }
            return out;
        } finally {
            if (faceDone != null) {
                // Something failed before the face branch was awaited: let it finish with the frames before they are
                // released (if it failed too, the first exception is the one thrown).
                try {
                    await(faceDone);
                } catch (RuntimeException ignored) {
                    // already failing
                }
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

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (faceWorker != null) {
            faceWorker.shutdown(); // no branch is running: detect waits for it before returning
        }
        Units.closeQuietly(List.of(pose, hands, faces));
    }
}
