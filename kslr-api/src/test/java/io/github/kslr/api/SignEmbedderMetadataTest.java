package io.github.kslr.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignEmbedderMetadataTest {

    private static final String SHA = "ab".repeat(32);

    private static SignModelMetadata model() {
        return SignModelMetadata.of(List.of("-", "a", "b"), FeatureLayout.POSE_HANDS_258, 20);
    }

    @Test
    void backgroundPrototypesAndMarginRoundTrip() {
        float[] bg = {0.6f, 0.8f, 0f, 1f, -1f, 0f};
        SignEmbedderMetadata m = new SignEmbedderMetadata(model(), 2, 0.6, SHA, bg, -0.08);
        bg[0] = 9f; // copied in
        Map<String, String> props = m.toProperties();
        SignEmbedderMetadata back = SignEmbedderMetadata.fromProperties(props, "e.onnx");
        assertEquals(m, back);
        assertEquals(3, back.backgroundCount());
        assertArrayEquals(new float[] {0.6f, 0.8f, 0f, 1f, -1f, 0f}, back.background());
        assertEquals(-0.08, back.margin(), 1e-9);
        back.background()[0] = 5f; // copied out
        assertEquals(0.6f, back.background()[0]);
    }

    @Test
    void anEmbedderWrittenBeforeBackgroundPrototypesReadsAsThresholdOnly() {
        SignEmbedderMetadata old = new SignEmbedderMetadata(model(), 2, 0.7, SHA);
        Map<String, String> props = old.toProperties();
        assertFalse(props.containsKey(SignEmbedderMetadata.BACKGROUND));
        assertFalse(props.containsKey(SignEmbedderMetadata.MARGIN));
        SignEmbedderMetadata back = SignEmbedderMetadata.fromProperties(props, "old.onnx");
        assertEquals(0, back.backgroundCount());
        assertEquals(0.7, back.threshold(), 1e-9);
    }

    @Test
    void malformedBackgroundIsRefusedNamingTheKey() {
        Map<String, String> props =
                new HashMap<>(new SignEmbedderMetadata(model(), 2, 0.6, SHA, new float[] {1, 0}, -0.1).toProperties());
        props.remove(SignEmbedderMetadata.MARGIN);
        ModelLoadException lone =
                assertThrows(ModelLoadException.class, () -> SignEmbedderMetadata.fromProperties(props, "e.onnx"));
        assertTrue(lone.getMessage().contains(SignEmbedderMetadata.MARGIN), lone.getMessage());
        props.put(SignEmbedderMetadata.MARGIN, "-0.1");
        props.put(SignEmbedderMetadata.BACKGROUND, "AAAAAAAA"); // 6 bytes: 1.5 floats
        assertThrows(ModelLoadException.class, () -> SignEmbedderMetadata.fromProperties(props, "e.onnx"));
        props.put(SignEmbedderMetadata.BACKGROUND, "AAAAAA=="); // 4 bytes: one float, not a whole prototype of 2
        ModelLoadException partial =
                assertThrows(ModelLoadException.class, () -> SignEmbedderMetadata.fromProperties(props, "e.onnx"));
        assertTrue(partial.getMessage().contains("whole prototypes"), partial.getMessage());
        assertThrows(
                InvalidInputException.class,
                () -> new SignEmbedderMetadata(model(), 2, 0.6, SHA, new float[] {1, 0}, 3));
        assertThrows(
                InvalidInputException.class,
                () -> new SignEmbedderMetadata(model(), 2, 0.6, SHA, new float[] {Float.NaN, 0}, 0));
    }
}
