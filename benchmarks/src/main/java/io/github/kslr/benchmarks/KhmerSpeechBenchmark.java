package io.github.kslr.benchmarks;

import ai.onnx.proto.OnnxMl;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import io.github.kslr.api.AudioClip;
import io.github.kslr.api.ExecutionDevice;
import io.github.kslr.api.ModelSource;
import io.github.kslr.tts.VitsKhmerSpeech;
import io.github.kslr.tts.VitsSpeechOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Khmer speech with the full-size facebook/mms-tts-khm architecture ({@code VitsConfig(vocab_size=74)}: hidden 192,
 * 6 layers, 28.3 M parameters) on ONNX Runtime through {@link VitsKhmerSpeech}, with the default noise scales
 * (0.667 / 0.8) as a user gets them.
 *
 * <p>The graph is {@code ../shared/fixtures/tts/mms-khm-architecture.onnx}; its 113 MB of weights are not stored
 * anywhere but regenerated here, in the trial setup, from {@code mms-khm-architecture.recipe.json}: every externally
 * stored float32 initializer is filled with values drawn from a normal distribution with the recipe's mean and std
 * (exactly the mean where std is 0), seeded, and put inside the model (which also gets the Khmer test vocabulary from
 * {@code vocab.json} as metadata). Random weights cost the same as trained ones.
 *
 * <ul>
 *   <li>{@code realTimeFactor}: one {@code synthesize} of a five-sentence text (at least 5 s of audio, checked in
 *       setup). Primary score: seconds per call. The secondary result {@code realTimeFactor:audioSeconds} is seconds
 *       of synthesis per second of audio produced, i.e. <b>the real-time factor</b> (an OPERATIONS counter of audio
 *       seconds, so JMH divides the time by it).</li>
 *   <li>{@code firstChunk}: a two-sentence text with a listener that cancels after the first chunk: the time until
 *       the first sentence's audio is ready (when playback could start).</li>
 * </ul>
 * Needs {@code ../shared} (or {@code -Dkslr.sharedDir=DIR}) beside the working directory. Run from the repository root:
 * {@code java -jar benchmarks/target/benchmarks.jar KhmerSpeech -f 1 -wi 3 -i 5 -w 2s -r 1s} (one call takes about 2 s
 * with 2 threads, so shorter warm-ups leave the first measured calls slower).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = SuiteMeasurement.WARMUP_ITERATIONS, time = KhmerSpeechBenchmark.WARMUP_SECONDS)
public class KhmerSpeechBenchmark extends SuiteMeasurement {
    /** Seconds a warm-up iteration: longer than the suite's, since one call takes seconds (see above). */
    static final int WARMUP_SECONDS = 2;

    /** Five sentences: about 7.5 s of audio with the regenerated weights (the duration noise varies it). */
    static final String LONG_TEXT =
            "ខ្ញុំឈ្មោះសុខា។ សួស្តី ពិភពលោក។ ខ្ញុំស្រឡាញ់ភាសាខ្មែរ។ អរគុណច្រើនណាស់។" + " ថ្ងៃនេះអាកាសធាតុល្អណាស់។";

    static final String TWO_SENTENCES = "សួស្តី ពិភពលោក។ ខ្ញុំឈ្មោះសុខា។";
    static final double MIN_AUDIO_SECONDS = 5.0;
    static final long WEIGHT_SEED = 20261125L;

    @Param({"2"})
    public int intraOpThreads;

    @Param({"cpu"})
    public String provider;

    private VitsKhmerSpeech speech;

    /** Seconds of audio produced; as an OPERATIONS counter JMH reports time / audio seconds = real-time factor. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Audio {
        public double audioSeconds;

        @Setup(Level.Iteration)
        public void reset() {
            audioSeconds = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        Path dir = Paths.get(System.getProperty("kslr.sharedDir", "../shared")).resolve("fixtures/tts");
        byte[] model = regenerate(dir, WEIGHT_SEED);
        speech = VitsKhmerSpeech.open(
                ModelSource.ofBytes(model, "mms-khm-architecture (regenerated weights)"),
                VitsSpeechOptions.builder()
                        .intraOpThreads(intraOpThreads)
                        .device(ExecutionDevice.parse(provider))
                        .build());
        AudioClip probe = speech.synthesize(LONG_TEXT);
        if (probe.durationSeconds() < MIN_AUDIO_SECONDS) {
            throw new IllegalStateException("the benchmark text gave " + probe.durationSeconds() + " s of audio; the"
                    + " real-time factor needs at least " + MIN_AUDIO_SECONDS + " s");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (speech != null) {
            speech.close();
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.SECONDS)
    public AudioClip realTimeFactor(Audio audio) {
        AudioClip clip = speech.synthesize(LONG_TEXT);
        audio.audioSeconds += clip.durationSeconds();
        return clip;
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int firstChunk() {
        return speech.synthesize(TWO_SENTENCES, (clip, text, index, total) -> false);
    }

    /**
     * The architecture graph with its weights regenerated from the recipe and put inline, plus the tokenizer data
     * and sample rate as metadata (the graph file itself has none).
     */
    static byte[] regenerate(Path dir, long seed) {
        try {
            OnnxMl.ModelProto graph =
                    OnnxMl.ModelProto.parseFrom(Files.readAllBytes(dir.resolve("mms-khm-architecture.onnx")));
            JsonObject recipe = json(dir.resolve("mms-khm-architecture.recipe.json"));
            Map<String, JsonObject> stats = new HashMap<>();
            for (JsonElement e : recipe.getAsJsonArray("initializers")) {
                stats.put(e.getAsJsonObject().get("name").getAsString(), e.getAsJsonObject());
            }
            Random random = new Random(seed);
            OnnxMl.GraphProto.Builder g = graph.getGraph().toBuilder();
            for (int i = 0; i < g.getInitializerCount(); i++) {
                OnnxMl.TensorProto t = g.getInitializer(i);
                if (t.getDataLocation() != OnnxMl.TensorProto.DataLocation.EXTERNAL) {
                    continue;
                }
                JsonObject s = stats.get(t.getName());
                if (s == null || t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
                    throw new IllegalStateException("initializer " + t.getName() + " (type " + t.getDataType()
                            + ") has no float32 recipe entry");
                }
                long length = -1;
                for (OnnxMl.StringStringEntryProto kv : t.getExternalDataList()) {
                    if (kv.getKey().equals("length")) {
                        length = Long.parseLong(kv.getValue());
                    }
                }
                long count = 1;
                for (long d : t.getDimsList()) {
                    count *= d;
                }
                if (length >= 0 && length != count * 4) {
                    throw new IllegalStateException("initializer " + t.getName() + ": external length " + length
                            + " != 4 x " + count + " elements");
                }
                double mean = s.get("mean").getAsDouble();
                double std = s.get("std").getAsDouble();
                ByteBuffer raw = ByteBuffer.allocate(Math.toIntExact(count * 4)).order(ByteOrder.LITTLE_ENDIAN);
                for (long k = 0; k < count; k++) {
                    raw.putFloat((float) (std == 0 ? mean : mean + std * random.nextGaussian()));
                }
                raw.flip();
                g.setInitializer(
                        i,
                        t.toBuilder()
                                .clearExternalData()
                                .setDataLocation(OnnxMl.TensorProto.DataLocation.DEFAULT)
                                .setRawData(ByteString.copyFrom(raw)));
            }
            JsonObject tok = json(dir.resolve("tokenizer_config.json"));
            int sampleRate =
                    recipe.getAsJsonObject("config").get("sampling_rate").getAsInt();
            OnnxMl.ModelProto.Builder m = graph.toBuilder().setGraph(g).clearMetadataProps();
            meta(m, "model_type", "vits");
            meta(m, "sample_rate", Integer.toString(sampleRate));
            meta(m, "vocab", Files.readString(dir.resolve("vocab.json"), StandardCharsets.UTF_8));
            meta(m, "pad_token", tok.get("pad_token").getAsString());
            meta(m, "unk_token", tok.get("unk_token").getAsString());
            meta(m, "language", tok.get("language").getAsString());
            meta(m, "add_blank", tok.get("add_blank").getAsBoolean() ? "1" : "0");
            meta(m, "normalize", tok.get("normalize").getAsBoolean() ? "1" : "0");
            meta(m, "comment", "regenerated random weights, timing only");
            return m.build().toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read the MMS architecture fixture in " + dir.toAbsolutePath()
                            + " (see ../shared/fixtures/tts/README.md)",
                    e);
        }
    }

    private static void meta(OnnxMl.ModelProto.Builder m, String key, String value) {
        m.addMetadataProps(
                OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value));
    }

    private static JsonObject json(Path p) throws IOException {
        return JsonParser.parseString(Files.readString(p, StandardCharsets.UTF_8))
                .getAsJsonObject();
    }
}
