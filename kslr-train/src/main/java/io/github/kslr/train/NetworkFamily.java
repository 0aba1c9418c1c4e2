package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A kind of trainable network, the trainer's extension point for architectures: its name (as the command line takes
 * it), a description (written into the exported model's doc string) and how to make a freshly initialised network.
 * A network family brings everything else with its {@link SequenceNetwork}: forward and backward passes and its own
 * ONNX layers ({@link SequenceNetwork#writeLogits}). {@link #builtIn()} lists the families this module ships;
 * a new family is a {@link SequenceNetwork} implementation plus one entry there, and any caller may also pass its own
 * family to {@link TrainingConfig.Builder#architecture}.
 *
 * <p><b>Thread-safety.</b> Immutable; the factory must be safe to call from any thread.
 *
 * @param name        short name, unique among families (compared case-insensitively)
 * @param description what the network is, in a few words
 * @param factory     makes a network with initial weights for a shape and a seed
 */
public record NetworkFamily(String name, String description, Factory factory) {

    /** Makes a network of one family. */
    @FunctionalInterface
    public interface Factory {
        /** A network of {@code shape} with initial weights drawn from {@code seed}. */
        SequenceNetwork create(NetworkShape shape, long seed);
    }

    /** Frame layer, temporal convolution, mean and max pooling over time ({@link TemporalConvNetwork}; default). */
    public static final NetworkFamily TCN =
            new NetworkFamily("TCN", "temporal convolution network", TemporalConvNetwork::new);
    /** The KSL reports' model: LSTM, LSTM, dense, dense ({@link LstmNetwork}). */
    public static final NetworkFamily LSTM = new NetworkFamily("LSTM", "stacked LSTM", LstmNetwork::new);

    /**
     * The temporal convolution network with a normalised (cosine) head: its L2-normalised pooled features are a sign
     * embedding in which takes of one sign cluster, for enrolling new signs from a few takes.
     */
    public static final NetworkFamily COSINE_TCN = new NetworkFamily(
            "COSINE_TCN",
            "temporal convolution network with a cosine head",
            (shape, seed) -> new TemporalConvNetwork(shape, seed, true));

    /**
     * A depthwise temporal convolution block and a self-attention block over the frames, as the Kaggle ISLR 2023
     * winners built their models ({@link ConvAttentionNetwork}).
     */
    public static final NetworkFamily CONV_ATTENTION = new NetworkFamily(
            "CONV_ATTENTION", "depthwise temporal convolution and self-attention", ConvAttentionNetwork::new);

    private static final List<NetworkFamily> BUILT_IN = List.of(TCN, LSTM, COSINE_TCN, CONV_ATTENTION);

    public NetworkFamily {
        Checks.notNull(name, "name");
        Checks.notNull(description, "description");
        Checks.notNull(factory, "factory");
        if (name.isBlank()) {
            throw new InvalidInputException("a network family needs a name");
        }
    }

    /** A network of this family for {@code shape}, initialised from {@code seed}. */
    public SequenceNetwork create(NetworkShape shape, long seed) {
        SequenceNetwork net = factory.create(Checks.notNull(shape, "shape"), seed);
        if (net == null || !net.shape().equals(shape)) {
            throw new IllegalStateException("network family " + name + " made " + net + " for shape " + shape);
        }
        return net;
    }

    /** The families this module ships, default first. */
    public static List<NetworkFamily> builtIn() {
        return BUILT_IN;
    }

    /**
     * The built-in family called {@code name} (case-insensitive).
     *
     * @throws InvalidInputException naming the known families when there is none
     */
    public static NetworkFamily named(String name) {
        Checks.notNull(name, "name");
        for (NetworkFamily f : BUILT_IN) {
            if (f.name.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new InvalidInputException("unknown network family '" + name + "'; known: "
                + BUILT_IN.stream().map(NetworkFamily::name).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return name;
    }
}
