package io.github.kslr.recognizer;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.SignEmbedderMetadata;
import java.util.Arrays;
import java.util.List;

/**
 * When a window's nearest enrolled sign is still "no sign": the one open-set rule, used by
 * {@link VocabularySignClassifier} at run time and by the few-shot protocol that measures it. A window whose best
 * cosine similarity to an enrolled sign is {@code best} is accepted when {@code best >= threshold} and
 * {@code best >= background + margin}, where {@code background} is its best cosine similarity to the embedder's
 * background prototypes ({@link SignEmbedderMetadata#background()}: what the embedder's own training signs and
 * no-sign windows look like). A window that looks more like something the embedder already knows than like any
 * enrolled sign is rejected; a negative margin gives enrolled signs that much benefit of the doubt. Without
 * background prototypes only the threshold applies.
 *
 * <p>A background prototype that a taught sign's prototype is at least {@value #SAME_SIGN} similar to is that sign,
 * taught again (a sign the embedder was trained on, enrolled in a vocabulary): for that vocabulary it is no
 * background ({@link #excluding}), or the sign's own windows would be rejected.
 *
 * <p><b>Thread-safety.</b> Immutable.
 */
public final class OpenSetRejection {

    /** The similarity at which a background prototype counts as a taught sign ({@link #excluding}). */
    public static final double SAME_SIGN = 0.93;

    private final float threshold;
    private final float margin;
    private final float[] background;
    private final int embeddingSize;

    /**
     * @param threshold     cosine similarity below which a window is rejected, in [-1, 1]
     * @param margin        how far above its best background similarity a window's best sign must be, in [-2, 2]
     * @param background    unit-length background prototypes, {@code count * embeddingSize} floats (may be empty:
     *                      threshold only); copied
     * @param embeddingSize floats in one embedding
     */
    public OpenSetRejection(float threshold, float margin, float[] background, int embeddingSize) {
        this.threshold = Checks.inRange(threshold, -1f, 1f, "threshold");
        this.margin = Checks.inRange(margin, -2f, 2f, "margin");
        this.embeddingSize = Checks.positive(embeddingSize, "embeddingSize");
        Checks.notNull(background, "background");
        if (background.length % embeddingSize != 0) {
            throw new InvalidInputException(
                    "background must hold whole prototypes of " + embeddingSize + " floats, had " + background.length);
        }
        Checks.finite(background, 0, background.length, "background");
        this.background = background.clone();
    }

    /** The embedder's defaults: its threshold, margin and background prototypes. */
    public static OpenSetRejection of(SignEmbedderMetadata embedder) {
        Checks.notNull(embedder, "embedder");
        return new OpenSetRejection(
                (float) embedder.threshold(),
                (float) embedder.margin(),
                embedder.background(),
                embedder.embeddingSize());
    }

    public float threshold() {
        return threshold;
    }

    public float margin() {
        return margin;
    }

    /** How many background prototypes the rule compares with (0: threshold only). */
    public int backgroundCount() {
        return background.length / embeddingSize;
    }

    /** The same rule with another threshold. */
    public OpenSetRejection withThreshold(float newThreshold) {
        return new OpenSetRejection(newThreshold, margin, background, embeddingSize);
    }

    /** The same rule with another margin. */
    public OpenSetRejection withMargin(float newMargin) {
        return new OpenSetRejection(threshold, newMargin, background, embeddingSize);
    }

    /** The same threshold without background prototypes (the rule before they existed). */
    public OpenSetRejection withoutBackground() {
        return new OpenSetRejection(threshold, margin, new float[0], embeddingSize);
    }

    /**
     * The same rule without the background prototypes that one of {@code prototypes} (taught signs' unit
     * prototypes, each {@code embeddingSize} floats) is at least {@value #SAME_SIGN} similar to; this rule itself
     * when there are none.
     */
    public OpenSetRejection excluding(List<float[]> prototypes) {
        Checks.notNull(prototypes, "prototypes");
        int e = embeddingSize;
        float[] kept = new float[background.length];
        int n = 0;
        for (int b = 0; b < background.length; b += e) {
            boolean taught = false;
            for (float[] p : prototypes) {
                double s = 0;
                for (int k = 0; k < e; k++) {
                    s += p[k] * background[b + k];
                }
                if (s >= SAME_SIGN) {
                    taught = true;
                    break;
                }
            }
            if (!taught) {
                System.arraycopy(background, b, kept, n, e);
                n += e;
            }
        }
        return n == background.length
                ? this
                : new OpenSetRejection(threshold, margin, Arrays.copyOf(kept, n), embeddingSize);
    }

    /**
     * The best cosine similarity of the embedding at {@code embeddings[offset ..]} to a background prototype;
     * negative infinity when there are none.
     */
    public double backgroundSimilarity(float[] embeddings, int offset) {
        double best = Double.NEGATIVE_INFINITY;
        int e = embeddingSize;
        for (int b = 0; b < background.length; b += e) {
            double s = 0;
            for (int k = 0; k < e; k++) {
                s += embeddings[offset + k] * background[b + k];
            }
            best = Math.max(best, s);
        }
        return best;
    }

    /**
     * Whether the window whose embedding is at {@code embeddings[offset ..]}, and whose best similarity to an
     * enrolled sign is {@code best}, goes to that sign.
     */
    public boolean accepts(double best, float[] embeddings, int offset) {
        return best >= threshold
                && (background.length == 0 || best >= backgroundSimilarity(embeddings, offset) + margin);
    }
}
