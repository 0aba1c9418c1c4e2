package io.github.kslr.tts;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.ModelLoadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a voice needs besides its graph: the tokenizer data and the sample rate. Read from the ONNX model's
 * {@code metadata_props} (as {@code tools/voice-export/export_vits.py} writes them) or, when the model has no
 * {@code vocab} entry, from transformers' files beside the model: {@code vocab.json}, {@code tokenizer_config.json}
 * and {@code config.json}.
 *
 * <p>Metadata keys: {@value #VOCAB} (JSON object symbol to id, in vocabulary order), {@value #SAMPLE_RATE},
 * {@value #ADD_BLANK}, {@value #NORMALIZE}, {@value #PHONEMIZE}, {@value #IS_UROMAN} ({@code 1}/{@code 0}),
 * {@value #PAD_TOKEN}, {@value #UNK_TOKEN}, {@value #LANGUAGE}.
 */
record VitsVoiceData(VitsTokenizerConfig tokenizer, int sampleRate, String origin) {
    static final String VOCAB = "vocab";
    static final String SAMPLE_RATE = "sample_rate";
    static final String ADD_BLANK = "add_blank";
    static final String NORMALIZE = "normalize";
    static final String PHONEMIZE = "phonemize";
    static final String IS_UROMAN = "is_uroman";
    static final String PAD_TOKEN = "pad_token";
    static final String UNK_TOKEN = "unk_token";
    static final String LANGUAGE = "language";

    /**
     * @param model     description of the model, for messages
     * @param metadata  the model's metadata_props
     * @param modelPath the model file, or null when it was not loaded from a file
     */
    static VitsVoiceData read(String model, Map<String, String> metadata, Path modelPath) {
        if (metadata.containsKey(VOCAB)) {
            return fromMetadata(model, metadata);
        }
        Path dir = modelPath == null ? null : modelPath.toAbsolutePath().getParent();
        if (dir != null && Files.isRegularFile(dir.resolve("vocab.json"))) {
            return fromFiles(model, dir);
        }
        throw new ModelLoadException("voice " + model + " has no tokenizer data: its ONNX metadata_props have no '"
                + VOCAB + "' entry" + (dir == null ? "" : " and there is no vocab.json beside it in " + dir)
                + "; export the voice with tools/voice-export/export_vits.py, which writes it");
    }

    private static VitsVoiceData fromMetadata(String model, Map<String, String> md) {
        String where = "metadata of " + model;
        Map<String, Integer> vocab = vocab(parseObject(md.get(VOCAB), "'" + VOCAB + "' in the " + where), where);
        String rate = md.get(SAMPLE_RATE);
        if (rate == null) {
            throw new ModelLoadException("voice " + model + ": metadata_props have a vocab but no '" + SAMPLE_RATE
                    + "' entry; expected the sample rate in Hz, e.g. 16000");
        }
        int sampleRate;
        try {
            sampleRate = Integer.parseInt(rate.trim());
        } catch (NumberFormatException e) {
            throw new ModelLoadException(
                    "voice " + model + ": '" + SAMPLE_RATE + "' is '" + rate
                            + "'; expected a whole number of Hz, e.g. 16000",
                    e);
        }
        checkSupported(
                model,
                flag(md.get(PHONEMIZE), false, PHONEMIZE, where),
                flag(md.get(IS_UROMAN), false, IS_UROMAN, where));
        VitsTokenizerConfig config = config(
                model,
                vocab,
                md.getOrDefault(PAD_TOKEN, "<pad>"),
                md.getOrDefault(UNK_TOKEN, "<unk>"),
                emptyToNull(md.get(LANGUAGE)),
                flag(md.get(ADD_BLANK), true, ADD_BLANK, where),
                flag(md.get(NORMALIZE), true, NORMALIZE, where));
        return new VitsVoiceData(config, checkRate(model, sampleRate), where);
    }

    private static VitsVoiceData fromFiles(String model, Path dir) {
        Path vocabFile = dir.resolve("vocab.json");
        Map<String, Integer> vocab = vocab(parseObject(read(vocabFile), vocabFile.toString()), vocabFile.toString());
        // transformers' defaults where tokenizer_config.json does not say.
        JsonObject tc = new JsonObject();
        Path tcFile = dir.resolve("tokenizer_config.json");
        if (Files.isRegularFile(tcFile)) {
            tc = parseObject(read(tcFile), tcFile.toString());
        }
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new ModelLoadException("voice " + model + ": found " + vocabFile + " but no config.json beside it;"
                    + " expected transformers' config.json with 'sampling_rate'");
        }
        JsonObject config = parseObject(read(configFile), configFile.toString());
        JsonElement rate = config.get("sampling_rate");
        if (rate == null
                || !rate.isJsonPrimitive()
                || !rate.getAsJsonPrimitive().isNumber()) {
            throw new ModelLoadException(configFile + " has no numeric 'sampling_rate'; expected e.g. 16000");
        }
        String where = tcFile.toString();
        checkSupported(model, bool(tc, "phonemize", true, where), bool(tc, "is_uroman", false, where));
        VitsTokenizerConfig tok = config(
                model,
                vocab,
                string(tc, "pad_token", "<pad>", where),
                string(tc, "unk_token", "<unk>", where),
                emptyToNull(string(tc, "language", null, where)),
                bool(tc, "add_blank", true, where),
                bool(tc, "normalize", true, where));
        return new VitsVoiceData(tok, checkRate(model, rate.getAsInt()), "files in " + dir);
    }

    private static VitsTokenizerConfig config(
            String model,
            Map<String, Integer> vocab,
            String pad,
            String unk,
            String language,
            boolean addBlank,
            boolean normalize) {
        try {
            return new VitsTokenizerConfig(vocab, pad, unk, language, addBlank, normalize);
        } catch (InvalidInputException e) {
            throw new ModelLoadException("voice " + model + " has unusable tokenizer data: " + e.getMessage(), e);
        }
    }

    private static void checkSupported(String model, boolean phonemize, boolean uroman) {
        if (phonemize || uroman) {
            throw new ModelLoadException(
                    "voice " + model + " needs " + (phonemize ? "espeak phonemization" : "uroman" + " romanization")
                            + " of its input, which KSLR does not implement; KSLR speaks voices that read"
                            + " characters directly, like facebook/mms-tts-khm");
        }
    }

    private static int checkRate(String model, int rate) {
        if (rate < 1000 || rate > 192_000) {
            throw new ModelLoadException("voice " + model + ": sample rate " + rate + " Hz; expected 1000..192000");
        }
        return rate;
    }

    private static Map<String, Integer> vocab(JsonObject o, String where) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            JsonElement v = e.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
                throw new ModelLoadException(
                        "vocab in " + where + ": symbol '" + e.getKey() + "' maps to " + v + "; expected a token id");
            }
            vocab.put(e.getKey(), v.getAsInt());
        }
        if (vocab.isEmpty()) {
            throw new ModelLoadException("vocab in " + where + " is empty; expected the voice's symbols");
        }
        return vocab;
    }

    private static JsonObject parseObject(String json, String where) {
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) {
                throw new ModelLoadException(where + " is not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new ModelLoadException(where + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + file + ": " + e, e);
        }
    }

    private static boolean flag(String value, boolean dflt, String key, String where) {
        if (value == null) {
            return dflt;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "1":
            case "true":
                return true;
            case "0":
            case "false":
                return false;
            default:
                throw new ModelLoadException(
                        "'" + key + "' in the " + where + " is '" + value + "'; expected 1/0 or true/false");
        }
    }

    private static boolean bool(JsonObject o, String key, boolean dflt, String where) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return dflt;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new ModelLoadException("'" + key + "' in " + where + " is " + e + "; expected true or false");
        }
        return e.getAsBoolean();
    }

    private static String string(JsonObject o, String key, String dflt, String where) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return dflt;
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            return e.getAsString();
        }
        // transformers may save special tokens as AddedToken objects: {"content": "...", ...}.
        if (e.isJsonObject() && e.getAsJsonObject().has("content")) {
            return e.getAsJsonObject().get("content").getAsString();
        }
        throw new ModelLoadException("'" + key + "' in " + where + " is " + e + "; expected a string");
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
