package io.github.kslr.tts;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Numbers written with digits, spelled out as Khmer words, so that a voice whose vocabulary has no digits (the MMS
 * Khmer voice has none: its tokenizer drops them) speaks them instead of skipping them.
 *
 * <p>{@link #spellOut(long)} gives the words of Unicode CLDR's Khmer {@code %spellout-cardinal} rules, the ones ICU
 * uses: {@code 25} -> ម្ភៃ​ប្រាំ, {@code 2026} -> ពីរ​ពាន់​ម្ភៃ​ប្រាំមួយ, {@code 15000} -> មួយ​ម៉ឺន​ប្រាំ​ពាន់, with a
 * ZERO WIDTH SPACE (U+200B) between words as CLDR writes it (the MMS tokenizer drops it). Written by hand instead of
 * depending on ICU4J (15 MB for this one rule set); the tests check it against ICU4J's output.
 *
 * <p>{@link #spellNumbers(String)} rewrites every number in a text, reading it as written:
 * <ul>
 *   <li>digits are ASCII {@code 0-9} or Khmer {@code ០-៩} (U+17E0..U+17E9);</li>
 *   <li>{@code 1,250,000}: commas between groups of exactly three digits group thousands;</li>
 *   <li>{@code 3.14}: a point between digits is a decimal point, read ចុច ("point") and then digit by digit, every
 *       written digit (CLDR's reading of a fraction);</li>
 *   <li>a number written with a leading zero ({@code 012}, phone numbers) or of more than 12 digits is read digit by
 *       digit;</li>
 *   <li>everything else (signs, {@code /}, {@code :}, {@code %}, currency) is left as it is.</li>
 * </ul>
 *
 * <p><b>Thread-safety.</b> Stateless; thread-safe.
 */
public final class KhmerNumbers {
    /** The largest number {@link #spellOut(long)} takes; CLDR's Khmer rules stop below 10^12 too. */
    public static final long MAX = 999_999_999_999L;

    private static final char WORD_BREAK = '\u200B';
    private static final String[] UNITS = {
        "សូន្យ", "មួយ", "ពីរ", "បី", "បួន", "ប្រាំ", "ប្រាំមួយ", "ប្រាំពីរ", "ប្រាំបី", "ប្រាំបួន"
    };
    private static final String[] TENS = {
        "", "ដប់", "ម្ភៃ", "សាមសិប", "សែសិប", "ហាសិប", "ហុកសិប", "ចិតសិប", "ប៉ែតសិប", "កៅសិប"
    };
    private static final String POINT = "ចុច";
    /** Scales from the largest, as CLDR's rules name them: 10^10 is "a thousand koti" (koti = 10^7). */
    private static final long[] SCALES = {10_000_000_000L, 1_000_000L, 100_000L, 10_000L, 1_000L, 100L};

    private static final String[] SCALE_WORDS = {"ពាន់" + WORD_BREAK + "កោដិ", "លាន", "សែន", "ម៉ឺន", "ពាន់", "រយ"};

    private static final String DIGIT = "[0-9\u17E0-\u17E9]";
    /** A number: comma-grouped or plain integer digits, then an optional decimal fraction. */
    private static final Pattern NUMBER = Pattern.compile("(?<!" + DIGIT + ")(" + DIGIT + "{1,3}(?:," + DIGIT
            + "{3})+(?!" + DIGIT + ")|" + DIGIT + "+)(?:\\.(" + DIGIT + "+))?");

    private KhmerNumbers() {}

    /**
     * The Khmer words for {@code n}, words separated by U+200B.
     *
     * @throws InvalidInputException when {@code n} is negative or above {@link #MAX}
     */
    public static String spellOut(long n) {
        if (n < 0 || n > MAX) {
            throw new InvalidInputException("number " + n + " cannot be spelled out: expected 0 to " + MAX);
        }
        StringBuilder out = new StringBuilder();
        appendCardinal(n, out);
        return out.toString();
    }

    /** {@code text} with every number written in digits spelled out in Khmer words (rules above). */
    public static String spellNumbers(String text) {
        Checks.notNull(text, "text");
        Matcher m = NUMBER.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() * 4);
        int last = 0;
        do {
            out.append(text, last, m.start());
            appendNumber(digits(m.group(1)), m.group(2) == null ? null : digits(m.group(2)), out);
            last = m.end();
        } while (m.find());
        return out.append(text, last, text.length()).toString();
    }

    private static void appendNumber(String integer, String fraction, StringBuilder out) {
        boolean digitByDigit = (integer.length() > 1 && integer.charAt(0) == '0')
                || integer.length() > Long.toString(MAX).length();
        if (digitByDigit) {
            for (int i = 0; i < integer.length(); i++) {
                if (i > 0) {
                    out.append(WORD_BREAK);
                }
                out.append(UNITS[integer.charAt(i) - '0']);
            }
        } else {
            appendCardinal(Long.parseLong(integer), out);
        }
        if (fraction != null) {
            out.append(WORD_BREAK).append(POINT).append(WORD_BREAK);
            for (int i = 0; i < fraction.length(); i++) {
                out.append(UNITS[fraction.charAt(i) - '0']);
            }
        }
    }

    private static void appendCardinal(long n, StringBuilder out) {
        if (n < 10) {
            out.append(UNITS[(int) n]);
            return;
        }
        if (n < 100) {
            out.append(TENS[(int) (n / 10)]);
            if (n % 10 != 0) {
                out.append(WORD_BREAK).append(UNITS[(int) (n % 10)]);
            }
            return;
        }
        for (int i = 0; i < SCALES.length; i++) {
            if (n >= SCALES[i]) {
                appendCardinal(n / SCALES[i], out);
                out.append(WORD_BREAK).append(SCALE_WORDS[i]);
                if (n % SCALES[i] != 0) {
                    out.append(WORD_BREAK);
                    appendCardinal(n % SCALES[i], out);
                }
                return;
            }
        }
        throw new AssertionError(n);
    }

    /** ASCII digits for a run of ASCII or Khmer digits, grouping commas removed. */
    private static String digits(String written) {
        StringBuilder b = new StringBuilder(written.length());
        for (int i = 0; i < written.length(); i++) {
            char c = written.charAt(i);
            if (c >= '\u17E0' && c <= '\u17E9') {
                b.append((char) ('0' + (c - '\u17E0')));
            } else if (c != ',') {
                b.append(c);
            }
        }
        return b.toString();
    }
}
