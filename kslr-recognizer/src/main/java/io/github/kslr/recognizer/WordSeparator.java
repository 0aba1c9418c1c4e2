package io.github.kslr.recognizer;

/**
 * What goes between two Khmer words of a sentence.
 *
 * <p>Written Khmer puts no space between words (a space separates phrases), so {@link #NONE} is the default: the
 * sentence reads as Khmer is written and can go straight to speech. A zero-width space (U+200B) is the conventional
 * invisible word-boundary mark in Khmer text — it lets renderers break lines between words — but it is invisible
 * in a UI, makes equal-looking strings differ, and a speech front end may not expect it; choose
 * {@link #ZERO_WIDTH_SPACE} only where line breaking matters. The word list of a {@link Sentence} always keeps the
 * boundaries, whatever the separator.
 *
 * <p>Next to a word without Khmer letters (a model whose labels have no Khmer text shows its glosses) a plain space
 * is always used, since Latin-script words need one.
 *
 * <p><b>Thread-safety.</b> Immutable.
 */
public enum WordSeparator {
    /** Khmer words run together, as written Khmer does. The default. */
    NONE(""),
    /** U+200B ZERO WIDTH SPACE between Khmer words. */
    ZERO_WIDTH_SPACE("\u200B"),
    /** A visible space between words (e.g. for a gloss transcript). */
    SPACE(" ");

    private final String text;

    WordSeparator(String text) {
        this.text = text;
    }

    /** The separator's characters. */
    public String text() {
        return text;
    }
}
