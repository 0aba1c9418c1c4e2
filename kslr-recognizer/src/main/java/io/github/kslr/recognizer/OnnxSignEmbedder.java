package io.github.kslr.recognizer;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.kslr.api.Checks;
import io.github.kslr.api.InferenceException;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.ModelLoadException;
import io.github.kslr.api.ModelOptions;
import io.github.kslr.api.ModelSource;
import io.github.kslr.api.SignEmbedderMetadata;
import io.github.kslr.api.WindowMirror;
import io.github.kslr.onnx.GuardedSession;
import io.github.kslr.onnx.OnnxSessions;
import io.github.kslr.onnx.SessionSettings;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;

/**
 * Runs a sign embedder ({@code kslr train-embedder}): windows of raw landmarks in, L2-normalised embeddings out, in
 * which takes of one sign lie close together. The model's {@link SignEmbedderMetadata} gives its layout, window
 * length, embedding size, default rejection threshold and content hash.
 *
 * <p><b>Thread-safety.</b> Thread-safe: calls may run concurrently (each has its own tensors); {@link #close()} waits
 * for calls in flight and is idempotent. The embedder keeps no reference to the caller's arrays.
 */
public final class OnnxSignEmbedder implements AutoCloseable {

    private final GuardedSession session;
    private final SignEmbedderMetadata metadata;
    private final WindowMirror mirror;

    private OnnxSignEmbedder(GuardedSession session) {
        this.session = session;
        try {
            this.metadata = SignEmbedderMetadata.fromProperties(OnnxSessions.metadata(session), session.name());
            check(session.inputs(), SignEmbedderMetadata.INPUT, 3);
            check(session.outputs(), SignEmbedderMetadata.OUTPUT, 2);
            this.mirror = new WindowMirror(metadata.model().layout());
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** Opens an embedder on the CPU (ONNX Runtime's thread choice, spinning). */
    public static OnnxSignEmbedder open(ModelSource source) {
        return open(source, ModelOptions.cpu(ModelOptions.RUNTIME_CHOOSES_THREADS));
    }

    /** Opens an embedder with these run options. */
    public static OnnxSignEmbedder open(ModelSource source, ModelOptions options) {
        return new OnnxSignEmbedder(OnnxSessions.open(
                Checks.notNull(source, "source"), SessionSettings.of(Checks.notNull(options, "options"))));
    }

    private void check(Map<String, NodeInfo> nodes, String name, int rank) {
        NodeInfo n = nodes.get(name);
        if (nodes.size() != 1 || n == null || !(n.getInfo() instanceof TensorInfo t) || t.getShape().length != rank) {
            throw new ModelLoadException(session.name() + ": a sign embedder has one float input '"
                    + SignEmbedderMetadata.INPUT + "' [batch, T, F] and one output '" + SignEmbedderMetadata.OUTPUT
                    + "' [batch, E]; this one has " + nodes.keySet());
        }
    }

    public SignEmbedderMetadata metadata() {
        return metadata;
    }

    /** Floats in one window: window length x the layout's feature count. */
    public int windowSize() {
        return metadata.model().windowSize();
    }

    /**
     * The embeddings of {@code count} windows laid end to end.
     *
     * @return {@code count * embeddingSize} floats, each row of unit length
     * @throws InvalidInputException for a wrong size or a value that is NaN or infinite
     * @throws io.github.kslr.api.ClosedException after {@link #close()}
     */
    public float[] embed(float[] windows, int count) {
        checkWindows(windows, count);
        Checks.finite(windows, 0, windows.length, "windows");
        int e = metadata.embeddingSize();
        // ONNX Runtime copies a heap buffer into its own tensor, so the caller's array is read, never kept.
        session.begin();
        try (OnnxTensor x = OnnxTensor.createTensor(session.environment(), FloatBuffer.wrap(windows), new long[] {
                    count,
                    metadata.model().sequenceLength(),
                    metadata.model().layout().size()
                });
                OrtSession.Result r = session.session()
                        .run(Map.of(SignEmbedderMetadata.INPUT, x), Set.of(SignEmbedderMetadata.OUTPUT))) {
            float[][] rows = (float[][]) r.get(0).getValue();
            float[] out = new float[count * e];
            for (int i = 0; i < count; i++) {
                if (rows[i].length != e) {
                    throw new InferenceException(
                            session.name() + " gave embeddings of " + rows[i].length + " floats; its metadata says "
                                    + e,
                            null);
                }
                System.arraycopy(rows[i], 0, out, i * e, e);
            }
            return out;
        } catch (OrtException ex) {
            throw new InferenceException(session.name() + ": " + ex.getMessage(), ex);
        } finally {
            session.end();
        }
    }

    /** Whether {@link #embedMirrored} works: every column of the embedder's layout has a left/right partner. */
    public boolean canMirror() {
        return mirror.canMirror();
    }

    /**
     * The embeddings of {@code count} windows' mirror images ({@link WindowMirror}: as the same sign made with the
     * other hand), laid end to end; what a vocabulary enrols beside each take so that a sign taught by a
     * right-handed signer is recognised from a left-handed one.
     *
     * @throws InvalidInputException as {@link #embed} does, or when the layout cannot be mirrored ({@link #canMirror})
     */
    public float[] embedMirrored(float[] windows, int count) {
        checkWindows(windows, count);
        return embed(mirror.mirrorAll(windows, metadata.model().sequenceLength()), count);
    }

    /** Checks that {@code windows} holds {@code count} windows. */
    private void checkWindows(float[] windows, int count) {
        Checks.notNull(windows, "windows");
        Checks.positive(count, "count");
        int w = windowSize();
        if ((long) count * w != windows.length) {
            throw new InvalidInputException(
                    count + " windows of " + w + " floats need " + (long) count * w + " floats, got " + windows.length);
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
