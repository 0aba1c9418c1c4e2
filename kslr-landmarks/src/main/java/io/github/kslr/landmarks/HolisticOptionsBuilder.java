package io.github.kslr.landmarks;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;

/**
 * The options both landmarkers share, with MediaPipe Holistic's defaults (every threshold 0.5, wrist visibility 0.1,
 * smoothing on) plus the palm-detection fallback (on, searching every 5 frames while a pose is present). The public
 * builders {@link HolisticLandmarker.Builder} and {@link MultiStreamLandmarker.Builder} extend it, so the options are
 * declared and validated once.
 *
 * <p><b>Thread-safety.</b> Not thread-safe; use from one thread.
 *
 * @param <B> the concrete builder, returned by every setter
 */
abstract class HolisticOptionsBuilder<B extends HolisticOptionsBuilder<B>> {
    final LandmarkerModels models;
    float minPoseDetectionConfidence = 0.5f;
    float minPosePresence = 0.5f;
    float minHandPresence = 0.5f;
    float minFaceDetectionConfidence = 0.5f;
    float minFacePresence = 0.5f;
    float minWristVisibility = 0.1f;
    boolean smoothLandmarks = true;
    boolean palmFallback = true;
    int palmInterval = 5;
    boolean faceLandmarks = true;
    boolean faceInParallel = false;

    HolisticOptionsBuilder(LandmarkerModels models) {
        this.models = Checks.notNull(models, "models");
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Pose detector score threshold (MediaPipe's minDetectionConfidence), in [0, 1]. */
    public B minPoseDetectionConfidence(float v) {
        this.minPoseDetectionConfidence = v;
        return self();
    }

    /** Pose presence threshold (MediaPipe's minTrackingConfidence), in [0, 1]. */
    public B minPosePresence(float v) {
        this.minPosePresence = v;
        return self();
    }

    /** Hand presence threshold, in [0, 1]. */
    public B minHandPresence(float v) {
        this.minHandPresence = v;
        return self();
    }

    /** Face detector score threshold, in [0, 1]. */
    public B minFaceDetectionConfidence(float v) {
        this.minFaceDetectionConfidence = v;
        return self();
    }

    /** Face presence threshold, in [0, 1]. */
    public B minFacePresence(float v) {
        this.minFacePresence = v;
        return self();
    }

    /** A hand is seeded from the pose only when its wrist's visibility exceeds this (MediaPipe: 0.1). */
    public B minWristVisibility(float v) {
        this.minWristVisibility = v;
        return self();
    }

    /** MediaPipe's pose smoothing (One-Euro) in video mode. */
    public B smoothLandmarks(boolean on) {
        this.smoothLandmarks = on;
        return self();
    }

    /** Find hands the pose cannot seed with palm detection (hand-only footage); on by default. */
    public B palmFallback(boolean on) {
        this.palmFallback = on;
        return self();
    }

    /**
     * In video mode, while a pose is present, the palm detector looks for a hand the pose did not give only every
     * {@code frames} frames (default 5; 1 = every frame, as MediaPipe Hands). Without a pose it runs every frame
     * until it finds a hand, which is then tracked.
     */
    public B palmInterval(int frames) {
        this.palmInterval = frames;
        return self();
    }

    /**
     * Whether to run the face branch (face detection in the pose's face region, then 468 face landmarks); on by
     * default. Off, results have no face and each frame skips two model calls: worth it when the sign model reads no
     * face point (e.g. the {@code pose-hands-258} layout, or the bundled demo model). Pose and hands are unchanged.
     */
    public B faceLandmarks(boolean on) {
        this.faceLandmarks = on;
        return self();
    }

    /**
     * Whether the face branch runs on a second thread while the hands are found (off by default). It needs only the
     * pose, so a frame's latency drops by about the face branch's time when a core is free for it; with every core
     * busy it gains nothing (figures: benchmarks/README.md). The landmarker then owns one daemon thread, stopped by
     * {@code close()}. Results are identical either way.
     */
    public B faceInParallel(boolean on) {
        this.faceInParallel = on;
        return self();
    }

    /** Checks the shared options; builders call it from {@code build()}. */
    void validate() {
        if (palmInterval < 1) {
            throw new InvalidInputException("palmInterval must be >= 1 frame, was " + palmInterval);
        }
        check(minPoseDetectionConfidence, "minPoseDetectionConfidence");
        check(minPosePresence, "minPosePresence");
        check(minHandPresence, "minHandPresence");
        check(minFaceDetectionConfidence, "minFaceDetectionConfidence");
        check(minFacePresence, "minFacePresence");
        check(minWristVisibility, "minWristVisibility");
    }

    /** The options, validated. */
    HolisticOptions options() {
        validate();
        return new HolisticOptions(
                models,
                minPoseDetectionConfidence,
                minPosePresence,
                minHandPresence,
                minFaceDetectionConfidence,
                minFacePresence,
                minWristVisibility,
                smoothLandmarks,
                palmFallback,
                palmInterval,
                faceLandmarks,
                faceInParallel);
    }

    private static void check(float v, String name) {
        if (!(v >= 0f && v <= 1f)) {
            throw new InvalidInputException(name + " must be in [0, 1], was " + v);
        }
    }
}
