package io.github.kslr.tts;

import io.github.kslr.api.Checks;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns text into the chunks a voice speaks one at a time, apart from any voice: sentences ({@link KhmerSentences}),
 * numbers read as Khmer words ({@link KhmerNumbers}, optional), and sentences longer than
 * {@link #MAX_CHUNK_CHARS} characters cut into pieces - at the last space before the limit, else at the last
 * grapheme-cluster boundary (never inside a Khmer syllable's cluster) - because a voice's memory grows with the
 * square of its input (unpunctuated Khmer text of 30 KB spoken as one sentence took 23 GB).
 *
 * <p><b>Thread-safety.</b> Immutable; thread-safe.
 *
 * @param spellNumbers whether digits are read as Khmer words in the spoken text
 */
public record KhmerTextFrontEnd(boolean spellNumbers) {

    /**
     * Longest chunk spoken in one model run, in characters of the text as written (an MMS voice's input is about two
     * token ids a character); longer sentences are cut.
     */
    public static final int MAX_CHUNK_CHARS = 250;

    /** A chunk: the text as written (for captions and listeners) and as the voice reads it. */
    public record Chunk(String written, String spoken) {}

    /** The chunks of {@code text}, in order; blank ones are dropped. */
    public List<Chunk> chunks(String text) {
        Checks.notNull(text, "text");
        List<Chunk> out = new ArrayList<>();
        for (String sentence : KhmerSentences.split(text)) {
            for (String piece : cut(sentence, MAX_CHUNK_CHARS)) {
                out.add(new Chunk(piece, spellNumbers ? KhmerNumbers.spellNumbers(piece) : piece));
            }
        }
        return out;
    }

    /**
     * {@code sentence} cut into pieces of at most {@code max} characters (whole grapheme clusters; a piece that must
     * hold one longer cluster keeps it whole), preferring cuts after a space.
     */
    static List<String> cut(String sentence, int max) {
        Checks.positive(max, "max");
        List<String> pieces = new ArrayList<>();
        BreakIterator clusters = BreakIterator.getCharacterInstance(new Locale("km"));
        clusters.setText(sentence);
        int start = 0;
        while (sentence.length() - start > max) {
            int limit = start + max;
            int cut = -1;
            for (int i = limit; i > start; i--) {
                if (Character.isWhitespace(sentence.charAt(i - 1))) {
                    cut = i;
                    break;
                }
            }
            if (cut < 0) {
                cut = clusters.isBoundary(limit) ? limit : clusters.preceding(limit);
                if (cut <= start) {
                    cut = clusters.following(limit);
                }
            }
            add(pieces, sentence.substring(start, cut));
            start = cut;
        }
        add(pieces, sentence.substring(start));
        return pieces;
    }

    private static void add(List<String> out, String piece) {
        String s = piece.strip();
        if (!s.isEmpty()) {
            out.add(s);
        }
    }
}
