package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.SignModelMetadata;

/**
 * A trained sign model in Java form: the geometric normalisation, the per-feature standardisation learned from the
 * training data, the network and the metadata it will carry. It computes probabilities in Java
 * ({@link #probabilities}) and exports itself to ONNX ({@link OnnxExport}); the two agree (tested).
 *
 * <p><b>Thread-safety.</b> Immutable after construction; {@link #probabilities} allocates its own scratch space, so
 * it may be called from many threads.
 */
public final class TrainedModel implements ProbabilityModel {

    private final SignModelMetadata metadata;
    private final FeatureTransform transform;
    private final float[] mean;
    private final float[] invStd;
    private final SequenceNetwork network;

    public TrainedModel(
            SignModelMetadata metadata,
            FeatureTransform transform,
            float[] mean,
            float[] invStd,
            SequenceNetwork network) {
        this.metadata = Checks.notNull(metadata, "metadata");
        this.transform = Checks.notNull(transform, "transform");
        Checks.notNull(network, "network");
        int d = transform.outputSize();
        Checks.length(mean, d, "mean");
        Checks.length(invStd, d, "invStd");
        if (network.shape().inputSize() != d
                || network.shape().frames() != metadata.sequenceLength()
                || network.shape().classes() != metadata.labels().size()
                || !transform.layout().equals(metadata.layout())) {
            throw new InvalidInputException("network " + network.shape() + ", transform (" + d + " features, layout "
                    + transform.layout().spec() + ") and metadata ("
                    + metadata.labels().size() + " labels, "
                    + metadata.sequenceLength() + " frames, layout "
                    + metadata.layout().spec() + ") disagree");
        }
        this.mean = mean.clone();
        this.invStd = invStd.clone();
        this.network = network.withParameters(network.parameters());
    }

    @Override
    public SignModelMetadata metadata() {
        return metadata;
    }

    /** The same model with other metadata (e.g. Khmer translations); layout, length and labels must not change. */
    public TrainedModel withMetadata(SignModelMetadata other) {
        if (!other.labelNames().equals(metadata.labelNames())) {
            throw new InvalidInputException(
                    "labels " + other.labelNames() + " differ from the model's " + metadata.labelNames());
        }
        return new TrainedModel(other, transform, mean, invStd, network);
    }

    public FeatureTransform transform() {
        return transform;
    }

    float[] mean() {
        return mean.clone();
    }

    float[] invStd() {
        return invStd.clone();
    }

    /** Number of trainable parameters. */
    public int parameterCount() {
        return network.parameterCount();
    }

    /** The network family. */
    public NetworkFamily architecture() {
        return network.family();
    }

    SequenceNetwork network() {
        return network;
    }

    /** Normalised, standardised features of one raw window into {@code dst[0 .. T * D)}. */
    void features(float[] windows, int offset, float[] dst) {
        int t = metadata.sequenceLength();
        transform.apply(windows, offset, t, dst, 0);
        int d = mean.length;
        for (int f = 0; f < t; f++) {
            for (int i = 0; i < d; i++) {
                dst[f * d + i] = (dst[f * d + i] - mean[i]) * invStd[i];
            }
        }
    }

    /** Whether the network gives a sign embedding ({@link #embeddings}). */
    public boolean embeds() {
        return network instanceof TemporalConvNetwork tcn && tcn.family() == NetworkFamily.COSINE_TCN;
    }

    /** Size of one embedding. */
    public int embeddingSize() {
        return embedder().embeddingSize();
    }

    /**
     * The L2-normalised embedding of each window, {@code count * embeddingSize()} floats.
     *
     * @throws InvalidInputException when the network is not an embedder ({@link #embeds()})
     */
    public float[] embeddings(float[] windows, int count) {
        TemporalConvNetwork net = embedder();
        int w = metadata.windowSize();
        if (windows.length < (long) count * w) {
            throw new InvalidInputException(
                    count + " windows need " + (long) count * w + " floats, got " + windows.length);
        }
        int e = net.embeddingSize();
        float[] out = new float[count * e];
        float[] u = new float[metadata.sequenceLength() * mean.length];
        float[] one = new float[e];
        TemporalConvNetwork.Workspace ws = net.newScratch();
        for (int i = 0; i < count; i++) {
            features(windows, i * w, u);
            net.forward(u, 0, ws, 0f, null);
            net.embed(ws, one);
            System.arraycopy(one, 0, out, i * e, e);
        }
        return out;
    }

    private TemporalConvNetwork embedder() {
        if (!embeds()) {
            throw new InvalidInputException("a " + network.description() + " gives no sign embedding; train a "
                    + NetworkFamily.COSINE_TCN.name() + " network");
        }
        return (TemporalConvNetwork) network;
    }

    @Override
    public float[] probabilities(float[] windows, int count) {
        int w = metadata.windowSize();
        if (windows.length < (long) count * w) {
            throw new InvalidInputException(
                    count + " windows need " + (long) count * w + " floats, got " + windows.length);
        }
        int c = metadata.labels().size();
        float[] out = new float[count * c];
        float[] u = new float[metadata.sequenceLength() * mean.length];
        SequenceNetwork.Scratch ws = network.newScratch();
        for (int i = 0; i < count; i++) {
            features(windows, i * w, u);
            network.forward(u, 0, ws, 0f, null);
            System.arraycopy(ws.probabilities(), 0, out, i * c, c);
        }
        return out;
    }
}
