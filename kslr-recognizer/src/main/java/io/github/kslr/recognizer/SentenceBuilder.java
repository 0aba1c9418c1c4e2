package io.github.kslr.recognizer;

import io.github.kslr.api.Checks;
import io.github.kslr.api.Prediction;
import io.github.kslr.api.SignLabel;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a stream of predictions into a sentence, as the first KSL report's server does:
 * <ul>
 *   <li>a sign counts once {@link Builder#agreement N} consecutive predictions agree on it, each recognised (at or
 *       above the classifier's threshold and not the "no sign" class); any other prediction restarts the count;</li>
 *   <li>a sign equal to the last word is not appended again (holding a sign does not repeat it; to say a word
 *       twice, sign something else — or clear — in between);</li>
 *   <li>words are joined as Khmer is written ({@link WordSeparator}, default none);</li>
 *   <li>optionally only the last {@link Builder#maxWords} words are kept (the tutorial the report follows keeps
 *       5).</li>
 * </ul>
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one builder follows one stream.
 */
public final class SentenceBuilder {
    private final int agreement;
    private final WordSeparator separator;
    private final int maxWords;
    private final List<SignLabel> words = new ArrayList<>();
    private Sentence sentence = Sentence.EMPTY;
    private int candidate = -1;
    private int streak;

    private SentenceBuilder(Builder b) {
        this.agreement = b.agreement;
        this.separator = b.separator;
        this.maxWords = b.maxWords;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Consecutive agreeing predictions a sign needs. */
    public int agreement() {
        return agreement;
    }

    /** Options; validated as they are set. Not thread-safe. */
    public static final class Builder {
        private int agreement = 10;
        private WordSeparator separator = WordSeparator.NONE;
        private int maxWords;

        private Builder() {}

        /**
         * Consecutive agreeing predictions a sign needs (default 10, the tutorial's value for a prediction every
         * frame; with a larger window stride, use fewer).
         */
        public Builder agreement(int predictions) {
            this.agreement = Checks.positive(predictions, "agreement");
            return this;
        }

        /** What goes between Khmer words (default {@link WordSeparator#NONE}). */
        public Builder separator(WordSeparator separator) {
            this.separator = Checks.notNull(separator, "separator");
            return this;
        }

        /** Keep only the last {@code n} words; 0 (default) keeps all. */
        public Builder maxWords(int n) {
            this.maxWords = Checks.nonNegative(n, "maxWords");
            return this;
        }

        public SentenceBuilder build() {
            return new SentenceBuilder(this);
        }
    }

    /**
     * Takes the next prediction.
     *
     * @return the sign appended to the sentence, or null when the sentence did not change
     */
    public SignLabel accept(Prediction prediction) {
        Checks.notNull(prediction, "prediction");
        if (!prediction.recognized()) {
            candidate = -1;
            streak = 0;
            return null;
        }
        int index = prediction.sign().index();
        if (index == candidate) {
            streak++;
        } else {
            candidate = index;
            streak = 1;
        }
        // == rather than >=: a held sign triggers once per run of agreeing predictions.
        if (streak != agreement) {
            return null;
        }
        SignLabel sign = prediction.sign();
        if (!words.isEmpty() && words.get(words.size() - 1).equals(sign)) {
            return null;
        }
        words.add(sign);
        if (maxWords > 0 && words.size() > maxWords) {
            words.remove(0);
        }
        sentence = Sentence.of(words, separator);
        return sign;
    }

    /** The sentence so far. */
    public Sentence sentence() {
        return sentence;
    }

    /** Forgets the sentence and the running agreement count. */
    public void clear() {
        words.clear();
        sentence = Sentence.EMPTY;
        candidate = -1;
        streak = 0;
    }

    @Override
    public String toString() {
        return "SentenceBuilder[agreement " + agreement + ", " + separator + ", '" + sentence.text() + "']";
    }
}
