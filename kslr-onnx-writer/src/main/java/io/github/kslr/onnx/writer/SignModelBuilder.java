package io.github.kslr.onnx.writer;

import ai.onnx.proto.OnnxMl;
import io.github.kslr.api.AtomicFiles;
import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.KslrException;
import io.github.kslr.api.SignModelMetadata;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Writes a sign model in ONNX: the first KSL report's architecture (figure 3.5), by default
 * <pre>
 *   windows [batch, T, F] → (input stage, e.g. normalisation) → Transpose → [T, batch, F]
 *   → LSTM 64 (all steps) → LSTM 128 (last step) → Dense 64 + ReLU → Dense N → Softmax → probabilities [batch, N]
 * </pre>
 * The LSTMs run time-major ({@code layout = 0}) because ONNX Runtime's CPU LSTM kernel rejects batch-major
 * input; the graph's own input stays batch-major, as the {@link SignModelMetadata} contract says. The metadata is
 * written into the model's {@code metadata_props}. Layer sizes, weights (given or random) and an {@link InputStage}
 * are options, so the same code makes tiny test models, benchmark models and the trainer's exported models.
 *
 * <p>Dropout layers of the report are training-only and have no place in the exported graph.
 *
 * <p><b>Thread-safety.</b> Not thread-safe; a builder makes one model at a time. Given weights are immutable and
 * may be shared.
 */
public final class SignModelBuilder {
    /** ONNX opset of the default domain the graph uses. */
    public static final int OPSET = 17;
    /** ONNX IR version written (ONNX 1.13, understood by every ONNX Runtime since 1.14). */
    public static final long IR_VERSION = 8;
    /** Name of the graph's input, {@code [batch, T, F]} float32. */
    public static final String INPUT_NAME = "windows";
    /** Name of the graph's output, {@code [batch, N]} float32 probabilities. */
    public static final String OUTPUT_NAME = "probabilities";

    private final SignModelMetadata metadata;
    private int[] lstmUnits = {64, 128};
    private int[] denseUnits = {64};
    private List<LstmWeights> lstmWeights;
    private List<DenseWeights> denseWeights;
    private long seed;
    private InputStage inputStage;
    private String producer = "kslr";

    private SignModelBuilder(SignModelMetadata metadata) {
        this.metadata = metadata;
    }

    /** A builder for the reports' architecture with random weights (seed 0) for {@code metadata}. */
    public static SignModelBuilder builder(SignModelMetadata metadata) {
        return new SignModelBuilder(Checks.notNull(metadata, "metadata"));
    }

    /** LSTM layer sizes, first to last (default 64, 128). Only the last layer's final step feeds the dense layers. */
    public SignModelBuilder lstmUnits(int... units) {
        this.lstmUnits = positiveList(units, "lstmUnits", false);
        return this;
    }

    /** Hidden dense layer sizes, each followed by ReLU (default 64; none is allowed). */
    public SignModelBuilder denseUnits(int... units) {
        this.denseUnits = positiveList(units, "denseUnits", true);
        return this;
    }

    /** Seed of the random weights used when no weights are given (default 0). */
    public SignModelBuilder randomWeights(long seed) {
        this.seed = seed;
        this.lstmWeights = null;
        this.denseWeights = null;
        return this;
    }

    /**
     * Trained weights. They define the layer sizes (overriding {@link #lstmUnits}/{@link #denseUnits}); the last
     * dense layer is the output layer, with one unit a label. Sizes are checked at {@link #build()}.
     */
    public SignModelBuilder weights(List<LstmWeights> lstm, List<DenseWeights> dense) {
        Checks.notNull(lstm, "lstm");
        Checks.notNull(dense, "dense");
        if (lstm.isEmpty() || dense.isEmpty()) {
            throw new InvalidInputException("a sign model needs at least one LSTM and one dense layer, got "
                    + lstm.size() + " and " + dense.size());
        }
        this.lstmWeights = List.copyOf(lstm);
        this.denseWeights = List.copyOf(dense);
        return this;
    }

    /** A sub-graph between the raw input and the first LSTM (normalisation); none by default. */
    public SignModelBuilder inputStage(InputStage stage) {
        this.inputStage = Checks.notNull(stage, "inputStage");
        return this;
    }

    /** The model's {@code producer_name} (default {@code kslr}). */
    public SignModelBuilder producer(String name) {
        this.producer = Checks.notNull(name, "producer");
        return this;
    }

    /**
     * Builds the model.
     *
     * @throws InvalidInputException when weights do not chain (each layer's input size = the previous layer's
     *     output size, first = the layout's feature size, last = the label count) or the input stage was made for
     *     another feature size
     */
    public OnnxMl.ModelProto buildProto() {
        int features = metadata.layout().size();
        int classes = metadata.labels().size();
        List<LstmWeights> lstm = lstmWeights;
        List<DenseWeights> dense = denseWeights;
        if (lstm == null) {
            Random random = new Random(seed);
            lstm = new ArrayList<>();
            int in = features;
            for (int u : lstmUnits) {
                lstm.add(LstmWeights.random(in, u, random));
                in = u;
            }
            dense = new ArrayList<>();
            for (int u : denseUnits) {
                dense.add(DenseWeights.random(in, u, random));
                in = u;
            }
            dense.add(DenseWeights.random(in, classes, random));
        }
        checkChain(lstm, dense, features, classes);
        if (inputStage != null && inputStage.featureSize() >= 0 && inputStage.featureSize() != features) {
            throw new InvalidInputException("the input stage expects " + inputStage.featureSize()
                    + " features a frame, the layout " + metadata.layout().name() + " has " + features);
        }

        OnnxGraphWriter graph = new OnnxGraphWriter("kslr_sign_model");
        graph.reserve(INPUT_NAME);
        graph.reserve(OUTPUT_NAME);
        graph.input(INPUT_NAME, "batch", metadata.sequenceLength(), features);
        graph.output(OUTPUT_NAME, "batch", classes);

        String x = INPUT_NAME;
        SignModelMetadata meta = metadata;
        if (inputStage != null) {
            x = inputStage.apply(graph, x);
            Checks.notNull(x, "the input stage's output name");
            if (meta.normalization().isEmpty()) {
                meta = meta.withNormalization(inputStage.description());
            }
        }
        // [batch, T, F] -> [T, batch, F]: ONNX Runtime's CPU LSTM supports only time-major input.
        x = graph.node("Transpose", List.of(x), OnnxGraphWriter.intsAttr("perm", 1L, 0L, 2L));
        // Squeeze axes: 1 drops Y's direction axis between LSTMs, 0 drops Y_h's after the last one. Made only when
        // used, as ONNX Runtime warns about unused initializers.
        String axis1 = lstm.size() > 1 ? graph.int64Vector(graph.newName("axis1"), 1) : null;
        String axis0 = graph.int64Vector(graph.newName("axis0"), 0);
        for (int l = 0; l < lstm.size(); l++) {
            LstmWeights w = lstm.get(l);
            int h = w.hiddenSize();
            String wName = graph.constant("lstm" + l + "_W", new long[] {1, 4L * h, w.inputSize()}, w.rawW());
            String rName = graph.constant("lstm" + l + "_R", new long[] {1, 4L * h, h}, w.rawR());
            String bName = graph.constant("lstm" + l + "_B", new long[] {1, 8L * h}, w.onnxBias());
            boolean last = l == lstm.size() - 1;
            String out = graph.newName(last ? "lstm" + l + "_Y_h" : "lstm" + l + "_Y");
            // Y is [T, 1, batch, H]; Y_h is [1, batch, H]. Only the output needed is named, so ONNX Runtime skips
            // writing the other.
            graph.node(
                    "LSTM",
                    out,
                    List.of(x, wName, rName, bName),
                    last ? List.of("", out) : List.of(out),
                    OnnxGraphWriter.intAttr("hidden_size", h),
                    OnnxGraphWriter.stringAttr("direction", "forward"),
                    OnnxGraphWriter.intAttr("layout", 0));
            x = graph.node("Squeeze", List.of(out, last ? axis0 : axis1));
        }
        for (int d = 0; d < dense.size(); d++) {
            DenseWeights w = dense.get(d);
            String k =
                    graph.constant("dense" + d + "_kernel", new long[] {w.inputSize(), w.outputSize()}, w.rawKernel());
            String b = graph.constant("dense" + d + "_bias", new long[] {w.outputSize()}, w.rawBias());
            x = graph.node("Gemm", List.of(x, k, b));
            if (d < dense.size() - 1) {
                x = graph.node("Relu", List.of(x));
            }
        }
        graph.node("Softmax", "softmax", List.of(x), List.of(OUTPUT_NAME), OnnxGraphWriter.intAttr("axis", -1));

        return graph.model(
                        IR_VERSION,
                        OPSET,
                        producer,
                        null,
                        "KSLR sign classifier: " + classes + " signs, " + metadata.sequenceLength() + " frames of "
                                + metadata.layout().name() + " features",
                        meta.toProperties())
                .setModelVersion(1)
                .build();
    }

    /** Builds the model and serialises it; see {@link #buildProto()}. */
    public byte[] build() {
        return buildProto().toByteArray();
    }

    /** Builds the model and writes it to {@code file}. */
    public void write(Path file) {
        Checks.notNull(file, "file");
        byte[] bytes = build();
        try {
            AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw new KslrException("cannot write model " + file.toAbsolutePath() + ": " + e, e);
        }
    }

    private static void checkChain(List<LstmWeights> lstm, List<DenseWeights> dense, int features, int classes) {
        int in = features;
        for (int i = 0; i < lstm.size(); i++) {
            LstmWeights w = Checks.notNull(lstm.get(i), "lstm[" + i + "]");
            if (w.inputSize() != in) {
                throw new InvalidInputException("LSTM layer " + i + " takes " + w.inputSize() + " inputs, expected "
                        + in + (i == 0 ? " (the layout's feature size)" : " (the previous layer's units)"));
            }
            in = w.hiddenSize();
        }
        for (int i = 0; i < dense.size(); i++) {
            DenseWeights w = Checks.notNull(dense.get(i), "dense[" + i + "]");
            if (w.inputSize() != in) {
                throw new InvalidInputException(
                        "dense layer " + i + " takes " + w.inputSize() + " inputs, expected " + in);
            }
            in = w.outputSize();
        }
        if (in != classes) {
            throw new InvalidInputException(
                    "the output layer has " + in + " units but the metadata has " + classes + " labels");
        }
    }

    private static int[] positiveList(int[] units, String name, boolean emptyOk) {
        Checks.notNull(units, name);
        if (units.length == 0 && !emptyOk) {
            throw new InvalidInputException(name + " needs at least one size");
        }
        for (int i = 0; i < units.length; i++) {
            Checks.positive(units[i], name + "[" + i + "]");
        }
        return units.clone();
    }

    @Override
    public String toString() {
        return "SignModelBuilder[lstm " + Arrays.toString(lstmUnits) + ", dense " + Arrays.toString(denseUnits) + ", "
                + metadata.labels().size() + " labels]";
    }
}
