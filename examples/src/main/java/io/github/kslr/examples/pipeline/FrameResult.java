package io.github.kslr.examples.pipeline;

import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.Prediction;
import java.util.List;

/**
 * What one frame produced: its landmarks, the signs accepted into the sentence at this frame (usually none) and
 * the sentence after it. Immutable and thread-safe; it owns its data (the landmarks are immutable too).
 *
 * @param landmarks     the frame's landmarks
 * @param window        the classifier's prediction for the window this frame completed, or null when no window was
 *                      classified at this frame (buffer not yet full, or between strides)
 * @param newSigns      signs the sentence rules accepted at this frame, oldest first
 * @param sentence      the sentence after this frame
 * @param landmarkMs    milliseconds the landmarker took
 * @param recognizeMs   milliseconds the window, classifier and sentence rules took
 */
public record FrameResult(
        HolisticLandmarks landmarks,
        Prediction window,
        List<Prediction> newSigns,
        String sentence,
        double landmarkMs,
        double recognizeMs) {
    public FrameResult {
        newSigns = List.copyOf(newSigns);
    }
}
