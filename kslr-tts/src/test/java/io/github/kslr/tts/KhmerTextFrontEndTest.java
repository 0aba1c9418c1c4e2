package io.github.kslr.tts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.BreakIterator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class KhmerTextFrontEndTest {

    private static final KhmerTextFrontEnd FRONT_END = new KhmerTextFrontEnd(true);

    /** Unpunctuated text of 30 KB (the repro that took 23 GB as one sentence) comes out in bounded chunks. */
    @Test
    void longUnpunctuatedTextIsCutAtSpacesIntoBoundedChunks() {
        String text = "ខ្ញុំឈ្មោះសុខា ".repeat(2200);
        assertTrue(text.length() > 30_000);
        List<KhmerTextFrontEnd.Chunk> chunks = FRONT_END.chunks(text);
        StringBuilder joined = new StringBuilder();
        for (KhmerTextFrontEnd.Chunk c : chunks) {
            assertTrue(
                    c.written().length() <= KhmerTextFrontEnd.MAX_CHUNK_CHARS,
                    c.written().length() + " chars");
            assertTrue(
                    c.written().startsWith("ខ្ញុំ") && c.written().endsWith("សុខា"), "cut at spaces: " + c.written());
            joined.append(c.written()).append(' ');
        }
        assertEquals(text, joined.toString(), "nothing lost");
        assertTrue(chunks.size() >= text.length() / KhmerTextFrontEnd.MAX_CHUNK_CHARS);
    }

    /** Khmer written without spaces is cut between grapheme clusters, never inside a syllable's cluster. */
    @Test
    void textWithoutSpacesIsCutBetweenClusters() {
        String text = "ខ្ញុំស្រឡាញ់ភាសាខ្មែរ".repeat(60);
        List<String> pieces = KhmerTextFrontEnd.cut(text, 100);
        assertEquals(text, String.join("", pieces));
        BreakIterator clusters = BreakIterator.getCharacterInstance(new Locale("km"));
        clusters.setText(text);
        int at = 0;
        for (String p : pieces) {
            assertTrue(p.length() <= 100, p.length() + " chars");
            assertTrue(clusters.isBoundary(at), "a cut inside a cluster at " + at);
            at += p.length();
        }
        assertTrue(pieces.size() > 1);
    }

    @Test
    void sentencesStayWholeAndNumbersAreSpokenAsWords() {
        List<KhmerTextFrontEnd.Chunk> chunks = FRONT_END.chunks("ខ្ញុំមាន 25 ឆ្នាំ។ អរគុណ!");
        assertEquals(2, chunks.size());
        assertEquals("ខ្ញុំមាន 25 ឆ្នាំ។", chunks.get(0).written());
        assertEquals(
                KhmerNumbers.spellNumbers("ខ្ញុំមាន 25 ឆ្នាំ។"), chunks.get(0).spoken());
        assertTrue(!chunks.get(0).spoken().contains("25"));
        assertEquals(
                "ខ្ញុំមាន 25 ឆ្នាំ។",
                new KhmerTextFrontEnd(false).chunks("ខ្ញុំមាន 25 ឆ្នាំ។").get(0).spoken());
    }
}
