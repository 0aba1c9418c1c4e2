package io.github.kslr.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.testing.SharedFiles;
import io.github.kslr.data.NpyArray.DType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy round trips, and the fixtures NumPy wrote (see make_fixtures.py next to them). */
class NpyTest {
    @TempDir
    Path tmp;

    static Path fixtures() throws URISyntaxException {
        return Path.of(NpyTest.class.getResource("npy/expected.txt").toURI()).getParent();
    }

    static List<String[]> expectedLines(String kind) throws Exception {
        List<String[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(fixtures().resolve("expected.txt"), StandardCharsets.UTF_8)) {
            if (line.startsWith(kind + " ")) {
                out.add(line.split(" "));
            }
        }
        return out;
    }

    static double[] numbers(String text) {
        return text.equals("-")
                ? new double[0]
                : Arrays.stream(text.split(","))
                        .mapToDouble(Double::parseDouble)
                        .toArray();
    }

    @Test
    void readsEveryFileNumPyWrote() throws Exception {
        List<String[]> files = expectedLines("file");
        assertTrue(files.size() >= 10, "expected.txt lists the fixtures");
        int read = 0;
        for (String[] f : files) {
            String name = f[1];
            Path file = fixtures().resolve(name);
            if (f[3].equals("True")) {
                InvalidInputException e = assertThrows(InvalidInputException.class, () -> Npy.read(file));
                assertTrue(e.getMessage().contains("Fortran"), e.getMessage());
                continue;
            }
            NpyArray a = Npy.read(file);
            int[] shape = Arrays.stream(numbers(f[4])).mapToInt(d -> (int) d).toArray();
            assertArrayEquals(shape, a.shape(), name);
            assertEquals(f[2].substring(1), a.dtype().code(), name);
            double[] expected = numbers(f[5]);
            assertEquals(expected.length, a.size(), name);
            if (a.dtype() == DType.FLOAT32) {
                float[] v = a.toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    // Bit-exact, so -0.0 and 0.0 differ.
                    assertEquals(
                            Float.floatToIntBits((float) expected[i]),
                            Float.floatToIntBits(v[i]),
                            name + "[" + i + "]");
                }
            } else if (a.dtype() == DType.FLOAT64) {
                assertArrayEquals(expected, a.toDoubleArray(), 0, name);
            } else {
                long[] v = a.toLongArray();
                for (int i = 0; i < v.length; i++) {
                    assertEquals((long) expected[i], v[i], name + "[" + i + "]");
                }
            }
            read++;
        }
        assertTrue(read >= 10);
    }

    @Test
    void roundTripsEveryTypeAndShape() throws IOException {
        Random r = new Random(3);
        float[] f = new float[24];
        double[] d = new double[24];
        short[] s = new short[24];
        int[] i = new int[24];
        long[] l = new long[24];
        for (int k = 0; k < 24; k++) {
            f[k] = (float) r.nextGaussian();
            d[k] = r.nextGaussian();
            s[k] = (short) r.nextInt();
            i[k] = r.nextInt();
            l[k] = r.nextLong();
        }
        f[3] = Float.NaN;
        d[4] = Double.NEGATIVE_INFINITY;
        List<NpyArray> arrays = List.of(
                NpyArray.ofFloats(f, 2, 3, 4),
                NpyArray.ofDoubles(d, 24),
                NpyArray.ofShorts(s, 4, 6),
                NpyArray.ofInts(i, 1, 24),
                NpyArray.ofLongs(l, 2, 12),
                NpyArray.ofFloats(new float[] {7}),
                NpyArray.ofFloats(new float[0], 0, 5));
        for (NpyArray a : arrays) {
            Path file = tmp.resolve("a.npy");
            Npy.write(file, a);
            byte[] head = Arrays.copyOf(Files.readAllBytes(file), 10);
            int headerLength = (head[8] & 0xff) | (head[9] & 0xff) << 8;
            assertEquals(0, (10 + headerLength) % 64, "data starts 64-byte aligned, as NumPy writes it");
            assertEquals(a, Npy.read(file), a.toString());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Npy.write(out, a);
            Npy.write(out, a);
            ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
            assertEquals(a, Npy.read(in, "stream 1"));
            assertEquals(a, Npy.read(in, "stream 2"), "the stream is left just after each array");
        }
    }

    @Test
    void largeArraysCrossChunkBoundaries() {
        float[] v = new float[100_003];
        for (int k = 0; k < v.length; k++) {
            v[k] = k * 0.5f;
        }
        NpyArray a = NpyArray.ofFloats(v, 100_003);
        Path file = tmp.resolve("big.npy");
        Npy.write(file, a);
        assertArrayEquals(v, Npy.read(file).toFloatArray());
    }

    @Test
    void numPyReadsWhatWeWrite() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "needs /usr/bin/python3 with NumPy (Debian: python3-numpy)");
        Process probe = new ProcessBuilder(python.toString(), "-c", "import numpy")
                .redirectErrorStream(true)
                .start();
        assumeTrue(
                probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "needs NumPy for /usr/bin/python3 (Debian: apt-get install python3-numpy)");
        float[] f = {1.5f, -0.0f, 3.4e38f, 1e-7f, 2, 3};
        Npy.write(tmp.resolve("f.npy"), NpyArray.ofFloats(f, 2, 3));
        Npy.write(tmp.resolve("d.npy"), NpyArray.ofDoubles(new double[] {Math.PI, -1e300}, 2));
        Npy.write(tmp.resolve("s.npy"), NpyArray.ofShorts(new short[] {-32768, 32767}, 2, 1));
        Npy.write(tmp.resolve("l.npy"), NpyArray.ofLongs(new long[] {Long.MIN_VALUE, 42}, 2));
        Npy.write(tmp.resolve("i.npy"), NpyArray.ofInts(new int[] {5}));
        String script = String.join(
                "\n",
                "import numpy as np, sys",
                "d = sys.argv[1]",
                "for n in ['f', 'd', 's', 'l', 'i']:",
                "    a = np.load(d + '/' + n + '.npy')",
                "    print(n, a.dtype.str, a.shape, ','.join(repr(v.item()) for v in a.ravel()))");
        Process p = new ProcessBuilder(python.toString(), "-c", script, tmp.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        String[] lines = out.split("\n");
        assertEquals("f <f4 (2, 3) 1.5,-0.0,3.3999999521443642e+38,1.0000000116860974e-07,2.0,3.0", lines[0]);
        assertEquals("d <f8 (2,) 3.141592653589793,-1e+300", lines[1]);
        assertEquals("s <i2 (2, 1) -32768,32767", lines[2]);
        assertEquals("l <i8 (2,) -9223372036854775808,42", lines[3]);
        assertEquals("i <i4 () 5", lines[4]);
    }

    @Test
    void rejectsBadFilesWithClearMessages() throws IOException {
        Path notNpy = tmp.resolve("x.npy");
        Files.write(notNpy, "hello world, not numpy".getBytes(StandardCharsets.US_ASCII));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Npy.read(notNpy));
        assertTrue(e.getMessage().contains("not a .npy file"), e.getMessage());

        Path truncated = tmp.resolve("t.npy");
        Npy.write(truncated, NpyArray.ofFloats(new float[10], 10));
        byte[] bytes = Files.readAllBytes(truncated);
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 3));
        e = assertThrows(InvalidInputException.class, () -> Npy.read(truncated));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        Path bool = tmp.resolve("b.npy");
        byte[] header = bytes.clone();
        String h = new String(header, StandardCharsets.ISO_8859_1).replace("'<f4'", "'|b1'");
        Files.write(bool, h.getBytes(StandardCharsets.ISO_8859_1));
        e = assertThrows(InvalidInputException.class, () -> Npy.read(bool));
        assertTrue(e.getMessage().contains("|b1"), e.getMessage());

        assertThrows(InvalidInputException.class, () -> NpyArray.ofFloats(new float[5], 2, 3));
        assertThrows(InvalidInputException.class, () -> NpyArray.ofFloats(new float[5], -5));
        assertThrows(
                InvalidInputException.class,
                () -> NpyArray.ofFloats(new float[2], 2).toIntArray());
        assertThrows(
                InvalidInputException.class,
                () -> NpyArray.ofLongs(new long[] {1L << 40}, 1).toIntArray());
    }

    /** A version 1.0 header declaring {@code shape} of {@code descr}, followed by {@code dataBytes} zero bytes. */
    private static byte[] forged(String descr, String shape, int dataBytes) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = (10 + dict.length() + 1 + 63) / 64 * 64;
        StringBuilder h = new StringBuilder(dict);
        while (10 + h.length() + 1 < total) {
            h.append(' ');
        }
        h.append('\n');
        byte[] out = new byte[10 + h.length() + dataBytes];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
        System.arraycopy(magic, 0, out, 0, 8);
        out[8] = (byte) h.length();
        out[9] = (byte) (h.length() >> 8);
        byte[] hb = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(hb, 0, out, 10, hb.length);
        return out;
    }

    /** A header is not trusted with an allocation the data cannot fill (issue: a forged X.npy gave OutOfMemoryError). */
    @Test
    void refusesAHeaderPromisingMoreThanTheFileHolds() throws IOException {
        Path forged = tmp.resolve("X.npy");
        Files.write(forged, forged("<f8", "(1, 20, 100000000)", 1000));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Npy.read(forged));
        assertTrue(
                e.getMessage().contains("16000000000 bytes of data")
                        && e.getMessage().contains("holds 1000 bytes"),
                e.getMessage());
        // From a stream of unknown length: memory follows the data that arrives, so 2 GB declared costs nothing.
        byte[] big = forged("<f4", "(500000000,)", 70000);
        e = assertThrows(InvalidInputException.class, () -> Npy.read(new ByteArrayInputStream(big), "s"));
        assertTrue(
                e.getMessage().contains("truncated") && e.getMessage().contains("ends after 70000 bytes"),
                e.getMessage());
        // A well-formed array read from a stream still comes back whole.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        float[] values = new float[100000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f;
        }
        Npy.write(out, NpyArray.ofFloats(values, values.length));
        assertArrayEquals(
                values,
                Npy.read(new ByteArrayInputStream(out.toByteArray()), "s").toFloatArray());
    }

    @Test
    void readsTheSharedAslDataset() {
        Path x = SharedFiles.require("data/asl-traduttore/X.npy");
        Path y = SharedFiles.require("data/asl-traduttore/y.npy");
        NpyArray xs = Npy.read(x);
        NpyArray ys = Npy.read(y);
        assertEquals(DType.FLOAT32, xs.dtype());
        assertEquals(DType.INT16, ys.dtype());
        int[] shape = xs.shape();
        assertEquals(3, shape.length);
        assertEquals(20, shape[1]);
        assertEquals(258, shape[2]);
        assertArrayEquals(new int[] {shape[0]}, ys.shape());
        int[] labels = ys.toIntArray();
        assertTrue(Arrays.stream(labels).allMatch(v -> v >= 0 && v < 33), "labels index labels.txt (33 classes)");
    }

    @Test
    void aShapeOfOnlyACommaIsRefusedByName() {
        // Found by NpyFuzzTest: "(,)" split into no parts and threw ArrayIndexOutOfBoundsException.
        for (String shape : new String[] {",", " , ", ",,"}) {
            String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }";
            byte[] header = (dict + " ".repeat(118 - dict.length()) + "\n").getBytes(StandardCharsets.ISO_8859_1);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length, 0});
            out.writeBytes(header);
            InvalidInputException e = assertThrows(
                    InvalidInputException.class,
                    () -> Npy.read(new ByteArrayInputStream(out.toByteArray()), "comma.npy"));
            assertTrue(e.getMessage().contains("shape"), e.getMessage());
        }
    }
}
