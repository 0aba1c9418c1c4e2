package io.github.kslr.api;

/** How a {@link Landmarker} treats successive frames. Immutable; thread-safe. */
public enum RunningMode {
    /** Every frame independent: full detection each time, no tracking, no smoothing. */
    IMAGE,
    /**
     * Frames of one video stream with increasing timestamps: regions of interest are tracked from the previous frame
     * and detection runs only when tracking is lost, as MediaPipe does.
     */
    VIDEO
}
