package io.github.kslr.tts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ibm.icu.text.RuleBasedNumberFormat;
import com.ibm.icu.util.ULocale;
import io.github.kslr.api.InvalidInputException;
import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link KhmerNumbers} against ICU4J's implementation of CLDR's Khmer spell-out rules (the reference). */
class KhmerNumbersTest {
    private static final char ZW = '\u200B';
    private final RuleBasedNumberFormat icu =
            new RuleBasedNumberFormat(new ULocale("km"), RuleBasedNumberFormat.SPELLOUT);

    private String reference(long n) {
        return icu.format(n, "%spellout-cardinal");
    }

    @Test
    void everyNumberBelowTwoHundredThousandIsSpelledAsIcuSpellsIt() {
        for (long n = 0; n < 200_000; n++) {
            String expected = reference(n);
            String actual = KhmerNumbers.spellOut(n);
            if (!expected.equals(actual)) {
                assertEquals(expected, actual, "n = " + n);
            }
        }
    }

    @Test
    void largeNumbersUpToTheLimitAreSpelledAsIcuSpellsThem() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 50_000; i++) {
            // Every magnitude equally often, not mostly 11-12 digit numbers.
            long bound = (long) Math.pow(10, 1 + random.nextInt(12));
            long n = random.nextLong(Math.min(bound, KhmerNumbers.MAX + 1));
            assertEquals(reference(n), KhmerNumbers.spellOut(n), "n = " + n);
        }
        for (long p = 10; p <= KhmerNumbers.MAX; p *= 10) {
            for (long n : new long[] {p - 1, p, p + 1, 2 * p, 9 * p + p - 1}) {
                if (n <= KhmerNumbers.MAX) {
                    assertEquals(reference(n), KhmerNumbers.spellOut(n), "n = " + n);
                }
            }
        }
        assertEquals(reference(KhmerNumbers.MAX), KhmerNumbers.spellOut(KhmerNumbers.MAX));
    }

    @Test
    void numbersOutsideTheRulesAreAClearError() {
        for (long n : new long[] {-1, KhmerNumbers.MAX + 1, Long.MIN_VALUE, Long.MAX_VALUE}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> KhmerNumbers.spellOut(n));
            assertTrue(e.getMessage().contains(Long.toString(n)), e.getMessage());
        }
    }

    @Test
    void digitsInTextAreReplacedByTheirWordsAndTheRestIsKept() {
        String twentyFive = reference(25);
        assertEquals("ខ្ញុំអាយុ " + twentyFive + " ឆ្នាំ។", KhmerNumbers.spellNumbers("ខ្ញុំអាយុ 25 ឆ្នាំ។"));
        assertEquals("អាយុ" + twentyFive + "ឆ្នាំ", KhmerNumbers.spellNumbers("អាយុ25ឆ្នាំ"));
        // Khmer digits read as ASCII ones.
        assertEquals(KhmerNumbers.spellNumbers("ឆ្នាំ 2026"), KhmerNumbers.spellNumbers("ឆ្នាំ ២០២៦"));
        assertEquals("ឆ្នាំ " + reference(2026), KhmerNumbers.spellNumbers("ឆ្នាំ ២០២៦"));
        // Several numbers, and the characters between them as written.
        assertEquals(
                reference(25) + "/" + reference(11) + "/" + reference(2026), KhmerNumbers.spellNumbers("25/11/2026"));
        String plain = "សួស្តី ពិភពលោក";
        assertSame(plain, KhmerNumbers.spellNumbers(plain));
        assertThrows(InvalidInputException.class, () -> KhmerNumbers.spellNumbers(null));
    }

    @Test
    void commasGroupThousandsOnlyInGroupsOfThree() {
        assertEquals(reference(1_250_000) + "៛", KhmerNumbers.spellNumbers("1,250,000៛"));
        assertEquals(reference(10_000), KhmerNumbers.spellNumbers("១០,០០០"));
        // Not thousands groups: each side is a number of its own, the comma stays.
        assertEquals(reference(1) + "," + reference(5), KhmerNumbers.spellNumbers("1,5"));
        assertEquals(reference(1) + "," + reference(2345), KhmerNumbers.spellNumbers("1,2345"));
        assertEquals(reference(1234) + "," + reference(5678), KhmerNumbers.spellNumbers("1234,5678"));
    }

    @Test
    void decimalsAreReadAsIcuReadsThemAndKeepWrittenTrailingZeros() {
        for (String d : List.of("3.14", "3.05", "0.5", "0.001", "100.25", "2026.7")) {
            assertEquals(icu.format(new BigDecimal(d)), KhmerNumbers.spellNumbers(d), d);
        }
        // ICU drops a fraction's trailing zeros (it spells a value); text is read as written.
        assertEquals(reference(12) + ZW + "ចុច" + ZW + "បីបួនសូន្យ", KhmerNumbers.spellNumbers("12.340"));
        assertEquals(icu.format(new BigDecimal("1250.5")), KhmerNumbers.spellNumbers("1,250.5"));
        // A point that ends a sentence is not a decimal point.
        assertEquals(reference(2026) + ". ល្អ", KhmerNumbers.spellNumbers("2026. ល្អ"));
    }

    @Test
    void leadingZerosAndVeryLongNumbersAreReadDigitByDigit() {
        String phone = KhmerNumbers.spellNumbers("012 345");
        assertEquals(
                String.join(String.valueOf(ZW), reference(0), reference(1), reference(2)) + " " + reference(345),
                phone);
        String thirteen = "1234567890123";
        StringBuilder expected = new StringBuilder();
        for (char c : thirteen.toCharArray()) {
            expected.append(expected.length() == 0 ? "" : String.valueOf(ZW)).append(reference(c - '0'));
        }
        assertEquals(expected.toString(), KhmerNumbers.spellNumbers(thirteen));
        assertEquals(reference(KhmerNumbers.MAX), KhmerNumbers.spellNumbers(Long.toString(KhmerNumbers.MAX)));
        assertEquals(reference(0), KhmerNumbers.spellNumbers("0"));
    }

    @Test
    void aDecimalPointDoesNotEndASentence() {
        assertEquals(List.of("π គឺ 3.14 ប្រហែល។", "ល្អ."), KhmerSentences.split("π គឺ 3.14 ប្រហែល។ ល្អ."));
        assertEquals(List.of("ឆ្នាំ 2026.", "ល្អ"), KhmerSentences.split("ឆ្នាំ 2026. ល្អ"));
        assertEquals(List.of("៣.១៤ ០.៩ ៩.០"), KhmerSentences.split("៣.១៤ ០.៩ ៩.០"));
        assertEquals(List.of("a.", "b"), KhmerSentences.split("a.b"));
    }
}
