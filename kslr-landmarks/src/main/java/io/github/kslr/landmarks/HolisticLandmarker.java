package io.github.kslr.landmarks;

import io.github.kslr.api.Checks;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.KslrException;
import io.github.kslr.api.Landmarker;
import io.github.kslr.api.RunningMode;
import java.util.concurrent.atomic.AtomicBoolean;

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
 * <p>It runs the same graph code as {@link MultiStreamLandmarker}, for one stream.
 *
 * <p>For a live camera, make it the step of an {@link io.github.kslr.api.LiveStream} (MediaPipe's
 * {@code LIVE_STREAM} mode): {@code LiveStream.builder(landmarker::detect).onResult(...).build()}; the camera thread
 * then never waits for the models, and frames that arrive while one is processed are dropped, newest kept.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one landmarker per stream, used from one thread at a time; a
 * {@link #detect} or {@link #reset} that finds another thread inside throws a {@link KslrException}. Several
 * landmarkers may share one {@link LandmarkerModels}. The landmarker owns its native buffers and tensors, and with
 * {@code faceInParallel} one daemon thread ({@link #close()} frees them, idempotently); it reads the caller's frame
 * only during {@link #detect} (on that thread too, and {@code detect} returns after it) and keeps no reference to
 * it. Results are immutable and owned by the caller.
 */
public final class HolisticLandmarker implements Landmarker {
    private final RunningMode mode;
    private final HolisticGraph graph;
    private final ImageFrame[] frame = new ImageFrame[1];
    /** Set while a call uses the tracking state: a second thread is refused instead of corrupting it. */
    private final AtomicBoolean busy = new AtomicBoolean();

    private HolisticLandmarker(Builder b) {
        this.mode = b.mode;
        // Fixed batches on CUDA (the two hands share one padded call), variable on the CPU: see HolisticGraph.
        graph = new HolisticGraph(b.options(), 1, mode == RunningMode.VIDEO, BatchShape.BY_DEVICE);
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
        enter("reset");
        try {
            graph.reset();
        } finally {
            busy.set(false);
        }
    }

    private void enter(String call) {
        if (!busy.compareAndSet(false, true)) {
            throw new KslrException("HolisticLandmarker." + call + " was called while another thread was inside this"
                    + " landmarker; use one landmarker per stream (the LandmarkerModels can be shared)");
        }
    }

    @Override
    public HolisticLandmarks detect(ImageFrame frame) {
        graph.ensureOpen("HolisticLandmarker");
        Checks.notNull(frame, "frame");
        enter("detect");
        try {
            if (mode == RunningMode.VIDEO) {
                graph.requireLaterTimestamp(0, frame, false);
            }
            this.frame[0] = frame;
            return graph.detect(this.frame)[0];
        } finally {
            this.frame[0] = null;
            busy.set(false);
        }
    }

    @Override
    public void close() {
        graph.close();
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
