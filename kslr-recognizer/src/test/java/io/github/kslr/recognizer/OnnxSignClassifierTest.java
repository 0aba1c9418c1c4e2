package io.github.kslr.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import io.github.kslr.api.Candidate;
import io.github.kslr.api.ClosedException;
import io.github.kslr.api.DeviceUnavailableException;
import io.github.kslr.api.ExecutionDevice;
import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.ModelLoadException;
import io.github.kslr.api.Prediction;
import io.github.kslr.api.SequenceBuffer;
import io.github.kslr.api.SignModelMetadata;
import io.github.kslr.onnx.writer.InputStage;
import io.github.kslr.onnx.writer.SignModelBuilder;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxSignClassifierTest {
    private static final double TOLERANCE = 2e-5;

    @TempDir
    Path tmp;

    private static OnnxSignClassifier classifier(byte[] model, int topK, float threshold) {
        return OnnxSignClassifier.builder()
                .model(model, "test-model")
                .topK(topK)
                .confidenceThreshold(threshold)
                .build();
    }

    @Test
    void matchesThePlainJavaForwardPass() {
        ReferenceLstm ref = TestModels.reference(11);
        byte[] model = TestModels.builderFor(ref, TestModels.metadata()).build();
        int count = 7;
        float[] windows = TestModels.windows(count, 5);
        int w = TestModels.STEPS * TestModels.TINY_LAYOUT.size();
        try (OnnxSignClassifier c = classifier(model, 4, 0f)) {
            float[] probs = new float[count * 4];
            c.probabilities(windows, count, probs);
            List<Prediction> batch = c.classifyBatch(windows, count);
            for (int i = 0; i < count; i++) {
                double[] expected = ref.forward(windows, i * w, TestModels.STEPS);
                for (int k = 0; k < 4; k++) {
                    assertEquals(expected[k], probs[i * 4 + k], TOLERANCE, "window " + i + " class " + k);
                }
                Prediction single = c.classify(Arrays.copyOfRange(windows, i * w, (i + 1) * w));
                assertTopKMatches(expected, single);
                assertTopKMatches(expected, batch.get(i));
            }
        }
    }

    private static void assertTopKMatches(double[] expected, Prediction p) {
        Integer[] order = {0, 1, 2, 3};
        Arrays.sort(order, Comparator.comparingDouble(i -> -expected[i]));
        assertEquals(TestModels.LABELS.get(order[0]), p.label());
        assertEquals(expected[order[0]], p.confidence(), TOLERANCE);
        for (int i = 0; i < p.topK().size(); i++) {
            Candidate cand = p.topK().get(i);
            assertEquals(order[i], cand.sign().index(), "rank " + i);
            assertEquals(expected[order[i]], cand.probability(), TOLERANCE);
        }
    }

    @Test
    void standardisationStageRunsInsideTheModel() {
        ReferenceLstm ref = TestModels.reference(3);
        int f = TestModels.TINY_LAYOUT.size();
        ref.mean = new float[] {0.5f, -1f, 2f, 0f, 0.25f, 3f};
        ref.std = new float[] {2f, 0.5f, 1f, 0f, 4f, 0.1f};
        byte[] model = TestModels.builderFor(ref, TestModels.metadata())
                .inputStage(InputStage.standardize(ref.mean, ref.std))
                .build();
        float[] windows = TestModels.windows(3, 9);
        try (OnnxSignClassifier c = classifier(model, 4, 0f)) {
            assertTrue(
                    c.metadata().normalization().contains("standardisation"),
                    c.metadata().normalization());
            float[] probs = new float[3 * 4];
            c.probabilities(windows, 3, probs);
            for (int i = 0; i < 3; i++) {
                double[] expected = ref.forward(windows, i * TestModels.STEPS * f, TestModels.STEPS);
                for (int k = 0; k < 4; k++) {
                    assertEquals(expected[k], probs[i * 4 + k], TOLERANCE);
                }
            }
        }
    }

    @Test
    void batchesLargerThanMaxBatchRunInChunks() {
        byte[] model = SignModelBuilder.builder(TestModels.metadata())
                .lstmUnits(4, 3)
                .denseUnits(5)
                .build();
        float[] windows = TestModels.windows(11, 1);
        try (OnnxSignClassifier small = OnnxSignClassifier.builder()
                        .model(model, "m")
                        .maxBatch(4)
                        .build();
                OnnxSignClassifier big =
                        OnnxSignClassifier.builder().model(model, "m").build()) {
            float[] a = new float[44];
            float[] b = new float[44];
            small.probabilities(windows, 11, a);
            big.probabilities(windows, 11, b);
            for (int i = 0; i < a.length; i++) {
                assertEquals(b[i], a[i], 1e-6);
            }
            assertEquals(11, small.classifyBatch(windows, 11).size());
        }
    }

    @Test
    void thresholdAndNoSignDecideRecognized() {
        ReferenceLstm ref = TestModels.reference(11);
        byte[] model = TestModels.builderFor(ref, TestModels.metadata()).build();
        float[] windows = TestModels.windows(20, 5);
        int w = TestModels.STEPS * TestModels.TINY_LAYOUT.size();
        boolean sawNoSign = false;
        for (int i = 0; i < 20; i++) {
            float[] window = Arrays.copyOfRange(windows, i * w, (i + 1) * w);
            double[] expected = ref.forward(window, 0, TestModels.STEPS);
            double top = Arrays.stream(expected).max().orElseThrow();
            int topIndex = 0;
            while (expected[topIndex] != top) {
                topIndex++;
            }
            float below = (float) Math.max(0, top - 0.01);
            float above = (float) Math.min(1, top + 0.01);
            byte[] withNoSign = TestModels.builderFor(ref, TestModels.metadata().withNoSignLabel("-"))
                    .build();
            try (OnnxSignClassifier lo = classifier(model, 2, below);
                    OnnxSignClassifier hi = classifier(model, 2, above);
                    OnnxSignClassifier ns = classifier(withNoSign, 2, below)) {
                Prediction p = lo.classify(window);
                assertTrue(p.recognized(), "confidence " + p.confidence() + " >= " + below);
                assertEquals(2, p.topK().size());
                Prediction q = hi.classify(window);
                assertFalse(q.recognized(), "confidence " + q.confidence() + " < " + above);
                assertEquals(p.label(), q.label(), "the best class is still reported when not recognised");
                Prediction r = ns.classify(window);
                assertEquals(!TestModels.LABELS.get(topIndex).equals("-"), r.recognized());
                sawNoSign |= TestModels.LABELS.get(topIndex).equals("-");
            }
        }
        assertTrue(sawNoSign, "no window had '-' as its best class; pick another seed");
    }

    @Test
    void topKIsCappedAtTheLabelCount() {
        byte[] model = SignModelBuilder.builder(TestModels.metadata())
                .lstmUnits(4, 3)
                .denseUnits(5)
                .build();
        try (OnnxSignClassifier c = classifier(model, 100, 0.5f)) {
            assertEquals(4, c.topK());
            Prediction p = c.classify(TestModels.windows(1, 2));
            assertEquals(4, p.topK().size());
            float sum = 0;
            for (int i = 0; i < 4; i++) {
                sum += p.topK().get(i).probability();
                if (i > 0) {
                    assertTrue(
                            p.topK().get(i - 1).probability() >= p.topK().get(i).probability());
                }
            }
            assertEquals(1f, sum, 1e-5);
            assertSame(p.sign(), p.topK().get(0).sign());
        }
    }

    @Test
    void classifiesAFullSequenceBuffer() {
        byte[] model = SignModelBuilder.builder(TestModels.metadata())
                .lstmUnits(4, 3)
                .denseUnits(5)
                .build();
        float[] window = TestModels.windows(1, 4);
        int f = TestModels.TINY_LAYOUT.size();
        try (OnnxSignClassifier c = classifier(model, 3, 0f)) {
            SequenceBuffer buffer = SequenceBuffer.of(TestModels.STEPS, TestModels.TINY_LAYOUT);
            // Push two extra frames first so that the ring wraps and copy-out order matters.
            buffer.push(TestModels.windows(1, 99), 0);
            buffer.push(TestModels.windows(1, 98), f);
            assertThrows(InvalidInputException.class, () -> c.classify(buffer), "not full");
            for (int t = 0; t < TestModels.STEPS; t++) {
                buffer.push(window, t * f);
            }
            Prediction fromBuffer = c.classify(buffer);
            Prediction direct = c.classify(window);
            assertEquals(direct, fromBuffer);
            SequenceBuffer wrong = SequenceBuffer.of(TestModels.STEPS + 1, TestModels.TINY_LAYOUT);
            assertThrows(InvalidInputException.class, () -> c.classify(wrong));
        }
    }

    @Test
    void loadsFromPathAndClasspath() throws Exception {
        byte[] model = SignModelBuilder.builder(TestModels.metadata())
                .lstmUnits(4, 3)
                .denseUnits(5)
                .build();
        Path dir = tmp.resolve("cp/io/github/kslr/test");
        Files.createDirectories(dir);
        Files.write(dir.resolve("m.onnx"), model);
        float[] window = TestModels.windows(1, 4);
        try (OnnxSignClassifier a = OnnxSignClassifier.builder()
                        .model(dir.resolve("m.onnx"))
                        .build();
                URLClassLoader loader =
                        new URLClassLoader(new URL[] {tmp.resolve("cp").toUri().toURL()}, null);
                OnnxSignClassifier b = OnnxSignClassifier.builder()
                        .modelResource(loader, "io/github/kslr/test/m.onnx")
                        .build()) {
            assertEquals(a.classify(window), b.classify(window));
            assertEquals(TestModels.LABELS, a.metadata().labelNames());
        }
        ModelLoadException missing = assertThrows(
                ModelLoadException.class,
                () -> OnnxSignClassifier.builder()
                        .model(tmp.resolve("nope.onnx"))
                        .build());
        assertTrue(missing.getMessage().contains("nope.onnx"), missing.getMessage());
    }

    @Test
    void rejectsBadWindows() {
        byte[] model = SignModelBuilder.builder(TestModels.metadata())
                .lstmUnits(4, 3)
                .denseUnits(5)
                .build();
        int w = TestModels.STEPS * TestModels.TINY_LAYOUT.size();
        try (OnnxSignClassifier c = classifier(model, 3, 0.5f)) {
            InvalidInputException shortWindow =
                    assertThrows(InvalidInputException.class, () -> c.classify(new float[w - 1]));
            assertTrue(shortWindow.getMessage().contains(Integer.toString(w)), shortWindow.getMessage());
            assertThrows(InvalidInputException.class, () -> c.classify((float[]) null));
            float[] nan = new float[w];
            nan[2 * TestModels.TINY_LAYOUT.size() + 1] = Float.NaN;
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> c.classify(nan));
            assertTrue(e.getMessage().contains("frame 2, feature 1"), e.getMessage());
            float[] batch = new float[3 * w];
            batch[2 * w + 5] = Float.POSITIVE_INFINITY;
            e = assertThrows(InvalidInputException.class, () -> c.classifyBatch(batch, 3));
            assertTrue(e.getMessage().startsWith("window 2,"), e.getMessage());
            assertThrows(InvalidInputException.class, () -> c.classifyBatch(batch, 4));
            assertThrows(InvalidInputException.class, () -> c.classifyBatch(batch, 0));
            // The classifier still works after rejected input.
            assertEquals(3, c.classify(new float[w]).topK().size());
        }
    }

    /**
     * Nobody in view (every point of every frame missing) is no sign: the demo model's data holds such no-sign windows
     * (one session's) and its recipe empties others (README, "Nobody in view").
     */
    @Test
    void theDemoModelSaysNoSignWhenNobodyIsInView() {
        try (OnnxSignClassifier c =
                OnnxSignClassifier.builder().model(DemoSignModel.source()).build()) {
            Prediction p = c.classify(new float[c.metadata().windowSize()]);
            assertEquals(c.metadata().noSignLabel(), p.label(), p.toString());
            assertFalse(p.recognized());
            assertTrue(p.confidence() > 0.9f, p.toString());
        }
    }

    /** Finite but extreme features (3e38 everywhere) once gave a Prediction with confidence NaN. */
    @Test
    void extremeFeaturesAreAnErrorNotANanConfidence() {
        try (OnnxSignClassifier c =
                OnnxSignClassifier.builder().model(DemoSignModel.source()).build()) {
            float[] window = new float[c.metadata().windowSize()];
            java.util.Arrays.fill(window, 3e38f);
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> c.classify(window));
            assertTrue(e.getMessage().contains("far outside landmark coordinates"), e.getMessage());
            // The classifier still works after rejected input.
            assertTrue(Float.isFinite(c.classify(new float[window.length]).confidence()));
        }
    }

    @Test
    void rejectsModelsWithoutOrWithWrongMetadata() {
        OnnxMl.ModelProto proto = SignModelBuilder.builder(TestModels.metadata())
                .lstmUnits(4, 3)
                .denseUnits(5)
                .buildProto();
        byte[] bare = proto.toBuilder().clearMetadataProps().build().toByteArray();
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> classifier(bare, 3, 0.5f));
        assertTrue(e.getMessage().contains(SignModelMetadata.FORMAT_VERSION), e.getMessage());
        // The caller may supply the metadata of a model that has none.
        try (OnnxSignClassifier c = OnnxSignClassifier.builder()
                .model(bare, "bare")
                .metadata(TestModels.metadata())
                .build()) {
            assertEquals(4, c.classify(TestModels.windows(1, 1)).topK().size() + 1);
        }
        SignModelMetadata longer =
                SignModelMetadata.of(TestModels.LABELS, TestModels.TINY_LAYOUT, TestModels.STEPS + 1);
        e = assertThrows(
                ModelLoadException.class,
                () -> OnnxSignClassifier.builder()
                        .model(bare, "bare")
                        .metadata(longer)
                        .build());
        assertTrue(e.getMessage().contains("sequence length"), e.getMessage());
        SignModelMetadata otherLayout =
                SignModelMetadata.of(TestModels.LABELS, FeatureLayout.REPORTS_177, TestModels.STEPS);
        e = assertThrows(
                ModelLoadException.class,
                () -> OnnxSignClassifier.builder()
                        .model(bare, "bare")
                        .metadata(otherLayout)
                        .build());
        assertTrue(e.getMessage().contains("feature size"), e.getMessage());
        SignModelMetadata fewer =
                SignModelMetadata.of(List.of("a", "b", "c"), TestModels.TINY_LAYOUT, TestModels.STEPS);
        e = assertThrows(
                ModelLoadException.class,
                () -> OnnxSignClassifier.builder()
                        .model(bare, "bare")
                        .metadata(fewer)
                        .build());
        assertTrue(e.getMessage().contains("labels"), e.getMessage());
        assertThrows(
                ModelLoadException.class,
                () -> OnnxSignClassifier.builder()
                        .model(new byte[] {1, 2, 3}, "junk")
                        .build());
        assertThrows(
                InvalidInputException.class, () -> OnnxSignClassifier.builder().build());
        assertThrows(
                InvalidInputException.class, () -> OnnxSignClassifier.builder().confidenceThreshold(1.5f));
        assertThrows(
                InvalidInputException.class, () -> OnnxSignClassifier.builder().topK(0));
    }

    @Test
    void closedClassifierFailsClearlyAndCloseIsIdempotent() {
        byte[] model = SignModelBuilder.builder(TestModels.metadata())
                .lstmUnits(4, 3)
                .denseUnits(5)
                .build();
        OnnxSignClassifier c = classifier(model, 3, 0.5f);
        float[] window = TestModels.windows(1, 1);
        c.classify(window);
        c.close();
        c.close();
        assertThrows(ClosedException.class, () -> c.classify(window));
        assertThrows(ClosedException.class, () -> c.classifyBatch(window, 1));
        try (OnnxSignClassifier again = c) {
            assertTrue(again.toString().contains("closed"));
        }
    }

    @Test
    void concurrentClassifyDuringCloseNeverCrashes() throws Exception {
        byte[] model = SignModelBuilder.builder(TestModels.metadata())
                .lstmUnits(4, 3)
                .denseUnits(5)
                .build();
        for (int round = 0; round < 5; round++) {
            OnnxSignClassifier c = classifier(model, 3, 0.5f);
            int threads = 4;
            CountDownLatch started = new CountDownLatch(threads);
            AtomicInteger calls = new AtomicInteger();
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                float[] windows = TestModels.windows(3, t);
                Thread th = new Thread(() -> {
                    started.countDown();
                    try {
                        while (true) {
                            c.classifyBatch(windows, 1 + calls.incrementAndGet() % 3);
                        }
                    } catch (ClosedException expected) {
                        // the only way out
                    } catch (Throwable e) {
                        unexpected.set(e);
                    }
                });
                th.start();
                workers.add(th);
            }
            started.await();
            while (calls.get() < 50) {
                Thread.onSpinWait();
            }
            c.close();
            for (Thread th : workers) {
                th.join(10_000);
                assertFalse(th.isAlive(), "a worker did not stop after close");
            }
            if (unexpected.get() != null) {
                throw new AssertionError(
                        "a concurrent call failed with something other than ClosedException", unexpected.get());
            }
        }
    }

    @Test
    void cudaWithoutFallbackFailsClearlyAndFallbackRunsOnCpu() {
        byte[] model = SignModelBuilder.builder(TestModels.metadata())
                .lstmUnits(4, 3)
                .denseUnits(5)
                .build();
        // The test class path carries the CPU-only ONNX Runtime, so CUDA cannot load here.
        DeviceUnavailableException e = assertThrows(
                DeviceUnavailableException.class,
                () -> OnnxSignClassifier.builder()
                        .model(model, "m")
                        .device(ExecutionDevice.cuda(0))
                        .build());
        assertTrue(e.getMessage().contains("CUDA"), e.getMessage());
        try (OnnxSignClassifier c = OnnxSignClassifier.builder()
                .model(model, "m")
                .device(ExecutionDevice.cudaOrCpu(0))
                .build()) {
            assertEquals(ExecutionDevice.cpu(), c.device());
            assertEquals(3, c.classify(TestModels.windows(1, 1)).topK().size());
        }
    }
}
