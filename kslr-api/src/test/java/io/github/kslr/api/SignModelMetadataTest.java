package io.github.kslr.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignModelMetadataTest {

    private static SignModelMetadata sample() {
        return SignModelMetadata.of(List.of("-", "coffee", "tea"), FeatureLayout.POSE_HANDS_258, 20)
                .withTranslations(Map.of("-", "(no sign)"), Map.of("coffee", "កាហ្វេ", "tea", "តែ"))
                .withNoSignLabel("-")
                .withNormalization("relative to the shoulders");
    }

    @Test
    void roundTripsThroughProperties() {
        SignModelMetadata m = sample();
        Map<String, String> props = m.toProperties();
        assertEquals("-\ncoffee\ntea", props.get(SignModelMetadata.LABELS));
        assertEquals("\nកាហ្វេ\nតែ", props.get(SignModelMetadata.KHMER));
        assertEquals("20", props.get(SignModelMetadata.SEQUENCE_LENGTH));
        SignModelMetadata back = SignModelMetadata.fromProperties(props, "m.onnx");
        assertEquals(m, back);
        assertEquals("", back.labels().get(0).khmer());
        assertEquals("(no sign)", back.labels().get(0).gloss());
        assertEquals(20 * 258, back.windowSize());
    }

    @Test
    void theTrainingFrameRateIsOptionalAndRoundTrips() {
        assertEquals(0, sample().frameRate());
        assertTrue(!sample().toProperties().containsKey(SignModelMetadata.FRAME_RATE), "absent when unknown");
        for (double fps : new double[] {30, 25, 359 / 12.0, 0.5}) {
            SignModelMetadata m = sample().withFrameRate(fps);
            SignModelMetadata back = SignModelMetadata.fromProperties(m.toProperties(), "m.onnx");
            assertEquals(m, back);
            assertEquals(fps, back.frameRate());
        }
        assertEquals("30", sample().withFrameRate(30).toProperties().get(SignModelMetadata.FRAME_RATE));
        for (String bad : new String[] {"fast", "-30", "NaN", "Infinity", "1001"}) {
            Map<String, String> props = new HashMap<>(sample().toProperties());
            props.put(SignModelMetadata.FRAME_RATE, bad);
            ModelLoadException e = assertThrows(
                    ModelLoadException.class, () -> SignModelMetadata.fromProperties(props, "m.onnx"), bad);
            assertTrue(
                    e.getMessage().contains("m.onnx")
                            && e.getMessage().contains(bad.equals("fast") ? "fast" : "frameRate"),
                    e.getMessage());
        }
        assertThrows(InvalidInputException.class, () -> sample().withFrameRate(-1));
    }

    @Test
    void missingKeysAreNamed() {
        Map<String, String> props = new HashMap<>(sample().toProperties());
        props.remove(SignModelMetadata.FEATURE_LAYOUT);
        ModelLoadException e =
                assertThrows(ModelLoadException.class, () -> SignModelMetadata.fromProperties(props, "m.onnx"));
        assertTrue(
                e.getMessage().contains("m.onnx") && e.getMessage().contains(SignModelMetadata.FEATURE_LAYOUT),
                e.getMessage());
        assertThrows(ModelLoadException.class, () -> SignModelMetadata.fromProperties(Map.of(), "x"));
    }

    @Test
    void malformedValuesAreNamed() {
        Map<String, String> props = new HashMap<>(sample().toProperties());
        props.put(SignModelMetadata.FORMAT_VERSION, "2");
        assertMessage("version 2", props);
        props.put(SignModelMetadata.FORMAT_VERSION, "1");
        props.put(SignModelMetadata.SEQUENCE_LENGTH, "thirty");
        assertMessage("thirty", props);
        props.put(SignModelMetadata.SEQUENCE_LENGTH, "30");
        props.put(SignModelMetadata.KHMER, "only one");
        assertMessage("3 labels", props);
        props.remove(SignModelMetadata.KHMER);
        props.put(SignModelMetadata.FEATURE_LAYOUT, "nose:0:xyz");
        assertMessage("nose", props);
        props.put(SignModelMetadata.FEATURE_LAYOUT, "pose-hands-258");
        props.put(SignModelMetadata.NO_SIGN_LABEL, "nothing");
        assertMessage("nothing", props);
    }

    @Test
    void constructorValidates() {
        assertThrows(InvalidInputException.class, () -> SignModelMetadata.of(List.of(), FeatureLayout.REPORTS_177, 30));
        assertThrows(
                InvalidInputException.class,
                () -> SignModelMetadata.of(List.of("a\nb"), FeatureLayout.REPORTS_177, 30));
        assertThrows(
                InvalidInputException.class, () -> SignModelMetadata.of(List.of("a"), FeatureLayout.REPORTS_177, 0));
        assertThrows(InvalidInputException.class, () -> SignModelMetadata.of(List.of(" "), null, 30));
    }

    private static void assertMessage(String word, Map<String, String> props) {
        ModelLoadException e =
                assertThrows(ModelLoadException.class, () -> SignModelMetadata.fromProperties(props, "m.onnx"));
        assertTrue(e.getMessage().contains(word), e.getMessage());
    }

    @Test
    void refusesALabelTwice() {
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> SignModelMetadata.of(java.util.List.of("a", "b", "a"), FeatureLayout.REPORTS_177, 20));
        assertTrue(e.getMessage().contains("'a' appears twice (again at index 2)"), e.getMessage());
    }

    @Test
    void threadCountsAreBounded() {
        assertEquals(0, Checks.threadCount(0, 0, "threads"));
        assertEquals(Checks.MAX_THREADS, Checks.threadCount(Checks.MAX_THREADS, 1, "threads"));
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> Checks.threadCount(100000, 0, "intraOpThreads"));
        assertTrue(e.getMessage().contains("intraOpThreads must be in [0, 256], was 100000"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> Checks.threadCount(0, 1, "threads"));
    }

    @Test
    void aSequenceLengthWhoseWindowOverflowsIsRefused() {
        // Found by MetadataFuzzTest: kslr.sequence_length 2147483647 x 258 features wrapped the window size to -258.
        Map<String, String> props = new HashMap<>(sample().toProperties());
        props.put(SignModelMetadata.SEQUENCE_LENGTH, "2147483647");
        ModelLoadException e =
                assertThrows(ModelLoadException.class, () -> SignModelMetadata.fromProperties(props, "m.onnx"));
        assertTrue(e.getMessage().contains("2147483647") && e.getMessage().contains("at most"), e.getMessage());
        props.put(SignModelMetadata.SEQUENCE_LENGTH, "100000000");
        assertThrows(ModelLoadException.class, () -> SignModelMetadata.fromProperties(props, "m.onnx"));
        props.put(SignModelMetadata.SEQUENCE_LENGTH, Integer.toString(SignModelMetadata.MAX_WINDOW_FLOATS / 258));
        assertEquals(
                SignModelMetadata.MAX_WINDOW_FLOATS / 258 * 258,
                SignModelMetadata.fromProperties(props, "m.onnx").windowSize());
    }
}
