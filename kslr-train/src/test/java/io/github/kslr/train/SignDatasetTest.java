package io.github.kslr.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.data.MpDataset;
import io.github.kslr.data.Npy;
import io.github.kslr.data.NpyArray;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignDatasetTest {

    @Test
    void loadsNpyFolderWithSessions(@TempDir Path dir) throws Exception {
        SignDataset d = Synthetic.dataset(3, 4, 5, 1);
        write(dir, d, true);
        SignDataset back = SignDataset.load(dir);
        assertEquals(FeatureLayout.POSE_HANDS_258, back.layout());
        assertEquals(5, back.sequenceLength());
        assertArrayEquals(d.windows(), back.windows());
        assertArrayEquals(d.labelsArray(), back.labelsArray());
        assertEquals(d.labels(), back.labels());
        int[] s1 = back.indicesOfSession(1, true);
        int[] rest = back.indicesOfSession(1, false);
        assertEquals(back.size(), s1.length + rest.length);
        for (int i : s1) {
            assertEquals(1, back.session(i));
        }
        SignDataset sub = back.subset(s1);
        assertEquals(s1.length, sub.size());
        assertEquals(back.label(s1[0]), sub.label(0));
    }

    @Test
    void loadsMpDataFolders(@TempDir Path dir) {
        SignDataset d = Synthetic.dataset(2, 3, 4, 2);
        int[] seq = new int[d.size()];
        for (int i = 0; i < seq.length; i++) {
            seq[i] = i;
        }
        MpDataset.of(d.labels(), 4, 258, d.windows(), d.labelsArray(), seq).write(dir, NpyArray.DType.FLOAT64);
        SignDataset back = SignDataset.loadMpData(dir);
        assertEquals(d.size(), back.size());
        assertEquals(d.labels(), back.labels());
        assertArrayEquals(d.windows(), back.windows(), 1e-7f);
    }

    /** A label with a line break once split into two lines of labels.txt, shifting every later label. */
    @Test
    void refusesLabelsThatLabelsTxtCannotHold() {
        FeatureLayout layout = FeatureLayout.of("left_hand:0:xyz");
        float[] x = new float[2 * 3 * layout.size()];
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> new SignDataset(layout, 3, x, new int[] {0, 1}, null, List.of("zebra\nworld", "hello")));
        assertTrue(e.getMessage().contains("zebra\\nworld") && e.getMessage().contains("line break"), e.getMessage());
        e = assertThrows(
                InvalidInputException.class,
                () -> new SignDataset(layout, 3, x, new int[] {0, 1}, null, List.of("hello", "hello")));
        assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
    }

    @Test
    void rejectsBadFolders(@TempDir Path dir) throws Exception {
        assertThrows(InvalidInputException.class, () -> SignDataset.load(dir));
        SignDataset d = Synthetic.dataset(2, 2, 3, 3);
        write(dir, d, false);
        // A label index beyond labels.txt.
        Npy.write(dir.resolve("y.npy"), NpyArray.ofInts(new int[] {0, 1, 2, 1}, 4));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SignDataset.load(dir));
        assertTrue(e.getMessage().contains("y[2] = 2"), e.getMessage());
        // y with the wrong length.
        Npy.write(dir.resolve("y.npy"), NpyArray.ofInts(new int[] {0, 1}, 2));
        assertThrows(InvalidInputException.class, () -> SignDataset.load(dir));
        // Float labels.
        Npy.write(dir.resolve("y.npy"), NpyArray.ofFloats(new float[] {0, 1, 0, 1}, 4));
        assertThrows(InvalidInputException.class, () -> SignDataset.load(dir));
        // NaN in the windows.
        float[] x = d.windows();
        x[7] = Float.NaN;
        assertThrows(
                InvalidInputException.class,
                () -> new SignDataset(d.layout(), 3, x, d.labelsArray(), null, d.labels()));
    }

    @Test
    void savesWhatLoadReads(@TempDir Path dir) {
        SignDataset d = Synthetic.dataset(3, 4, 5, 2);
        Path out = dir.resolve("nested/data");
        d.save(out);
        SignDataset back = SignDataset.load(out);
        assertEquals(d.layout(), back.layout());
        assertEquals(d.sequenceLength(), back.sequenceLength());
        assertArrayEquals(d.windows(), back.windows());
        assertArrayEquals(d.labelsArray(), back.labelsArray());
        assertEquals(d.labels(), back.labels());
        for (int i = 0; i < d.size(); i++) {
            assertEquals(d.session(i), back.session(i));
        }
        // Only the four files, no partial folder left beside it.
        assertEquals(List.of("X.npy", "labels.txt", "session.npy", "y.npy"), list(out));
        assertEquals(List.of("data"), list(out.getParent()));
    }

    @Test
    void theFrameRateTravelsFromTheFolderThroughSubsetsIntoTheModelsMetadata(@TempDir Path dir) throws Exception {
        SignDataset d = Synthetic.dataset(3, 4, 5, 2);
        assertEquals(0, d.frameRate());
        SignDataset at30 = d.withFrameRate(30);
        at30.save(dir.resolve("a"));
        assertEquals("30\n", Files.readString(dir.resolve("a/frame_rate.txt")));
        SignDataset back = SignDataset.load(dir.resolve("a"));
        assertEquals(30, back.frameRate());
        assertEquals(30, back.subset(new int[] {0, 2}).frameRate());
        assertEquals(30, back.convertTo(FeatureLayout.HOLISTIC_1662).frameRate());
        d.save(dir.resolve("b"));
        assertTrue(Files.notExists(dir.resolve("b/frame_rate.txt")), "unknown: no file");
        assertEquals(0, SignDataset.load(dir.resolve("b")).frameRate());
        // The trainer writes it into the model.
        Trainer.Result r =
                new Trainer(TrainingConfig.builder().maxEpochs(1).patience(1).build()).train(back, null, "", null);
        assertEquals(30, r.model().metadata().frameRate());
        for (String bad : new String[] {"fast", "0", "-5", "NaN"}) {
            Files.writeString(dir.resolve("a/frame_rate.txt"), bad);
            InvalidInputException e =
                    assertThrows(InvalidInputException.class, () -> SignDataset.load(dir.resolve("a")), bad);
            assertTrue(
                    e.getMessage().contains("frame_rate.txt") && e.getMessage().contains(bad), e.getMessage());
        }
        assertThrows(InvalidInputException.class, () -> d.withFrameRate(-1));
    }

    @Test
    void saveFillsAnEmptyFolderButRefusesAFullOne(@TempDir Path dir) throws Exception {
        SignDataset d = Synthetic.dataset(2, 2, 3, 3);
        Path empty = Files.createDirectory(dir.resolve("empty"));
        SignDataset noSessions =
                new SignDataset(d.layout(), d.sequenceLength(), d.windows(), d.labelsArray(), null, d.labels());
        noSessions.save(empty);
        assertEquals(d.size(), SignDataset.load(empty).size());
        // All sessions 0: no session.npy, which is what all 0 means when loading.
        assertEquals(List.of("X.npy", "labels.txt", "y.npy"), list(empty));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> d.save(empty));
        assertTrue(e.getMessage().contains("not an empty folder"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> SignDataset.checkSaveTarget(empty));
        SignDataset.checkSaveTarget(dir.resolve("not-yet"));
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThrows(InvalidInputException.class, () -> d.save(file));
        assertEquals("x", Files.readString(file));
        assertThrows(InvalidInputException.class, () -> d.save(null));
    }

    private static List<String> list(Path dir) {
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void write(Path dir, SignDataset d, boolean sessions) throws Exception {
        Npy.write(
                dir.resolve("X.npy"),
                NpyArray.ofFloats(
                        d.windows(), d.size(), d.sequenceLength(), d.layout().size()));
        short[] y = new short[d.size()];
        int[] s = new int[d.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = (short) d.label(i);
            s[i] = d.session(i);
        }
        Npy.write(dir.resolve("y.npy"), NpyArray.ofShorts(y, y.length));
        if (sessions) {
            Npy.write(dir.resolve("session.npy"), NpyArray.ofInts(s, s.length));
        }
        Files.writeString(dir.resolve("labels.txt"), String.join("\n", d.labels()) + "\n", StandardCharsets.UTF_8);
        assertEquals(List.copyOf(d.labels()), SignDataset.readLabels(dir.resolve("labels.txt")));
    }
}
