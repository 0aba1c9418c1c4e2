package io.github.kslr.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.InvalidInputException;
import io.github.kslr.data.NpyArray.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MpDatasetTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheFolderLayoutNumPyWrote() throws Exception {
        MpDataset d = MpDataset.read(NpyTest.fixtures().resolve("MP_Data"));
        assertEquals(List.of("hello", "thanks"), d.labels());
        assertEquals(3, d.sequenceLength());
        assertEquals(4, d.featureSize());
        List<String[]> expected = NpyTest.expectedLines("mp");
        assertEquals(expected.size(), d.count());
        int[] labels = d.labelIndices();
        int[] seqs = d.sequences();
        float[] window = new float[12];
        for (int i = 0; i < expected.size(); i++) {
            String[] e = expected.get(i);
            assertEquals(e[1], d.labels().get(labels[i]));
            assertEquals(Integer.parseInt(e[2]), seqs[i]);
            d.copyWindow(i, window, 0);
            double[] v = NpyTest.numbers(e[5]);
            for (int k = 0; k < 12; k++) {
                assertEquals((float) v[k], window[k], 0f, "sequence " + i + " value " + k);
            }
        }
        // A given label order decides the indices, as the tutorial's actions array does.
        MpDataset reversed = MpDataset.read(NpyTest.fixtures().resolve("MP_Data"), List.of("thanks", "hello"));
        assertEquals(0, reversed.labelIndices()[0]);
        assertEquals(3, reversed.count());
    }

    @Test
    void writesAndReadsBack() {
        float[] w = new float[3 * 2 * 5];
        for (int i = 0; i < w.length; i++) {
            w[i] = i * 0.25f - 3;
        }
        MpDataset d = MpDataset.of(List.of("a", "b"), 2, 5, w, new int[] {1, 0, 1}, new int[] {0, 0, 7});
        for (DType t : List.of(DType.FLOAT32, DType.FLOAT64)) {
            Path root = tmp.resolve(t.name());
            d.write(root, t);
            assertTrue(Files.exists(root.resolve("b/7/1.npy")));
            assertEquals(t, Npy.read(root.resolve("a/0/0.npy")).dtype());
            MpDataset back = MpDataset.read(root);
            assertEquals(d.labels(), back.labels());
            // Reading orders by label, then sequence number.
            assertArrayEquals(new int[] {0, 1, 1}, back.labelIndices());
            assertArrayEquals(new int[] {0, 0, 7}, back.sequences());
            float[] got = new float[10];
            float[] want = new float[10];
            back.copyWindow(1, got, 0);
            d.copyWindow(0, want, 0);
            assertArrayEquals(want, got);
        }
        assertArrayEquals(new int[] {3, 2, 5}, d.windowsArray().shape());
        assertArrayEquals(new int[] {1, 0, 1}, d.labelArray().toIntArray());
    }

    @Test
    void rejectsIncompleteLayouts() throws Exception {
        float[] w = new float[2 * 3 * 4];
        MpDataset d = MpDataset.of(List.of("x"), 3, 4, w, new int[] {0, 0}, new int[] {0, 1});
        Path root = tmp.resolve("MP_Data");
        d.write(root, DType.FLOAT64);
        Files.delete(root.resolve("x/1/1.npy"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> MpDataset.read(root));
        assertTrue(e.getMessage().contains("frames 0.npy"), e.getMessage());
        Files.delete(root.resolve("x/1/2.npy"));
        e = assertThrows(InvalidInputException.class, () -> MpDataset.read(root));
        assertTrue(e.getMessage().contains("1 frames, earlier sequences have 3"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> MpDataset.read(root, List.of("x", "missing")));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> MpDataset.read(tmp.resolve("MP_Data/x/0")));
        assertThrows(
                InvalidInputException.class,
                () -> MpDataset.of(List.of("x"), 3, 4, w, new int[] {0, 1}, new int[] {0, 1}));
        float[] nan = w.clone();
        nan[5] = Float.NaN;
        assertThrows(
                InvalidInputException.class,
                () -> MpDataset.of(List.of("x"), 3, 4, nan, new int[] {0, 0}, new int[] {0, 1}));
    }
}
