package io.github.kslr.recognizer;

import io.github.kslr.api.Candidate;
import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.Prediction;
import io.github.kslr.api.SequenceBuffer;
import io.github.kslr.api.SignClassifier;
import io.github.kslr.api.SignLabel;
import io.github.kslr.api.SignModelMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link SignClassifier} over a {@link SignVocabulary}: a window's embedding goes to the taught sign whose
 * prototype (the mean of its takes' embeddings) is most similar by cosine, unless {@link OpenSetRejection} rejects it
 * as "no sign": below the threshold, or not clearly more like that sign than like the embedder's background
 * prototypes (its own training signs and no-sign windows). Both default to the embedder's metadata and can be
 * overridden. Usable
 * wherever a sign model is ({@link SignRecognizer}, sentences, the command line). Signs taught after the classifier
 * was built count from the next call on.
 *
 * <p>Labels: index 0 is the no-sign label, then the vocabulary's signs in order ({@link #metadata()} is a snapshot).
 * {@link Prediction#confidence()} is the cosine similarity, clamped to [0, 1].
 *
 * <p><b>Thread-safety.</b> Thread-safe, as the embedder and the vocabulary are; {@link #close()} closes the embedder
 * only when the builder was told to own it.
 */
public final class VocabularySignClassifier implements SignClassifier {

    private final OnnxSignEmbedder embedder;
    private final SignVocabulary vocabulary;
    private final OpenSetRejection rejection;
    /** The rule for the vocabulary's signs as last seen (background prototypes that are taught signs left out). */
    private volatile Masked masked;

    private final String noSignLabel;
    private final int topK;
    private final boolean ownsEmbedder;

    private VocabularySignClassifier(Builder b) {
        this.embedder = b.embedder;
        this.vocabulary = b.vocabulary;
        OpenSetRejection r = OpenSetRejection.of(embedder.metadata());
        if (b.threshold != null) {
            r = r.withThreshold(b.threshold);
        }
        if (b.margin != null) {
            r = r.withMargin(b.margin);
        }
        this.rejection = b.background ? r : r.withoutBackground();
        this.noSignLabel = b.noSignLabel;
        this.topK = b.topK;
        this.ownsEmbedder = b.ownsEmbedder;
        if (vocabulary.signs().stream().anyMatch(x -> x.label().equals(noSignLabel))) {
            throw new InvalidInputException("the vocabulary teaches a sign called '" + noSignLabel + "', the label"
                    + " that means no sign; rename it or choose another noSignLabel");
        }
        if (!vocabulary.embedderSha256().equals(embedder.metadata().contentSha256())) {
            throw new InvalidInputException("the vocabulary was made with embedder " + vocabulary.embedderSha256()
                    + ", not with this one (" + embedder.metadata().contentSha256() + ")");
        }
    }

    public static Builder builder(OnnxSignEmbedder embedder, SignVocabulary vocabulary) {
        return new Builder(Checks.notNull(embedder, "embedder"), Checks.notNull(vocabulary, "vocabulary"));
    }

    /** The cosine similarity below which a window is "no sign". */
    public float threshold() {
        return rejection.threshold();
    }

    /**
     * The whole rejection rule (threshold, margin, all the embedder's background prototypes; those that are taught
     * signs are left out when classifying, see {@link OpenSetRejection#excluding}).
     */
    public OpenSetRejection rejection() {
        return rejection;
    }

    @Override
    public SignModelMetadata metadata() {
        List<SignVocabulary.Sign> signs = vocabulary.signs();
        SignModelMetadata m = embedder.metadata().model();
        List<String> labels = new ArrayList<>();
        labels.add(noSignLabel);
        java.util.Map<String, String> glosses = new java.util.HashMap<>();
        java.util.Map<String, String> khmer = new java.util.HashMap<>();
        for (SignVocabulary.Sign s : signs) {
            labels.add(s.label());
            glosses.put(s.label(), s.gloss());
            khmer.put(s.label(), s.khmer());
        }
        return SignModelMetadata.of(labels, m.layout(), m.sequenceLength())
                .withTranslations(glosses, khmer)
                .withNoSignLabel(noSignLabel)
                .withFrameRate(m.frameRate());
    }

    @Override
    public Prediction classify(float[] window) {
        return classifyBatch(window, 1).get(0);
    }

    @Override
    public Prediction classify(SequenceBuffer buffer) {
        Checks.notNull(buffer, "buffer");
        return classify(buffer.window());
    }

    @Override
    public List<Prediction> classifyBatch(float[] windows, int count) {
        List<SignVocabulary.Sign> signs = vocabulary.signs();
        float[] emb = embedder.embed(windows, count);
        int e = embedder.metadata().embeddingSize();
        OpenSetRejection rule = ruleFor(signs);
        SignLabel none = new SignLabel(0, noSignLabel, noSignLabel, "");
        List<Prediction> out = new ArrayList<>(count);
        double[] sims = new double[signs.size()];
        for (int i = 0; i < count; i++) {
            List<Candidate> candidates = new ArrayList<>();
            for (int s = 0; s < sims.length; s++) {
                // A sign taught with its takes' mirror images is as near as the nearer of its two prototypes.
                double sim = Double.NEGATIVE_INFINITY;
                for (float[] p : signs.get(s).prototypeViews()) {
                    double d = 0;
                    for (int k = 0; k < e; k++) {
                        d += emb[i * e + k] * p[k];
                    }
                    sim = Math.max(sim, d);
                }
                sims[s] = sim;
                SignVocabulary.Sign sign = signs.get(s);
                candidates.add(new Candidate(new SignLabel(s + 1, sign.label(), sign.gloss(), sign.khmer()), (float)
                        Math.max(0, Math.min(1, sim))));
            }
            candidates.sort(Comparator.comparingDouble(Candidate::probability).reversed());
            List<Candidate> top = candidates.subList(0, Math.min(topK, candidates.size()));
            if (top.isEmpty()) {
                out.add(new Prediction(none, 0f, false, List.of(new Candidate(none, 0f))));
            } else {
                Candidate best = top.get(0);
                // The similarity itself, not the clamped confidence: the rule compares cosines.
                boolean recognized = rule.accepts(sims[best.sign().index() - 1], emb, i * e);
                out.add(new Prediction(best.sign(), best.probability(), recognized, top));
            }
        }
        return out;
    }

    /** {@link #rejection} less the background prototypes that are taught signs, recomputed when the signs change. */
    private record Masked(List<SignVocabulary.Sign> signs, OpenSetRejection rule) {}

    private OpenSetRejection ruleFor(List<SignVocabulary.Sign> signs) {
        Masked m = masked;
        if (m != null && m.signs().size() == signs.size()) {
            boolean same = true;
            for (int i = 0; i < signs.size() && same; i++) {
                same = m.signs().get(i) == signs.get(i); // Sign is immutable: a change makes a new one
            }
            if (same) {
                return m.rule();
            }
        }
        List<float[]> protos = new ArrayList<>(signs.size());
        for (SignVocabulary.Sign s : signs) {
            protos.addAll(s.prototypeViews());
        }
        OpenSetRejection r = rejection.excluding(protos);
        masked = new Masked(signs, r);
        return r;
    }

    @Override
    public void close() {
        if (ownsEmbedder) {
            embedder.close();
        }
    }

    /** Options. Not thread-safe. */
    public static final class Builder {
        private final OnnxSignEmbedder embedder;
        private final SignVocabulary vocabulary;
        private Float threshold;
        private Float margin;
        private boolean background = true;
        private String noSignLabel = "-";
        private int topK = 3;
        private boolean ownsEmbedder;

        private Builder(OnnxSignEmbedder embedder, SignVocabulary vocabulary) {
            this.embedder = embedder;
            this.vocabulary = vocabulary;
        }

        /** The cosine similarity below which a window is "no sign" (default: the embedder's calibrated one). */
        public Builder threshold(float cosine) {
            this.threshold = Checks.inRange(cosine, -1f, 1f, "threshold");
            return this;
        }

        /**
         * How far a window's best sign similarity must be above its best similarity to the embedder's background
         * prototypes (default: the embedder's; negative values give enrolled signs the benefit of the doubt).
         */
        public Builder margin(float cosineDifference) {
            this.margin = Checks.inRange(cosineDifference, -2f, 2f, "margin");
            return this;
        }

        /**
         * Whether windows more like the embedder's background prototypes than like an enrolled sign (by the
         * margin) are rejected (default true; false: the threshold alone decides). No effect for an embedder
         * without background prototypes.
         */
        public Builder backgroundRejection(boolean on) {
            this.background = on;
            return this;
        }

        /** The label "no sign" predictions carry (default {@code -}). */
        public Builder noSignLabel(String label) {
            this.noSignLabel = Checks.notNull(label, "noSignLabel");
            return this;
        }

        /** How many candidates a prediction lists (default 3). */
        public Builder topK(int k) {
            this.topK = Checks.positive(k, "topK");
            return this;
        }

        /** Whether {@link VocabularySignClassifier#close()} closes the embedder too (default false). */
        public Builder ownsEmbedder(boolean owns) {
            this.ownsEmbedder = owns;
            return this;
        }

        public VocabularySignClassifier build() {
            return new VocabularySignClassifier(this);
        }
    }
}
