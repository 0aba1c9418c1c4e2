package io.github.kslr.tts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.kslr.api.AudioClip;
import io.github.kslr.api.ClosedException;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.ModelLoadException;
import io.github.kslr.api.ModelSource;
import io.github.kslr.api.UnsupportedTextException;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VitsKhmerSpeechTest {
    private static final double TOLERANCE = 1e-4;
    private static final String SENTENCE_1 = "ខ្ញុំឈ្មោះសុខា។";
    private static final String SENTENCE_2 = "សួស្តី ពិភពលោក";

    private static VitsKhmerSpeech deterministic;

    @BeforeAll
    static void open() {
        deterministic = VitsKhmerSpeech.open(
                TtsFixtures.tinyVoice(),
                VitsSpeechOptions.builder().deterministic().intraOpThreads(1).build());
    }

    @AfterAll
    static void close() {
        if (deterministic != null) {
            deterministic.close();
        }
    }

    private static List<JsonObject> goldenWaveforms() {
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement e : TtsFixtures.json(TtsFixtures.shared("golden.json")).getAsJsonArray("waveforms")) {
            out.add(e.getAsJsonObject());
        }
        return out;
    }

    private static float[] golden(String text, double lengthScale) {
        for (JsonObject w : goldenWaveforms()) {
            if (w.get("text").getAsString().equals(text)
                    && w.get("length_scale").getAsDouble() == lengthScale) {
                return TtsFixtures.floats(w.get("samples"));
            }
        }
        throw new AssertionError("golden.json has no waveform for " + text + " at " + lengthScale);
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": sample count");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= TOLERANCE, what + ": max abs difference " + worst + " > " + TOLERANCE);
    }

    @Test
    void reproducesTransformersWaveformsAtBothSpeakingRates() {
        List<JsonObject> waves = goldenWaveforms();
        assertEquals(4, waves.size());
        for (JsonObject w : waves) {
            assertEquals(0.0, w.get("noise_scale").getAsDouble());
            assertEquals(0.0, w.get("noise_scale_duration").getAsDouble());
            double lengthScale = w.get("length_scale").getAsDouble();
            String text = w.get("text").getAsString();
            VitsSpeechOptions o = VitsSpeechOptions.builder()
                    .deterministic()
                    .speakingRate(1.0 / lengthScale)
                    .intraOpThreads(1)
                    .build();
            assertEquals((float) lengthScale, o.lengthScale());
            try (VitsKhmerSpeech speech = VitsKhmerSpeech.open(TtsFixtures.tinyVoice(), o)) {
                assertEquals(16000, speech.sampleRate());
                AudioClip clip = speech.synthesize(text);
                assertClose(
                        TtsFixtures.floats(w.get("samples")), clip.samples(), text + " @ length_scale " + lengthScale);
            }
        }
    }

    @Test
    void slowerRateGivesLongerAudio() {
        assertTrue(golden(SENTENCE_1, 1.3).length > golden(SENTENCE_1, 1.0).length);
        try (VitsKhmerSpeech fast = VitsKhmerSpeech.open(
                TtsFixtures.tinyVoice(),
                VitsSpeechOptions.builder().deterministic().speakingRate(2.0).build())) {
            assertTrue(fast.synthesize(SENTENCE_1).sampleCount()
                    < deterministic.synthesize(SENTENCE_1).sampleCount());
        }
    }

    @Test
    void chunksArriveSentenceBySentenceAndEqualTheSentencesAlone() {
        List<AudioClip> chunks = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        // The middle "ABC!" has nothing speakable and is skipped; total counts the spoken chunks.
        int delivered = deterministic.synthesize(SENTENCE_1 + " ABC! " + SENTENCE_2, (clip, text, index, total) -> {
            assertEquals(chunks.size(), index);
            assertEquals(2, total);
            chunks.add(clip);
            texts.add(text);
            return true;
        });
        assertEquals(2, delivered);
        assertEquals(List.of(SENTENCE_1, SENTENCE_2), texts);
        assertClose(golden(SENTENCE_1, 1.0), chunks.get(0).samples(), "chunk 0");
        assertClose(golden(SENTENCE_2, 1.0), chunks.get(1).samples(), "chunk 1");
        AudioClip whole = deterministic.synthesize(SENTENCE_1 + " " + SENTENCE_2);
        assertEquals(AudioClip.concat(chunks, 16000), whole);
    }

    @Test
    void listenerCanCancelAfterTheFirstChunk() {
        List<Integer> seen = new ArrayList<>();
        int delivered =
                deterministic.synthesize(SENTENCE_1 + SENTENCE_2 + "។ " + SENTENCE_1, (clip, text, index, total) -> {
                    seen.add(index);
                    assertEquals(3, total);
                    return false;
                });
        assertEquals(1, delivered);
        assertEquals(List.of(0), seen);
    }

    @Test
    void noiseMakesRunsDifferAndZeroNoiseIsRepeatable() {
        try (VitsKhmerSpeech noisy = VitsKhmerSpeech.open(TtsFixtures.tinyVoice())) {
            assertEquals(0.667f, noisy.options().noiseScale());
            assertNotEquals(noisy.synthesize(SENTENCE_2), noisy.synthesize(SENTENCE_2));
        }
        assertEquals(deterministic.synthesize(SENTENCE_2), deterministic.synthesize(SENTENCE_2));
    }

    @Test
    void concurrentCallsGiveTheSameSamples() throws Exception {
        AudioClip expected = deterministic.synthesize(SENTENCE_1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<AudioClip>> fs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                fs.add(pool.submit(() -> deterministic.synthesize(SENTENCE_1)));
            }
            for (Future<AudioClip> f : fs) {
                assertEquals(expected, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void wavWrittenByKslrReadsBackWithJavaSound(@TempDir Path dir) throws Exception {
        AudioClip clip = deterministic.synthesize(SENTENCE_2);
        Path wav = dir.resolve("speech.wav");
        clip.writeWav(wav);
        short[] expected = clip.toPcm16();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(wav));
                AudioInputStream in = AudioSystem.getAudioInputStream(raw)) {
            AudioFormat f = in.getFormat();
            assertEquals(AudioFormat.Encoding.PCM_SIGNED, f.getEncoding());
            assertEquals(1, f.getChannels());
            assertEquals(16, f.getSampleSizeInBits());
            assertEquals(16000f, f.getSampleRate());
            assertFalse(f.isBigEndian());
            assertEquals(expected.length, in.getFrameLength());
            byte[] bytes = in.readAllBytes();
            assertEquals(expected.length * 2, bytes.length);
            short[] back = new short[expected.length];
            ByteBuffer.wrap(bytes)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asShortBuffer()
                    .get(back);
            assertArrayEquals(expected, back);
            // The samples survive up to 16-bit quantisation.
            float[] s = clip.samples();
            for (int i = 0; i < s.length; i++) {
                assertEquals(Math.max(-1f, Math.min(1f, s[i])), back[i] / 32767f, 1.0 / 32767 + 1e-6);
            }
        }
    }

    @Test
    void unspeakableTextIsAClearError() {
        for (String text : new String[] {"", "   ", "ABC", "hello, world!", "។ ? !"}) {
            UnsupportedTextException e = assertThrows(
                    UnsupportedTextException.class, () -> deterministic.synthesize(text), "\"" + text + "\"");
            assertTrue(
                    e.getMessage().contains("empty") || e.getMessage().contains("nothing this voice can speak"),
                    e.getMessage());
        }
        assertThrows(InvalidInputException.class, () -> deterministic.synthesize(null));
        assertThrows(InvalidInputException.class, () -> deterministic.synthesize("ក", null));
        // Digits alone: the voice has none, so without spelling there is nothing to speak.
        try (VitsKhmerSpeech literal = VitsKhmerSpeech.open(
                TtsFixtures.tinyVoice(),
                VitsSpeechOptions.builder().deterministic().spellNumbers(false).build())) {
            UnsupportedTextException e = assertThrows(UnsupportedTextException.class, () -> literal.synthesize("១២៣"));
            assertTrue(e.getMessage().contains("nothing this voice can speak"), e.getMessage());
        }
    }

    @Test
    void numbersAreSpokenAsKhmerWordsAndChunksKeepTheWrittenText() {
        // The same audio as the words typed out (without the zero-width spaces, which the tokenizer drops).
        assertEquals(
                deterministic.synthesize("ខ្ញុំអាយុ ម្ភៃប្រាំ ឆ្នាំ។"),
                deterministic.synthesize("ខ្ញុំអាយុ 25 ឆ្នាំ។"));
        assertEquals(deterministic.synthesize("មួយរយម្ភៃបី"), deterministic.synthesize("១២៣"));
        List<String> texts = new ArrayList<>();
        deterministic.synthesize("តម្លៃ 3.50 ដុល្លារ។ ល្អ", (clip, text, index, total) -> texts.add(text));
        assertEquals(List.of("តម្លៃ 3.50 ដុល្លារ។", "ល្អ"), texts);
        try (VitsKhmerSpeech literal = VitsKhmerSpeech.open(
                TtsFixtures.tinyVoice(),
                VitsSpeechOptions.builder().deterministic().spellNumbers(false).build())) {
            // Off: the tokenizer drops the digits, as transformers does.
            assertEquals(literal.synthesize("ខ្ញុំអាយុ  ឆ្នាំ។"), literal.synthesize("ខ្ញុំអាយុ 25 ឆ្នាំ។"));
            assertFalse(literal.options().spellNumbers());
        }
        assertTrue(deterministic.options().spellNumbers());
    }

    @Test
    void badOptionsAreRejectedAtBuild() {
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> VitsSpeechOptions.builder().speakingRate(-1).build());
        assertTrue(e.getMessage().contains("speakingRate") && e.getMessage().contains("-1"), e.getMessage());
        assertThrows(
                InvalidInputException.class,
                () -> VitsSpeechOptions.builder().speakingRate(0).build());
        assertThrows(
                InvalidInputException.class,
                () -> VitsSpeechOptions.builder().speakingRate(Double.NaN).build());
        assertThrows(
                InvalidInputException.class,
                () -> VitsSpeechOptions.builder().noiseScale(-0.1f).build());
        assertThrows(
                InvalidInputException.class,
                () -> VitsSpeechOptions.builder().noiseScaleDuration(Float.NaN).build());
        assertThrows(
                InvalidInputException.class,
                () -> VitsSpeechOptions.builder().intraOpThreads(-2).build());
        assertThrows(
                InvalidInputException.class,
                () -> VitsSpeechOptions.builder().device(null).build());
    }

    @Test
    void aFileThatIsNotOnnxIsAClearError(@TempDir Path dir) throws Exception {
        Path notOnnx = dir.resolve("voice.onnx");
        Files.writeString(notOnnx, "this is not an ONNX model");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> VitsKhmerSpeech.open(notOnnx));
        assertTrue(e.getMessage().contains(notOnnx.toString()), e.getMessage());
        ModelLoadException missing =
                assertThrows(ModelLoadException.class, () -> VitsKhmerSpeech.open(dir.resolve("absent.onnx")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    private static byte[] withMetadata(Map<String, String> replace, boolean dropAll) throws Exception {
        OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(TtsFixtures.tinyVoice()));
        OnnxMl.ModelProto.Builder b = m.toBuilder().clearMetadataProps();
        if (!dropAll) {
            for (OnnxMl.StringStringEntryProto p : m.getMetadataPropsList()) {
                b.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder()
                        .setKey(p.getKey())
                        .setValue(replace.getOrDefault(p.getKey(), p.getValue())));
            }
            for (Map.Entry<String, String> e : replace.entrySet()) {
                if (m.getMetadataPropsList().stream().noneMatch(p -> p.getKey().equals(e.getKey()))) {
                    b.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder()
                            .setKey(e.getKey())
                            .setValue(e.getValue()));
                }
            }
        }
        return b.build().toByteArray();
    }

    @Test
    void aModelWithoutTokenizerDataIsAClearError(@TempDir Path dir) throws Exception {
        byte[] bare = withMetadata(Map.of(), true);
        ModelLoadException e = assertThrows(
                ModelLoadException.class,
                () -> VitsKhmerSpeech.open(ModelSource.ofBytes(bare, "bare.onnx"), VitsSpeechOptions.defaults()));
        assertTrue(e.getMessage().contains("no tokenizer data"), e.getMessage());
        Path file = dir.resolve("bare.onnx");
        Files.write(file, bare);
        ModelLoadException e2 = assertThrows(ModelLoadException.class, () -> VitsKhmerSpeech.open(file));
        assertTrue(e2.getMessage().contains("no vocab.json beside it"), e2.getMessage());
    }

    @Test
    void tokenizerFilesBesideTheModelAreUsedWhenTheMetadataHasNone(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("voice.onnx");
        Files.write(file, withMetadata(Map.of(), true));
        for (String name : new String[] {"vocab.json", "tokenizer_config.json", "config.json"}) {
            Files.copy(TtsFixtures.shared(name), dir.resolve(name));
        }
        try (VitsKhmerSpeech speech = VitsKhmerSpeech.open(
                file, VitsSpeechOptions.builder().deterministic().build())) {
            assertEquals(16000, speech.sampleRate());
            assertClose(golden(SENTENCE_2, 1.0), speech.synthesize(SENTENCE_2).samples(), "files beside the model");
        }
    }

    @Test
    void badTokenizerMetadataIsAClearError() throws Exception {
        Map<String, String[]> cases = Map.of(
                "phonemize", new String[] {"1", "phonemization"},
                "vocab", new String[] {"[1, 2]", "not a JSON object"},
                "add_blank", new String[] {"maybe", "expected 1/0"},
                "sample_rate", new String[] {"fast", "whole number"});
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            byte[] model = withMetadata(Map.of(c.getKey(), c.getValue()[0]), false);
            ModelLoadException e = assertThrows(
                    ModelLoadException.class,
                    () -> VitsKhmerSpeech.open(ModelSource.ofBytes(model, "bad.onnx"), VitsSpeechOptions.defaults()),
                    c.getKey());
            assertTrue(e.getMessage().contains(c.getValue()[1]), e.getMessage());
        }
    }

    @Test
    void closeIsIdempotentAndLaterCallsFail() {
        VitsKhmerSpeech speech = VitsKhmerSpeech.open(TtsFixtures.tinyVoice());
        speech.close();
        speech.close();
        assertThrows(ClosedException.class, () -> speech.synthesize(SENTENCE_1));
    }
}
