package io.github.kslr.api;

import java.util.List;

/**
 * What a {@link SignClassifier} made of one window. Immutable (top-k is copied); thread-safe.
 *
 * @param sign       the most probable class
 * @param confidence its probability, in [0, 1]
 * @param recognized true when the confidence reached the classifier's threshold and the class is not the model's
 *                   "no sign" class; false means "no sign"
 * @param topK       the k most probable classes, most probable first (unmodifiable; {@code topK.get(0)} is
 *                   {@code sign})
 */
public record Prediction(SignLabel sign, float confidence, boolean recognized, List<Candidate> topK) {
    public Prediction {
        Checks.notNull(sign, "sign");
        Checks.notNull(topK, "topK");
        topK = List.copyOf(topK);
    }

    /** Shortcut for {@code sign().label()}. */
    public String label() {
        return sign.label();
    }

    /** Shortcut for {@code sign().khmer()}. */
    public String khmer() {
        return sign.khmer();
    }

    /** Shortcut for {@code sign().gloss()}. */
    public String gloss() {
        return sign.gloss();
    }
}
