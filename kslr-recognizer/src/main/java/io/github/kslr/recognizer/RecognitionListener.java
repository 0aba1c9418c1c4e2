package io.github.kslr.recognizer;

import io.github.kslr.api.Prediction;
import io.github.kslr.api.SignLabel;

/**
 * Receives a {@link SignRecognizer}'s events, on the thread that fed the recognizer, in this order for one frame:
 * {@link #onPrediction}, then {@link #onSignRecognized} and {@link #onSentenceChanged} when a sign was added. An
 * exception thrown here propagates to the caller of {@code accept}.
 *
 * <p><b>Thread-safety.</b> Called from one thread at a time per recognizer (the one feeding it); a listener shared
 * by several recognizers must be thread-safe itself. Predictions and sentences passed in are immutable.
 */
public interface RecognitionListener {

    /** A window was classified. */
    default void onPrediction(Prediction prediction, long timestampMs) {}

    /** A sign passed the sentence rules and was appended. */
    default void onSignRecognized(SignLabel sign, Prediction prediction, long timestampMs) {}

    /** The sentence changed (a sign was appended, or it was cleared). */
    default void onSentenceChanged(Sentence sentence) {}
}
