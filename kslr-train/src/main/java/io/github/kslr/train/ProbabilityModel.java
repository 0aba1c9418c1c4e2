package io.github.kslr.train;

import io.github.kslr.api.SignModelMetadata;

/**
 * Anything that maps raw windows (in its metadata's layout) to class probabilities: a {@link TrainedModel} in Java
 * or an exported ONNX model ({@link OnnxProbabilityModel}). Evaluation and the perturbation suite work on either.
 *
 * <p><b>Thread-safety.</b> Implementations say; both built-in ones may be called from several threads.
 */
public interface ProbabilityModel {

    /** What the model reads and predicts. */
    SignModelMetadata metadata();

    /**
     * Probabilities of {@code count} windows {@code windows[0 .. count * windowSize)} as a new
     * {@code [count, classes]} array.
     */
    float[] probabilities(float[] windows, int count);
}
