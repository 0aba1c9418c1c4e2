package io.github.kslr.tts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.UnsupportedTextException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MmsTokenizerTest {

    private static MmsTokenizer sharedTokenizer() {
        Map<String, Integer> vocab = TtsFixtures.vocab(TtsFixtures.json(TtsFixtures.shared("vocab.json")));
        JsonObject tc = TtsFixtures.json(TtsFixtures.shared("tokenizer_config.json"));
        return new MmsTokenizer(new VitsTokenizerConfig(
                vocab,
                tc.get("pad_token").getAsString(),
                tc.get("unk_token").getAsString(),
                tc.get("language").getAsString(),
                tc.get("add_blank").getAsBoolean(),
                tc.get("normalize").getAsBoolean()));
    }

    @Test
    void reproducesTransformersIdsForEverySharedGoldenSentence() {
        MmsTokenizer tok = sharedTokenizer();
        JsonObject tokens = TtsFixtures.json(TtsFixtures.shared("golden.json")).getAsJsonObject("tokens");
        assertTrue(tokens.size() >= 8, "golden.json should hold the eight sentences, had " + tokens.size());
        for (Map.Entry<String, JsonElement> e : tokens.entrySet()) {
            assertArrayEquals(TtsFixtures.longs(e.getValue()), tok.encode(e.getKey()), "ids of \"" + e.getKey() + "\"");
        }
    }

    /**
     * Edge cases (leading/trailing/double COENG, spaces, no-break spaces, zero-width space, Latin, digits, the unknown
     * token's text) whose ids transformers 5.17 produced: tools/voice-export/export_vits.py --random-tiny wrote them.
     */
    @Test
    void reproducesTransformersIdsForEdgeCases() {
        JsonObject fx = TtsFixtures.resource("tokenizer-edge-cases.json");
        JsonObject cfg = fx.getAsJsonObject("tokenizer");
        MmsTokenizer tok = new MmsTokenizer(new VitsTokenizerConfig(
                TtsFixtures.vocab(fx.getAsJsonObject("vocab")),
                cfg.get("pad_token").getAsString(),
                cfg.get("unk_token").getAsString(),
                cfg.get("language").getAsString(),
                cfg.get("add_blank").getAsBoolean(),
                cfg.get("normalize").getAsBoolean()));
        JsonObject tokens = fx.getAsJsonObject("tokens");
        assertTrue(tokens.size() >= 15);
        for (Map.Entry<String, JsonElement> e : tokens.entrySet()) {
            assertArrayEquals(TtsFixtures.longs(e.getValue()), tok.encode(e.getKey()), "ids of \"" + e.getKey() + "\"");
        }
    }

    private static MmsTokenizer small(boolean addBlank, boolean normalize, String language) {
        Map<String, Integer> v = new LinkedHashMap<>();
        v.put("|", 0);
        v.put(" ", 1);
        v.put("a", 2);
        v.put("b", 3);
        v.put("\u0163", 4);
        return new MmsTokenizer(new VitsTokenizerConfig(v, "|", "<unk>", language, addBlank, normalize));
    }

    @Test
    void blanksPadSplitLowerCaseAndStripFollowTransformers() {
        MmsTokenizer t = small(true, true, null);
        assertArrayEquals(new long[] {0, 2, 0, 1, 0, 3, 0}, t.encode(" A, B\u00a0"));
        assertArrayEquals(new long[] {0, 0, 2, 0}, t.encode("|a"), "the pad is a special token: no blanks around");
        assertArrayEquals(new long[] {2, 1, 3}, small(false, true, null).encode("a b"));
        assertArrayEquals(new long[0], t.encode("xyz!"));
        assertArrayEquals(new long[0], t.encode(""));
    }

    @Test
    void romanianCommaBelowBecomesCedilla() {
        assertArrayEquals(new long[] {0, 4, 0}, small(true, true, "ron").encode("\u021b"));
        assertArrayEquals(new long[0], small(true, true, "khm").encode("\u021b"));
    }

    @Test
    void withoutNormalisationAnUnknownCharacterIsAClearError() {
        MmsTokenizer t = small(true, false, null);
        assertArrayEquals(new long[] {0, 2, 0, 3, 0}, t.encode("ab"));
        UnsupportedTextException e = assertThrows(UnsupportedTextException.class, () -> t.encode("aX"));
        assertTrue(e.getMessage().contains("U+0058"), e.getMessage());
    }

    @Test
    void pythonWhitespaceDefinition() {
        for (int cp : new int[] {' ', '\t', '\n', 0x0B, 0x0C, 0x1C, 0x85, 0xA0, 0x2007, 0x202F, 0x3000, 0x2028}) {
            assertTrue(MmsTokenizer.isPythonSpace(cp), Integer.toHexString(cp));
        }
        for (int cp : new int[] {0x200B, 'a', 0x17D2, 0x180E}) {
            assertFalse(MmsTokenizer.isPythonSpace(cp), Integer.toHexString(cp));
        }
    }

    @Test
    void configRejectsBadVocabularies() {
        assertThrows(InvalidInputException.class, () -> new VitsTokenizerConfig(Map.of(), "|", null, null, true, true));
        assertThrows(
                InvalidInputException.class,
                () -> new VitsTokenizerConfig(Map.of("a", 1), "|", null, null, true, true),
                "add_blank needs id 0");
        assertThrows(
                InvalidInputException.class, () -> new VitsTokenizerConfig(Map.of("", 0), "|", null, null, true, true));
        assertThrows(InvalidInputException.class, () -> new MmsTokenizer(null));
        assertThrows(InvalidInputException.class, () -> small(true, true, null).encode(null));
    }

    @Test
    void sentenceSplitKeepsPunctuationWithItsSentence() {
        assertEquals(
                java.util.List.of("ក។", "ខ៕", "គ?!", "ឃ ។", "ង..."), KhmerSentences.split(" ក។ ខ៕គ?! \n ឃ ។ ង... "));
        assertEquals(java.util.List.of(), KhmerSentences.split("  "));
        assertEquals(java.util.List.of("no end"), KhmerSentences.split("no end"));
    }
}
