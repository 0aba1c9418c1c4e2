package io.github.kslr.examples.pipeline;

import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;

/**
 * One stream's recognition state: landmarks of each frame, the signs recognised so far and the sentence they make.
 * The web demo holds one per connection; {@code kslr recognize} holds one per input.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one stream, one thread at a time (callers serialise).
 * <b>Ownership.</b> The frame is borrowed for the duration of {@link #process} only.
 */
public interface RecognitionSession extends AutoCloseable {

    /** Runs the landmarker and the recogniser on one frame (timestamps must increase). */
    FrameResult process(ImageFrame frame);

    /**
     * Runs the recogniser on landmarks found elsewhere (a {@code .pose} file; timestamps must increase); the result's
     * landmark time is 0.
     */
    FrameResult process(HolisticLandmarks landmarks);

    /** The sentence so far ("" when nothing was recognised). */
    String sentence();

    /** Forgets the window, the recognised signs and the sentence (the demo's Clear button). */
    void clear();

    @Override
    void close();
}
