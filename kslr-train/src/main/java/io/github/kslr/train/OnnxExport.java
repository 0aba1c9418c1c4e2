package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.SignEmbedderMetadata;
import io.github.kslr.onnx.writer.OnnxGraphWriter;
import io.github.kslr.onnx.writer.WeightPrecision;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes a {@link TrainedModel} as an ONNX model (opset 13) whose input is the raw layout and whose graph does the
 * whole {@link FeatureTransform} normalisation and standardisation, then the network's own layers
 * ({@link SequenceNetwork#writeLogits}), then softmax. The {@link io.github.kslr.api.SignModelMetadata} goes into
 * {@code metadata_props}. Written with the project's one {@link OnnxGraphWriter}.
 *
 * <p>Input {@value #INPUT} float32 {@code [batch, T, F]}; output {@value #OUTPUT} float32 {@code [batch, classes]}.
 * {@link WeightPrecision#INT8} stores the weight matrices as int8 with one scale per output channel (symmetric) and
 * dequantises them in the graph - a quarter of the size, same arithmetic otherwise.
 *
 * <p><b>Thread-safety.</b> Stateless; safe from any thread.
 */
public final class OnnxExport {

    public static final String INPUT = "landmarks";
    public static final String OUTPUT = "probabilities";
    static final int OPSET = 13;
    static final long IR_VERSION = 7;

    private OnnxExport() {}

    /** The model as ONNX bytes. */
    public static byte[] toBytes(TrainedModel model, WeightPrecision precision) {
        Checks.notNull(model, "model");
        Checks.notNull(precision, "precision");
        OnnxGraphWriter g = new OnnxGraphWriter("kslr_sign_model");
        SequenceNetwork network = model.network();
        NetworkShape s = network.shape();
        String std = writeFeatures(g, model, s.inputSize());
        String logits = network.writeLogits(g, std, precision, "");
        g.node("Softmax", "softmax", List.of(logits), List.of(OUTPUT), OnnxGraphWriter.intAttr("axis", 1));
        g.input(INPUT, "batch", s.frames(), model.metadata().layout().size());
        g.output(OUTPUT, "batch", s.classes());
        return g.model(
                        IR_VERSION,
                        OPSET,
                        "kslr-train",
                        "1",
                        "KSLR sign model: "
                                + network.description() + ", "
                                + (precision == WeightPrecision.INT8 ? "int8 weights" : "float32 weights"),
                        model.metadata().toProperties())
                .build()
                .toByteArray();
    }

    /**
     * The model's sign embedder: the same input and normalisation, then the network's L2-normalised pooled
     * features (whitened and normalised again when the model has an {@link EmbeddingWhitening}) as output
     * {@value SignEmbedderMetadata#OUTPUT} {@code [batch, embeddingSize]}, with
     * {@link SignEmbedderMetadata} (the rejection threshold given, the graph's SHA-256; no background prototypes) in
     * {@code metadata_props}.
     *
     * @throws InvalidInputException when the model's network gives no embedding
     */
    public static byte[] toEmbedderBytes(TrainedModel model, double threshold, WeightPrecision precision) {
        return toEmbedderBytes(model, threshold, new float[0], 0, precision);
    }

    /**
     * The model's sign embedder, as {@link #toEmbedderBytes(TrainedModel, double, WeightPrecision)}, with background
     * prototypes and the margin over them for open-set rejection ({@link EmbedderBackground}).
     *
     * @param background {@code count * embeddingSize} floats, unit rows (empty: threshold only)
     */
    public static byte[] toEmbedderBytes(
            TrainedModel model, double threshold, float[] background, double margin, WeightPrecision precision) {
        Checks.notNull(model, "model");
        Checks.notNull(background, "background");
        Checks.notNull(precision, "precision");
        if (!model.embeds()) {
            throw new InvalidInputException("a " + model.network().description() + " gives no sign embedding; train a "
                    + NetworkFamily.COSINE_TCN.name() + " network");
        }
        SequenceNetwork network = model.network();
        List<TemporalConvNetwork> members = model.embedderMembers();
        int size = model.embeddingSize();
        NetworkShape s = network.shape();
        OnnxGraphWriter g = new OnnxGraphWriter("kslr_sign_embedder");
        String std = writeFeatures(g, model, s.inputSize());
        String e;
        if (members.size() == 1) {
            // One network keeps the graph (and so the hash) it always had: vocabularies enrolled with it still load.
            e = members.get(0).writeEmbedding(g, std, precision, "");
        } else {
            // As TrainedModel.embeddings: the members' unit embeddings side by side, times 1/sqrt(M).
            List<String> parts = new java.util.ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                parts.add(members.get(i).writeEmbedding(g, std, precision, "m" + i + "_"));
            }
            String concat = g.node("Concat", parts, OnnxGraphWriter.intAttr("axis", 1));
            e = g.node("Mul", List.of(concat, g.floatScalar("ensemble_embedding_scale", (float)
                    (1 / Math.sqrt(members.size())))));
        }
        if (model.whitening() != null) {
            e = model.whitening().write(g, e);
        }
        g.node("Identity", "embedding", List.of(e), List.of(SignEmbedderMetadata.OUTPUT));
        g.input(INPUT, "batch", s.frames(), model.metadata().layout().size());
        g.output(SignEmbedderMetadata.OUTPUT, "batch", size);
        String hash = HexFormat.of().formatHex(sha256(g.graphBytes()));
        SignEmbedderMetadata meta =
                new SignEmbedderMetadata(model.metadata(), size, threshold, hash, background, margin);
        return g.model(
                        IR_VERSION,
                        OPSET,
                        "kslr-train",
                        "1",
                        "KSLR sign embedder: " + network.description() + ", "
                                + (precision == WeightPrecision.INT8 ? "int8 weights" : "float32 weights"),
                        meta.toProperties())
                .build()
                .toByteArray();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The feature transform, then the per-feature standardisation; returns the features {@code [B, T, d]}. */
    private static String writeFeatures(OnnxGraphWriter g, TrainedModel model, int d) {
        String feat = model.transform().write(g, INPUT);
        return g.node(
                "Mul",
                List.of(
                        g.node("Sub", List.of(feat, g.initializer("feature_mean", model.mean(), d))),
                        g.initializer("feature_inv_std", model.invStd(), d)));
    }
}
