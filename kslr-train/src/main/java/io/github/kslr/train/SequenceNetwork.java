package io.github.kslr.train;

import java.util.Random;

/**
 * A trainable network over a window of feature frames: the temporal convolution network ({@link SignNetwork}, the
 * default) or the reports' stacked LSTM ({@link LstmNetwork}). Parameters live in one flat float array; gradients
 * are added by {@link #backward} to a caller-owned array of the same length.
 *
 * <p><b>Thread-safety.</b> {@link #forward}/{@link #backward} may run on many threads at once, each with its own
 * {@link Scratch} and gradient array, as long as nobody changes the parameters meanwhile.
 */
public interface SequenceNetwork {

    /** The network family, chosen in {@link TrainingConfig}. */
    enum Architecture {
        /** Frame layer, temporal convolution, mean and max pooling over time ({@link SignNetwork}). */
        TCN,
        /** The reports' model: LSTM, LSTM, dense, dense ({@link LstmNetwork}). */
        LSTM
    }

    /** Per-thread scratch space for one window. Not thread-safe. */
    interface Scratch {
        /** Probabilities of the last forward pass (a live array). */
        float[] probabilities();
    }

    SignNetwork.Shape shape();

    Architecture architecture();

    int parameterCount();

    /** The live parameter array (the trainer updates it in place). */
    float[] parameters();

    /** A copy of the parameters. */
    default float[] parameterCopy() {
        return parameters().clone();
    }

    /** The same architecture and shape over other parameters (copied). */
    SequenceNetwork withParameters(float[] params);

    Scratch newScratch();

    /**
     * Forward pass of the window {@code u[off .. off + frames * inputSize)}.
     *
     * @param dropout dropout rate before the output layer, 0 for inference
     * @param rng source of the dropout mask (may be null when dropout is 0)
     */
    void forward(float[] u, int off, Scratch s, float dropout, Random rng);

    /** Cross-entropy of the last forward pass against {@code label}, with label smoothing. */
    double loss(Scratch s, int label, float smoothing);

    /** Adds the gradient of {@link #loss} after the {@link #forward} that filled {@code s} to {@code grad}. */
    void backward(float[] u, int off, Scratch s, int label, float smoothing, float[] grad);

    /** Cross-entropy of probabilities {@code p} against a smoothed one-hot target. */
    static double crossEntropy(float[] p, int label, float smoothing) {
        int c = p.length;
        double loss = 0;
        for (int k = 0; k < c; k++) {
            double q = (k == label ? 1 - smoothing : 0) + smoothing / c;
            if (q > 0) {
                loss -= q * StrictMath.log(Math.max(p[k], 1e-30));
            }
        }
        return loss;
    }
}
