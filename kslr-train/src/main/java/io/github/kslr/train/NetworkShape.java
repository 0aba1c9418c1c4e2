package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;

/**
 * The sizes of a {@link SequenceNetwork}: a window of {@code frames} frames of {@code inputSize} features in,
 * {@code classes} probabilities out, and two hidden widths whose meaning each {@link NetworkFamily} states.
 */
public record NetworkShape(int frames, int inputSize, int hidden1, int hidden2, int classes) {
    public NetworkShape {
        Checks.positive(frames, "frames");
        Checks.positive(inputSize, "inputSize");
        Checks.positive(hidden1, "hidden1");
        Checks.positive(hidden2, "hidden2");
        if (classes < 2) {
            throw new InvalidInputException("a classifier needs at least 2 classes, was " + classes);
        }
    }
}
