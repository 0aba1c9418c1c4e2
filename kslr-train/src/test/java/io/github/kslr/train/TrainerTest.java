package io.github.kslr.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.ModelSource;
import io.github.kslr.api.SignModelMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    private static TrainingConfig.Builder small() {
        return TrainingConfig.builder()
                .hidden(16, 16)
                .maxEpochs(6)
                .patience(6)
                .batchSize(16)
                .seed(5)
                .ensemble(1);
    }

    @Test
    void sameSeedGivesTheSameModelWhateverTheThreadCount() {
        SignDataset d = Synthetic.dataset(4, 10, 8, 1);
        Trainer.Result a = new Trainer(small().threads(1).build()).train(d, null, "", null);
        Trainer.Result b = new Trainer(small().threads(2).build()).train(d, null, "", null);
        Trainer.Result c = new Trainer(small().threads(2).seed(6).build()).train(d, null, "", null);
        assertArrayEquals(
                a.model().network().parameterCopy(), b.model().network().parameterCopy());
        assertEquals(
                a.history().get(a.history().size() - 1).trainLoss(),
                b.history().get(b.history().size() - 1).trainLoss());
        assertFalse(
                java.util.Arrays.equals(
                        a.model().network().parameterCopy(), c.model().network().parameterCopy()),
                "another seed gives another model");
    }

    /** Member 0 of an ensemble is the single model of the same seed; the others come from other seeds. */
    @Test
    void ensembleMembersAreTrainedFromTheirOwnSeeds() {
        SignDataset d = Synthetic.dataset(4, 10, 8, 1);
        Trainer.Result single = new Trainer(small().build()).train(d, null, "", null);
        Trainer.Result three = new Trainer(small().ensemble(3).build()).train(d, null, "", null);
        EnsembleNetwork e = (EnsembleNetwork) three.model().network();
        assertEquals(3, e.members().size());
        assertArrayEquals(
                single.model().network().parameterCopy(), e.members().get(0).parameterCopy());
        assertFalse(java.util.Arrays.equals(
                e.members().get(1).parameterCopy(), e.members().get(2).parameterCopy()));
        assertEquals(3 * single.model().parameterCount(), three.model().parameterCount());
        assertEquals(
                single.history().stream().map(EpochStats::monitorLoss).toList(),
                three.history().stream().map(EpochStats::monitorLoss).toList(),
                "the report's curves are member 0's");
        assertThrows(
                UnsupportedOperationException.class,
                () -> e.backward(new float[0], 0, e.newScratch(), 0, 0f, new float[0]));
    }

    /**
     * Nobody in view (a window without any point) is no sign once no-sign windows are emptied in training; without
     * that the network has never seen such a window (the synthetic signs always show a body and a hand).
     */
    @Test
    void emptiedNoSignWindowsTeachThatNobodyInViewIsNoSign() {
        SignDataset d = Synthetic.dataset(4, 20, 8, 3);
        Augmentation plain = Augmentation.defaults().withNoSignEmpty(0);
        TrainedModel without = new Trainer(small().augmentation(plain).build())
                .train(d, null, "sign0", null)
                .model();
        TrainedModel with = new Trainer(
                        small().augmentation(plain.withNoSignEmpty(0.5)).build())
                .train(d, null, "sign0", null)
                .model();
        float[] nobody = new float[d.convertTo(with.metadata().layout()).windowSize()];
        float[] pWith = with.probabilities(nobody, 1);
        float[] pWithout = without.probabilities(nobody, 1);
        assertTrue(pWith[0] > 0.5f, "no sign for an empty window: " + java.util.Arrays.toString(pWith));
        assertTrue(pWith[0] > pWithout[0], pWith[0] + " vs " + pWithout[0] + " without emptying");
    }

    /** The convolution-and-attention family trains through the same loop, deterministically for a seed. */
    @Test
    void convAttentionNetworksLearnDeterministically() {
        SignDataset d = Synthetic.dataset(5, 40, 8, 2);
        TrainingConfig.Builder b =
                small().architecture(NetworkFamily.CONV_ATTENTION).maxEpochs(30);
        Trainer.Result one = new Trainer(b.threads(1).build()).train(d, null, "", null);
        Trainer.Result two = new Trainer(b.threads(2).build()).train(d, null, "", null);
        assertEquals(NetworkFamily.CONV_ATTENTION, one.model().network().family());
        assertArrayEquals(
                one.model().network().parameterCopy(), two.model().network().parameterCopy());
        assertTrue(
                one.history().get(one.bestEpoch() - 1).monitorAccuracy() > 0.9,
                "synthetic classes are easy: " + one.history());
    }

    @Test
    void learnsReportsProgressWritesCheckpointsAndStopsEarly(@TempDir Path dir) throws Exception {
        SignDataset d = Synthetic.dataset(5, 40, 8, 2);
        List<EpochStats> seen = new ArrayList<>();
        List<Boolean> improved = new ArrayList<>();
        TrainingConfig cfg =
                small().maxEpochs(200).patience(6).checkpointDir(dir).build();
        Trainer.Result r = new Trainer(cfg).train(d, d, "sign0", (e, imp) -> {
            seen.add(e);
            improved.add(imp);
        });
        assertEquals(r.history(), seen);
        assertTrue(r.history().size() < 200, "early stopping ends training before maxEpochs");
        assertEquals(6, seen.size() - r.bestEpoch(), "stops 'patience' epochs after the best");
        assertTrue(improved.get(r.bestEpoch() - 1));
        assertTrue(
                r.history().get(r.history().size() - 1).monitorAccuracy() > 0.9,
                "synthetic classes are easy: " + r.history());
        // The checkpoint is the best model, loadable by the recognizer, with the no-sign label in its metadata.
        Path best = dir.resolve("best.onnx");
        assertTrue(Files.size(best) > 0);
        assertTrue(Files.readString(dir.resolve("best.txt")).contains("epoch=" + r.bestEpoch()));
        try (OnnxProbabilityModel onnx = new OnnxProbabilityModel(ModelSource.ofPath(best))) {
            SignModelMetadata m = onnx.metadata();
            assertEquals("sign0", m.noSignLabel());
            SignDataset inLayout = d.convertTo(m.layout());
            float[] pj = r.model().probabilities(inLayout.windows(), inLayout.size());
            float[] po = onnx.probabilities(inLayout.windows(), inLayout.size());
            assertArrayEquals(pj, po, 1e-5f);
        }
    }

    /** A report on {@code d} with session {@code session} held out: the small recipe, m.onnx and r/ in {@code dir}. */
    private static TrainingReport.Summary smallReport(SignDataset d, int session, Path dir) {
        return TrainingReport.run(
                d,
                session,
                small().build(),
                LabelTranslations.none(),
                "",
                dir.resolve("m.onnx"),
                dir.resolve("r"),
                true,
                null);
    }

    @Test
    void reportWithoutValidationWindowsTrainsOnEverythingAndSaysSo(@TempDir Path dir) throws Exception {
        SignDataset d = Synthetic.dataset(3, 10, 6, 4); // sessions 0, 1, 2
        TrainingReport.Summary s = smallReport(d, 7, dir);
        assertEquals(0, s.validationWindows());
        assertEquals(null, s.clean());
        assertEquals(d.size(), s.training().trainWindows() + s.training().monitorWindows());
        assertTrue(Files.readString(dir.resolve("r/report.txt")).contains("no validation windows"));
        assertTrue(Files.size(dir.resolve("m.onnx")) > 0);
        assertThrows(
                InvalidInputException.class,
                () -> TrainingReport.run(
                        d.subset(d.indicesOfSession(1, true)),
                        1,
                        small().build(),
                        LabelTranslations.none(),
                        "",
                        dir.resolve("x.onnx"),
                        dir.resolve("x"),
                        false,
                        null));
    }

    @Test
    void reportWorksOnTheReportsLayoutWhoseFacePointsCannotMirror(@TempDir Path dir) throws Exception {
        // reports-177 (KSLR's default layout, e.g. from `kslr dataset`) has face points without left/right partners.
        SignDataset d = Synthetic.dataset(3, 10, 6, 5).convertTo(FeatureLayout.REPORTS_177);
        assertFalse(new Perturbations(d.layout()).canMirror());
        TrainingReport.Summary s = smallReport(d, 1, dir);
        // The model's suite runs in the model's own layout, which mirrors; the ridge baseline reads the data's
        // layout, so its suite leaves the mirrored check out.
        assertEquals(
                PerturbationSuite.names(),
                s.perturbations().stream().map(PerturbationSuite.Outcome::name).toList());
        assertEquals(
                List.of("clean", "shift", "scale", "tempo_1.3x", "tempo_0.75x"),
                s.ridge().stream().map(PerturbationSuite.Outcome::name).toList());
        assertTrue(Files.readString(dir.resolve("r/report.txt")).contains("mirrored"));
    }

    /** A cosine margin reaches the trained network (its loss, so its weights), and only when asked for. */
    @Test
    void cosineMarginTrainsAnotherEmbedder() {
        SignDataset d = Synthetic.dataset(4, 10, 8, 1);
        TrainingConfig.Builder b = small().architecture(NetworkFamily.COSINE_TCN);
        Trainer.Result none = new Trainer(b.build()).train(d, null, "", null);
        Trainer.Result margin = new Trainer(b.cosineMargin(0.2).build()).train(d, null, "", null);
        assertEquals(0f, ((TemporalConvNetwork) none.model().network()).cosineMargin());
        assertEquals(0.2f, ((TemporalConvNetwork) margin.model().network()).cosineMargin());
        assertFalse(java.util.Arrays.equals(
                none.model().network().parameterCopy(), margin.model().network().parameterCopy()));
    }

    /** An embedder's embeddings are whitened when asked (and only then), fitted to its training windows. */
    @Test
    void embeddingWhiteningIsFittedWhenAsked() {
        SignDataset d = Synthetic.dataset(4, 10, 8, 1);
        TrainingConfig.Builder b = small().architecture(NetworkFamily.COSINE_TCN);
        TrainedModel none = new Trainer(b.build()).train(d, null, "", null).model();
        TrainedModel whitened = new Trainer(b.embeddingWhitening(0.5).build())
                .train(d, null, "", null)
                .model();
        assertEquals(null, none.whitening());
        assertEquals(0.5, whitened.whitening().shrinkage());
        assertArrayEquals(none.network().parameterCopy(), whitened.network().parameterCopy(), "same network");
        SignDataset in = d.convertTo(none.metadata().layout());
        assertFalse(java.util.Arrays.equals(
                none.embeddings(in.windows(), in.size()), whitened.embeddings(in.windows(), in.size())));
    }

    @Test
    void badOptionsAreRejectedAtBuild() {
        assertThrows(
                InvalidInputException.class,
                () -> TrainingConfig.builder().dropout(1).build());
        assertThrows(
                InvalidInputException.class,
                () -> TrainingConfig.builder().learningRate(0).build());
        assertThrows(
                InvalidInputException.class,
                () -> TrainingConfig.builder().monitorFraction(0.7).build());
        assertThrows(
                InvalidInputException.class,
                () -> TrainingConfig.builder().maxEpochs(0).build());
        assertThrows(
                InvalidInputException.class,
                () -> TrainingConfig.builder().cosineMargin(0.2).build(),
                "a margin needs a cosine head");
        assertThrows(
                InvalidInputException.class,
                () -> TrainingConfig.embedderBuilder().cosineMargin(1).build());
        assertThrows(
                InvalidInputException.class,
                () -> TrainingConfig.builder().embeddingWhitening(0.3).build(),
                "whitening needs an embedder");
        assertThrows(
                InvalidInputException.class,
                () -> TrainingConfig.embedderBuilder().embeddingWhitening(-1).build());
        assertThrows(
                InvalidInputException.class,
                () -> TrainingConfig.embedderBuilder()
                        .embeddingWhitening(Double.NaN)
                        .build());
        assertThrows(
                InvalidInputException.class, () -> new Augmentation(1.5, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0));
    }
}
