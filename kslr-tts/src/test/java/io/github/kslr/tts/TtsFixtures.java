package io.github.kslr.tts;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.kslr.api.testing.SharedFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The shared test voice (../shared/fixtures/tts, read at test time, never committed) and committed fixtures. */
final class TtsFixtures {
    static final String DIR = "fixtures/tts";

    private TtsFixtures() {}

    static Path tinyVoice() {
        return SharedFiles.require(DIR + "/tiny-khm-voice.onnx");
    }

    static Path shared(String name) {
        return SharedFiles.require(DIR + "/" + name);
    }

    static JsonObject json(Path p) {
        try {
            return JsonParser.parseString(Files.readString(p, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonObject resource(String name) {
        try (InputStream in = TtsFixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Integer> vocab(JsonObject o) {
        Map<String, Integer> v = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            v.put(e.getKey(), e.getValue().getAsInt());
        }
        return v;
    }

    static long[] longs(JsonElement array) {
        return array.getAsJsonArray().asList().stream()
                .mapToLong(JsonElement::getAsLong)
                .toArray();
    }

    static float[] floats(JsonElement array) {
        var list = array.getAsJsonArray();
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i).getAsFloat();
        }
        return out;
    }
}
