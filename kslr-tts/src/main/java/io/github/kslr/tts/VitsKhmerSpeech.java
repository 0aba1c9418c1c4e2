package io.github.kslr.tts;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.kslr.api.AudioClip;
import io.github.kslr.api.Checks;
import io.github.kslr.api.ClosedException;
import io.github.kslr.api.ExecutionDevice;
import io.github.kslr.api.InferenceException;
import io.github.kslr.api.KhmerSpeech;
import io.github.kslr.api.ModelLoadException;
import io.github.kslr.api.ModelSource;
import io.github.kslr.api.SpeechChunkListener;
import io.github.kslr.api.UnsupportedTextException;
import io.github.kslr.onnx.GuardedSession;
import io.github.kslr.onnx.OnnxSessions;
import io.github.kslr.onnx.SessionSettings;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link KhmerSpeech} with a VITS voice on ONNX Runtime: a model exported from transformers' {@code VitsModel} (for
 * Khmer, facebook/mms-tts-khm, which the user exports with {@code tools/voice-export/export_vits.py}; its CC-BY-NC
 * weights are never bundled).
 *
 * <p>The voice's graph takes {@code input_ids} (int64 [1, L]) and, when it has them, {@code attention_mask},
 * {@code noise_scale}, {@code length_scale} ({@code 1 / speaking rate}) and {@code noise_scale_duration}; it returns
 * {@code waveform} (float32 [1, T]). Its tokenizer data and sample rate come from its metadata or from transformers'
 * files beside it (see {@link MmsTokenizer}). A graph without one of the three scale inputs (noise baked in at export)
 * is accepted: the option it has no input for is ignored, with a warning in the log.
 *
 * <p>Text is spoken chunk by chunk, a chunk a sentence cut to at most {@link KhmerTextFrontEnd#MAX_CHUNK_CHARS}
 * characters ({@link KhmerTextFrontEnd}); {@link #synthesize(String)} joins the chunks,
 * {@link #synthesize(String, SpeechChunkListener)} hands each over as soon as it is ready. Numbers written in digits
 * are spoken as Khmer words ({@link KhmerNumbers}; {@link VitsSpeechOptions.Builder#spellNumbers(boolean)} turns that
 * off): the MMS Khmer voice has no digits and would skip them. Sentences with nothing speakable (only punctuation,
 * Latin...) are skipped and not counted in the listener's {@code total}. With both noise scales 0 a one-sentence text
 * gives transformers' waveform for it (within 1e-4, tested).
 *
 * <p><b>Thread-safety.</b> Thread-safe: calls may run concurrently (each has its own tensors; ONNX Runtime runs them
 * in parallel). {@link #close()} waits for calls in flight and is idempotent; later calls throw
 * {@link ClosedException}. <b>Ownership.</b> Every {@link AudioClip} returned or handed to a listener belongs to the
 * caller; this class keeps no reference to it. The native session and the scalar input tensors belong to this object
 * and are released by {@link #close()}.
 */
public final class VitsKhmerSpeech implements KhmerSpeech {
    private static final Logger LOG = LoggerFactory.getLogger(VitsKhmerSpeech.class);
    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String NOISE_SCALE = "noise_scale";
    static final String LENGTH_SCALE = "length_scale";
    static final String NOISE_SCALE_DURATION = "noise_scale_duration";
    static final String WAVEFORM = "waveform";

    private final GuardedSession session;
    private final VitsSpeechOptions options;
    private final MmsTokenizer tokenizer;
    private final KhmerTextFrontEnd frontEnd;
    private final int sampleRate;
    private final boolean hasMask;
    private final String outputName;
    /** The three scalar inputs: fixed per voice, made once, read-only during runs. */
    private final Map<String, OnnxTensor> scalars = new HashMap<>();

    private final AtomicBoolean closed = new AtomicBoolean();

    private VitsKhmerSpeech(ModelSource source, VitsSpeechOptions options) {
        this.options = options;
        this.frontEnd = new KhmerTextFrontEnd(options.spellNumbers());
        // Speech length follows the text, so nearly every call has new shapes.
        this.session = OnnxSessions.open(
                source, SessionSettings.of(options.modelOptions()).withVariableShapes(true));
        try {
            VitsVoiceData data =
                    VitsVoiceData.read(source.description(), OnnxSessions.metadata(session), source.path());
            this.tokenizer = new MmsTokenizer(data.tokenizer());
            this.sampleRate = data.sampleRate();
            Map<String, NodeInfo> inputs = session.inputs();
            Map<String, NodeInfo> outputs = session.outputs();
            requireInput(source, inputs, INPUT_IDS, OnnxJavaType.INT64);
            this.hasMask = inputs.containsKey(ATTENTION_MASK);
            if (hasMask) {
                requireInput(source, inputs, ATTENTION_MASK, OnnxJavaType.INT64);
            }
            this.outputName = outputs.containsKey(WAVEFORM)
                    ? WAVEFORM
                    : outputs.size() == 1 ? outputs.keySet().iterator().next() : null;
            if (outputName == null) {
                throw new ModelLoadException("voice " + source.description() + " has no '" + WAVEFORM
                        + "' output; outputs are " + outputs.keySet());
            }
            scalar(source, inputs, NOISE_SCALE, options.noiseScale());
            scalar(source, inputs, LENGTH_SCALE, options.lengthScale());
            scalar(source, inputs, NOISE_SCALE_DURATION, options.noiseScaleDuration());
            for (String name : inputs.keySet()) {
                if (!name.equals(INPUT_IDS) && !name.equals(ATTENTION_MASK) && !scalars.containsKey(name)) {
                    throw new ModelLoadException("voice " + source.description() + " has an input '" + name
                            + "' KSLR does not know; expected " + INPUT_IDS + ", " + ATTENTION_MASK + ", "
                            + NOISE_SCALE + ", " + LENGTH_SCALE + ", " + NOISE_SCALE_DURATION);
                }
            }
            LOG.debug(
                    "voice {}: {} symbols, {} Hz, tokenizer data from {}, device {}, {}",
                    source.description(),
                    data.tokenizer().vocab().size(),
                    sampleRate,
                    data.origin(),
                    session.device(),
                    options);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /** Opens the voice file with the default options. */
    public static VitsKhmerSpeech open(Path voice) {
        return open(ModelSource.ofPath(Checks.notNull(voice, "voice")), VitsSpeechOptions.defaults());
    }

    /** Opens the voice file. */
    public static VitsKhmerSpeech open(Path voice, VitsSpeechOptions options) {
        return open(ModelSource.ofPath(Checks.notNull(voice, "voice")), options);
    }

    /**
     * Opens a voice.
     *
     * @throws ModelLoadException when the source is not an ONNX model, lacks tokenizer data, or its inputs and
     *                            outputs are not a VITS voice's
     * @throws io.github.kslr.api.DeviceUnavailableException when CUDA was asked for and cannot be used
     */
    public static VitsKhmerSpeech open(ModelSource source, VitsSpeechOptions options) {
        Checks.notNull(source, "source");
        Checks.notNull(options, "options");
        return new VitsKhmerSpeech(source, options);
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    public VitsSpeechOptions options() {
        return options;
    }

    public MmsTokenizer tokenizer() {
        return tokenizer;
    }

    /** The device the voice runs on (CPU after a CUDA fallback). */
    public ExecutionDevice device() {
        return session.device();
    }

    @Override
    public AudioClip synthesize(String text) {
        List<AudioClip> clips = new ArrayList<>();
        synthesize(text, (chunk, chunkText, index, total) -> clips.add(chunk));
        return clips.size() == 1 ? clips.get(0) : AudioClip.concat(clips, sampleRate);
    }

    @Override
    public int synthesize(String text, SpeechChunkListener listener) {
        Checks.notNull(text, "text");
        Checks.notNull(listener, "listener");
        if (closed.get()) {
            throw new ClosedException("voice " + session.name());
        }
        if (text.isBlank()) {
            throw new UnsupportedTextException(
                    "text is empty" + (text.isEmpty() ? "" : " (only whitespace)") + "; expected Khmer text to speak");
        }
        // Tokenise everything first, so an unspeakable text fails before any model run.
        List<String> sentences = new ArrayList<>();
        List<long[]> ids = new ArrayList<>();
        for (KhmerTextFrontEnd.Chunk chunk : frontEnd.chunks(text)) {
            // The listener gets the chunk as written; the voice reads its numbers as words.
            if (speakable(chunk.spoken())) {
                sentences.add(chunk.written());
                ids.add(tokenizer.encode(chunk.spoken()));
            }
        }
        if (sentences.isEmpty()) {
            throw new UnsupportedTextException("text \"" + shorten(text) + "\" has nothing this voice can speak:"
                    + " no character besides spaces and punctuation is in its vocabulary of "
                    + tokenizer.config().vocab().size() + " symbols"
                    + (tokenizer.config().language() == null
                            ? ""
                            : " (language " + tokenizer.config().language() + ")"));
        }
        int total = sentences.size();
        for (int i = 0; i < total; i++) {
            long started = System.nanoTime();
            AudioClip clip = AudioClip.of(run(ids.get(i)), sampleRate);
            if (LOG.isDebugEnabled()) {
                LOG.debug(
                        "chunk {}/{}: {} ids -> {} s of audio in {} ms",
                        i + 1,
                        total,
                        ids.get(i).length,
                        clip.durationSeconds(),
                        (System.nanoTime() - started) / 1_000_000);
            }
            if (!listener.onChunk(clip, sentences.get(i), i, total)) {
                return i + 1;
            }
        }
        return total;
    }

    /** Whether the text has a symbol of the vocabulary that is not whitespace or sentence punctuation. */
    private boolean speakable(String sentence) {
        for (int cp : tokenizer.prepare(sentence)) {
            if (!MmsTokenizer.isPythonSpace(cp) && !KhmerSentences.isSentenceEnd(cp)) {
                return true;
            }
        }
        return false;
    }

    /** One model run: ids to samples. */
    private float[] run(long[] ids) {
        session.begin();
        try {
            OrtEnvironment env = session.environment();
            long[] shape = {1, ids.length};
            // A run takes tens to hundreds of ms per sentence; wrapping the few hundred ids per call keeps concurrent
            // calls independent at no measurable cost.
            try (OnnxTensor idsTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                    OnnxTensor mask =
                            hasMask ? OnnxTensor.createTensor(env, LongBuffer.wrap(ones(ids.length)), shape) : null) {
                Map<String, OnnxTensor> inputs = new HashMap<>(scalars);
                inputs.put(INPUT_IDS, idsTensor);
                if (mask != null) {
                    inputs.put(ATTENTION_MASK, mask);
                }
                try (OrtSession.Result result = session.session().run(inputs, Set.of(outputName))) {
                    OnnxValue value = result.get(0);
                    if (!(value instanceof OnnxTensor)) {
                        throw new InferenceException(
                                session.name() + ": output " + outputName + " is " + value.getType()
                                        + ", expected a float tensor",
                                null);
                    }
                    FloatBuffer fb = ((OnnxTensor) value).getFloatBuffer();
                    if (fb == null) {
                        throw new InferenceException(
                                session.name() + ": output " + outputName + " is not float32", null);
                    }
                    float[] samples = new float[fb.remaining()];
                    fb.get(samples);
                    for (int i = 0; i < samples.length; i++) {
                        if (!Float.isFinite(samples[i])) {
                            throw new InferenceException(
                                    session.name() + ": the voice produced a non-finite sample " + samples[i] + " at "
                                            + i + " of " + samples.length,
                                    null);
                        }
                    }
                    return samples;
                }
            }
        } catch (OrtException e) {
            throw new InferenceException(
                    session.name() + ": synthesis of " + ids.length + " ids failed: " + e.getMessage(), e);
        } finally {
            session.end();
        }
    }

    private static long[] ones(int n) {
        long[] a = new long[n];
        Arrays.fill(a, 1L);
        return a;
    }

    private void requireInput(ModelSource source, Map<String, NodeInfo> inputs, String name, OnnxJavaType type) {
        NodeInfo info = inputs.get(name);
        if (info == null) {
            throw new ModelLoadException("voice " + source.description() + " has no '" + name + "' input; inputs are "
                    + inputs.keySet() + " (is it a VITS voice exported by tools/voice-export/export_vits.py?)");
        }
        if (!(info.getInfo() instanceof TensorInfo) || ((TensorInfo) info.getInfo()).type != type) {
            throw new ModelLoadException("voice " + source.description() + ": input '" + name + "' is " + info.getInfo()
                    + "; expected a " + type + " tensor");
        }
    }

    private void scalar(ModelSource source, Map<String, NodeInfo> inputs, String name, float value) {
        NodeInfo info = inputs.get(name);
        if (info == null) {
            LOG.warn(
                    "voice {} has no '{}' input: its built-in value is used instead of {}",
                    source.description(),
                    name,
                    value);
            return;
        }
        if (!(info.getInfo() instanceof TensorInfo) || ((TensorInfo) info.getInfo()).type != OnnxJavaType.FLOAT) {
            throw new ModelLoadException("voice " + source.description() + ": input '" + name + "' is " + info.getInfo()
                    + "; expected a float32 scalar");
        }
        long[] shape = ((TensorInfo) info.getInfo()).getShape();
        // transformers-style exports take a 0-d scalar, sherpa-style ones a [1] tensor.
        long[] want = shape.length == 0 ? new long[0] : new long[] {1};
        try {
            scalars.put(
                    name, OnnxTensor.createTensor(session.environment(), FloatBuffer.wrap(new float[] {value}), want));
        } catch (OrtException e) {
            throw new ModelLoadException("voice " + source.description() + ": cannot make input " + name, e);
        }
    }

    private static String shorten(String text) {
        String t = text.strip();
        return t.length() <= 40 ? t : t.substring(0, 40) + "...";
    }

    /** Waits for calls in flight, then releases the session and the scalar tensors. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        try {
            session.close();
        } finally {
            for (OnnxTensor t : scalars.values()) {
                t.close();
            }
            scalars.clear();
        }
    }

    @Override
    public String toString() {
        return "VitsKhmerSpeech[" + session.name() + ", " + sampleRate + " Hz, " + session.device() + "]";
    }
}
