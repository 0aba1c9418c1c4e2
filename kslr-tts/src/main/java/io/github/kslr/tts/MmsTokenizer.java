package io.github.kslr.tts;

import io.github.kslr.api.Checks;
import io.github.kslr.api.UnsupportedTextException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Text to token ids for MMS/VITS voices, exactly as transformers' {@code VitsTokenizer} (5.17) does it when
 * {@code phonemize} and {@code is_uroman} are off, as for facebook/mms-tts-khm:
 * <ol>
 *   <li>normalise (when {@code normalize}): scan left to right; where a vocabulary symbol (or the pad or unknown
 *       token) starts, copy it, trying symbols in vocabulary order; otherwise copy the character lower-cased;</li>
 *   <li>for language {@code ron} only: replace U+021B with U+0163;</li>
 *   <li>(when {@code normalize}) drop every code point that is not itself a vocabulary symbol, then strip leading and
 *       trailing whitespace (Python's definition, which includes the no-break spaces);</li>
 *   <li>split the text around the pad token, which transformers registers as a special token: each occurrence becomes
 *       the pad's id on its own, with no blanks around it (a leading COENG gives {@code [0, 0, c, 0]}, not
 *       {@code [0, 0, 0, c, 0]});</li>
 *   <li>each other piece becomes its code points, with the blank (id 0) before, between and after them when
 *       {@code add_blank}.</li>
 * </ol>
 * Text with nothing left after normalisation gives no ids (an empty array), as in transformers. The rules were checked
 * against transformers 5.17 on edge cases (leading/trailing/double COENG, spaces, Latin, digits, zero-width space), see
 * {@code tools/voice-export/export_vits.py}.
 *
 * <p><b>Thread-safety.</b> Immutable; thread-safe.
 */
public final class MmsTokenizer {
    private static final int BLANK_ID = 0;
    private static final int T_WITH_COMMA = 0x021B;
    private static final int T_WITH_CEDILLA = 0x0163;

    private final VitsTokenizerConfig config;
    /** First code point of a symbol to the symbols starting with it, in vocabulary order (same first match). */
    private final Map<Integer, List<int[]>> symbolsByFirst = new HashMap<>();
    /** Single-code-point symbols to their ids: the filter and the per-character lookup. */
    private final Map<Integer, Integer> singleIds = new HashMap<>();

    private final Map<String, Integer> vocab;
    private final int[] pad;
    private final Integer padId;
    private final Integer unkId;

    /** A tokenizer for the given voice data. */
    public MmsTokenizer(VitsTokenizerConfig config) {
        this.config = Checks.notNull(config, "config");
        this.vocab = config.vocab();
        List<String> words = new ArrayList<>(vocab.keySet());
        // transformers appends its added tokens (pad, unk) after the vocabulary when normalising.
        for (String added : new String[] {config.padToken(), config.unkToken()}) {
            if (added != null && !added.isEmpty() && !words.contains(added)) {
                words.add(added);
            }
        }
        for (String w : words) {
            int[] cps = w.codePoints().toArray();
            symbolsByFirst.computeIfAbsent(cps[0], k -> new ArrayList<>()).add(cps);
        }
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            if (e.getKey().codePointCount(0, e.getKey().length()) == 1) {
                singleIds.put(e.getKey().codePointAt(0), e.getValue());
            }
        }
        this.pad = config.padToken().codePoints().toArray();
        this.padId = vocab.get(config.padToken());
        this.unkId = config.unkToken() == null ? null : vocab.get(config.unkToken());
    }

    public VitsTokenizerConfig config() {
        return config;
    }

    /**
     * The token ids for {@code text} (empty when nothing in it is speakable).
     *
     * @throws UnsupportedTextException when {@code normalize} is off and the text holds a character outside the
     *                                  vocabulary while the vocabulary has no unknown token
     */
    public long[] encode(String text) {
        Checks.notNull(text, "text");
        int[] prepared = prepare(text);
        if (prepared.length == 0) {
            return new long[0];
        }
        long[] out = new long[config.addBlank() ? 2 * prepared.length + 1 : prepared.length];
        int n = 0;
        int start = 0;
        int i = 0;
        while (i <= prepared.length) {
            boolean atPad = padId != null && i < prepared.length && matches(prepared, i, pad);
            if (i == prepared.length || atPad) {
                n = piece(prepared, start, i, out, n);
                if (atPad) {
                    out = ensure(out, n + 1);
                    out[n++] = padId;
                    i += pad.length;
                    start = i;
                    continue;
                }
                break;
            }
            i++;
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /** Steps 1-3: the code points left for tokenising. Package-private for tests. */
    int[] prepare(String text) {
        int[] cps = text.codePoints().toArray();
        if (config.normalize()) {
            cps = normalizeText(cps);
        }
        if ("ron".equals(config.language())) {
            for (int i = 0; i < cps.length; i++) {
                if (cps[i] == T_WITH_COMMA) {
                    cps[i] = T_WITH_CEDILLA;
                }
            }
        }
        if (!config.normalize()) {
            return cps;
        }
        int[] kept = new int[cps.length];
        int n = 0;
        for (int cp : cps) {
            if (singleIds.containsKey(cp)) {
                kept[n++] = cp;
            }
        }
        int from = 0;
        int to = n;
        while (from < to && isPythonSpace(kept[from])) {
            from++;
        }
        while (to > from && isPythonSpace(kept[to - 1])) {
            to--;
        }
        return java.util.Arrays.copyOfRange(kept, from, to);
    }

    private int[] normalizeText(int[] in) {
        StringBuilder sb = new StringBuilder(in.length + 8);
        int i = 0;
        while (i < in.length) {
            int[] match = null;
            List<int[]> candidates = symbolsByFirst.get(in[i]);
            if (candidates != null) {
                for (int[] c : candidates) {
                    if (matches(in, i, c)) {
                        match = c;
                        break;
                    }
                }
            }
            if (match != null) {
                for (int cp : match) {
                    sb.appendCodePoint(cp);
                }
                i += match.length;
            } else {
                // Python's str.lower() on one character: full (unconditional) case mapping, e.g. U+0130 -> "i̇".
                sb.append(new String(Character.toChars(in[i])).toLowerCase(Locale.ROOT));
                i++;
            }
        }
        return sb.codePoints().toArray();
    }

    private int piece(int[] cps, int from, int to, long[] out, int n) {
        if (from >= to) {
            return n;
        }
        if (config.addBlank()) {
            out[n++] = BLANK_ID;
        }
        for (int i = from; i < to; i++) {
            out[n++] = idOf(cps[i]);
            if (config.addBlank()) {
                out[n++] = BLANK_ID;
            }
        }
        return n;
    }

    private long idOf(int cp) {
        Integer id = singleIds.get(cp);
        if (id != null) {
            return id;
        }
        if (unkId != null) {
            return unkId;
        }
        throw new UnsupportedTextException(String.format(
                Locale.ROOT,
                "character U+%04X '%s' is not in the voice's vocabulary of %d symbols and the voice has no unknown"
                        + " token",
                cp,
                new String(Character.toChars(cp)),
                vocab.size()));
    }

    private static long[] ensure(long[] a, int size) {
        return size <= a.length ? a : java.util.Arrays.copyOf(a, Math.max(size, a.length * 2));
    }

    private static boolean matches(int[] text, int at, int[] word) {
        if (at + word.length > text.length) {
            return false;
        }
        for (int k = 0; k < word.length; k++) {
            if (text[at + k] != word[k]) {
                return false;
            }
        }
        return true;
    }

    /** Python's {@code str.isspace}: Unicode White_Space-like set incl. U+0085 and the no-break spaces. */
    static boolean isPythonSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }
}
