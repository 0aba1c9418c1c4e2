package io.github.kslr.train;

import io.github.kslr.onnx.writer.OnnxGraphWriter;
import io.github.kslr.onnx.writer.WeightPrecision;
import java.util.Random;

/**
 * A trainable network over a window of feature frames, one of a {@link NetworkFamily} (the temporal convolution
 * network {@link TemporalConvNetwork} by default, the reports' stacked {@link LstmNetwork}, or the
 * {@link ConvAttentionNetwork}). Parameters live in one
 * flat float array; gradients are added by {@link #backward} to a caller-owned array of the same length. Each network
 * writes its own layers into the exported ONNX graph ({@link #writeLogits}), so {@link OnnxExport} knows no family.
 *
 * <p><b>Thread-safety.</b> {@link #forward}/{@link #backward} may run on many threads at once, each with its own
 * {@link Scratch} and gradient array, as long as nobody changes the parameters meanwhile.
 */
public interface SequenceNetwork {

    /** Per-thread scratch space for one window. Not thread-safe. */
    interface Scratch {
        /** Probabilities of the last forward pass (a live array). */
        float[] probabilities();
    }

    NetworkShape shape();

    /** The family this network belongs to. */
    NetworkFamily family();

    /** What the network is, in a few words (the exported model's doc string). */
    default String description() {
        return family().description();
    }

    /** How many parameters the network has ({@link #parameters()}' length unless a network knows it cheaper). */
    default int parameterCount() {
        return parameters().length;
    }

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

    /**
     * Adds this network's layers to an ONNX graph being written.
     *
     * @param features name of the float tensor {@code [batch, frames, inputSize]} of standardised features
     * @param precision how weight matrices are stored
     * @param scope     prefix of every tensor name the network chooses itself ("" for a model's only network), so
     *                  that several networks fit in one graph
     * @return name of the float tensor {@code [batch, classes]} of logits (before softmax)
     */
    String writeLogits(OnnxGraphWriter graph, String features, WeightPrecision precision, String scope);

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
