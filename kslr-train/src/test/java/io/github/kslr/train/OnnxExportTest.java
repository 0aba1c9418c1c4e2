package io.github.kslr.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.ModelSource;
import io.github.kslr.api.SignEmbedderMetadata;
import io.github.kslr.api.SignModelMetadata;
import io.github.kslr.onnx.writer.WeightPrecision;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnnxExportTest {

    /** A model with random weights and statistics (no training needed to check the export). */
    static TrainedModel randomModel(SignDataset data, long seed) {
        return randomModel(data, seed, NetworkFamily.TCN);
    }

    static TrainedModel randomModel(SignDataset data, long seed, NetworkFamily arch) {
        return randomModel(data, seed, arch, false);
    }

    static TrainedModel randomModel(SignDataset data, long seed, NetworkFamily arch, boolean handShape) {
        return randomModel(data, seed, arch, handShape, false);
    }

    static TrainedModel randomModel(
            SignDataset data, long seed, NetworkFamily arch, boolean handShape, boolean handAngles) {
        return randomModel(data, seed, arch, handShape, handAngles, false);
    }

    static TrainedModel randomModel(
            SignDataset data,
            long seed,
            NetworkFamily arch,
            boolean handShape,
            boolean handAngles,
            boolean velocities) {
        var layout = FeatureTransform.selectLayout(data);
        FeatureTransform tf = new FeatureTransform(layout, handShape, handAngles, velocities);
        int d = tf.outputSize();
        Random r = new Random(seed);
        float[] mean = new float[d];
        float[] inv = new float[d];
        for (int i = 0; i < d; i++) {
            mean[i] = 0.3f * (float) r.nextGaussian();
            inv[i] = 0.5f + r.nextFloat();
        }
        NetworkShape shape =
                new NetworkShape(data.sequenceLength(), d, 12, 10, data.labels().size());
        SequenceNetwork net = arch.create(shape, seed);
        float[] p = net.parameters();
        for (int i = 0; i < p.length; i++) {
            p[i] += 0.05f * (float) r.nextGaussian();
        }
        SignModelMetadata meta = SignModelMetadata.of(data.labels(), layout, data.sequenceLength())
                .withTranslations(Map.of("sign1", "one"), Map.of("sign1", "មួយ"))
                .withNoSignLabel("sign0");
        return new TrainedModel(meta, tf, mean, inv, net);
    }

    /**
     * The hand-shape block, and with {@code handAngles} the joint cosines after it, computed by the graph equal the
     * Java ones (both hands, an absent hand, a lost point).
     */
    @ParameterizedTest(name = "hand angles {0}")
    @ValueSource(booleans = {false, true})
    void exportedHandFeaturesGiveTheJavaProbabilities(boolean handAngles) {
        SignDataset data = Synthetic.dataset(4, 3, 6, 12);
        TrainedModel model = randomModel(data, 6, NetworkFamily.TCN, true, handAngles);
        SignDataset in = data.convertTo(model.metadata().layout());
        float[] w = in.windows();
        // Take one hand out of a frame and one point out of others, as a landmarker does.
        var layout = model.metadata().layout();
        clearHand(w, layout, 0, LandmarkPart.LEFT_HAND);
        clearPoint(w, layout, 1, LandmarkPart.RIGHT_HAND, 8);
        clearPoint(w, layout, 2, LandmarkPart.LEFT_HAND, 12);
        assertTrue(model.transform().handShape());
        assertEquals(handAngles, model.transform().handAngles());
        assertEquals(
                new FeatureTransform(layout).outputSize()
                        + 2 * 21 * 3
                        + (handAngles ? 2 * FeatureTransform.ANGLES_PER_HAND : 0),
                model.transform().outputSize());
        assertExportGivesTheJavaProbabilities(model, w, in.size());
    }

    /** Clears every point of the hand {@code part} in frame {@code frame}, as a landmarker loses a hand. */
    private static void clearHand(float[] windows, FeatureLayout layout, int frame, LandmarkPart part) {
        for (int lm = 0; lm < 21; lm++) {
            clearPoint(windows, layout, frame, part, lm);
        }
    }

    /** Clears x, y and z of {@code landmark} of {@code part} in frame {@code frame}, as a landmarker loses a point. */
    private static void clearPoint(float[] windows, FeatureLayout layout, int frame, LandmarkPart part, int landmark) {
        for (int k = 0; k < 3; k++) {
            windows[frame * layout.size() + layout.columnOf(part, landmark, k)] = 0f;
        }
    }

    /** The float32 export of {@code model} gives the probabilities the Java model gives for {@code count} windows. */
    private static void assertExportGivesTheJavaProbabilities(TrainedModel model, float[] windows, int count) {
        float[] java = model.probabilities(windows, count);
        try (OnnxProbabilityModel onnx = new OnnxProbabilityModel(
                ModelSource.ofBytes(OnnxExport.toBytes(model, WeightPrecision.FLOAT32), "features"))) {
            assertArrayEquals(java, onnx.probabilities(windows, count), 2e-6f);
        }
    }

    /**
     * The velocity blocks computed by the graph equal the Java ones, after every other block: a hand that leaves for
     * a frame and comes back, a point lost in one frame.
     */
    @Test
    void exportedVelocitiesGiveTheJavaProbabilities() {
        SignDataset data = Synthetic.dataset(4, 3, 6, 14);
        TrainedModel model = randomModel(data, 9, NetworkFamily.TCN, true, true, true);
        SignDataset in = data.convertTo(model.metadata().layout());
        float[] w = in.windows();
        var layout = model.metadata().layout();
        clearHand(w, layout, 2, LandmarkPart.LEFT_HAND);
        clearPoint(w, layout, 4, LandmarkPart.RIGHT_HAND, 8);
        assertTrue(model.transform().velocities());
        assertEquals(
                new FeatureTransform(layout, true, true).outputSize()
                        + 2 * model.transform().pointCount(),
                model.transform().outputSize());
        assertExportGivesTheJavaProbabilities(model, w, in.size());
    }

    /** Three members in one graph: the exported model averages their probabilities as the Java ensemble does. */
    @Test
    void exportedEnsembleAveragesItsMembers() {
        SignDataset data = Synthetic.dataset(4, 3, 6, 13);
        List<SequenceNetwork> members = new java.util.ArrayList<>();
        TrainedModel first = null;
        for (long seed = 1; seed <= 3; seed++) {
            TrainedModel m = randomModel(data, seed, NetworkFamily.TCN);
            first = first == null ? m : first;
            members.add(m.network());
        }
        // The members share the first model's standardisation (as the trainer's members do).
        TrainedModel ensemble = new TrainedModel(
                first.metadata(), first.transform(), first.mean(), first.invStd(), new EnsembleNetwork(members));
        SignDataset in = data.convertTo(ensemble.metadata().layout());
        float[] java = ensemble.probabilities(in.windows(), in.size());
        float[] byHand = new float[java.length];
        for (SequenceNetwork m : members) {
            float[] p = new TrainedModel(first.metadata(), first.transform(), first.mean(), first.invStd(), m)
                    .probabilities(in.windows(), in.size());
            for (int i = 0; i < p.length; i++) {
                byHand[i] += p[i] / 3;
            }
        }
        assertArrayEquals(byHand, java, 1e-6f);
        for (WeightPrecision precision : WeightPrecision.values()) {
            try (OnnxProbabilityModel onnx = new OnnxProbabilityModel(
                    ModelSource.ofBytes(OnnxExport.toBytes(ensemble, precision), "ensemble"))) {
                assertArrayEquals(
                        java,
                        onnx.probabilities(in.windows(), in.size()),
                        precision == WeightPrecision.FLOAT32 ? 2e-6f : 0.05f,
                        precision.name());
            }
        }
    }

    /** The embedder graph gives the trainer's embeddings, unit rows, and metadata that reads back. */
    @Test
    void exportedEmbedderGivesTheJavaEmbeddingsAndItsMetadata() throws Exception {
        SignDataset data = Synthetic.dataset(4, 3, 6, 21);
        TrainedModel model = randomModel(data, 8, NetworkFamily.COSINE_TCN, true);
        SignDataset in = data.convertTo(model.metadata().layout());
        float[] expected = model.embeddings(in.windows(), in.size());
        int e = model.embeddingSize();
        byte[] bytes = OnnxExport.toEmbedderBytes(model, 0.61, WeightPrecision.FLOAT32);
        assertArrayEquals(bytes, OnnxExport.toEmbedderBytes(model, 0.61, WeightPrecision.FLOAT32), "deterministic");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(bytes, new OrtSession.SessionOptions());
                OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(in.windows()), new long[] {
                    in.size(), in.sequenceLength(), in.layout().size()
                });
                OrtSession.Result r = session.run(Map.of("landmarks", x))) {
            float[][] onnx = (float[][]) r.get("embedding").orElseThrow().getValue();
            for (int i = 0; i < in.size(); i++) {
                float[] row = Arrays.copyOfRange(expected, i * e, (i + 1) * e);
                assertArrayEquals(row, onnx[i], 2e-6f, "window " + i);
                double norm = 0;
                for (float v : onnx[i]) {
                    norm += v * v;
                }
                assertEquals(1.0, norm, 1e-5);
            }
            SignEmbedderMetadata meta =
                    SignEmbedderMetadata.fromProperties(session.getMetadata().getCustomMetadata(), "embedder");
            assertEquals(e, meta.embeddingSize());
            assertEquals(0.61, meta.threshold(), 1e-9);
            assertEquals(model.metadata().labelNames(), meta.model().labelNames());
            assertEquals(64, meta.contentSha256().length());
        }
        // Another model, another hash; a classifier network is refused.
        String other = SignEmbedderMetadata.fromProperties(
                        metadataOf(OnnxExport.toEmbedderBytes(
                                randomModel(data, 9, NetworkFamily.COSINE_TCN, true), 0.61, WeightPrecision.FLOAT32)),
                        "x")
                .contentSha256();
        assertTrue(!other.equals(
                SignEmbedderMetadata.fromProperties(metadataOf(bytes), "x").contentSha256()));
        assertThrows(
                InvalidInputException.class,
                () -> OnnxExport.toEmbedderBytes(randomModel(data, 8), 0.5, WeightPrecision.FLOAT32));
    }

    /** The embedder graph's output, one row a window of {@code in}. */
    private static float[][] onnxEmbeddings(byte[] embedder, SignDataset in) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(embedder, new OrtSession.SessionOptions());
                OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(in.windows()), new long[] {
                    in.size(), in.sequenceLength(), in.layout().size()
                });
                OrtSession.Result r = session.run(Map.of("landmarks", x))) {
            return (float[][]) r.get("embedding").orElseThrow().getValue();
        }
    }

    /**
     * A whitened embedder: the graph applies the whitening as the trainer's embeddings do (unit rows), and its hash
     * differs from the same network's without it.
     */
    @Test
    void exportedWhitenedEmbedderGivesTheJavaEmbeddings() throws Exception {
        SignDataset data = Synthetic.dataset(4, 3, 6, 22);
        TrainedModel plain = randomModel(data, 8, NetworkFamily.COSINE_TCN, true);
        SignDataset in = data.convertTo(plain.metadata().layout());
        int n = in.size();
        int e = plain.embeddingSize();
        TrainedModel model = plain.withWhitening(
                EmbeddingWhitening.fit(plain.embeddings(in.windows(), n), in.labelsArray(), n, e, 0.3));
        float[] expected = model.embeddings(in.windows(), n);
        assertTrue(!Arrays.equals(plain.embeddings(in.windows(), n), expected), "whitening changes embeddings");
        byte[] bytes = OnnxExport.toEmbedderBytes(model, 0.55, WeightPrecision.FLOAT32);
        float[][] onnx = onnxEmbeddings(bytes, in);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(Arrays.copyOfRange(expected, i * e, (i + 1) * e), onnx[i], 2e-5f, "window " + i);
        }
        assertTrue(!SignEmbedderMetadata.fromProperties(metadataOf(bytes), "x")
                .contentSha256()
                .equals(SignEmbedderMetadata.fromProperties(
                                metadataOf(OnnxExport.toEmbedderBytes(plain, 0.55, WeightPrecision.FLOAT32)), "x")
                        .contentSha256()));
        assertThrows(
                InvalidInputException.class,
                () -> randomModel(data, 8)
                        .withWhitening(
                                EmbeddingWhitening.fit(plain.embeddings(in.windows(), n), in.labelsArray(), n, e, 0.3)),
                "a classifier has no embedding to whiten");
    }

    /**
     * An ensemble embedder: its embedding is the members' own unit embeddings side by side times 1/sqrt(3) (so a dot
     * product is the mean of the members' cosines), and the exported graph gives the same, with that size in its
     * metadata. An ensemble with a classifier member embeds nothing.
     */
    @Test
    void exportedEnsembleEmbedderGivesTheMembersEmbeddingsSideBySide() throws Exception {
        SignDataset data = Synthetic.dataset(4, 3, 6, 23);
        List<SequenceNetwork> members = new java.util.ArrayList<>();
        TrainedModel first = null;
        for (long seed = 11; seed <= 13; seed++) {
            TrainedModel m = randomModel(data, seed, NetworkFamily.COSINE_TCN, true);
            first = first == null ? m : first;
            members.add(m.network());
        }
        TrainedModel ensemble = new TrainedModel(
                first.metadata(), first.transform(), first.mean(), first.invStd(), new EnsembleNetwork(members));
        assertTrue(ensemble.embeds());
        SignDataset in = data.convertTo(ensemble.metadata().layout());
        int n = in.size();
        float[] java = ensemble.embeddings(in.windows(), n);
        int e = ensemble.embeddingSize();
        float[][] own = new float[3][];
        int one = 0;
        for (int m = 0; m < 3; m++) {
            TrainedModel single =
                    new TrainedModel(first.metadata(), first.transform(), first.mean(), first.invStd(), members.get(m));
            own[m] = single.embeddings(in.windows(), n);
            one = single.embeddingSize();
        }
        assertEquals(3 * one, e);
        float scale = (float) (1 / Math.sqrt(3));
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < 3; m++) {
                for (int k = 0; k < one; k++) {
                    assertEquals(own[m][i * one + k] * scale, java[i * e + m * one + k], 1e-7f);
                }
            }
        }
        // The ensemble's cosine of windows 0 and 1 is the mean of its members' cosines.
        double dot = 0;
        double mean = 0;
        for (int k = 0; k < e; k++) {
            dot += java[k] * java[e + k];
        }
        for (int m = 0; m < 3; m++) {
            for (int k = 0; k < one; k++) {
                mean += own[m][k] * own[m][one + k] / 3.0;
            }
        }
        assertEquals(mean, dot, 1e-6);
        byte[] bytes = OnnxExport.toEmbedderBytes(ensemble, 0.7, WeightPrecision.FLOAT32);
        float[][] onnx = onnxEmbeddings(bytes, in);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(Arrays.copyOfRange(java, i * e, (i + 1) * e), onnx[i], 2e-6f, "window " + i);
            double norm = 0;
            for (float v : onnx[i]) {
                norm += v * v;
            }
            assertEquals(1.0, norm, 1e-5);
        }
        assertEquals(
                e,
                SignEmbedderMetadata.fromProperties(metadataOf(bytes), "embedder")
                        .embeddingSize());
        List<SequenceNetwork> mixed = List.of(
                members.get(0), randomModel(data, 14, NetworkFamily.TCN, true).network());
        TrainedModel notEmbedder = new TrainedModel(
                first.metadata(), first.transform(), first.mean(), first.invStd(), new EnsembleNetwork(mixed));
        assertTrue(!notEmbedder.embeds());
        assertThrows(
                InvalidInputException.class,
                () -> OnnxExport.toEmbedderBytes(notEmbedder, 0.5, WeightPrecision.FLOAT32));
    }

    private static Map<String, String> metadataOf(byte[] onnx) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions())) {
            return session.getMetadata().getCustomMetadata();
        }
    }

    @Test
    void exportedCosineHeadGivesTheJavaProbabilities() {
        exportedModelGivesTheJavaProbabilities(NetworkFamily.COSINE_TCN);
    }

    @Test
    void exportedLstmGivesTheJavaProbabilities() {
        exportedModelGivesTheJavaProbabilities(NetworkFamily.LSTM);
    }

    @Test
    void exportedConvAttentionGivesTheJavaProbabilities() {
        exportedModelGivesTheJavaProbabilities(NetworkFamily.CONV_ATTENTION);
    }

    private static void exportedModelGivesTheJavaProbabilities(NetworkFamily family) {
        SignDataset data = Synthetic.dataset(3, 3, 7, 2);
        TrainedModel model = randomModel(data, 4, family);
        SignDataset in = data.convertTo(model.metadata().layout());
        float[] java = model.probabilities(in.windows(), in.size());
        for (WeightPrecision precision : WeightPrecision.values()) {
            byte[] bytes = OnnxExport.toBytes(model, precision);
            try (OnnxProbabilityModel onnx = new OnnxProbabilityModel(ModelSource.ofBytes(bytes, family.name()))) {
                float[] p = onnx.probabilities(in.windows(), in.size());
                assertArrayEquals(java, p, precision == WeightPrecision.FLOAT32 ? 2e-6f : 0.05f, precision.name());
            }
        }
    }

    @Test
    void exportedGraphGivesTheJavaProbabilitiesAndCarriesTheMetadata() {
        SignDataset data = Synthetic.dataset(4, 3, 6, 8);
        // Frames without pose exercise the graph's fallback branch.
        float[] x = data.windows();
        java.util.Arrays.fill(x, 0, 132, 0f);
        data = new SignDataset(data.layout(), data.sequenceLength(), x, data.labelsArray(), null, data.labels());
        TrainedModel model = randomModel(data, 3);
        SignDataset in = data.convertTo(model.metadata().layout());
        float[] java = model.probabilities(in.windows(), in.size());
        byte[] bytes = OnnxExport.toBytes(model, WeightPrecision.FLOAT32);
        try (OnnxProbabilityModel onnx = new OnnxProbabilityModel(ModelSource.ofBytes(bytes, "exported"))) {
            assertEquals(model.metadata(), onnx.metadata());
            assertEquals("មួយ", onnx.metadata().labels().get(1).khmer());
            assertArrayEquals(java, onnx.probabilities(in.windows(), in.size()), 2e-6f);
        }
        byte[] int8 = OnnxExport.toBytes(model, WeightPrecision.INT8);
        assertTrue(int8.length < bytes.length * 0.6, int8.length + " vs " + bytes.length);
        try (OnnxProbabilityModel onnx = new OnnxProbabilityModel(ModelSource.ofBytes(int8, "int8"))) {
            float[] q = onnx.probabilities(in.windows(), in.size());
            double maxDiff = 0;
            for (int i = 0; i < q.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(q[i] - java[i]));
            }
            // Weight-only int8 with per-channel scales moves probabilities a little, not a lot.
            assertTrue(maxDiff > 0 && maxDiff < 0.05, "int8 max difference " + maxDiff);
        }
    }
}
