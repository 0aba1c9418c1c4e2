package io.github.kslr.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.testing.ByteMutations.Mutant;
import io.github.kslr.api.testing.FuzzChecks;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzz properties (#18): the sign-model and embedder metadata readers given damaged {@code metadata_props} - a real
 * model's entries serialised to bytes, mutated ({@link io.github.kslr.api.testing.ByteMutations}) and read back as the strings ONNX Runtime
 * would hand over - either read them or refuse with a {@link ModelLoadException}, within bounded allocation, and
 * whatever they accept is consistent (a window size within {@link SignModelMetadata#MAX_WINDOW_FLOATS}).
 */
class MetadataFuzzTest {
    private static final char KEY_END = 0x1f;
    private static final char ENTRY_END = 0x1e;

    static SignEmbedderMetadata sample() {
        SignModelMetadata model = SignModelMetadata.of(
                        List.of("-", "coffee", "tea", "hello"), FeatureLayout.POSE_HANDS_258, 30)
                .withTranslations(Map.of("-", "(no sign)"), Map.of("coffee", "កាហ្វេ", "tea", "តែ"))
                .withNoSignLabel("-")
                .withNormalization("relative to the shoulders")
                .withFrameRate(29.97);
        return new SignEmbedderMetadata(model, 64, 0.62, "0123456789abcdef".repeat(4));
    }

    static byte[] encode(Map<String, String> props) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        props.forEach((k, v) -> out.writeBytes((k + KEY_END + v + ENTRY_END).getBytes(StandardCharsets.UTF_8)));
        return out.toByteArray();
    }

    /** Bytes back to entries as ONNX Runtime gives them: strings (invalid UTF-8 replaced), a later key winning. */
    static Map<String, String> decode(byte[] bytes) {
        Map<String, String> props = new LinkedHashMap<>();
        String text = new String(bytes, StandardCharsets.UTF_8);
        for (String entry : text.split(String.valueOf(ENTRY_END), -1)) {
            int k = entry.indexOf(KEY_END);
            if (k >= 0) {
                props.put(entry.substring(0, k), entry.substring(k + 1));
            }
        }
        return props;
    }

    private static final byte[] SEED = encode(sample().toProperties());

    @Test
    void signModelMetadataIsReadOrRefusedByName() {
        FuzzChecks.forEachMutant("SignModelMetadata", SEED, 400, MetadataFuzzTest::signModel);
    }

    private static void signModel(Mutant m) {
        Map<String, String> props = decode(m.bytes());
        var outcome = FuzzChecks.parses(
                m, () -> SignModelMetadata.fromProperties(props, "fuzzed.onnx"), ModelLoadException.class);
        if (outcome.accepted()) {
            SignModelMetadata md = outcome.value();
            assertEquals((long) md.sequenceLength() * md.layout().size(), md.windowSize(), m + ": window size");
            assertTrue(md.windowSize() <= SignModelMetadata.MAX_WINDOW_FLOATS, m + ": window size");
            assertTrue(md.labels().size() > 0, m + ": labels");
        }
    }

    @Test
    void embedderMetadataIsReadOrRefusedByName() {
        FuzzChecks.forEachMutant("SignEmbedderMetadata", SEED, 300, MetadataFuzzTest::embedder);
    }

    private static void embedder(Mutant m) {
        Map<String, String> props = decode(m.bytes());
        var outcome = FuzzChecks.parses(
                m, () -> SignEmbedderMetadata.fromProperties(props, "fuzzed.onnx"), ModelLoadException.class);
        if (outcome.accepted()) {
            SignEmbedderMetadata md = outcome.value();
            assertTrue(md.embeddingSize() > 0 && md.threshold() >= -1 && md.threshold() <= 1, m + ": " + md);
        }
    }

    @Test
    void theSeedItselfRoundTrips() {
        assertEquals(sample(), SignEmbedderMetadata.fromProperties(decode(encode(sample().toProperties())), "s"));
    }
}
