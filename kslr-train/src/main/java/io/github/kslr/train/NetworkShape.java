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

    /**
     * A network's parameter vector for this shape: a copy of {@code given}, or {@code count} zeros when it is null
     * (every family's constructor takes its parameters this way).
     *
     * @param count the number of parameters the family has at this shape
     * @param what  what the parameters are called in the message ("parameters", "LSTM parameters")
     * @throws InvalidInputException when {@code given} does not hold {@code count} values
     */
    float[] parameters(int count, float[] given, String what) {
        if (given != null && given.length != count) {
            throw new InvalidInputException("shape " + this + " has " + count + " " + what + ", got " + given.length);
        }
        return given == null ? new float[count] : given.clone();
    }
}
