package io.github.kslr.tools.tflite;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a converted ONNX model on CPU with ONNX Runtime, for the parity tests and the latency tool (not the product's
 * path: kslr-landmarks uses kslr-onnx's sessions with pinned buffers).
 *
 * <p>Owns one session; close it. Not thread-safe.
 */
public final class OrtRunner implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private boolean closed;

    /** @param threads intra-op threads (0 = ONNX Runtime's default) */
    public OrtRunner(byte[] onnx, int threads) throws OrtException {
        this(onnx, threads, OrtSession.SessionOptions.OptLevel.ALL_OPT);
    }

    /** @param level graph optimisation level (fusions change the order of floating-point sums) */
    public OrtRunner(byte[] onnx, int threads, OrtSession.SessionOptions.OptLevel level) throws OrtException {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(level);
            if (threads > 0) {
                o.setIntraOpNumThreads(threads);
            }
            session = env.createSession(onnx, o);
        }
    }

    public OrtSession session() {
        return session;
    }

    /** Runs one input (NHWC floats, {@code shape} with the batch first); returns every output, flattened, by name. */
    public Map<String, float[]> run(String inputName, float[] input, long[] shape) throws OrtException {
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
                OrtSession.Result r = session.run(Map.of(inputName, t))) {
            Map<String, float[]> out = new LinkedHashMap<>();
            for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
                FloatBuffer fb = ((OnnxTensor) e.getValue()).getFloatBuffer();
                float[] v = new float[fb.remaining()];
                fb.get(v);
                out.put(e.getKey(), v);
            }
            return out;
        }
    }

    @Override
    public void close() throws OrtException {
        if (!closed) {
            closed = true;
            session.close();
        }
    }
}
