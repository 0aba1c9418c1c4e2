package io.github.kslr.onnx.writer;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import java.util.List;

/**
 * A sub-graph a {@link SignModelBuilder} puts between the model's raw input and its first LSTM, typically the
 * normalisation the model was trained with. Normalisation belongs inside the model so that its input stays the raw
 * feature layout and every user of the model gets it right.
 *
 * <p><b>Thread-safety.</b> Implementations should be immutable; {@link #standardize} is.
 */
@FunctionalInterface
public interface InputStage {

    /**
     * Adds the stage's nodes.
     *
     * @param graph   the graph being built
     * @param windows name of the float tensor {@code [batch, sequenceLength, featureSize]} holding raw windows
     * @return name of a float tensor of the same shape, the LSTM's input
     */
    String apply(OnnxGraphWriter graph, String windows);

    /** What the stage does, stored in the model's {@code kslr.normalization} metadata (informative). */
    default String description() {
        return "custom input stage";
    }

    /** Features a window frame must have for this stage, or -1 when any size will do. */
    default int featureSize() {
        return -1;
    }

    /**
     * Per-feature standardisation {@code (x - mean[f]) / std[f]} over the last axis. A feature whose {@code std} is
     * 0 (constant in the training data, e.g. an always-absent part) is only centred, so it cannot blow up.
     *
     * @param mean featureSize values (copied)
     * @param std  featureSize values, each finite and {@code >= 0} (copied)
     */
    static InputStage standardize(float[] mean, float[] std) {
        Checks.notNull(mean, "mean");
        Checks.notNull(std, "std");
        if (mean.length != std.length) {
            throw new InvalidInputException("mean has " + mean.length + " values but std has " + std.length);
        }
        Checks.finite(mean, 0, mean.length, "mean");
        Checks.finite(std, 0, std.length, "std");
        float[] m = mean.clone();
        float[] scale = new float[std.length];
        for (int i = 0; i < std.length; i++) {
            if (std[i] < 0) {
                throw new InvalidInputException("std[" + i + "] is " + std[i] + "; must be >= 0");
            }
            scale[i] = std[i] > 0 ? 1f / std[i] : 1f;
        }
        return new InputStage() {
            @Override
            public String apply(OnnxGraphWriter graph, String windows) {
                // Multiplying by 1/std is one cheap op where Div would cost a divide per element.
                String meanName = graph.constant("norm_mean", new long[] {m.length}, m);
                String scaleName = graph.constant("norm_scale", new long[] {scale.length}, scale);
                String centred = graph.node("Sub", List.of(windows, meanName));
                return graph.node("Mul", List.of(centred, scaleName));
            }

            @Override
            public String description() {
                return "per-feature standardisation (x - mean) / std over " + m.length + " features";
            }

            @Override
            public int featureSize() {
                return m.length;
            }

            @Override
            public String toString() {
                return "standardize[" + m.length + "]";
            }
        };
    }
}
