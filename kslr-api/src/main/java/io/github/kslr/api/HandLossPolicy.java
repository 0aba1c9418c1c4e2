package io.github.kslr.api;

/** What a {@link SequenceBuffer} does with a frame in which no hand was found. Immutable; thread-safe. */
public enum HandLossPolicy {
    /** Keep the frame like any other (its hand features are zeros). */
    KEEP,
    /**
     * Empty the window and drop the frame, as the first KSL report's server does: a sign starts again when the hands
     * come back, so a window never mixes two signs separated by lowered hands.
     */
    CLEAR,
    /** Drop the frame but keep the window. */
    SKIP
}
