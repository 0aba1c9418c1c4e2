package io.github.kslr.tts;

import io.github.kslr.api.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into the chunks {@link VitsKhmerSpeech} speaks one at a time: after each run of sentence punctuation,
 * KHAN {@code ។} (U+17D4), BARIYOOSAN {@code ៕} (U+17D5), {@code ?}, {@code !} and {@code .}. The punctuation stays
 * with the sentence it ends (transformers' tokenizer keeps {@code ។} when the voice's vocabulary has it, so a
 * one-sentence text tokenises the same whole or split). A point between two digits ({@code 3.14}) is a decimal
 * point, not the end of a sentence. Chunks are trimmed; blank ones are dropped.
 *
 * <p><b>Thread-safety.</b> Stateless; thread-safe.
 */
public final class KhmerSentences {
    private KhmerSentences() {}

    /** Whether {@code cp} ends a sentence. */
    public static boolean isSentenceEnd(int cp) {
        return cp == 0x17D4 || cp == 0x17D5 || cp == '?' || cp == '!' || cp == '.';
    }

    /** The sentences of {@code text}, in order, each with its closing punctuation. */
    public static List<String> split(String text) {
        Checks.notNull(text, "text");
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (isSentenceEnd(cp) && !isDecimalPoint(text, i - 1)) {
                // Keep a run such as "?!" or "..." together with its sentence.
                while (i < text.length() && isSentenceEnd(text.codePointAt(i))) {
                    i += Character.charCount(text.codePointAt(i));
                }
                add(out, text.substring(start, i));
                start = i;
            }
        }
        add(out, text.substring(start));
        return out;
    }

    /** Whether the '.' at {@code at} stands between two digits (ASCII or Khmer), as in {@code 3.14}. */
    private static boolean isDecimalPoint(String text, int at) {
        return text.charAt(at) == '.'
                && at > 0
                && at + 1 < text.length()
                && isDigit(text.charAt(at - 1))
                && isDigit(text.charAt(at + 1));
    }

    private static boolean isDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= '\u17E0' && c <= '\u17E9');
    }

    private static void add(List<String> out, String chunk) {
        String s = chunk.strip();
        if (!s.isEmpty()) {
            out.add(s);
        }
    }
}
