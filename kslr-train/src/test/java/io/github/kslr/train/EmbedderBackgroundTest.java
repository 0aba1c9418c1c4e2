package io.github.kslr.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.SignEmbedderMetadata;
import io.github.kslr.recognizer.DemoSignModel;
import io.github.kslr.recognizer.OnnxSignEmbedder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Background prototypes from synthetic unit embeddings (E = 3), where the right answer is known. */
class EmbedderBackgroundTest {

    private static final int E = 3;

    private static float[] unit(double x, double y, double z) {
        double n = Math.sqrt(x * x + y * y + z * z);
        return new float[] {(float) (x / n), (float) (y / n), (float) (z / n)};
    }

    private static double cos(float[] flat, int p, float[] v) {
        double s = 0;
        for (int k = 0; k < E; k++) {
            s += flat[p * E + k] * v[k];
        }
        return s;
    }

    /**
     * The bundled embedder carries the rule of the recipe it was trained with: a change to the recipe's threshold or
     * margin that is not followed by retraining it ({@code kslr train-embedder}, README) would leave the SDK rejecting
     * by a rule nobody measured.
     */
    @Test
    void theBundledEmbedderRejectsByTheDefaultRecipesRule() {
        try (OnnxSignEmbedder bundled = OnnxSignEmbedder.open(DemoSignModel.embedderSource())) {
            SignEmbedderMetadata m = bundled.metadata();
            assertEquals(
                    EmbedderBackground.threshold(
                            TrainingConfig.embedderBuilder().build()),
                    m.threshold(),
                    1e-6);
            assertEquals(EmbedderBackground.MARGIN, m.margin(), 1e-6);
            assertEquals(EmbedderBackground.Kind.SIGNS_AND_NO_SIGN, EmbedderBackground.DEFAULT_KIND);
            int trainedSigns = m.model().labels().size() - 1;
            assertEquals(
                    (trainedSigns + EmbedderBackground.NO_SIGN_CENTRES) * m.embeddingSize(),
                    m.background().length,
                    "a mean a trained sign and the no-sign centres (DEFAULT_KIND)");
        }
    }

    @Test
    void oneMeanATrainedSignAndCentresThatCoverEveryKindOfNoSign() {
        // Labels: "-" (two unlike kinds: hands down ~ +z, hands rising ~ -x), "a" ~ +x, "b" ~ +y, "c" left out.
        List<String> labels = List.of("-", "a", "b", "c");
        float[][] centre = {null, unit(1, 0, 0), unit(0, 1, 0), unit(0.7, 0.7, 0)};
        Random r = new Random(5);
        int n = 80;
        int[] y = new int[n];
        float[] emb = new float[n * E];
        for (int i = 0; i < n; i++) {
            y[i] = i % 4;
            float[] c = y[i] != 0 ? centre[y[i]] : (i % 16 == 0 ? unit(0, 0, 1) : unit(-1, 0, 0.1));
            float[] v = unit(
                    c[0] + 0.05 * r.nextGaussian(), c[1] + 0.05 * r.nextGaussian(), c[2] + 0.05 * r.nextGaussian());
            System.arraycopy(v, 0, emb, i * E, E);
        }
        FeatureLayout layout = FeatureLayout.POSE_HANDS_258;
        SignDataset data = new SignDataset(layout, 1, new float[n * layout.size()], y, new int[n], labels);
        EmbedderBackground.Kind all = EmbedderBackground.Kind.SIGNS_AND_NO_SIGN;
        float[] bg = EmbedderBackground.prototypes(data, emb, E, "-", List.of("c"), all);
        assertEquals((2 + EmbedderBackground.NO_SIGN_CENTRES) * E, bg.length, "a, b, and the no-sign centres");
        for (int p = 0; p < bg.length / E; p++) {
            assertEquals(1.0, cos(bg, p, new float[] {bg[p * E], bg[p * E + 1], bg[p * E + 2]}), 1e-5, "unit");
        }
        // In label order: "-" (its centres) first, then a, then b.
        int c = EmbedderBackground.NO_SIGN_CENTRES;
        assertTrue(cos(bg, c, centre[1]) > 0.99, "a's mean");
        assertTrue(cos(bg, c + 1, centre[2]) > 0.99, "b's mean");
        double up = Double.NEGATIVE_INFINITY;
        double rising = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < c; p++) {
            up = Math.max(up, cos(bg, p, unit(0, 0, 1)));
            rising = Math.max(rising, cos(bg, p, unit(-1, 0, 0.1)));
        }
        assertTrue(up > 0.97 && rising > 0.97, "both kinds of no sign are covered: " + up + ", " + rising);
        // One mean of the no-sign windows would cover the rarer kind badly (why there are centres).
        float[] mean = new float[E];
        for (int i = 0; i < n; i++) {
            if (y[i] == 0) {
                for (int k = 0; k < E; k++) {
                    mean[k] += emb[i * E + k];
                }
            }
        }
        float[] m = unit(mean[0], mean[1], mean[2]);
        assertTrue(m[2] < 0.6, "the mean is far from 'hands down': " + m[2]);
        assertArrayEquals(bg, EmbedderBackground.prototypes(data, emb, E, "-", List.of("c"), all), "deterministic");
        // No no-sign label: just the trained signs' means.
        assertEquals(
                4 * E,
                EmbedderBackground.prototypes(data, emb, E, "", List.of(), all).length,
                "'-' counts as a sign then");
        // The no-sign centres alone: the same centres, no sign means.
        float[] noSignOnly =
                EmbedderBackground.prototypes(data, emb, E, "-", List.of("c"), EmbedderBackground.Kind.NO_SIGN);
        assertArrayEquals(java.util.Arrays.copyOf(bg, c * E), noSignOnly, "the no-sign centres only");
        assertEquals(
                0,
                EmbedderBackground.prototypes(data, emb, E, "", List.of(), EmbedderBackground.Kind.NO_SIGN).length,
                "no no-sign label: nothing");
        assertArrayEquals(
                EmbedderBackground.prototypes(data, emb, E, "-", List.of("c"), EmbedderBackground.DEFAULT_KIND),
                EmbedderBackground.prototypes(data, emb, E, "-", List.of("c")),
                "the default kind");
    }

    /** The default threshold follows the recipe's embeddings: whitened cosines run lower. */
    @Test
    void theDefaultThresholdGoesWithWhitening() {
        assertEquals(
                EmbedderBackground.THRESHOLD,
                EmbedderBackground.threshold(TrainingConfig.embedderBuilder().build()));
        assertEquals(
                EmbedderBackground.UNWHITENED_THRESHOLD,
                EmbedderBackground.threshold(
                        TrainingConfig.embedderBuilder().embeddingWhitening(0).build()));
        assertTrue(EmbedderBackground.THRESHOLD < EmbedderBackground.UNWHITENED_THRESHOLD);
    }
}
