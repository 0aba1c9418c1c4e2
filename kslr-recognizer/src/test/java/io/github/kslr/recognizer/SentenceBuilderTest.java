package io.github.kslr.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.Candidate;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.Prediction;
import io.github.kslr.api.SignLabel;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceBuilderTest {
    static final SignLabel HELLO = new SignLabel(0, "hello", "hello", "សួស្តី");
    static final SignLabel THANKS = new SignLabel(1, "thanks", "thank you", "អរគុណ");
    static final SignLabel COFFEE = new SignLabel(2, "coffee", "coffee", "");
    static final SignLabel NONE = new SignLabel(3, "-", "-", "");

    static Prediction seen(SignLabel s) {
        return new Prediction(s, 0.9f, true, List.of(new Candidate(s, 0.9f)));
    }

    static Prediction unsure(SignLabel s) {
        return new Prediction(s, 0.3f, false, List.of(new Candidate(s, 0.3f)));
    }

    private static void feed(SentenceBuilder b, Prediction p, int times) {
        for (int i = 0; i < times; i++) {
            b.accept(p);
        }
    }

    @Test
    void aSignCountsAfterNAgreeingPredictions() {
        SentenceBuilder b = SentenceBuilder.builder().agreement(3).build();
        assertNull(b.accept(seen(HELLO)));
        assertNull(b.accept(seen(HELLO)));
        assertSame(HELLO, b.accept(seen(HELLO)));
        assertEquals(List.of(HELLO), b.sentence().words());
        // Holding the sign does not add it again.
        feed(b, seen(HELLO), 10);
        assertEquals(1, b.sentence().words().size());
    }

    @Test
    void anotherSignOrAnUnsurePredictionRestartsTheCount() {
        SentenceBuilder b = SentenceBuilder.builder().agreement(3).build();
        feed(b, seen(HELLO), 2);
        b.accept(seen(THANKS));
        feed(b, seen(HELLO), 2);
        b.accept(unsure(HELLO));
        feed(b, seen(HELLO), 2);
        assertTrue(b.sentence().isEmpty(), b.sentence().text());
        assertSame(HELLO, b.accept(seen(HELLO)));
    }

    @Test
    void theLastSignIsNotRepeatedButMayComeBackLater() {
        SentenceBuilder b = SentenceBuilder.builder().agreement(2).build();
        feed(b, seen(HELLO), 2);
        feed(b, seen(NONE), 1);
        b.accept(unsure(COFFEE));
        feed(b, seen(HELLO), 5);
        assertEquals(List.of(HELLO), b.sentence().words(), "equal to the last word: not appended");
        feed(b, seen(THANKS), 2);
        feed(b, seen(HELLO), 2);
        assertEquals(List.of(HELLO, THANKS, HELLO), b.sentence().words());
    }

    @Test
    void khmerWordsJoinWithoutSpacesByDefault() {
        SentenceBuilder b = SentenceBuilder.builder().agreement(1).build();
        b.accept(seen(HELLO));
        b.accept(seen(THANKS));
        assertEquals("សួស្តីអរគុណ", b.sentence().text());
        b.accept(seen(COFFEE));
        b.accept(seen(HELLO));
        assertEquals(
                "សួស្តីអរគុណ coffee សួស្តី",
                b.sentence().text(),
                "words without Khmer text use glosses" + " and spaces");
    }

    @Test
    void separatorPolicies() {
        List<SignLabel> words = List.of(HELLO, THANKS, COFFEE);
        assertEquals(
                "សួស្តី\u200Bអរគុណ coffee",
                Sentence.of(words, WordSeparator.ZERO_WIDTH_SPACE).text());
        assertEquals(
                "សួស្តី អរគុណ coffee", Sentence.of(words, WordSeparator.SPACE).text());
        assertEquals(
                "សួស្តីអរគុណ coffee", Sentence.of(words, WordSeparator.NONE).text());
        assertEquals("", Sentence.of(List.of(), WordSeparator.NONE).text());
    }

    @Test
    void maxWordsKeepsTheLastWords() {
        SentenceBuilder b = SentenceBuilder.builder()
                .agreement(1)
                .maxWords(2)
                .separator(WordSeparator.SPACE)
                .build();
        for (SignLabel s : List.of(HELLO, THANKS, COFFEE, HELLO)) {
            b.accept(seen(s));
        }
        assertEquals(List.of(COFFEE, HELLO), b.sentence().words());
    }

    @Test
    void clearForgetsSentenceAndCount() {
        SentenceBuilder b = SentenceBuilder.builder().agreement(2).build();
        feed(b, seen(HELLO), 2);
        b.accept(seen(THANKS));
        b.clear();
        assertTrue(b.sentence().isEmpty());
        assertNull(b.accept(seen(THANKS)), "the count restarted");
        assertSame(THANKS, b.accept(seen(THANKS)));
        feed(b, seen(HELLO), 2);
        b.clear();
        feed(b, seen(HELLO), 2);
        assertEquals(List.of(HELLO), b.sentence().words(), "after clear the same sign may start a sentence");
    }

    @Test
    void rejectsBadOptions() {
        assertThrows(
                InvalidInputException.class, () -> SentenceBuilder.builder().agreement(0));
        assertThrows(
                InvalidInputException.class, () -> SentenceBuilder.builder().maxWords(-1));
        assertThrows(
                InvalidInputException.class,
                () -> SentenceBuilder.builder().build().accept(null));
    }
}
