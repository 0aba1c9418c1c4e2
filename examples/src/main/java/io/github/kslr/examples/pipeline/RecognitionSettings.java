package io.github.kslr.examples.pipeline;

import io.github.kslr.api.Checks;
import io.github.kslr.api.HandLossPolicy;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.SignModelMetadata;

/**
 * How the example apps recognise: the classifier's confidence threshold, the sentence rules' agreement, the
 * window's hand-loss policy and the frame rate frames are resampled to. Defaults are the first report's server: 0.5,
 * 10 agreeing windows, clear on hand loss; frames resampled to the model's training rate when it names one.
 * Immutable; thread-safe.
 *
 * @param threshold  lowest confidence a prediction needs to count as recognised, in [0, 1]
 * @param agreement  consecutive agreeing recognised windows a sign needs before it joins the sentence, &gt;= 1
 * @param handLoss   what a frame without hands does to the window
 * @param frameRate  the rate frames are resampled to by timestamp before they enter the window (see
 *                   {@code SignRecognizer.Builder.frameRate}), 0 for every frame as it comes, or null for the model's
 *                   training rate (every frame as it comes when the model names none)
 */
public record RecognitionSettings(float threshold, int agreement, HandLossPolicy handLoss, Double frameRate) {
    public static final RecognitionSettings DEFAULTS = new RecognitionSettings(0.5f, 10, HandLossPolicy.CLEAR, null);

    /**
     * @throws InvalidInputException for a threshold outside [0, 1], agreement &lt; 1, a null policy or a frame rate
     *                               that is negative, not finite or above 1000
     */
    public RecognitionSettings {
        Checks.inRange(threshold, 0f, 1f, "threshold");
        Checks.positive(agreement, "agreement");
        Checks.notNull(handLoss, "handLoss");
        if (frameRate != null) {
            SignModelMetadata.checkFrameRate(frameRate, "frameRate");
        }
    }
}
