package io.github.kslr.examples.web;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.KslrException;
import io.github.kslr.recognizer.OnnxSignEmbedder;
import io.github.kslr.recognizer.SignVocabulary;
import io.github.kslr.recognizer.TakeRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.List;

/**
 * The vocabulary file a demo server teaches signs into (the page's "Teach a sign"): the live {@link SignVocabulary}
 * that the server's {@code VocabularySignClassifier} reads, the embedder that made it, and the file both are kept
 * in. Every change is saved at once, so a restart of the server finds what was taught.
 *
 * <p>What comes from a browser is checked here, before anything changes: the Khmer word (Khmer script, at most
 * {@value #MAX_KHMER_CHARS} characters; it is the sign's label too, so two signs never share a word), the optional
 * gloss (one line, at most {@value #MAX_GLOSS_CHARS} characters), the number of takes
 * ({@value SignVocabulary#MIN_TAKES} to {@value #MAX_TAKES}) and the size of each take's window.
 *
 * <p><b>Thread-safety.</b> Thread-safe. {@link #teach}, {@link #addTakes} and {@link #remove} are serialised on this
 * object, so two browsers teaching the same word at once get one sign and one clear error. Each change is applied to
 * the live vocabulary and the whole vocabulary written through {@code AtomicFiles} as one step
 * ({@link SignVocabulary#applyAndSave}); when the write fails the vocabulary is as it was, in memory and in the
 * file. The embedder is borrowed: whoever opened it closes it after the server.
 */
public final class VocabularyTeacher {
    /** Default takes a sign on the page. */
    public static final int DEFAULT_TAKES = 5;
    /** Most takes one teaching may record: more add little to a prototype and keep a teacher waiting. */
    public static final int MAX_TAKES = 20;
    /** Longest Khmer word or phrase, in characters (code points): a sign names a word, not a sentence. */
    public static final int MAX_KHMER_CHARS = 48;
    /** Longest gloss, in characters (code points). */
    public static final int MAX_GLOSS_CHARS = 64;

    private final Path file;
    private final SignVocabulary vocabulary;
    private final OnnxSignEmbedder embedder;

    private VocabularyTeacher(Path file, SignVocabulary vocabulary, OnnxSignEmbedder embedder) {
        this.file = file;
        this.vocabulary = vocabulary;
        this.embedder = embedder;
    }

    /**
     * Teaches into {@code vocabulary}, kept in {@code file}; when the file does not exist yet, the (empty or given)
     * vocabulary is written to it now, so a folder that cannot be written to is reported at start, not after the
     * first sign was recorded.
     *
     * @param vocabulary the vocabulary the server recognises with (the same object, so a taught sign counts at once)
     * @param embedder   the embedder {@code vocabulary} was made with (borrowed)
     * @throws InvalidInputException when the vocabulary was made with another embedder or the file's folder does
     *                               not exist
     * @throws KslrException         when the new file cannot be written
     */
    public static VocabularyTeacher open(Path file, SignVocabulary vocabulary, OnnxSignEmbedder embedder) {
        Checks.notNull(file, "file");
        Checks.notNull(vocabulary, "vocabulary");
        Checks.notNull(embedder, "embedder");
        if (!vocabulary.embedderSha256().equals(embedder.metadata().contentSha256())) {
            throw new InvalidInputException("the vocabulary was made with embedder " + vocabulary.embedderSha256()
                    + ", not with this one (" + embedder.metadata().contentSha256() + ")");
        }
        Path abs = file.toAbsolutePath();
        if (!Files.exists(abs)) {
            if (abs.getParent() == null || !Files.isDirectory(abs.getParent())) {
                throw new InvalidInputException(
                        "cannot create vocabulary " + abs + ": the folder " + abs.getParent() + " does not exist");
            }
            vocabulary.save(abs);
        }
        return new VocabularyTeacher(abs, vocabulary, embedder);
    }

    /** The vocabulary file (absolute). */
    public Path file() {
        return file;
    }

    /** The taught signs, in the order they were taught (a snapshot). */
    public List<SignVocabulary.Sign> signs() {
        return vocabulary.signs();
    }

    /** A recorder that picks each take's window as the embedder wants it (layout, window length, frame rate). */
    public TakeRecorder newTakeRecorder() {
        return TakeRecorder.forEmbedder(embedder.metadata());
    }

    /** Frames in the window each take gives. */
    public int windowLength() {
        return embedder.metadata().model().sequenceLength();
    }

    /**
     * Checks that a sign with this Khmer word could be taught now (valid and not taught yet), so a browser hears
     * about it before recording takes.
     *
     * @return the word as it will be stored (see {@link #khmerWord})
     * @throws InvalidInputException when the word is not valid or already taught
     */
    public String checkNewSign(String khmer) {
        String word = khmerWord(khmer);
        if (find(word) != null) {
            throw alreadyTaught(word);
        }
        return word;
    }

    /**
     * Checks that a sign with this Khmer word is taught, so that more takes can be added to it (say, another
     * person's: a sign taught from one person's takes is missed more often in other people's hands).
     *
     * @return the word as stored (see {@link #khmerWord})
     * @throws InvalidInputException when the word is not valid or not taught
     */
    public String checkTaughtSign(String khmer) {
        String word = khmerWord(khmer);
        if (find(word) == null) {
            throw notTaught(word);
        }
        return word;
    }

    /**
     * Teaches a sign from the windows of its takes: embeds them, adds the sign (label and Khmer text are the word)
     * and saves the vocabulary.
     *
     * @param windows one window a take, each {@code windowLength() x layout} floats (see {@link #newTakeRecorder})
     * @return the taught sign
     * @throws InvalidInputException for a word, gloss or take count that is not valid, a word already taught or a
     *                               window of the wrong size or with a value that is not finite; nothing changed
     * @throws KslrException         when the vocabulary cannot be saved; the sign is not taught
     */
    public synchronized SignVocabulary.Sign teach(String khmer, String gloss, List<float[]> windows) {
        String word = khmerWord(khmer);
        String g = gloss(gloss);
        Checks.notNull(windows, "windows");
        int n = takeCount(windows.size());
        if (find(word) != null) {
            throw alreadyTaught(word);
        }
        float[] all = windows(windows, n);
        float[] embeddings = embedder.embed(all, n);
        // The takes' mirror images too: a sign taught by a right-handed teacher is then recognised from a
        // left-handed pupil.
        float[] mirrored = embedder.canMirror() ? embedder.embedMirrored(all, n) : null;
        applyAndSave("'" + word + "' was not taught", v -> {
            v.add(word, word, g, embeddings, mirrored, n);
            return null;
        });
        return find(word);
    }

    /**
     * Adds takes to a taught sign from their windows (another person's, say) and saves the vocabulary; the sign's
     * prototype is then the mean of all its takes. A sign that holds its takes' mirror images gets the new takes'
     * too.
     *
     * @param windows one window a take, as for {@link #teach}
     * @return the sign with its new takes
     * @throws InvalidInputException for a word that is not valid or not taught, a take count outside
     *                               {@value SignVocabulary#MIN_TAKES}..{@value #MAX_TAKES} or a window of the wrong
     *                               size or with a value that is not finite; nothing changed
     * @throws KslrException         when the vocabulary cannot be saved; the sign keeps the takes it had
     */
    public synchronized SignVocabulary.Sign addTakes(String khmer, List<float[]> windows) {
        String word = khmerWord(khmer);
        Checks.notNull(windows, "windows");
        int n = takeCount(windows.size());
        SignVocabulary.Sign sign = find(word);
        if (sign == null) {
            throw notTaught(word);
        }
        float[] all = windows(windows, n);
        float[] embeddings = embedder.embed(all, n);
        float[] mirrored = sign.hasMirroredTakes() ? embedder.embedMirrored(all, n) : null;
        applyAndSave("no takes were added to '" + word + "'", v -> {
            v.addTakes(word, embeddings, mirrored, n);
            return null;
        });
        return find(word);
    }

    /** The takes' windows end to end, each checked against the embedder's window size. */
    private float[] windows(List<float[]> windows, int n) {
        int size = embedder.windowSize();
        float[] all = new float[n * size];
        for (int i = 0; i < n; i++) {
            float[] w = windows.get(i);
            if (w == null || w.length != size) {
                throw new InvalidInputException("take " + (i + 1) + "'s window has " + (w == null ? 0 : w.length)
                        + " floats; the embedder takes " + size);
            }
            System.arraycopy(w, 0, all, i * size, size);
        }
        return all;
    }

    /**
     * Applies {@code change} and saves the vocabulary as one step; a save that fails leaves the vocabulary as it was
     * and is reported as a {@link KslrException} that says what did not happen.
     */
    private <T> T applyAndSave(String notDone, SignVocabulary.Change<T> change) {
        try {
            return vocabulary.applyAndSave(file, change);
        } catch (InvalidInputException e) {
            throw e;
        } catch (KslrException e) {
            throw new KslrException("cannot save vocabulary " + file + ", so " + notDone + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes a sign and saves the vocabulary.
     *
     * @return the removed sign
     * @throws InvalidInputException when the vocabulary has no sign with this label
     * @throws KslrException         when the vocabulary cannot be saved; the sign stays
     */
    public synchronized SignVocabulary.Sign remove(String label) {
        if (label == null || label.isBlank()) {
            throw new InvalidInputException("say which sign to delete: its label is missing");
        }
        SignVocabulary.Sign sign = find(label);
        if (sign == null) {
            throw new InvalidInputException("the vocabulary has no sign '" + abbreviate(label) + "'; it has "
                    + signs().stream().map(SignVocabulary.Sign::label).toList());
        }
        applyAndSave("'" + label + "' was not deleted", v -> v.remove(label));
        return sign;
    }

    private SignVocabulary.Sign find(String label) {
        for (SignVocabulary.Sign s : vocabulary.signs()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        return null;
    }

    private InvalidInputException notTaught(String word) {
        return new InvalidInputException("'" + word + "' is not taught; teach it first, then add takes to it");
    }

    private InvalidInputException alreadyTaught(String word) {
        return new InvalidInputException("'" + word + "' is taught already; delete it first to teach it again");
    }

    /**
     * The Khmer word as stored: NFC, trimmed, runs of spaces made one.
     *
     * @throws InvalidInputException when it is missing or empty, longer than {@value #MAX_KHMER_CHARS} characters,
     *                               holds a character outside Khmer script (spaces and zero-width spaces/joiners
     *                               allowed) or no Khmer letter
     */
    public static String khmerWord(String raw) {
        if (raw == null) {
            throw new InvalidInputException("type the sign's Khmer word: it is missing");
        }
        String s = trim(Normalizer.normalize(raw, Normalizer.Form.NFC)).replaceAll(" {2,}", " ");
        if (s.isEmpty()) {
            throw new InvalidInputException("type the sign's Khmer word: it is empty");
        }
        int length = s.codePointCount(0, s.length());
        if (length > MAX_KHMER_CHARS) {
            throw new InvalidInputException("the Khmer word is " + length + " characters long; at most "
                    + MAX_KHMER_CHARS + " (a sign names a word or a short phrase)");
        }
        boolean letter = false;
        int at = 0;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            at++;
            if (!isKhmerTextChar(c)) {
                throw new InvalidInputException("the Khmer word may hold Khmer script (U+1780-U+17FF, U+19E0-U+19FF),"
                        + " spaces and zero-width spaces only; character " + at + " is " + describe(c));
            }
            letter |= c >= 0x1780 && c <= 0x17B3;
            i += Character.charCount(c);
        }
        if (!letter) {
            throw new InvalidInputException("the Khmer word '" + s + "' has no Khmer letter (U+1780-U+17B3)");
        }
        return s;
    }

    /**
     * The gloss as stored: "" when missing or blank, else NFC and trimmed.
     *
     * @throws InvalidInputException when it is longer than {@value #MAX_GLOSS_CHARS} characters or holds a control
     *                               character, a line break or an unassigned or private-use code point
     */
    public static String gloss(String raw) {
        if (raw == null) {
            return "";
        }
        String s = trim(Normalizer.normalize(raw, Normalizer.Form.NFC));
        int length = s.codePointCount(0, s.length());
        if (length > MAX_GLOSS_CHARS) {
            throw new InvalidInputException("the gloss is " + length + " characters long; at most " + MAX_GLOSS_CHARS);
        }
        int at = 0;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            at++;
            int type = Character.getType(c);
            if (type == Character.CONTROL
                    || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.UNASSIGNED
                    || type == Character.PRIVATE_USE
                    || type == Character.SURROGATE) {
                throw new InvalidInputException(
                        "the gloss must be one line of text; character " + at + " is " + describe(c));
            }
            i += Character.charCount(c);
        }
        return s;
    }

    /**
     * Checks a number of takes.
     *
     * @throws InvalidInputException outside {@value SignVocabulary#MIN_TAKES}..{@value #MAX_TAKES}
     */
    public static int takeCount(int takes) {
        if (takes < SignVocabulary.MIN_TAKES || takes > MAX_TAKES) {
            throw new InvalidInputException(
                    "a sign is taught from " + SignVocabulary.MIN_TAKES + " to " + MAX_TAKES + " takes, got " + takes);
        }
        return takes;
    }

    private static boolean isKhmerTextChar(int c) {
        return c >= 0x1780 && c <= 0x17FF || c >= 0x19E0 && c <= 0x19FF || c == ' ' || c >= 0x200B && c <= 0x200D;
    }

    /** Strips white space and, as Khmer writers put them between words, zero-width spaces at either end. */
    private static String trim(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && (Character.isWhitespace(s.charAt(b)) || s.charAt(b) == '\u200B')) {
            b++;
        }
        while (e > b && (Character.isWhitespace(s.charAt(e - 1)) || s.charAt(e - 1) == '\u200B')) {
            e--;
        }
        return s.substring(b, e);
    }

    private static String describe(int c) {
        String name = Character.getName(c);
        String shown = Character.isISOControl(c)
                        || Character.getType(c) == Character.LINE_SEPARATOR
                        || Character.getType(c) == Character.PARAGRAPH_SEPARATOR
                ? ""
                : "'" + new String(Character.toChars(c)) + "' ";
        return shown + String.format("(U+%04X%s)", c, name == null ? "" : " " + name);
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
