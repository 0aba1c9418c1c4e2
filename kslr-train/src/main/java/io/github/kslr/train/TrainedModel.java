package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.SignModelMetadata;
import java.util.ArrayList;
import java.util.List;

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
    /** Applied to an embedder's embeddings, or null for none. */
    private final EmbeddingWhitening whitening;

    public TrainedModel(
            SignModelMetadata metadata,
            FeatureTransform transform,
            float[] mean,
            float[] invStd,
            SequenceNetwork network) {
        this(metadata, transform, mean, invStd, network, null);
    }

    private TrainedModel(
            SignModelMetadata metadata,
            FeatureTransform transform,
            float[] mean,
            float[] invStd,
            SequenceNetwork network,
            EmbeddingWhitening whitening) {
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
        this.whitening = whitening;
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
        return new TrainedModel(other, transform, mean, invStd, network, whitening);
    }

    /**
     * The same embedder with {@code w} applied to its embeddings ({@link #embeddings} and the exported graph).
     *
     * @throws InvalidInputException when the network gives no embedding or {@code w} is for another size
     */
    public TrainedModel withWhitening(EmbeddingWhitening w) {
        Checks.notNull(w, "whitening");
        if (w.size() != embeddingSize()) {
            throw new InvalidInputException(
                    "a whitening of " + w.size() + " floats for embeddings of " + embeddingSize());
        }
        return new TrainedModel(metadata, transform, mean, invStd, network, w);
    }

    /** The whitening applied to this embedder's embeddings, or null for none. */
    EmbeddingWhitening whitening() {
        return whitening;
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

    /**
     * Whether the network gives a sign embedding ({@link #embeddings}): a {@link NetworkFamily#COSINE_TCN} network or
     * an ensemble of them.
     */
    public boolean embeds() {
        return !embedderMembers().isEmpty();
    }

    /** Size of one embedding: the members' sizes summed for an ensemble. */
    public int embeddingSize() {
        return embedder().stream().mapToInt(TemporalConvNetwork::embeddingSize).sum();
    }

    /**
     * The L2-normalised embedding of each window, {@code count * embeddingSize()} floats. An ensemble's embedding is
     * its members' L2-normalised embeddings concatenated and scaled by {@code 1 / sqrt(members)}: still unit length,
     * and the dot product of two is the mean of the members' cosines, so a vocabulary compares them as it compares
     * one network's. With a {@link #withWhitening whitening}, that is applied last (still unit length).
     *
     * @throws InvalidInputException when the network is not an embedder ({@link #embeds()})
     */
    public float[] embeddings(float[] windows, int count) {
        List<TemporalConvNetwork> nets = embedder();
        int w = metadata.windowSize();
        if (windows.length < (long) count * w) {
            throw new InvalidInputException(
                    count + " windows need " + (long) count * w + " floats, got " + windows.length);
        }
        int e = embeddingSize();
        float scale = nets.size() == 1 ? 1f : (float) (1 / Math.sqrt(nets.size()));
        float[] out = new float[count * e];
        float[] u = new float[metadata.sequenceLength() * mean.length];
        List<TemporalConvNetwork.Workspace> ws = new ArrayList<>();
        List<float[]> one = new ArrayList<>();
        for (TemporalConvNetwork net : nets) {
            ws.add(net.newScratch());
            one.add(new float[net.embeddingSize()]);
        }
        for (int i = 0; i < count; i++) {
            features(windows, i * w, u);
            int at = i * e;
            for (int m = 0; m < nets.size(); m++) {
                TemporalConvNetwork net = nets.get(m);
                float[] o = one.get(m);
                net.forward(u, 0, ws.get(m), 0f, null);
                net.embed(ws.get(m), o);
                for (int k = 0; k < o.length; k++) {
                    out[at + k] = o[k] * scale;
                }
                at += o.length;
            }
        }
        if (whitening != null) {
            whitening.applyInPlace(out, 0, count);
        }
        return out;
    }

    /** The networks whose embeddings make this model's (one, or an ensemble's members); empty when it gives none. */
    List<TemporalConvNetwork> embedderMembers() {
        List<SequenceNetwork> nets =
                network instanceof EnsembleNetwork ensemble ? ensemble.members() : List.of(network);
        List<TemporalConvNetwork> out = new ArrayList<>();
        for (SequenceNetwork n : nets) {
            if (!(n instanceof TemporalConvNetwork tcn) || tcn.family() != NetworkFamily.COSINE_TCN) {
                return List.of();
            }
            out.add(tcn);
        }
        return out;
    }

    private List<TemporalConvNetwork> embedder() {
        List<TemporalConvNetwork> nets = embedderMembers();
        if (nets.isEmpty()) {
            throw new InvalidInputException("a " + network.description() + " gives no sign embedding; train a "
                    + NetworkFamily.COSINE_TCN.name() + " network");
        }
        return nets;
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
