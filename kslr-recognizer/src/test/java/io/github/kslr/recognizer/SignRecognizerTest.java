package io.github.kslr.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.Candidate;
import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.LandmarkSet;
import io.github.kslr.api.Landmarker;
import io.github.kslr.api.PixelFormat;
import io.github.kslr.api.Prediction;
import io.github.kslr.api.SignLabel;
import io.github.kslr.api.SignModelMetadata;
import io.github.kslr.api.testing.VideoModeLandmarker;
import io.github.kslr.api.testing.WindowClassifier;
import io.github.kslr.onnx.writer.SignModelBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignRecognizerTest {
    /** Left hand landmarks 0 and 1, x y z. */
    static final FeatureLayout LAYOUT = TestModels.TINY_LAYOUT;

    static final SignModelMetadata META = SignModelMetadata.of(List.of("hello", "thanks", "coffee"), LAYOUT, 4)
            .withTranslations(java.util.Map.of(), java.util.Map.of("hello", "សួស្តី", "thanks", "អរគុណ"));

    /**
     * A classifier whose answer is written in the window: class = round(x of landmark 0 in the newest frame), and
     * it records every window it saw.
     */
    static final class ScriptedClassifier extends WindowClassifier {
        final List<float[]> windows = new ArrayList<>();
        final SignModelMetadata meta;

        ScriptedClassifier() {
            this(META);
        }

        ScriptedClassifier(SignModelMetadata meta) {
            this.meta = meta;
        }

        @Override
        public SignModelMetadata metadata() {
            return meta;
        }

        @Override
        public Prediction classify(float[] window) {
            windows.add(window.clone());
            int f = LAYOUT.size();
            int c = Math.round(window[window.length - f]);
            SignLabel s = META.labels().get(c);
            return new Prediction(s, 1f, true, List.of(new Candidate(s, 1f)));
        }
    }

    static float[] frame(float sign) {
        float[] f = new float[LAYOUT.size()];
        Arrays.fill(f, 0.5f);
        f[0] = sign;
        return f;
    }

    static final class Events implements RecognitionListener {
        final List<String> log = new ArrayList<>();

        @Override
        public void onPrediction(Prediction prediction, long timestampMs) {
            log.add("p:" + prediction.label() + "@" + timestampMs);
        }

        @Override
        public void onSignRecognized(SignLabel sign, Prediction prediction, long timestampMs) {
            log.add("sign:" + sign.label());
        }

        @Override
        public void onSentenceChanged(Sentence sentence) {
            log.add("sentence:" + sentence.text());
        }
    }

    @Test
    void featureFramesBecomeWindowsPredictionsAndASentence() {
        ScriptedClassifier c = new ScriptedClassifier();
        Events events = new Events();
        SignRecognizer r =
                SignRecognizer.builder(c).agreement(2).listener(events).build();
        long t = 0;
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), r.acceptFeatures(frame(0), t++), "window not full yet");
        }
        assertEquals("hello", r.acceptFeatures(frame(0), t++).orElseThrow().label());
        r.acceptFeatures(frame(0), t++);
        assertEquals("សួស្តី", r.sentence().text());
        r.acceptFeatures(frame(1), t++);
        r.acceptFeatures(frame(1), t++);
        r.acceptFeatures(frame(2), t++);
        r.acceptFeatures(frame(2), t++);
        assertEquals("សួស្តីអរគុណ coffee", r.sentence().text());
        assertEquals(
                List.of(
                        "p:hello@3",
                        "p:hello@4",
                        "sign:hello",
                        "sentence:សួស្តី",
                        "p:thanks@5",
                        "p:thanks@6",
                        "sign:thanks",
                        "sentence:សួស្តីអរគុណ",
                        "p:coffee@7",
                        "p:coffee@8",
                        "sign:coffee",
                        "sentence:សួស្តីអរគុណ coffee"),
                events.log);
        // Windows hold the last 4 frames, oldest first.
        float[] last = c.windows.get(c.windows.size() - 1);
        assertEquals(1f, last[0]);
        assertEquals(2f, last[3 * LAYOUT.size()]);
        events.log.clear();
        r.clear();
        assertTrue(r.sentence().isEmpty());
        assertEquals(List.of("sentence:"), events.log);
        assertEquals(Optional.empty(), r.acceptFeatures(frame(0), t), "clear empties the window too");
    }

    @Test
    void strideAndHandLossFollowTheOptions() {
        ScriptedClassifier c = new ScriptedClassifier();
        SignRecognizer r = SignRecognizer.builder(c).stride(2).build();
        int predictions = 0;
        for (int i = 0; i < 10; i++) {
            predictions += r.acceptFeatures(frame(0), i).isPresent() ? 1 : 0;
        }
        assertEquals(4, predictions, "first window at frame 4, then every second frame");
        // A frame without hands (all hand columns zero) clears the window by default, as in the first report.
        r.acceptFeatures(new float[LAYOUT.size()], 10);
        for (int i = 0; i < 3; i++) {
            assertFalse(r.acceptFeatures(frame(0), 11 + i).isPresent());
        }
        assertTrue(r.acceptFeatures(frame(0), 14).isPresent());
        assertThrows(InvalidInputException.class, () -> r.acceptFeatures(new float[3], 0));
        float[] nan = frame(0);
        nan[2] = Float.NaN;
        assertThrows(InvalidInputException.class, () -> r.acceptFeatures(nan, 0));
    }

    @Test
    void handLossPoliciesNeedHandColumns() {
        SignModelMetadata poseOnly = SignModelMetadata.of(List.of("a", "b"), FeatureLayout.of("pose:0,11,12:xyz"), 4);
        byte[] model =
                SignModelBuilder.builder(poseOnly).lstmUnits(3).denseUnits().build();
        try (OnnxSignClassifier c =
                OnnxSignClassifier.builder().model(model, "pose-only").build()) {
            InvalidInputException e = assertThrows(
                    InvalidInputException.class, () -> SignRecognizer.builder(c).build());
            assertTrue(e.getMessage().contains("KEEP"), e.getMessage());
            SignRecognizer r = SignRecognizer.builder(c)
                    .handLossPolicy(io.github.kslr.api.HandLossPolicy.KEEP)
                    .build();
            for (int i = 0; i < 3; i++) {
                assertFalse(r.acceptFeatures(new float[9], i).isPresent());
            }
            assertTrue(r.acceptFeatures(new float[9], 3).isPresent());
        }
    }

    @Test
    void imagesGoThroughTheLandmarker() {
        ScriptedClassifier c = new ScriptedClassifier();
        List<Long> detected = new ArrayList<>();
        Landmarker landmarker = new VideoModeLandmarker() {
            @Override
            public HolisticLandmarks detect(ImageFrame frame) {
                detected.add(frame.timestampMs());
                float[] hand = new float[21 * 3];
                hand[0] = 1; // x of landmark 0 = class "thanks"
                HolisticLandmarks empty = HolisticLandmarks.empty(frame.timestampMs(), frame.width(), frame.height());
                return new HolisticLandmarks(
                        frame.timestampMs(),
                        frame.width(),
                        frame.height(),
                        empty.pose(),
                        empty.poseWorld(),
                        empty.face(),
                        LandmarkSet.of(LandmarkPart.LEFT_HAND, hand),
                        empty.rightHand());
            }
        };
        SignRecognizer r =
                SignRecognizer.builder(c).landmarker(landmarker).agreement(1).build();
        ByteBuffer pixels = ByteBuffer.allocate(2 * 2 * 3);
        for (long t = 0; t < 4; t++) {
            r.accept(ImageFrame.packed(2, 2, PixelFormat.RGB, pixels, t));
        }
        assertEquals(List.of(0L, 1L, 2L, 3L), detected);
        assertEquals("អរគុណ", r.sentence().text());
        SignRecognizer noLandmarker = SignRecognizer.builder(c).build();
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> noLandmarker.accept(ImageFrame.packed(2, 2, PixelFormat.RGB, pixels, 0)));
        assertTrue(e.getMessage().contains("landmarker"), e.getMessage());
    }

    @Test
    void worksWithTheOnnxClassifier() {
        byte[] model = SignModelBuilder.builder(META)
                .lstmUnits(4, 3)
                .denseUnits(5)
                .randomWeights(5)
                .build();
        try (OnnxSignClassifier c = OnnxSignClassifier.builder()
                .model(model, "m")
                .confidenceThreshold(0f)
                .build()) {
            SignRecognizer r = SignRecognizer.builder(c)
                    .handLossPolicy(io.github.kslr.api.HandLossPolicy.KEEP)
                    .build();
            float[] frames = TestModels.windows(2, 8); // 10 frames of 6 features
            int f = LAYOUT.size();
            for (int i = 0; i < 10; i++) {
                Optional<Prediction> p = r.acceptFeatures(Arrays.copyOfRange(frames, i * f, (i + 1) * f), i);
                if (i >= 3) {
                    float[] window = Arrays.copyOfRange(frames, (i - 3) * f, (i + 1) * f);
                    assertEquals(c.classify(window), p.orElseThrow(), "frame " + i);
                }
            }
        }
    }

    /** A feature frame that carries its own index (in the second column; the class column stays 0). */
    static float[] indexed(int index) {
        float[] f = frame(0);
        f[1] = index;
        return f;
    }

    /** The frame indices a window recorded by the scripted classifier holds, oldest first. */
    static List<Integer> indices(float[] window) {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i < window.length; i += LAYOUT.size()) {
            out.add(Math.round(window[i]));
        }
        return out;
    }

    /**
     * Training's rule, written out on its own as the oracle: sample k at {@code t0 + k * 1000 / fps} takes the last
     * frame at or before it (+ 0.5 ms); a live stream can take a sample only once a later frame has arrived.
     */
    static List<List<Integer>> expectedWindows(long[] times, double fps, int length) {
        List<Integer> samples = new ArrayList<>();
        double step = 1000.0 / fps;
        int frame = 0;
        for (int k = 0; times[0] + k * step + 0.5 < times[times.length - 1]; k++) {
            while (frame + 1 < times.length && times[frame + 1] <= times[0] + k * step + 0.5) {
                frame++;
            }
            samples.add(frame);
        }
        List<List<Integer>> windows = new ArrayList<>();
        for (int end = length; end <= samples.size(); end++) {
            windows.add(samples.subList(end - length, end));
        }
        return windows;
    }

    static List<List<Integer>> feed(SignRecognizer r, ScriptedClassifier c, long[] times) {
        for (int i = 0; i < times.length; i++) {
            r.acceptFeatures(indexed(i), times[i]);
        }
        List<List<Integer>> seen = new ArrayList<>();
        c.windows.forEach(w -> seen.add(indices(w)));
        return seen;
    }

    @Test
    void resampledWindowsAreTheWindowsTrainingCutsWhateverRateFramesArriveAt() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (String arrival : List.of("camera 30", "camera 60", "camera 15", "live stream dropping frames")) {
            long[] times = new long[120];
            for (int i = 1; i < times.length; i++) {
                times[i] = switch (arrival) {
                    case "camera 30" -> Math.round(i * 1000 / 30.0);
                    case "camera 60" -> Math.round(i * 1000 / 60.0);
                    case "camera 15" -> Math.round(i * 1000 / 15.0);
                    default -> times[i - 1] + 20 + random.nextInt(100); // 20-119 ms: most frames dropped
                };
            }
            ScriptedClassifier c = new ScriptedClassifier();
            SignRecognizer r = SignRecognizer.builder(c).frameRate(30).build();
            List<List<Integer>> seen = feed(r, c, times);
            assertEquals(expectedWindows(times, 30, META.sequenceLength()), seen, arrival);
            assertTrue(seen.size() > 10, arrival + ": " + seen.size() + " windows");
        }
    }

    @Test
    void atTheModelsRateResamplingChangesNothingButTakesEachFrameOneFrameLater() {
        long[] times = new long[40];
        for (int i = 0; i < times.length; i++) {
            times[i] = Math.round(i * 1000 / 30.0);
        }
        ScriptedClassifier direct = new ScriptedClassifier();
        List<List<Integer>> asTheyCome = feed(SignRecognizer.builder(direct).build(), direct, times);
        ScriptedClassifier sampled = new ScriptedClassifier();
        List<List<Integer>> resampled =
                feed(SignRecognizer.builder(sampled).frameRate(30).build(), sampled, times);
        assertEquals(asTheyCome.subList(0, asTheyCome.size() - 1), resampled);
        // A 15 fps stream at 30: every frame twice.
        ScriptedClassifier slow = new ScriptedClassifier();
        long[] half = new long[20];
        for (int i = 0; i < half.length; i++) {
            half[i] = Math.round(i * 1000 / 15.0);
        }
        List<List<Integer>> doubled =
                feed(SignRecognizer.builder(slow).frameRate(30).build(), slow, half);
        assertTrue(doubled.contains(List.of(3, 3, 4, 4)), doubled.toString());
    }

    @Test
    void theModelsTrainingRateIsTheDefaultAndZeroTurnsResamplingOff() {
        long[] times = new long[30];
        for (int i = 0; i < times.length; i++) {
            times[i] = Math.round(i * 1000 / 15.0);
        }
        ScriptedClassifier at30 = new ScriptedClassifier(META.withFrameRate(30));
        List<List<Integer>> seen = feed(SignRecognizer.builder(at30).build(), at30, times);
        assertEquals(expectedWindows(times, 30, META.sequenceLength()), seen);
        ScriptedClassifier off = new ScriptedClassifier(META.withFrameRate(30));
        List<List<Integer>> asTheyCome =
                feed(SignRecognizer.builder(off).frameRate(0).build(), off, times);
        assertEquals(List.of(0, 1, 2, 3), asTheyCome.get(0));
        ScriptedClassifier other = new ScriptedClassifier(META.withFrameRate(30));
        assertEquals(
                expectedWindows(times, 60, META.sequenceLength()),
                feed(SignRecognizer.builder(other).frameRate(60).build(), other, times),
                "the builder's rate wins");
    }

    @Test
    void aLongGapRepeatsTheHeldFrameOnlyAsLongAsItCanChangeAnything() {
        ScriptedClassifier c = new ScriptedClassifier();
        Events events = new Events();
        SignRecognizer r = SignRecognizer.builder(c)
                .frameRate(30)
                .agreement(3)
                .listener(events)
                .build();
        r.acceptFeatures(frame(1), 0);
        r.acceptFeatures(frame(1), 33);
        // An hour without frames: 108,000 samples, of which window length (4) + agreement (3) can matter.
        Optional<Prediction> p = r.acceptFeatures(frame(2), 3_600_000);
        assertEquals("thanks", p.orElseThrow().label());
        assertTrue(c.windows.size() <= 4 + 3 + 2, c.windows.size() + " windows classified");
        assertEquals("អរគុណ", r.sentence().text(), "the held sign still counts: " + events.log);
        // The predictions' times are the samples' times, just before the new frame.
        String last = events.log.stream()
                .filter(e -> e.startsWith("p:"))
                .reduce((a, b) -> b)
                .orElseThrow();
        assertEquals("p:thanks@3599967", last);
    }

    @Test
    void resamplingNeedsIncreasingTimestampsAndASaneRate() {
        SignRecognizer r =
                SignRecognizer.builder(new ScriptedClassifier()).frameRate(30).build();
        r.acceptFeatures(frame(0), 100);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> r.acceptFeatures(frame(0), 100));
        assertTrue(e.getMessage().contains("100 after 100"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> r.acceptFeatures(new float[2], 200));
        assertThrows(InvalidInputException.class, () -> r.acceptFeatures(null, 200));
        for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY, 1001}) {
            assertThrows(
                    InvalidInputException.class,
                    () -> SignRecognizer.builder(new ScriptedClassifier()).frameRate(bad),
                    Double.toString(bad));
        }
    }
}
