package io.github.kslr.recognizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.KslrException;
import io.github.kslr.api.SignEmbedderMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two enrolments at once into one vocabulary file both land (load, change and save under the file's lock). */
class VocabularyUpdateTest {

    private static float[] takes(SignEmbedderMetadata e, int count, float v) {
        float[] t = new float[count * e.embeddingSize()];
        Arrays.fill(t, v);
        return t;
    }

    @Test
    void concurrentUpdatesInOneJvmAllLand(@TempDir Path dir) throws Exception {
        SignEmbedderMetadata e = ParserFuzzTest.embedder();
        Path file = dir.resolve("signs.vocab");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String label = "sign" + i;
                done.add(pool.submit(() -> {
                    go.await();
                    return SignVocabulary.update(file, e, v -> {
                        v.add(label, "", label, takes(e, 2, 0.5f), 2);
                        return null;
                    });
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(8, SignVocabulary.load(file, e).signs().size());
    }

    @Test
    void anUpdateOfAnotherProcessWaitsAndLands(@TempDir Path dir) throws Exception {
        SignEmbedderMetadata e = ParserFuzzTest.embedder();
        Path file = dir.resolve("signs.vocab");
        Path started = dir.resolve("child-started");
        Process[] child = new Process[1];
        SignVocabulary.update(file, e, v -> {
            v.add("parent", "", "parent", takes(e, 2, 0.25f), 2);
            try {
                child[0] = new ProcessBuilder(
                                ProcessHandle.current().info().command().orElse("java"),
                                "-cp",
                                System.getProperty("java.class.path"),
                                VocabularyUpdateTest.class.getName(),
                                file.toString(),
                                started.toString())
                        .inheritIO()
                        .start();
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (!Files.exists(started) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                Thread.sleep(300); // the child is now waiting for the lock, on the file as it was before this save
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
            return null;
        });
        assertTrue(child[0].waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child[0].exitValue());
        List<String> labels = SignVocabulary.load(file, e).signs().stream()
                .map(SignVocabulary.Sign::label)
                .toList();
        assertEquals(List.of("parent", "child"), labels);
    }

    @Test
    void aFailedChangeSavesNothing(@TempDir Path dir) {
        SignEmbedderMetadata e = ParserFuzzTest.embedder();
        Path file = dir.resolve("signs.vocab");
        SignVocabulary.update(file, e, v -> {
            v.add("a", "", "a", takes(e, 2, 0.5f), 2);
            return null;
        });
        assertThrows(
                InvalidInputException.class,
                () -> SignVocabulary.update(file, e, v -> {
                    v.add("b", "", "b", takes(e, 2, 0.5f), 2);
                    v.add("c", "", "c", takes(e, 1, 0.5f), 1); // one take: refused
                    return null;
                }));
        assertEquals(1, SignVocabulary.load(file, e).signs().size());
    }

    /** The other process: announces itself, then adds "child" (waiting for the parent's lock). */
    public static void main(String[] args) throws Exception {
        SignEmbedderMetadata e = ParserFuzzTest.embedder();
        Files.createFile(Path.of(args[1]));
        SignVocabulary.update(Path.of(args[0]), e, v -> {
            v.add("child", "", "child", takes(e, 2, 0.75f), 2);
            return null;
        });
        System.exit(0);
    }

    /** A vocabulary in use changes only with its file: a change that cannot be saved, or that throws, is undone. */
    @Test
    void applyAndSaveKeepsAChangeOnlyWhenItWasSaved(@TempDir Path dir) throws Exception {
        SignEmbedderMetadata e = ParserFuzzTest.embedder();
        SignVocabulary v = SignVocabulary.create(e);
        Path file = dir.resolve("signs.vocab");
        v.add("a", "ក", "a", takes(e, 2, 0.1f), 2);
        v.add("b", "ខ", "b", takes(e, 2, 0.2f), 2);
        int size = v.applyAndSave(file, x -> {
            x.addTakes("a", takes(e, 3, 0.3f), 3);
            return x.signs().size();
        });
        assertEquals(2, size);
        assertEquals(5, SignVocabulary.load(file, e).signs().get(0).takeCount(), "saved");
        byte[] saved = Files.readAllBytes(file);
        // The save fails (no such folder): the new sign and the new takes are undone, the order kept.
        Path nowhere = dir.resolve("missing").resolve("signs.vocab");
        assertThrows(
                KslrException.class,
                () -> v.applyAndSave(nowhere, x -> {
                    x.remove("a");
                    x.add("a", "ក", "a", takes(e, 2, 0.4f), 2);
                    x.addTakes("b", takes(e, 1, 0.5f), 1);
                    return null;
                }));
        assertEquals(
                List.of("a", "b"),
                v.signs().stream().map(SignVocabulary.Sign::label).toList());
        assertEquals(5, v.signs().get(0).takeCount());
        assertEquals(2, v.signs().get(1).takeCount());
        assertArrayEquals(takes(e, 1, 0.3f), v.signs().get(0).take(4));
        // The change throws: undone as well, and nothing is written.
        assertThrows(
                InvalidInputException.class,
                () -> v.applyAndSave(file, x -> {
                    x.remove("b");
                    x.addTakes("no such sign", takes(e, 1, 0.6f), 1);
                    return null;
                }));
        assertEquals(
                List.of("a", "b"),
                v.signs().stream().map(SignVocabulary.Sign::label).toList());
        assertArrayEquals(saved, Files.readAllBytes(file));
    }
}
