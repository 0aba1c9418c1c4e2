package io.github.kslr.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import io.github.kslr.api.Checks;
import io.github.kslr.api.InferenceException;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.ModelSource;
import io.github.kslr.api.SignModelMetadata;
import io.github.kslr.onnx.GuardedSession;
import io.github.kslr.onnx.OnnxSessions;
import io.github.kslr.onnx.SessionSettings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * An exported sign model run by ONNX Runtime for evaluation: whole datasets in batches. (Apps classify with
 * kslr-recognizer's classifier; this class serves the evaluation tools, which need raw probabilities of many windows.)
 *
 * <p><b>Thread-safety.</b> {@link #probabilities} is safe from several threads (each call makes its own tensors);
 * {@link #close()} is idempotent and waits for calls in flight.
 */
public final class OnnxProbabilityModel implements ProbabilityModel, AutoCloseable {

    private static final int BATCH = 256;

    private final GuardedSession session;
    private final SignModelMetadata metadata;
    private final String input;

    /** Opens {@code source} on the CPU and reads its metadata. */
    public OnnxProbabilityModel(ModelSource source) {
        Checks.notNull(source, "source");
        this.session = OnnxSessions.open(source, SessionSettings.defaults());
        try {
            this.metadata = SignModelMetadata.fromProperties(OnnxSessions.metadata(session), source.description());
            this.input = session.inputs().keySet().iterator().next();
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    @Override
    public SignModelMetadata metadata() {
        return metadata;
    }

    @Override
    public float[] probabilities(float[] windows, int count) {
        int w = metadata.windowSize();
        if (windows.length < (long) count * w) {
            throw new InvalidInputException(count + " windows need " + (long) count * w + " floats, got "
                    + windows.length);
        }
        int c = metadata.labels().size();
        float[] out = new float[count * c];
        FloatBuffer buf = ByteBuffer.allocateDirect(BATCH * w * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        session.begin();
        try {
            for (int start = 0; start < count; start += BATCH) {
                int n = Math.min(BATCH, count - start);
                buf.clear();
                buf.put(windows, start * w, n * w);
                buf.flip();
                try (OnnxTensor t = OnnxTensor.createTensor(session.environment(), buf,
                        new long[] {n, metadata.sequenceLength(), metadata.layout().size()});
                        var result = session.session().run(Map.of(input, t))) {
                    float[][] p = (float[][]) result.get(0).getValue();
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(p[i], 0, out, (start + i) * c, c);
                    }
                }
            }
        } catch (OrtException e) {
            throw new InferenceException(session.name() + ": inference failed: " + e.getMessage(), e);
        } finally {
            session.end();
        }
        return out;
    }

    @Override
    public void close() {
        session.close();
    }
}
