package io.github.kslr.train;

/**
 * What one epoch did: loss and accuracy on the (augmented) training windows, on the held-out monitor windows, and
 * accuracy on the optional validation data (shown in the curves only, never used to choose a model).
 *
 * <p><b>Thread-safety.</b> Immutable.
 */
public record EpochStats(
        int epoch,
        double trainLoss,
        double trainAccuracy,
        double monitorLoss,
        double monitorAccuracy,
        double validationAccuracy,
        double learningRate,
        double seconds) {}
