package io.github.kslr.api;

import java.util.List;

/**
 * Classifies windows of feature frames into signs.
 *
 * <p>A window is {@code metadata().sequenceLength()} frames of {@code metadata().layout().size()} floats,
 * row-major, oldest frame first, raw landmark values in the model's layout (normalisation lives inside the model).
 *
 * <p>Implementation: {@code io.github.kslr.recognizer.OnnxSignClassifier} in {@code kslr-recognizer}.
 *
 * <p><b>Thread-safety.</b> Implementations are safe to share between threads; {@link #close()} is idempotent and
 * waits for calls in flight. The classifier never keeps a reference to the caller's arrays.
 */
public interface SignClassifier extends AutoCloseable {

    /** Labels, layout, window length and format version read from the model. */
    SignModelMetadata metadata();

    /**
     * Classifies one window.
     *
     * @param window {@code sequenceLength * featureSize} floats
     * @throws InvalidInputException for a null or wrong-sized window or one holding NaN or infinity
     * @throws ClosedException       after {@link #close()}
     */
    Prediction classify(float[] window);

    /** Classifies the current window of a full buffer (its layout and length must match the model). */
    Prediction classify(SequenceBuffer buffer);

    /**
     * Classifies {@code count} windows laid end to end in {@code windows} in one model call.
     *
     * @return one prediction a window, in order
     */
    List<Prediction> classifyBatch(float[] windows, int count);

    /** Releases native resources. Idempotent; waits for calls in flight. */
    @Override
    void close();
}
