package io.github.kslr.recognizer;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.kslr.api.Candidate;
import io.github.kslr.api.Checks;
import io.github.kslr.api.ClosedException;
import io.github.kslr.api.DeviceUnavailableException;
import io.github.kslr.api.EngineBuilder;
import io.github.kslr.api.ExecutionDevice;
import io.github.kslr.api.InferenceException;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.ModelLoadException;
import io.github.kslr.api.ModelOptions;
import io.github.kslr.api.ModelSource;
import io.github.kslr.api.Prediction;
import io.github.kslr.api.SequenceBuffer;
import io.github.kslr.api.SignClassifier;
import io.github.kslr.api.SignLabel;
import io.github.kslr.api.SignModelMetadata;
import io.github.kslr.onnx.GuardedSession;
import io.github.kslr.onnx.OnnxSessions;
import io.github.kslr.onnx.SessionSettings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SignClassifier} on ONNX Runtime: loads a sign model with its {@link SignModelMetadata}, checks that the
 * model's input and output shapes agree with it, and classifies windows one at a time or in batches.
 *
 * <pre>{@code
 * try (OnnxSignClassifier classifier = OnnxSignClassifier.builder()
 *         .model(Path.of("ksl.onnx")).topK(3).confidenceThreshold(0.7f).build()) {
 *     Prediction p = classifier.classify(window);   // window: T * F floats, oldest frame first
 *     if (p.recognized()) { ... p.khmer() ... }
 * }
 * }</pre>
 *
 * <p><b>Hot path.</b> A call borrows a scratch from the classifier's pool: a direct, native-order input buffer and
 * output buffer, with ONNX tensors created over them once per batch size and reused (inputs are read in place;
 * outputs are pinned, so ONNX Runtime writes straight into them). A call copies the window in, runs the model and
 * reads the probabilities out; it allocates only the returned {@link Prediction}s and ONNX Runtime's own per-call
 * bookkeeping. Scratch grows to the largest batch asked for, at most {@link Builder#maxBatch}; larger batches run in
 * chunks. The pool keeps as many scratches as calls ran at once, up to the number of processors; more are freed when
 * their call ends. Memory therefore follows concurrency, not the number of threads that ever called (a scratch per
 * thread kept the direct buffers of every short-lived thread until {@code close()}).
 *
 * <p><b>Thread-safety.</b> Thread-safe: one classifier may serve many threads at once (ONNX Runtime's
 * {@code run} is thread-safe, and a scratch serves one call at a time). {@link #close()} is idempotent, waits for
 * calls in flight and then frees the session and every scratch; later calls throw {@link ClosedException}.
 *
 * <p><b>Ownership.</b> The classifier never keeps a reference to the caller's arrays or buffers.
 */
public final class OnnxSignClassifier implements SignClassifier {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxSignClassifier.class);

    private final GuardedSession session;
    private final SignModelMetadata metadata;
    private final String inputName;
    private final String outputName;
    private final int windowSize;
    private final int sequenceLength;
    private final int featureSize;
    private final int classes;
    private final int topK;
    private final float threshold;
    private final int noSignIndex;
    private final int maxBatch;
    /** Scratch not in use, most recently returned first (its tensors are the warmest). */
    private final ConcurrentLinkedDeque<Scratch> idle = new ConcurrentLinkedDeque<>();

    private final AtomicInteger idleCount = new AtomicInteger();
    private static final int MAX_IDLE = Math.max(2, Runtime.getRuntime().availableProcessors());

    private OnnxSignClassifier(Options b, GuardedSession session) {
        this.session = session;
        try {
            this.metadata = b.metadata() != null
                    ? b.metadata()
                    : SignModelMetadata.fromProperties(OnnxSessions.metadata(session), session.name());
            this.sequenceLength = metadata.sequenceLength();
            this.featureSize = metadata.layout().size();
            this.windowSize = metadata.windowSize();
            this.classes = metadata.labels().size();
            Map<String, NodeInfo> inputs = session.inputs();
            Map<String, NodeInfo> outputs = session.outputs();
            if (inputs.size() != 1 || outputs.isEmpty()) {
                throw new ModelLoadException(session.name() + ": a sign model has one input and one output, this one"
                        + " has inputs " + inputs.keySet() + " and outputs " + outputs.keySet());
            }
            NodeInfo in = inputs.values().iterator().next();
            NodeInfo out = outputs.values().iterator().next();
            this.inputName = in.getName();
            this.outputName = out.getName();
            long[] inShape = floatShape(in, 3, "input");
            long[] outShape = floatShape(out, 2, "output");
            checkDim(inShape, 1, sequenceLength, "input", "the sequence length " + SignModelMetadata.SEQUENCE_LENGTH);
            checkDim(
                    inShape,
                    2,
                    featureSize,
                    "input",
                    "the feature size of layout " + metadata.layout().name());
            checkDim(outShape, 1, classes, "output", "the number of labels");
            long fixedBatch = inShape[0];
            if (fixedBatch > 1) {
                throw new ModelLoadException(session.name() + ": input batch dimension is fixed at " + fixedBatch
                        + "; a sign model needs a dynamic batch dimension (or 1)");
            }
            this.maxBatch = fixedBatch == 1 ? 1 : b.maxBatch();
            this.topK = Math.min(b.topK(), classes);
            this.threshold = b.threshold();
            this.noSignIndex = metadata.noSignLabel().isEmpty()
                    ? -1
                    : metadata.labelNames().indexOf(metadata.noSignLabel());
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        LOG.info(
                "loaded sign model {}: {} labels, {} frames x {} ({}), device {}, top-{} , threshold {}",
                session.name(),
                classes,
                sequenceLength,
                featureSize,
                metadata.layout().name(),
                session.device(),
                topK,
                threshold);
    }

    private long[] floatShape(NodeInfo node, int rank, String what) {
        if (!(node.getInfo() instanceof TensorInfo)) {
            throw new ModelLoadException(
                    session.name() + ": " + what + " '" + node.getName() + "' must be a tensor, is " + node.getInfo());
        }
        TensorInfo t = (TensorInfo) node.getInfo();
        long[] shape = t.getShape();
        if (t.type != OnnxJavaType.FLOAT || shape.length != rank) {
            throw new ModelLoadException(session.name() + ": " + what + " '" + node.getName() + "' must be a float"
                    + " tensor of rank " + rank + ", is " + t.type + " " + Arrays.toString(shape));
        }
        return shape;
    }

    private void checkDim(long[] shape, int axis, int expected, String what, String meaning) {
        // Negative dimensions are symbolic (dynamic); only fixed ones can disagree.
        if (shape[axis] >= 0 && shape[axis] != expected) {
            throw new ModelLoadException(session.name() + ": " + what + " shape " + Arrays.toString(shape)
                    + " has " + shape[axis] + " at axis " + axis + " but the metadata says " + expected + " ("
                    + meaning + ")");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Options for an {@link OnnxSignClassifier}; validated by {@link #build()}. Models run on the CPU by default, with
     * 1 ONNX Runtime thread, spinning: a window is about 10 MFLOP, too little to repay waking a thread pool (use more
     * threads for big batches; 0 lets ONNX Runtime choose), and spinning helps back-to-back calls. Not thread-safe.
     */
    public static final class Builder extends EngineBuilder<Builder> {
        private ModelSource source;
        private SignModelMetadata metadata;
        private int topK = 3;
        private float threshold = 0.5f;
        private int maxBatch = 64;

        private Builder() {
            super(ModelOptions.cpu(1));
        }

        /** The model (required). */
        public Builder model(ModelSource source) {
            this.source = Checks.notNull(source, "model");
            return this;
        }

        /** A model file. */
        public Builder model(Path file) {
            return model(ModelSource.ofPath(file));
        }

        /** A model on the classpath of {@code loader}, e.g. {@code io/github/kslr/recognizer/demo/x.onnx}. */
        public Builder modelResource(ClassLoader loader, String resource) {
            return model(ModelSource.ofResource(loader, resource));
        }

        /** Model bytes (copied); {@code name} appears in messages. */
        public Builder model(byte[] bytes, String name) {
            return model(ModelSource.ofBytes(bytes, name));
        }

        /**
         * Metadata to use instead of the model's own {@code metadata_props}, e.g. for a model exported by another
         * tool. By default the model's metadata is read and a model without it is rejected.
         */
        public Builder metadata(SignModelMetadata metadata) {
            this.metadata = Checks.notNull(metadata, "metadata");
            return this;
        }

        /** Candidates in {@link Prediction#topK()} (default 3; capped at the number of labels). */
        public Builder topK(int k) {
            this.topK = Checks.positive(k, "topK");
            return this;
        }

        /**
         * Probability the best class needs to count as recognised (default 0.5, the reports' tutorial's value);
         * below it the prediction says "no sign".
         */
        public Builder confidenceThreshold(float threshold) {
            this.threshold = Checks.inRange(threshold, 0f, 1f, "confidenceThreshold");
            return this;
        }

        /** Largest batch one model call takes (default 64); bigger batches run in chunks. */
        public Builder maxBatch(int windows) {
            this.maxBatch = Checks.positive(windows, "maxBatch");
            return this;
        }

        /**
         * Loads the model and checks it.
         *
         * @throws InvalidInputException      when no model was given
         * @throws ModelLoadException         when the model cannot be read or loaded, lacks the KSLR metadata, or
         *                                    its input/output shapes disagree with the metadata
         * @throws DeviceUnavailableException when CUDA was asked for without fallback and cannot be used
         */
        public OnnxSignClassifier build() {
            if (source == null) {
                throw new InvalidInputException("no model given: call model(Path | ModelSource | bytes) first");
            }
            ModelOptions m = modelOptions();
            GuardedSession s =
                    OnnxSessions.open(source, new SessionSettings(m.device(), m.threads(), 1, false, m.spinning()));
            return new OnnxSignClassifier(new Options(metadata, topK, threshold, maxBatch), s);
        }
    }

    /** What the builder decided, handed to the classifier whole (it never reads a builder). */
    private record Options(SignModelMetadata metadata, int topK, float threshold, int maxBatch) {}

    @Override
    public SignModelMetadata metadata() {
        return metadata;
    }

    /** The device the model runs on (the CPU after a CUDA fallback). */
    public ExecutionDevice device() {
        return session.device();
    }

    /** Candidates each prediction carries. */
    public int topK() {
        return topK;
    }

    /** The probability a class needs to count as recognised. */
    public float confidenceThreshold() {
        return threshold;
    }

    @Override
    public Prediction classify(float[] window) {
        Checks.length(window, windowSize, "window");
        checkFinite(window, 0, 1);
        return withScratch(1, s -> {
            s.in.put(0, window, 0, windowSize);
            run(s, 1);
            return prediction(s, 0);
        });
    }

    @Override
    public Prediction classify(SequenceBuffer buffer) {
        Checks.notNull(buffer, "buffer");
        checkBuffer(buffer);
        return withScratch(1, s -> {
            s.in.clear();
            buffer.copyWindow(s.in);
            run(s, 1);
            return prediction(s, 0);
        });
    }

    @Override
    public List<Prediction> classifyBatch(float[] windows, int count) {
        checkBatch(windows, count);
        List<Prediction> out = new ArrayList<>(count);
        runChunks(windows, count, (s, start, n) -> {
            for (int i = 0; i < n; i++) {
                out.add(prediction(s, i));
            }
        });
        return Collections.unmodifiableList(out);
    }

    /**
     * The model's probabilities for {@code count} windows, written to {@code dst[0 .. count * labels)}, window-major
     * (for evaluation, where predictions are not needed). Checks input as {@link #classifyBatch} does.
     */
    public void probabilities(float[] windows, int count, float[] dst) {
        checkBatch(windows, count);
        Checks.notNull(dst, "dst");
        Checks.range(dst.length, 0, count * classes, "dst");
        runChunks(windows, count, (s, start, n) -> s.out.get(0, dst, start * classes, n * classes));
    }

    private void checkBatch(float[] windows, int count) {
        Checks.notNull(windows, "windows");
        Checks.positive(count, "count");
        if ((long) count * windowSize > windows.length) {
            throw new InvalidInputException("windows holds " + windows.length + " floats, " + count + " windows of "
                    + sequenceLength + " x " + featureSize + " need " + (long) count * windowSize);
        }
        checkFinite(windows, 0, count);
    }

    private void checkFinite(float[] windows, int first, int count) {
        int end = (first + count) * windowSize;
        for (int i = first * windowSize; i < end; i++) {
            if (!Float.isFinite(windows[i])) {
                int w = i / windowSize;
                int r = i % windowSize;
                throw new InvalidInputException("window " + w + ", frame " + r / featureSize + ", feature "
                        + r % featureSize + " is " + windows[i] + "; all values must be finite (fill missing landmarks"
                        + " with 0 as the layout does)");
            }
        }
    }

    private void checkBuffer(SequenceBuffer buffer) {
        if (buffer.length() != sequenceLength || buffer.featureSize() != featureSize) {
            throw new InvalidInputException("buffer holds " + buffer.length() + " frames of " + buffer.featureSize()
                    + " features; the model needs " + sequenceLength + " frames of " + featureSize);
        }
        if (buffer.layout() != null && !buffer.layout().equals(metadata.layout())) {
            throw new InvalidInputException("buffer layout " + buffer.layout().name() + " differs from the model's "
                    + metadata.layout().name() + " (" + metadata.layout().spec() + ")");
        }
        if (!buffer.isFull()) {
            throw new InvalidInputException(
                    "buffer is not full yet: " + buffer.size() + " of " + sequenceLength + " frames");
        }
    }

    /** Runs {@code body} on a borrowed scratch with room for {@code windows} windows, inside the session guard. */
    private <T> T withScratch(int windows, Function<Scratch, T> body) {
        session.begin();
        Scratch s = null;
        try {
            s = borrow(windows);
            return body.apply(s);
        } finally {
            release(s);
            session.end();
        }
    }

    /** Reads the output of windows {@code start .. start + n}, which {@code s} holds from index 0. */
    private interface ChunkReader {
        void read(Scratch s, int start, int n);
    }

    /** Runs the first {@code count} windows in chunks of at most {@link #maxBatch}, each read by {@code reader}. */
    private void runChunks(float[] windows, int count, ChunkReader reader) {
        withScratch(Math.min(maxBatch, count), s -> {
            for (int start = 0; start < count; start += maxBatch) {
                int n = Math.min(maxBatch, count - start);
                runChunk(s, windows, start, n);
                reader.read(s, start, n);
            }
            return null;
        });
    }

    /** Copies windows {@code start .. start + n} into the scratch's input and runs them. */
    private void runChunk(Scratch s, float[] windows, int start, int n) {
        s.ensure(n);
        s.in.put(0, windows, start * windowSize, n * windowSize);
        run(s, n);
    }

    private void run(Scratch s, int n) {
        try (OrtSession.Result ignored = session.session().run(s.inputs[n - 1], s.outputs[n - 1])) {
            // The output is pinned: ONNX Runtime wrote it into s.out, which closing the result leaves alone.
        } catch (OrtException e) {
            throw new InferenceException(
                    session.name() + ": inference on " + n + " window(s) failed: " + e.getMessage(), e);
        }
    }

    private Prediction prediction(Scratch s, int window) {
        FloatBuffer probs = s.out;
        int base = window * classes;
        // Partial selection sort: k is small (a handful) and N is tens, so this beats sorting.
        int[] best = s.best;
        float[] bestP = s.bestP;
        int filled = 0;
        for (int c = 0; c < classes; c++) {
            float p = probs.get(base + c);
            if (!Float.isFinite(p)) {
                // Finite but huge inputs (3e38) overflow inside the network; a NaN confidence must not pass as one.
                throw new InvalidInputException(session.name() + ": the model gave " + p + " for label " + c
                        + " of window " + window + "; its input is far outside landmark coordinates (normalised values"
                        + " near 0..1)");
            }
            if (filled < topK || p > bestP[topK - 1]) {
                // Into the next free place, or over the last (smallest) one when all are taken, then up past the
                // smaller ones.
                int j = filled < topK ? filled++ : topK - 1;
                while (j > 0 && bestP[j - 1] < p) {
                    best[j] = best[j - 1];
                    bestP[j] = bestP[j - 1];
                    j--;
                }
                best[j] = c;
                bestP[j] = p;
            }
        }
        List<SignLabel> labels = metadata.labels();
        Candidate[] candidates = new Candidate[topK];
        for (int i = 0; i < topK; i++) {
            candidates[i] = new Candidate(labels.get(best[i]), bestP[i]);
        }
        boolean recognized = bestP[0] >= threshold && best[0] != noSignIndex;
        // List.of is immutable already, so Prediction's List.copyOf keeps it instead of copying again.
        return new Prediction(labels.get(best[0]), bestP[0], recognized, List.of(candidates));
    }

    /** A scratch with room for {@code n} windows, for this call only; call between session.begin() and end(). */
    private Scratch borrow(int n) {
        Scratch s = idle.pollFirst();
        if (s == null) {
            s = new Scratch();
        } else {
            idleCount.decrementAndGet();
        }
        try {
            s.ensure(n);
        } catch (RuntimeException e) {
            s.free();
            throw e;
        }
        return s;
    }

    /** Returns a borrowed scratch (null: none was borrowed) to the pool, or frees it when the pool is full. */
    private void release(Scratch s) {
        if (s == null) {
            return;
        }
        if (idleCount.incrementAndGet() <= MAX_IDLE) {
            idle.offerFirst(s);
        } else {
            idleCount.decrementAndGet();
            s.free();
        }
    }

    /** Releases the session, then every scratch. Idempotent; waits for calls in flight. */
    @Override
    public void close() {
        if (session.isClosed()) {
            return;
        }
        session.close();
        // No call can be in flight now (session.close() waited and later calls fail in begin()), so every scratch
        // is idle.
        for (Scratch s = idle.pollFirst(); s != null; s = idle.pollFirst()) {
            s.free();
        }
        idleCount.set(0);
    }

    @Override
    public String toString() {
        return "OnnxSignClassifier[" + session.name() + ", " + classes + " labels, " + session.device()
                + (session.isClosed() ? ", closed" : "") + "]";
    }

    /**
     * One call's direct buffers and the tensors over them. Tensors for batch size n view the first n windows of the
     * same buffers, so all sizes share memory; they are made on first use.
     */
    private final class Scratch {
        FloatBuffer in;
        FloatBuffer out;
        final int[] best = new int[topK];
        final float[] bestP = new float[topK];
        int capacity;
        OnnxTensor[] inTensors = new OnnxTensor[0];
        OnnxTensor[] outTensors = new OnnxTensor[0];
        Map<String, OnnxTensor>[] inputs;
        Map<String, OnnxTensor>[] outputs;

        void ensure(int n) {
            if (n > capacity) {
                grow(Math.min(maxBatch, Math.max(n, Integer.highestOneBit(n - 1) << 1)));
            }
            if (inTensors[n - 1] == null) {
                try {
                    FloatBuffer inView = in.duplicate().clear().limit(n * windowSize);
                    FloatBuffer outView = out.duplicate().clear().limit(n * classes);
                    inTensors[n - 1] = OnnxTensor.createTensor(
                            session.environment(), inView, new long[] {n, sequenceLength, featureSize});
                    outTensors[n - 1] =
                            OnnxTensor.createTensor(session.environment(), outView, new long[] {n, classes});
                } catch (OrtException e) {
                    throw new InferenceException(session.name() + ": cannot create tensors for " + n + " windows", e);
                }
                inputs[n - 1] = Collections.singletonMap(inputName, inTensors[n - 1]);
                outputs[n - 1] = Collections.singletonMap(outputName, outTensors[n - 1]);
            }
        }

        @SuppressWarnings({"unchecked", "rawtypes"}) // arrays of a generic type: Java makes them raw
        private void grow(int newCapacity) {
            closeTensors();
            in = ByteBuffer.allocateDirect(newCapacity * windowSize * Float.BYTES)
                    .order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
            out = ByteBuffer.allocateDirect(newCapacity * classes * Float.BYTES)
                    .order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
            inTensors = new OnnxTensor[newCapacity];
            outTensors = new OnnxTensor[newCapacity];
            inputs = new Map[newCapacity];
            outputs = new Map[newCapacity];
            capacity = newCapacity;
        }

        void closeTensors() {
            for (OnnxTensor t : inTensors) {
                if (t != null) {
                    t.close();
                }
            }
            for (OnnxTensor t : outTensors) {
                if (t != null) {
                    t.close();
                }
            }
            Arrays.fill(inTensors, null);
            Arrays.fill(outTensors, null);
        }

        /** Frees the tensors and lets the direct buffers go (they are freed with the scratch). */
        void free() {
            closeTensors();
            in = null;
            out = null;
            capacity = 0;
            inTensors = new OnnxTensor[0];
            outTensors = new OnnxTensor[0];
        }
    }
}
