package io.github.kslr.landmarks;

import io.github.kslr.api.Checks;
import io.github.kslr.api.ClosedException;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.RunningMode;
import java.util.List;

/**
 * {@link HolisticLandmarker}'s video-mode graph over several streams at once: {@link #detect(List)} takes one frame
 * per stream and runs every model stage once for all the crops of all the streams that need it (pose detection for
 * the streams without a tracked pose, pose landmarks for every pose, hand re-crop and hand landmarks for every hand,
 * palm detection, face detection and face landmarks for every face), so a GPU gets a few large calls per step
 * instead of many small ones. Each stream keeps its own tracking and smoothing state, exactly as its own
 * {@code HolisticLandmarker} would: both run the same graph code, so results differ from per-stream landmarkers
 * only by the models' floating-point noise between batch sizes.
 *
 * <p>Stages run in the graph's order, so a later stage's batch holds only the crops the earlier stages asked for;
 * with the palm fallback a frame may run the hand model up to three times (pose-seeded hands, hands tracked from the
 * previous frame, palm-found hands; without padded batches the second-best palms get a fourth call, only where the
 * best palm left a hand missing), each time batched over all streams.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one caller at a time (all streams advance together in
 * {@link #detect(List)}). Several instances may share one {@link LandmarkerModels}. The landmarker owns its native
 * input and output buffers and tensors, sized for the largest batch seen and reused afterwards, and with
 * {@code faceInParallel} one daemon thread ({@link #close()} frees them, idempotently); it reads the caller's frames only during {@link #detect(List)} and keeps no reference
 * to them. The returned list and its results are immutable and owned by the caller.
 */
public final class MultiStreamLandmarker implements AutoCloseable {
    private final HolisticGraph graph;
    private final ImageFrame[] frames;

    private MultiStreamLandmarker(Builder b) {
        graph = new HolisticGraph(b.options(), b.streams, true, b.batchShape);
        frames = new ImageFrame[b.streams];
    }

    /** A builder over shared models. */
    public static Builder builder(LandmarkerModels models) {
        return new Builder(models);
    }

    /** The number of streams; {@link #detect(List)} takes exactly this many frames. */
    public int streams() {
        return frames.length;
    }

    /** Always {@link RunningMode#VIDEO}: the streams are tracked from frame to frame. */
    public RunningMode runningMode() {
        return RunningMode.VIDEO;
    }

    /** Forgets every stream's tracking and smoothing state (new clips). */
    public void reset() {
        graph.reset();
    }

    /** Forgets stream {@code stream}'s tracking and smoothing state (a new clip on that stream). */
    public void reset(int stream) {
        if (stream < 0 || stream >= frames.length) {
            throw new InvalidInputException("stream must be in [0, " + frames.length + "), was " + stream);
        }
        graph.reset(stream);
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
        graph.ensureOpen("MultiStreamLandmarker");
        Checks.notNull(frames, "frames");
        int n = this.frames.length;
        if (frames.size() != n) {
            throw new InvalidInputException("expected one frame per stream (" + n + "), got " + frames.size());
        }
        for (int i = 0; i < n; i++) {
            ImageFrame f = frames.get(i);
            if (f == null) {
                throw new InvalidInputException("frame for stream " + i + " is null");
            }
            graph.requireLaterTimestamp(i, f, true);
        }
        try {
            return List.of(graph.detect(frames.toArray(this.frames)));
        } finally {
            java.util.Arrays.fill(this.frames, null);
        }
    }

    @Override
    public void close() {
        graph.close();
    }

    /**
     * Options for a {@link MultiStreamLandmarker}: the number of streams (required, at least 1), padded batches, and
     * the same thresholds and defaults as {@link HolisticLandmarker.Builder} (video mode only).
     *
     * <p><b>Thread-safety.</b> Not thread-safe; use from one thread.
     */
    public static final class Builder extends HolisticOptionsBuilder<Builder> {
        private int streams;
        private BatchShape batchShape = BatchShape.BY_DEVICE;

        private Builder(LandmarkerModels models) {
            super(models);
        }

        /**
         * Whether every model call runs at the largest batch a stage can need (streams, or twice that for the hand
         * models), the unused items ignored, instead of at the number of crops the stage has. Default: on for CUDA
         * models, off for the CPU. Why: ONNX Runtime's CUDA convolution kernel (cuDNN 9 frontend) rebuilds its cuDNN
         * graph and execution plans whenever a call's input shape differs from the previous call's, with no
         * per-shape cache (onnxruntime {@code core/providers/cuda/nn/conv.cc}, {@code Conv::UpdateState}); with batch
         * sizes changing from call to call this path ran far below per-stream landmarkers (figures:
         * benchmarks/README.md). With one shape per model the plans are built once.
         * On the CPU the padding is wasted work. (The gain of this option on CUDA is not measured yet.) The plans
         * belong to the shared sessions: on CUDA, landmarkers that share one {@link LandmarkerModels} should run the
         * same shapes (the same stream count; a {@link HolisticLandmarker} is one stream), else give each its own
         * models.
         */
        public Builder fixedBatches(boolean on) {
            return batchShape(on ? BatchShape.FIXED : BatchShape.AS_NEEDED);
        }

        /** {@link #fixedBatches} with the default spelled out: {@link BatchShape#BY_DEVICE}. */
        public Builder batchShape(BatchShape shape) {
            this.batchShape = io.github.kslr.api.Checks.notNull(shape, "batchShape");
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
