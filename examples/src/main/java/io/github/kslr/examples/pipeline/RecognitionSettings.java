package io.github.kslr.examples.pipeline;

import io.github.kslr.api.Checks;
import io.github.kslr.api.HandLossPolicy;
import io.github.kslr.api.InvalidInputException;

/**
 * How the example apps recognise: the classifier's confidence threshold, the sentence rules' agreement and the
 * window's hand-loss policy. Defaults are the first report's server: 0.5, 10 agreeing windows, clear on hand loss.
 * Immutable; thread-safe.
 *
 * @param threshold  lowest confidence a prediction needs to count as recognised, in [0, 1]
 * @param agreement  consecutive agreeing recognised windows a sign needs before it joins the sentence, &gt;= 1
 * @param handLoss   what a frame without hands does to the window
 */
public record RecognitionSettings(float threshold, int agreement, HandLossPolicy handLoss) {
    public static final RecognitionSettings DEFAULTS = new RecognitionSettings(0.5f, 10, HandLossPolicy.CLEAR);

    /** @throws InvalidInputException for a threshold outside [0, 1], agreement &lt; 1 or a null policy */
    public RecognitionSettings {
        Checks.inRange(threshold, 0f, 1f, "threshold");
        Checks.positive(agreement, "agreement");
        Checks.notNull(handLoss, "handLoss");
    }
}
