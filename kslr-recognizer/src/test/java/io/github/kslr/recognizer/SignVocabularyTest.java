package io.github.kslr.recognizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.ClosedException;
import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.ModelLoadException;
import io.github.kslr.api.ModelSource;
import io.github.kslr.api.Prediction;
import io.github.kslr.api.SignEmbedderMetadata;
import io.github.kslr.api.SignModelMetadata;
import io.github.kslr.onnx.writer.OnnxGraphWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedder runtime, the vocabulary and the vocabulary classifier, on a tiny embedder written here. */
class SignVocabularyTest {

    private static final FeatureLayout LAYOUT = TestModels.TINY_LAYOUT;
    private static final int T = TestModels.STEPS;
    private static final int E = 8;

    @TempDir
    Path tmp;

    /** embedding = normalise(flatten(window) x W), W random from {@code seed}; its hash differs with the seed. */
    static byte[] tinyEmbedder(long seed) {
        return tinyEmbedder(seed, new float[0], 0);
    }

    /** The same graph, with background prototypes and a margin in its metadata. */
    static byte[] tinyEmbedder(long seed, float[] background, double margin) {
        return tinyEmbedder(seed, background, margin, LAYOUT);
    }

    /** The same graph for another layout. */
    static byte[] tinyEmbedder(long seed, float[] background, double margin, FeatureLayout layout) {
        int f = layout.size();
        float[] w = new float[T * f * E];
        Random r = new Random(seed);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        OnnxGraphWriter g = new OnnxGraphWriter("tiny_embedder");
        g.input(SignEmbedderMetadata.INPUT, "batch", T, f);
        String flat = g.node(
                "Reshape", List.of(SignEmbedderMetadata.INPUT, g.int64Initializer("flat", new long[] {0, T * f}, 2)));
        String z = g.node("MatMul", List.of(flat, g.initializer("w", w, T * f, E)));
        String sq = g.node(
                "ReduceSum",
                List.of(g.node("Mul", List.of(z, z)), g.int64Vector("axes", 1)),
                OnnxGraphWriter.intAttr("keepdims", 1));
        String unit = g.node("Div", List.of(z, g.node("Sqrt", List.of(sq))));
        g.node("Identity", "out", List.of(unit), List.of(SignEmbedderMetadata.OUTPUT));
        g.output(SignEmbedderMetadata.OUTPUT, "batch", E);
        String sha = HexFormat.of()
                .formatHex(java.util.Arrays.copyOf(
                        java.nio.ByteBuffer.allocate(8).putLong(seed).array(), 32));
        SignEmbedderMetadata meta = new SignEmbedderMetadata(
                SignModelMetadata.of(List.of("p", "q"), layout, T), E, 0.9, sha, background, margin);
        return g.model(8, 17, "test", null, "tiny embedder", meta.toProperties())
                .build()
                .toByteArray();
    }

    private static OnnxSignEmbedder open(long seed) {
        return OnnxSignEmbedder.open(ModelSource.ofBytes(tinyEmbedder(seed), "tiny-" + seed));
    }

    /** {@code count} windows near {@code centre} (small noise). */
    private static float[] near(float[] centre, int count, long seed) {
        Random r = new Random(seed);
        float[] out = new float[count * centre.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = centre[i % centre.length] + 0.01f * (float) r.nextGaussian();
        }
        return out;
    }

    @Test
    void embedderGivesUnitRowsAndNamesBadInput() {
        try (OnnxSignEmbedder emb = open(1)) {
            assertEquals(E, emb.metadata().embeddingSize());
            float[] w = TestModels.windows(3, 4);
            float[] e = emb.embed(w, 3);
            assertEquals(3 * E, e.length);
            for (int i = 0; i < 3; i++) {
                double n = 0;
                for (int k = 0; k < E; k++) {
                    n += e[i * E + k] * e[i * E + k];
                }
                assertEquals(1.0, n, 1e-5);
            }
            assertThrows(InvalidInputException.class, () -> emb.embed(new float[5], 1));
            float[] nan = TestModels.windows(1, 1);
            nan[2] = Float.NaN;
            assertThrows(InvalidInputException.class, () -> emb.embed(nan, 1));
            emb.close();
            assertThrows(ClosedException.class, () -> emb.embed(w, 3));
        }
        // A sign model is not an embedder.
        assertThrows(
                ModelLoadException.class,
                () -> OnnxSignEmbedder.open(ModelSource.ofBytes(
                        TestModels.builderFor(TestModels.reference(1), TestModels.metadata())
                                .build(),
                        "classifier")));
    }

    @Test
    void vocabularyTeachesRenamesRemovesAndRefusesBadSigns() {
        try (OnnxSignEmbedder emb = open(1)) {
            SignVocabulary v = SignVocabulary.create(emb.metadata());
            float[] a = TestModels.windows(1, 10);
            v.add("hello", "សួស្តី", "hello", emb.embed(near(a, 3, 1), 3), 3);
            assertEquals(1, v.signs().size());
            assertEquals(3, v.signs().get(0).takeCount());
            InvalidInputException one = assertThrows(
                    InvalidInputException.class,
                    () -> v.add("thanks", "អរគុណ", "thank you", emb.embed(near(a, 1, 2), 1), 1));
            assertTrue(one.getMessage().contains("at least 2 takes"), one.getMessage());
            assertThrows(InvalidInputException.class, () -> v.add("hello", "", "", emb.embed(near(a, 2, 3), 2), 2));
            assertThrows(InvalidInputException.class, () -> v.add(" ", "", "", emb.embed(near(a, 2, 3), 2), 2));
            assertThrows(InvalidInputException.class, () -> v.add("x", "", "", new float[E], 2));
            v.addTakes("hello", emb.embed(near(a, 1, 4), 1), 1);
            assertEquals(4, v.signs().get(0).takeCount());
            v.rename("hello", "hi");
            assertEquals("hi", v.signs().get(0).label());
            assertThrows(InvalidInputException.class, () -> v.addTakes("hello", new float[E], 1));
            assertTrue(v.remove("hi"));
            assertFalse(v.remove("hi"));
            assertTrue(v.signs().isEmpty());
        }
    }

    @Test
    void savedVocabularyLoadsBackAndDamagedOrForeignFilesAreRefused() throws Exception {
        try (OnnxSignEmbedder emb = open(1);
                OnnxSignEmbedder other = open(2)) {
            SignVocabulary v = SignVocabulary.create(emb.metadata());
            v.add("hello", "សួស្តី", "hello", emb.embed(near(TestModels.windows(1, 10), 2, 1), 2), 2);
            v.add("thanks", "អរគុណ", "thank you", emb.embed(near(TestModels.windows(1, 11), 3, 2), 3), 3);
            Path file = tmp.resolve("signs.vocab");
            v.save(file);
            SignVocabulary back = SignVocabulary.load(file, emb.metadata());
            assertEquals(2, back.signs().size());
            for (int s = 0; s < 2; s++) {
                SignVocabulary.Sign a = v.signs().get(s);
                SignVocabulary.Sign b = back.signs().get(s);
                assertEquals(a.label() + a.khmer() + a.gloss(), b.label() + b.khmer() + b.gloss());
                assertEquals(a.takeCount(), b.takeCount());
                for (int t = 0; t < a.takeCount(); t++) {
                    assertArrayEquals(a.take(t), b.take(t));
                }
            }
            byte[] bytes = Files.readAllBytes(file);
            String otherEmbedder = assertThrows(
                            ModelLoadException.class, () -> SignVocabulary.load(file, other.metadata()))
                    .getMessage();
            assertTrue(otherEmbedder.contains("another sign embedder"), otherEmbedder);
            Path cut = tmp.resolve("cut.vocab");
            Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 20));
            String truncated = assertThrows(ModelLoadException.class, () -> SignVocabulary.load(cut, emb.metadata()))
                    .getMessage();
            assertTrue(truncated.contains("truncated"), truncated);
            Path future = tmp.resolve("future.vocab");
            byte[] f = bytes.clone();
            f[11] = 9; // format version 9
            Files.write(future, f);
            String newer = assertThrows(ModelLoadException.class, () -> SignVocabulary.load(future, emb.metadata()))
                    .getMessage();
            assertTrue(newer.contains("version 9") && newer.contains("newer"), newer);
            Path junk = tmp.resolve("junk.vocab");
            Files.writeString(junk, "hello");
            assertTrue(assertThrows(ModelLoadException.class, () -> SignVocabulary.load(junk, emb.metadata()))
                    .getMessage()
                    .contains("not a KSLR sign vocabulary"));
            assertThrows(ModelLoadException.class, () -> SignVocabulary.load(tmp.resolve("none"), emb.metadata()));
        }
    }

    /** Two threads enrolling at once into one vocabulary: both signs are there. */
    @Test
    void concurrentEnrolmentsBothLand() throws Exception {
        try (OnnxSignEmbedder emb = open(1)) {
            SignVocabulary v = SignVocabulary.create(emb.metadata());
            CyclicBarrier start = new CyclicBarrier(2);
            Thread[] threads = new Thread[2];
            for (int k = 0; k < 2; k++) {
                int kk = k;
                threads[k] = new Thread(() -> {
                    float[] takes = emb.embed(near(TestModels.windows(1, 20 + kk), 2, kk), 2);
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    for (int i = 0; i < 50; i++) {
                        v.add("sign" + kk + "_" + i, "", "", takes, 2);
                    }
                });
                threads[k].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(100, v.signs().size());
        }
    }

    @Test
    void classifierRecognisesTaughtSignsAndRejectsOthers() {
        try (OnnxSignEmbedder emb = open(3)) {
            SignVocabulary v = SignVocabulary.create(emb.metadata());
            float[] a = TestModels.windows(1, 30);
            float[] b = TestModels.windows(1, 31);
            v.add("hello", "សួស្តី", "hello", emb.embed(near(a, 3, 1), 3), 3);
            v.add("thanks", "អរគុណ", "thank you", emb.embed(near(b, 3, 2), 3), 3);
            try (VocabularySignClassifier c =
                    VocabularySignClassifier.builder(emb, v).threshold(0.95f).build()) {
                assertEquals(List.of("-", "hello", "thanks"), c.metadata().labelNames());
                Prediction pa = c.classify(near(a, 1, 9));
                assertEquals("hello", pa.label());
                assertEquals("សួស្តី", pa.khmer());
                assertTrue(pa.recognized() && pa.confidence() > 0.95f, pa.toString());
                assertEquals("thanks", c.classify(near(b, 1, 8)).label());
                Prediction other = c.classify(TestModels.windows(1, 99));
                assertFalse(other.recognized(), "a window of neither sign: " + other);
                // Taught after the classifier was built: counts from the next call.
                float[] d = TestModels.windows(1, 40);
                v.add("water", "ទឹក", "water", emb.embed(near(d, 2, 3), 2), 2);
                assertEquals("water", c.classify(near(d, 1, 7)).label());
                assertEquals(0.95f, c.threshold());
            }
            try (VocabularySignClassifier byDefault =
                    VocabularySignClassifier.builder(emb, v).build()) {
                assertEquals(0.9f, byDefault.threshold(), 1e-6, "the embedder's calibrated threshold");
            }
            try (OnnxSignEmbedder other = open(4)) {
                assertThrows(
                        InvalidInputException.class,
                        () -> VocabularySignClassifier.builder(other, v).build());
            }
            v.add("-", "", "", emb.embed(near(TestModels.windows(1, 41), 2, 5), 2), 2);
            InvalidInputException noSign = assertThrows(
                    InvalidInputException.class,
                    () -> VocabularySignClassifier.builder(emb, v).build());
            assertTrue(noSign.getMessage().contains("means no sign"), noSign.getMessage());
        }
    }

    /** A vocabulary file as save() lays it out, with a good checksum, whatever its signs hold. */
    private static byte[] vocabularyFile(SignEmbedderMetadata e, String[] labels, float value) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.write("KSLRVOCB".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            // Version 1, as KSLR wrote vocabularies before mirror images: still read.
            out.writeInt(1);
            out.writeUTF(e.contentSha256());
            out.writeInt(e.embeddingSize());
            out.writeInt(labels.length);
            for (String l : labels) {
                out.writeUTF(l);
                out.writeUTF("");
                out.writeUTF(l);
                out.writeInt(2);
                for (int k = 0; k < 2 * e.embeddingSize(); k++) {
                    out.writeFloat(k == 3 ? value : 0.25f);
                }
            }
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        }
        return bytes.toByteArray();
    }

    @Test
    void aFileWithAGoodChecksumButInvalidSignsIsRefused() throws Exception {
        // Found by ParserFuzzTest: behind a matching CRC-32, a NaN take loaded (every similarity then NaN), and a
        // repeated label silently replaced the first sign.
        SignEmbedderMetadata e = ParserFuzzTest.embedder();
        Path f = tmp.resolve("v.vocab");
        Files.write(f, vocabularyFile(e, new String[] {"hello", "thanks"}, 0.5f));
        assertEquals(2, SignVocabulary.load(f, e).signs().size());
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            Files.write(f, vocabularyFile(e, new String[] {"hello", "thanks"}, bad));
            String m = assertThrows(ModelLoadException.class, () -> SignVocabulary.load(f, e))
                    .getMessage();
            assertTrue(m.contains("corrupt") && m.contains("hello") && m.contains(Float.toString(bad)), m);
        }
        for (String[] labels : new String[][] {{"hello", "hello"}, {"hello", " "}, {"two\nlines"}}) {
            Files.write(f, vocabularyFile(e, labels, 0.5f));
            String m = assertThrows(ModelLoadException.class, () -> SignVocabulary.load(f, e))
                    .getMessage();
            assertTrue(m.contains("corrupt") && m.contains("label"), m);
        }
    }

    @Test
    void mirroredTakesLoadBackAndLetTheOtherHandBeRecognised() throws Exception {
        FeatureLayout hands = FeatureLayout.of("left_hand:0,1:xyz;right_hand:0,1:xyz");
        io.github.kslr.api.WindowMirror mirror = new io.github.kslr.api.WindowMirror(hands);
        try (OnnxSignEmbedder oneHand = open(1)) {
            assertFalse(oneHand.canMirror()); // left hand only: its mirror image has no column
            assertThrows(InvalidInputException.class, () -> oneHand.embedMirrored(TestModels.windows(1, 4), 1));
        }
        try (OnnxSignEmbedder emb =
                OnnxSignEmbedder.open(ModelSource.ofBytes(tinyEmbedder(5, new float[0], 0, hands), "tiny-hands"))) {
            assertTrue(emb.canMirror());
            int w = emb.windowSize();
            Random r = new Random(8);
            float[] right = new float[3 * w]; // three takes, right hand only
            for (int i = 0; i < 3; i++) {
                for (int t = 0; t < T; t++) {
                    for (int c = hands.size() / 2; c < hands.size(); c++) {
                        right[i * w + t * hands.size() + c] = 0.3f + 0.01f * i + 0.4f * r.nextFloat();
                    }
                }
            }
            float[] left = new float[right.length];
            for (int i = 0; i < 3; i++) {
                mirror.mirror(right, i * w, left, i * w, T);
            }
            assertArrayEquals(emb.embed(left, 3), emb.embedMirrored(right, 3));

            float[] two = java.util.Arrays.copyOf(right, 2 * w); // the first two takes; the third is kept for testing
            float[] one = java.util.Arrays.copyOf(right, w);
            SignVocabulary v = SignVocabulary.create(emb.metadata());
            v.add("hello", "សួស្តី", "hello", emb.embed(two, 2), emb.embedMirrored(two, 2), 2);
            v.add("plain", "", "plain", emb.embed(near(java.util.Arrays.copyOf(right, w), 2, 3), 2), 2);
            assertTrue(v.signs().get(0).hasMirroredTakes());
            assertFalse(v.signs().get(1).hasMirroredTakes());
            assertTrue(v.signs().get(1).mirroredPrototype().isEmpty());
            // A sign taught with mirror images needs them for new takes; one without stays without.
            assertThrows(InvalidInputException.class, () -> v.addTakes("hello", emb.embed(one, 1), 1));
            v.addTakes("plain", emb.embed(one, 1), emb.embedMirrored(one, 1), 1);
            assertFalse(v.signs().get(1).hasMirroredTakes());
            assertEquals(3, v.signs().get(1).takeCount());

            Path file = tmp.resolve("mirrored.vocab");
            v.save(file);
            SignVocabulary back = SignVocabulary.load(file, emb.metadata());
            SignVocabulary.Sign hello = back.signs().get(0);
            assertTrue(hello.hasMirroredTakes());
            for (int t = 0; t < 2; t++) {
                assertArrayEquals(v.signs().get(0).mirroredTake(t), hello.mirroredTake(t));
            }
            assertArrayEquals(
                    v.signs().get(0).mirroredPrototype().orElseThrow(),
                    hello.mirroredPrototype().orElseThrow());
            assertFalse(back.signs().get(1).hasMirroredTakes());

            // The third take made with the other hand: near the mirrored prototype, so "hello" with its mirror
            // images is nearer than the same sign taught without them.
            float[] otherHand = java.util.Arrays.copyOfRange(left, 2 * w, 3 * w);
            SignVocabulary without = SignVocabulary.create(emb.metadata());
            without.add("hello", "សួស្តី", "hello", emb.embed(two, 2), 2);
            try (VocabularySignClassifier withMirror =
                            VocabularySignClassifier.builder(emb, back).build();
                    VocabularySignClassifier plainOnly =
                            VocabularySignClassifier.builder(emb, without).build()) {
                Prediction a = withMirror.classify(otherHand);
                Prediction b = plainOnly.classify(otherHand);
                assertEquals("hello", a.sign().label());
                assertTrue(a.confidence() > b.confidence(), a + " vs " + b);
            }
        }
    }

    @Test
    void windowsLikeTheEmbeddersBackgroundAreRejectedUnlessTurnedOff() {
        float[] a = TestModels.windows(1, 30);
        float[] known = TestModels.windows(1, 50); // what the embedder's own training data looked like
        float[] bg;
        try (OnnxSignEmbedder plain = open(3)) {
            bg = plain.embed(near(known, 1, 4), 1);
        }
        try (OnnxSignEmbedder emb = OnnxSignEmbedder.open(ModelSource.ofBytes(tinyEmbedder(3, bg, -0.05), "tiny-bg"))) {
            assertEquals(1, emb.metadata().backgroundCount());
            SignVocabulary v = SignVocabulary.create(emb.metadata());
            v.add("hello", "សួស្តី", "hello", emb.embed(near(a, 3, 1), 3), 3);
            // A vocabulary made with the same graph before background prototypes existed is this embedder's too.
            try (OnnxSignEmbedder plain = open(3)) {
                assertEquals(plain.metadata().contentSha256(), emb.metadata().contentSha256());
            }
            float[] mix = new float[a.length];
            for (int i = 0; i < mix.length; i++) {
                mix[i] = 0.35f * a[i] + 0.65f * known[i];
            }
            float[] mixEmb = emb.embed(mix, 1);
            float[] proto = v.signs().get(0).prototype();
            double toSign = 0;
            double toBg = 0;
            for (int k = 0; k < E; k++) {
                toSign += mixEmb[k] * proto[k];
                toBg += mixEmb[k] * bg[k];
            }
            assertTrue(
                    toBg > toSign + 0.05,
                    "the test window must look more like the background: " + toBg + " vs " + toSign);
            float threshold = (float) Math.max(-1, toSign - 0.01);
            try (VocabularySignClassifier c = VocabularySignClassifier.builder(emb, v)
                            .threshold(threshold)
                            .build();
                    VocabularySignClassifier off = VocabularySignClassifier.builder(emb, v)
                            .threshold(threshold)
                            .backgroundRejection(false)
                            .build();
                    VocabularySignClassifier wide = VocabularySignClassifier.builder(emb, v)
                            .threshold(threshold)
                            .margin((float) (toSign - toBg - 0.01))
                            .build()) {
                assertEquals(-0.05f, c.rejection().margin(), 1e-6, "the embedder's margin by default");
                assertTrue(c.classify(near(a, 1, 9)).recognized(), "a window of the sign itself");
                Prediction p = c.classify(mix);
                assertEquals("hello", p.label(), "still names its nearest sign");
                assertFalse(p.recognized(), "but rejects it: it looks like the background " + p);
                assertTrue(off.classify(mix).recognized(), "threshold alone: accepted");
                assertTrue(wide.classify(mix).recognized(), "a margin wide enough: accepted");
            }
        }
    }
}
