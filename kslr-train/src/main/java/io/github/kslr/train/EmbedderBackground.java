package io.github.kslr.train;

import io.github.kslr.api.Checks;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The background prototypes a sign embedder ships ({@link io.github.kslr.api.SignEmbedderMetadata#background()}):
 * what its own training data looks like to it: {@value #NO_SIGN_CENTRES} prototypes for the no-sign label and, with
 * {@link Kind#SIGNS_AND_NO_SIGN}, one a trained sign label (the normalised mean embedding of its windows). The
 * no-sign prototypes are spherical k-means centres ("no sign" is many things - hands down, hands rising, a pause -
 * and one mean covers them badly). A window of a deployed vocabulary that is more similar to one of these than to every enrolled sign (by the margin) is rejected
 * ({@link io.github.kslr.recognizer.OpenSetRejection}).
 *
 * <p>The defaults ({@link #DEFAULT_KIND}, {@link #THRESHOLD} and {@link #MARGIN}) were chosen with the few-shot
 * protocol ({@code kslr few-shot}, README "Which windows a vocabulary rejects") by the largest of its rejections of
 * other people's windows of taught signs and its false accepts of no-sign windows and of signs the embedder knows but
 * nobody taught, as means over embedders trained from six seeds, and checked on three more. At equal rejections the
 * signs' means let about as many signs the embedder never saw through as the no-sign centres alone do; the lower
 * threshold trades more of those accepted for fewer taught windows rejected.
 *
 * <p><b>Thread-safety.</b> Stateless.
 */
public final class EmbedderBackground {

    /** Centres summarising the no-sign windows. */
    public static final int NO_SIGN_CENTRES = 4;
    /**
     * The default rejection threshold (cosine) that goes with background rejection for whitened embeddings (the
     * embedder's default recipe, {@link TrainingConfig#embedderBuilder()}); whitened cosines run lower.
     */
    public static final double THRESHOLD = 0.45;
    /**
     * The default rejection threshold for embeddings without whitening ({@code embeddingWhitening} 0), whose cosines
     * run higher.
     */
    public static final double UNWHITENED_THRESHOLD = 0.65;
    /** The default margin over the best background similarity. */
    public static final double MARGIN = -0.10;

    private static final int ITERATIONS = 25;

    /** Which of the embedder's training data the background prototypes summarise. */
    public enum Kind {
        /** A mean a trained sign label and the no-sign centres. */
        SIGNS_AND_NO_SIGN,
        /** The no-sign centres only (trained sign labels are no background). */
        NO_SIGN
    }

    /**
     * What {@code kslr train-embedder} stores by default: a mean a trained sign and the no-sign centres. A window
     * that looks more like a sign the embedder was trained on than like any taught sign is no taught sign; a sign
     * the embedder never saw is rejected by the threshold alone, about as well as with the no-sign centres only
     * (README, "Which windows a vocabulary rejects").
     */
    public static final Kind DEFAULT_KIND = Kind.SIGNS_AND_NO_SIGN;

    private EmbedderBackground() {}

    /** The default rejection threshold for an embedder trained with {@code config}: whitened or not. */
    public static double threshold(TrainingConfig config) {
        return Checks.notNull(config, "config").embeddingWhitening() > 0 ? THRESHOLD : UNWHITENED_THRESHOLD;
    }

    /** The background prototypes of {@link #DEFAULT_KIND}: {@link #prototypes(SignDataset, float[], int, String,
     * Collection, Kind)}. */
    public static float[] prototypes(SignDataset data, float[] emb, int e, String noSign, Collection<String> excluded) {
        return prototypes(data, emb, e, noSign, excluded, DEFAULT_KIND);
    }

    /**
     * The background prototypes, {@code count * e} floats, from embeddings of {@code data}'s windows.
     *
     * @param emb      {@code data.size() * e} unit-length embeddings
     * @param noSign   the no-sign label ("" for none)
     * @param excluded labels the embedder did not train on (left out)
     * @param kind     which prototypes: with {@link Kind#NO_SIGN} and no no-sign label, none
     */
    public static float[] prototypes(
            SignDataset data, float[] emb, int e, String noSign, Collection<String> excluded, Kind kind) {
        Checks.notNull(kind, "kind");
        Checks.notNull(data, "data");
        Checks.notNull(emb, "emb");
        Checks.notNull(noSign, "noSign");
        Checks.notNull(excluded, "excluded");
        List<float[]> out = new ArrayList<>();
        for (int c = 0; c < data.labels().size(); c++) {
            String l = data.labels().get(c);
            if (excluded.contains(l) || kind == Kind.NO_SIGN && !l.equals(noSign)) {
                continue;
            }
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) {
                if (data.label(i) == c) {
                    members.add(i);
                }
            }
            if (members.isEmpty()) {
                continue;
            }
            if (l.equals(noSign)) {
                out.addAll(centres(emb, e, members, NO_SIGN_CENTRES));
            } else {
                out.add(mean(emb, e, members));
            }
        }
        float[] flat = new float[out.size() * e];
        for (int p = 0; p < out.size(); p++) {
            System.arraycopy(out.get(p), 0, flat, p * e, e);
        }
        return flat;
    }

    private static float[] mean(float[] emb, int e, List<Integer> members) {
        float[] m = new float[e];
        for (int i : members) {
            FloatMath.axpy(1f, emb, i * e, m, 0, e);
        }
        TemporalConvNetwork.normalise(m.clone(), m);
        return m;
    }

    /**
     * Spherical k-means, deterministic: the first centre is the member nearest the mean, each next one the member
     * least similar to the centres so far; then {@value #ITERATIONS} rounds of assign and re-centre.
     */
    static List<float[]> centres(float[] emb, int e, List<Integer> members, int k) {
        int n = members.size();
        k = Math.min(k, n);
        float[] mean = mean(emb, e, members);
        List<float[]> cs = new ArrayList<>();
        int first = members.get(0);
        double best = Double.NEGATIVE_INFINITY;
        for (int i : members) {
            double s = FloatMath.dot(emb, i * e, mean, 0, e);
            if (s > best) {
                best = s;
                first = i;
            }
        }
        cs.add(java.util.Arrays.copyOfRange(emb, first * e, first * e + e));
        while (cs.size() < k) {
            int far = -1;
            double farSim = Double.POSITIVE_INFINITY;
            for (int i : members) {
                double s = nearest(emb, i * e, cs, e)[1];
                if (s < farSim) {
                    farSim = s;
                    far = i;
                }
            }
            cs.add(java.util.Arrays.copyOfRange(emb, far * e, far * e + e));
        }
        for (int it = 0; it < ITERATIONS; it++) {
            float[][] sums = new float[k][e];
            int[] counts = new int[k];
            for (int i : members) {
                int c = (int) nearest(emb, i * e, cs, e)[0];
                FloatMath.axpy(1f, emb, i * e, sums[c], 0, e);
                counts[c]++;
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] > 0) {
                    TemporalConvNetwork.normalise(sums[c].clone(), sums[c]);
                    cs.set(c, sums[c]);
                }
            }
        }
        return cs;
    }

    private static double[] nearest(float[] emb, int off, List<float[]> cs, int e) {
        int best = 0;
        double bestSim = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < cs.size(); c++) {
            double s = FloatMath.dot(emb, off, cs.get(c), 0, e);
            if (s > bestSim) {
                bestSim = s;
                best = c;
            }
        }
        return new double[] {best, bestSim};
    }
}
