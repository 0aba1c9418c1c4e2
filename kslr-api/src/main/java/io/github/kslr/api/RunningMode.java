package io.github.kslr.api;

/**
 * How a {@link Landmarker} treats successive frames. Immutable; thread-safe.
 *
 * <p>MediaPipe's third mode, {@code LIVE_STREAM} (frames handed over without waiting, results through a listener,
 * frames dropped while busy), is {@link LiveStream} around a {@link #VIDEO} landmarker or a recognizer.
 */
public enum RunningMode {
    /** Every frame independent: full detection each time, no tracking, no smoothing. */
    IMAGE,
    /**
     * Frames of one video stream with increasing timestamps: regions of interest are tracked from the previous frame
     * and detection runs only when tracking is lost, as MediaPipe does.
     */
    VIDEO
}
