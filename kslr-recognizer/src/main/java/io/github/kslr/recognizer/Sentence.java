package io.github.kslr.recognizer;

import io.github.kslr.api.Checks;
import io.github.kslr.api.SignLabel;
import java.util.List;

/**
 * A sentence built from recognised signs.
 *
 * <p><b>Thread-safety.</b> Immutable.
 *
 * @param words the signs, in order (unmodifiable)
 * @param text  the words joined as Khmer is written (see {@link WordSeparator}); a word without Khmer text shows
 *              its gloss
 */
public record Sentence(List<SignLabel> words, String text) {
    /** The empty sentence. */
    public static final Sentence EMPTY = new Sentence(List.of(), "");

    public Sentence {
        Checks.notNull(words, "words");
        Checks.notNull(text, "text");
        words = List.copyOf(words);
    }

    public boolean isEmpty() {
        return words.isEmpty();
    }

    /**
     * Joins words: the Khmer text of each (its gloss when it has none), with {@code separator} between two Khmer
     * words and a space wherever a word has no Khmer letters.
     */
    public static Sentence of(List<SignLabel> words, WordSeparator separator) {
        Checks.notNull(words, "words");
        Checks.notNull(separator, "separator");
        StringBuilder sb = new StringBuilder();
        boolean previousKhmer = false;
        for (int i = 0; i < words.size(); i++) {
            String w = wordText(Checks.notNull(words.get(i), "words[" + i + "]"));
            boolean khmer = hasKhmer(w);
            if (i > 0) {
                sb.append(khmer && previousKhmer ? separator.text() : " ");
            }
            sb.append(w);
            previousKhmer = khmer;
        }
        return new Sentence(words, sb.toString());
    }

    /** The text a sign contributes: its Khmer text, or its gloss when it has none. */
    public static String wordText(SignLabel sign) {
        return sign.khmer().isEmpty() ? sign.gloss() : sign.khmer();
    }

    /** Whether the text holds a letter of the Khmer blocks (U+1780–U+17FF, U+19E0–U+19FF). */
    static boolean hasKhmer(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= '\u1780' && c <= '\u17FF') || (c >= '\u19E0' && c <= '\u19FF')) {
                return true;
            }
        }
        return false;
    }
}
