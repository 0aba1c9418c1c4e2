package io.github.kslr.examples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.KslrException;
import io.github.kslr.api.SignEmbedderMetadata;
import io.github.kslr.recognizer.DemoSignModel;
import io.github.kslr.recognizer.OnnxSignEmbedder;
import io.github.kslr.recognizer.SignVocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What "Teach a sign" accepts from a browser, and that the vocabulary file is never left half-changed. */
class VocabularyTeacherTest {
    private static final String HELLO = "\u179f\u17bd\u179f\u17d2\u178f\u17b8";
    private static final String THANKS = "\u17a2\u179a\u1782\u17bb\u178e";
    private static OnnxSignEmbedder embedder;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        embedder = OnnxSignEmbedder.open(DemoSignModel.embedderSource());
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    private VocabularyTeacher teacher() {
        return VocabularyTeacher.open(dir.resolve("signs.vocab"), SignVocabulary.create(embedder.metadata()), embedder);
    }

    private static List<float[]> windows(int takes, long seed) {
        Random r = new Random(seed);
        List<float[]> out = new ArrayList<>();
        for (int t = 0; t < takes; t++) {
            float[] w = new float[embedder.windowSize()];
            for (int i = 0; i < w.length; i++) {
                w[i] = r.nextFloat();
            }
            out.add(w);
        }
        return out;
    }

    @Test
    void khmerWordsAreNormalisedAndAnythingElseRefused() {
        assertEquals(HELLO, VocabularyTeacher.khmerWord(" \u200b" + HELLO + "\n"));
        assertEquals(HELLO + " " + THANKS, VocabularyTeacher.khmerWord(HELLO + "   " + THANKS));
        assertEquals(HELLO + "\u200b" + THANKS, VocabularyTeacher.khmerWord(HELLO + "\u200b" + THANKS));
        assertEquals(40, VocabularyTeacher.khmerWord("\u1780".repeat(40)).length());
        for (String bad : new String[] {
            null,
            "",
            " \u200b ",
            "hello",
            HELLO + "!",
            HELLO + "\t" + THANKS,
            HELLO + "\u0000",
            "\u17e1\u17e2\u17e3",
            "-",
            "\u1780".repeat(VocabularyTeacher.MAX_KHMER_CHARS + 1),
            HELLO + "\ud800"
        }) {
            InvalidInputException e = assertThrows(
                    InvalidInputException.class, () -> VocabularyTeacher.khmerWord(bad), String.valueOf(bad));
            assertTrue(
                    e.getMessage().startsWith("type the sign's Khmer word")
                            || e.getMessage().contains("Khmer"),
                    e.getMessage());
        }
    }

    @Test
    void glossesAreOneShortLine() {
        assertEquals("", VocabularyTeacher.gloss(null));
        assertEquals("", VocabularyTeacher.gloss("   "));
        assertEquals("thank you", VocabularyTeacher.gloss(" thank you "));
        assertEquals("caf\u00e9", VocabularyTeacher.gloss("cafe\u0301"), "NFC");
        for (String bad : new String[] {"two\nlines", "a\u2028b", "bell\u0007", "x".repeat(65), "p\ue000"}) {
            assertThrows(InvalidInputException.class, () -> VocabularyTeacher.gloss(bad), bad);
        }
    }

    @Test
    void takeCountsAreBounded() {
        assertEquals(2, VocabularyTeacher.takeCount(2));
        assertEquals(20, VocabularyTeacher.takeCount(20));
        for (int bad : new int[] {-1, 0, 1, 21, Integer.MAX_VALUE}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> VocabularyTeacher.takeCount(bad));
            assertTrue(e.getMessage().contains("got " + bad), e.getMessage());
        }
    }

    @Test
    void openCreatesTheFileAndRefusesAMissingFolderOrAnotherEmbedder() throws Exception {
        VocabularyTeacher t = teacher();
        assertTrue(Files.isRegularFile(dir.resolve("signs.vocab")));
        assertEquals(
                List.of(), SignVocabulary.load(t.file(), embedder.metadata()).signs());
        InvalidInputException missing = assertThrows(
                InvalidInputException.class,
                () -> VocabularyTeacher.open(
                        dir.resolve("no/such/folder/v.vocab"), SignVocabulary.create(embedder.metadata()), embedder));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        SignEmbedderMetadata other = new SignEmbedderMetadata(
                embedder.metadata().model(), embedder.metadata().embeddingSize(), 0.5, "0".repeat(64));
        assertThrows(
                InvalidInputException.class,
                () -> VocabularyTeacher.open(dir.resolve("other.vocab"), SignVocabulary.create(other), embedder));
        assertTrue(!Files.exists(dir.resolve("other.vocab")));
    }

    /** Another person's takes, say: added to the taught sign with their mirror images, and saved. */
    @Test
    void takesAreAddedToATaughtSignAndSaved() throws Exception {
        VocabularyTeacher t = teacher();
        t.teach(HELLO, "hello", windows(2, 6));
        float[] before = t.signs().get(0).prototype();
        assertEquals(HELLO, t.checkTaughtSign(" " + HELLO + " "));
        InvalidInputException unknown = assertThrows(InvalidInputException.class, () -> t.checkTaughtSign(THANKS));
        assertTrue(unknown.getMessage().contains("is not taught"), unknown.getMessage());
        assertThrows(InvalidInputException.class, () -> t.addTakes(THANKS, windows(2, 7)));
        assertThrows(InvalidInputException.class, () -> t.addTakes(HELLO, windows(1, 7)), "too few takes");
        List<float[]> nan = windows(2, 7);
        nan.get(1)[3] = Float.NaN;
        assertThrows(InvalidInputException.class, () -> t.addTakes(HELLO, nan));
        assertEquals(2, t.signs().get(0).takeCount(), "nothing added by a refused call");
        SignVocabulary.Sign more = t.addTakes(HELLO, windows(3, 7));
        assertEquals(5, more.takeCount());
        assertTrue(more.hasMirroredTakes(), "the bundled embedder mirrors: the new takes' mirror images too");
        assertEquals("hello", more.gloss());
        assertFalse(java.util.Arrays.equals(before, more.prototype()), "the prototype is the mean of all five");
        SignVocabulary saved = SignVocabulary.load(t.file(), embedder.metadata());
        assertEquals(5, saved.signs().get(0).takeCount());
        assertTrue(saved.signs().get(0).hasMirroredTakes());
    }

    @Test
    void badWindowsTeachNothing() throws Exception {
        VocabularyTeacher t = teacher();
        byte[] before = Files.readAllBytes(t.file());
        List<float[]> shortWindow = windows(3, 1);
        shortWindow.set(1, new float[5]);
        assertThrows(InvalidInputException.class, () -> t.teach(HELLO, "", shortWindow));
        List<float[]> nan = windows(3, 2);
        nan.get(2)[7] = Float.NaN;
        assertThrows(InvalidInputException.class, () -> t.teach(HELLO, "", nan));
        assertThrows(InvalidInputException.class, () -> t.teach(HELLO, "", windows(1, 3)));
        assertThrows(InvalidInputException.class, () -> t.teach("hello", "", windows(3, 3)));
        assertEquals(List.of(), t.signs());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(t.file())));
    }

    @Test
    void aFailedSaveUndoesTheChangeAndKeepsTheFile() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("gone"));
        VocabularyTeacher t =
                VocabularyTeacher.open(folder.resolve("v.vocab"), SignVocabulary.create(embedder.metadata()), embedder);
        t.teach(HELLO, "hello", windows(2, 4));
        byte[] saved = Files.readAllBytes(t.file());
        // The folder disappears: the next save cannot write its temporary file.
        Path moved = Files.move(folder, dir.resolve("moved"));
        KslrException teach = assertThrows(KslrException.class, () -> t.teach(THANKS, "", windows(2, 5)));
        assertTrue(teach.getMessage().contains("was not taught"), teach.getMessage());
        assertEquals(
                List.of(HELLO),
                t.signs().stream().map(SignVocabulary.Sign::label).toList());
        KslrException more = assertThrows(KslrException.class, () -> t.addTakes(HELLO, windows(2, 6)));
        assertTrue(more.getMessage().contains("no takes were added to"), more.getMessage());
        assertEquals(2, t.signs().get(0).takeCount(), "the sign keeps the takes it had");
        KslrException remove = assertThrows(KslrException.class, () -> t.remove(HELLO));
        assertTrue(remove.getMessage().contains("was not deleted"), remove.getMessage());
        assertEquals(
                List.of(HELLO),
                t.signs().stream().map(SignVocabulary.Sign::label).toList());
        assertTrue(java.util.Arrays.equals(saved, Files.readAllBytes(moved.resolve("v.vocab"))));
    }

    @Test
    void concurrentTeachingOfOneWordGivesOneSign() throws Exception {
        VocabularyTeacher t = teacher();
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                long seed = i;
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        t.teach(HELLO, "hello " + seed, windows(2, seed));
                        return "taught";
                    } catch (InvalidInputException e) {
                        return e.getMessage();
                    }
                }));
            }
            go.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<String> f : results) {
                outcomes.add(f.get());
            }
            assertEquals(1, Collections.frequency(outcomes, "taught"), outcomes.toString());
            assertTrue(
                    outcomes.stream().filter(o -> !o.equals("taught")).allMatch(o -> o.contains("taught already")),
                    outcomes.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(
                1, SignVocabulary.load(t.file(), embedder.metadata()).signs().size());
    }
}
