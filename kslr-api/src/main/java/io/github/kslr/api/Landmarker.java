package io.github.kslr.api;

/**
 * Finds body, hand and face landmarks in images, as MediaPipe Holistic does.
 *
 * <p>Implementations: {@code io.github.kslr.landmarks.HolisticLandmarker} in module {@code kslr-landmarks}.
 *
 * <p><b>Thread-safety.</b> One landmarker serves one stream: in {@link RunningMode#VIDEO} it keeps tracking state
 * from frame to frame. Implementations reject a concurrent call with a {@link KslrException} rather than corrupt
 * that state. The loaded models behind it may be shared between landmarkers (see the implementation).
 *
 * <p><b>Ownership.</b> The frame is borrowed for the duration of {@link #detect} only; the result owns its data.
 */
public interface Landmarker extends AutoCloseable {

    /**
     * Finds the landmarks in one frame.
     *
     * @param frame the caller's pixels; in {@link RunningMode#VIDEO} its timestamp must be greater than the previous
     *              frame's
     * @return the landmarks; parts not found are absent, never null
     * @throws InvalidInputException for a null frame or a timestamp that does not increase in video mode
     * @throws ClosedException       after {@link #close()}
     */
    HolisticLandmarks detect(ImageFrame frame);

    /** The running mode this landmarker was built with. */
    RunningMode runningMode();

    /** Forgets tracking state, as if the next frame started a new video. */
    void reset();

    /** Releases native resources. Idempotent. */
    @Override
    void close();
}
