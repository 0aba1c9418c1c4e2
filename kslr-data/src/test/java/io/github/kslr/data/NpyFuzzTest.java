package io.github.kslr.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.testing.ByteMutations.Mutant;
import io.github.kslr.api.testing.FuzzChecks;
import io.github.kslr.api.testing.SharedFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz properties (#18): {@link Npy#read(Path)}, {@link Npy#read(java.io.InputStream, String)} and
 * {@link MpDataset#read(Path)} given damaged copies of real files (bit flips, truncation, inflated shapes and header
 * lengths, insertions, deletions: {@link io.github.kslr.api.testing.ByteMutations}) either read them or refuse them
 * with an {@link InvalidInputException}, allocating at most 64 MB for inputs of a few KB.
 */
class NpyFuzzTest {
    @TempDir
    Path dir;

    /** A frame-sized float32 matrix as {@code np.save} writes it (version 1.0 header). */
    static byte[] float32Seed() {
        float[] v = new float[4 * 258];
        Random r = new Random(1);
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat();
        }
        return bytes(NpyArray.ofFloats(v, 4, 258));
    }

    /** A float64 vector, the tutorial's one-frame files. */
    static byte[] float64Seed() {
        double[] v = new double[258];
        for (int i = 0; i < v.length; i++) {
            v[i] = i / 258.0;
        }
        return bytes(NpyArray.ofDoubles(v, 258));
    }

    static byte[] bytes(NpyArray a) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Npy.write(out, a);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void readsFileOrRefuses(Mutant m) {
        Path f = dir.resolve("m.npy");
        try {
            Files.write(f, m.bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FuzzChecks.parses(m, () -> Npy.read(f), InvalidInputException.class);
    }

    private static void readsStreamOrRefuses(Mutant m) {
        FuzzChecks.parses(
                m,
                () -> {
                    ByteArrayInputStream in = new ByteArrayInputStream(m.bytes());
                    NpyArray a = Npy.read(in, "m.npy");
                    return a.size();
                },
                InvalidInputException.class);
    }

    @Test
    void fileFormReadsOrRefusesDamagedFloat32() {
        FuzzChecks.forEachMutant("Npy.read(Path) f4", float32Seed(), 300, this::readsFileOrRefuses);
    }

    @Test
    void fileFormReadsOrRefusesDamagedFloat64() {
        FuzzChecks.forEachMutant("Npy.read(Path) f8", float64Seed(), 200, this::readsFileOrRefuses);
    }

    @Test
    void streamFormReadsOrRefusesDamagedFiles() {
        FuzzChecks.forEachMutant("Npy.read(InputStream) f4", float32Seed(), 300, NpyFuzzTest::readsStreamOrRefuses);
        FuzzChecks.forEachMutant("Npy.read(InputStream) f8", float64Seed(), 200, NpyFuzzTest::readsStreamOrRefuses);
    }

    @Test
    void readsOrRefusesDamagedCopiesOfARealNumpyFile() throws IOException {
        // y.npy of the shared ASL data: int16 labels as NumPy itself saved them (6.5 KB).
        byte[] real = Files.readAllBytes(SharedFiles.require("data/asl-traduttore/y.npy"));
        assertEquals(
                NpyArray.DType.INT16,
                Npy.read(new ByteArrayInputStream(real), "y.npy").dtype());
        FuzzChecks.forEachMutant("Npy.read(Path) shared y.npy", real, 200, this::readsFileOrRefuses);
        FuzzChecks.forEachMutant("Npy.read(InputStream) shared y.npy", real, 200, NpyFuzzTest::readsStreamOrRefuses);
    }

    @Test
    void mpDatasetReadsOrRefusesADamagedFrame() throws IOException {
        // A real MP_Data folder (2 signs x 2 sequences x 3 frames of 12 float64 features); each try damages one
        // frame file of a fresh copy.
        float[] windows = new float[4 * 3 * 12];
        for (int i = 0; i < windows.length; i++) {
            windows[i] = i * 0.01f;
        }
        MpDataset ds = MpDataset.of(
                List.of("hello", "thanks"), 3, 12, windows, new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1});
        Path clean = dir.resolve("clean");
        ds.write(clean, NpyArray.DType.FLOAT64);
        byte[] frame = Files.readAllBytes(clean.resolve("thanks/1/2.npy"));
        Path root = dir.resolve("MP_Data");
        ds.write(root, NpyArray.DType.FLOAT64);
        int[] n = {0};
        FuzzChecks.forEachMutant("MpDataset.read", frame, 150, m -> {
            // Damage a different frame each time, and put the previous one back.
            Path target =
                    root.resolve((n[0] % 2 == 0 ? "hello/" : "thanks/") + (n[0] / 2 % 2) + "/" + (n[0] % 3) + ".npy");
            try {
                Files.write(target, m.bytes());
                FuzzChecks.parses(m, () -> MpDataset.read(root), InvalidInputException.class);
                Files.copy(
                        clean.resolve(root.relativize(target)),
                        target,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            n[0]++;
        });
    }
}
