package io.github.kslr.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.KslrException;
import io.github.kslr.api.ModelLoadException;
import io.github.kslr.api.Prediction;
import io.github.kslr.api.SignEmbedderMetadata;
import io.github.kslr.api.SignModelMetadata;
import io.github.kslr.api.testing.ByteMutations.Mutant;
import io.github.kslr.api.testing.FuzzChecks;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz properties (#18) for what kslr-recognizer reads: vocabulary files ({@link SignVocabulary#load}) and ONNX
 * models (the bundled demo model and embedder, through {@link OnnxSignClassifier.Builder#model(byte[], String)} and
 * {@link OnnxSignEmbedder#open}). Damaged copies ({@link io.github.kslr.api.testing.ByteMutations}) are read or
 * refused with a named {@link KslrException}, never another exception, an {@code Error} or a JVM crash, within
 * bounded heap; what is accepted is usable.
 */
class ParserFuzzTest {
    private static final int E = 16;

    @TempDir
    Path dir;

    static SignEmbedderMetadata embedder() {
        SignModelMetadata model = SignModelMetadata.of(List.of("a", "b"), FeatureLayout.POSE_HANDS_258, 30);
        return new SignEmbedderMetadata(model, E, 0.5, "ab".repeat(32));
    }

    /** A saved vocabulary: three signs (Khmer text, glosses) of two to four takes. */
    byte[] vocabularySeed() throws IOException {
        SignVocabulary v = SignVocabulary.create(embedder());
        Random r = new Random(3);
        String[][] signs = {{"coffee", "កាហ្វេ", "coffee"}, {"tea", "តែ", "tea"}, {"hello", "", "hi"}};
        for (int s = 0; s < signs.length; s++) {
            int takes = 2 + s;
            float[] t = new float[takes * E];
            for (int i = 0; i < t.length; i++) {
                t[i] = (float) r.nextGaussian();
            }
            v.add(signs[s][0], signs[s][1], signs[s][2], t, takes);
        }
        Path f = dir.resolve("seed.kslrvocab");
        v.save(f);
        return Files.readAllBytes(f);
    }

    /** Half the mutants get a fresh CRC-32, so that the damage reaches the parser behind the checksum. */
    static byte[] maybeFixCrc(Mutant m) {
        byte[] b = m.bytes().clone();
        if (b.length >= 8 && (m.description().hashCode() & 1) == 0) {
            CRC32 crc = new CRC32();
            crc.update(b, 0, b.length - 8);
            ByteBuffer.wrap(b, b.length - 8, 8).putLong(crc.getValue());
        }
        return b;
    }

    @Test
    void vocabularyFilesAreLoadedOrRefusedByName() throws IOException {
        SignEmbedderMetadata embedder = embedder();
        Path f = dir.resolve("m.kslrvocab");
        FuzzChecks.forEachMutant("SignVocabulary.load", vocabularySeed(), 400, m -> {
            try {
                Files.write(f, maybeFixCrc(m));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            var outcome = FuzzChecks.parses(m, () -> SignVocabulary.load(f, embedder), ModelLoadException.class);
            if (outcome.accepted()) {
                Set<String> labels = new HashSet<>();
                for (SignVocabulary.Sign s : outcome.value().signs()) {
                    assertTrue(
                            !s.label().isBlank() && !s.label().contains("\n") && labels.add(s.label()),
                            m + ": label '" + s.label() + "'");
                    assertTrue(s.takeCount() >= 1, m + ": takes");
                    for (int i = 0; i < s.takeCount(); i++) {
                        assertEquals(E, s.take(i).length);
                        for (float x : s.take(i)) {
                            assertTrue(Float.isFinite(x), m + ": sign '" + s.label() + "' has a take value " + x);
                        }
                    }
                }
            }
        });
    }

    static byte[] resource(String name) {
        try (InputStream in = ParserFuzzTest.class.getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void damagedSignModelsLoadOrAreRefusedByName() {
        byte[] demo = resource(DemoSignModel.RESOURCE);
        FuzzChecks.forEachMutant("OnnxSignClassifier model bytes", demo, 300, m -> {
            var outcome = FuzzChecks.parses(
                    m,
                    () -> OnnxSignClassifier.builder()
                            .model(m.bytes(), "fuzzed.onnx")
                            .build(),
                    KslrException.class);
            if (outcome.accepted()) {
                try (OnnxSignClassifier c = outcome.value()) {
                    // What loads must classify or refuse by name (a damaged weight may make outputs non-finite).
                    FuzzChecks.parses(
                            m,
                            () -> {
                                Prediction p = c.classify(new float[c.metadata().windowSize()]);
                                assertTrue(Float.isFinite(p.confidence()), m + ": confidence " + p.confidence());
                                return p;
                            },
                            KslrException.class);
                }
            }
        });
    }

    @Test
    void damagedEmbeddersLoadOrAreRefusedByName() {
        byte[] bytes = resource(DemoSignModel.EMBEDDER_RESOURCE);
        FuzzChecks.forEachMutant("OnnxSignEmbedder model bytes", bytes, 200, m -> {
            var outcome = FuzzChecks.parses(
                    m,
                    () -> OnnxSignEmbedder.open(io.github.kslr.api.ModelSource.ofBytes(m.bytes(), "fuzzed.onnx")),
                    KslrException.class);
            if (outcome.accepted()) {
                outcome.value().close();
            }
        });
    }

    @Test
    void invalidInputIsAKslrException() {
        // The properties above allow KslrException: make sure that covers the named refusals they meet.
        assertTrue(KslrException.class.isAssignableFrom(InvalidInputException.class));
        assertTrue(KslrException.class.isAssignableFrom(ModelLoadException.class));
    }
}
