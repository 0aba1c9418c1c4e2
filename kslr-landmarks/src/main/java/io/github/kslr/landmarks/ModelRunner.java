package io.github.kslr.landmarks;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import io.github.kslr.api.InferenceException;
import io.github.kslr.api.ModelLoadException;
import io.github.kslr.onnx.GuardedSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One landmarker's handle on a shared model session: a direct NHWC float input buffer wrapped once in an
 * {@link OnnxTensor}, and pinned output tensors over direct buffers, so a frame allocates nothing. ONNX Runtime
 * writes the outputs straight into these buffers.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: owned by one landmarker. The session is shared and thread-safe; the
 * buffers and tensors are this runner's own and are freed by {@link #close()}.
 */
final class ModelRunner implements AutoCloseable {
    private final GuardedSession session;
    private final int batch;
    private final int height;
    private final int width;
    private final FloatBuffer input;
    private final OnnxTensor inputTensor;
    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxTensor> outputs = new LinkedHashMap<>();
    private final Map<String, FloatBuffer> outputBuffers = new HashMap<>();
    private boolean closed;

    /**
     * @param wanted the outputs to compute; ONNX Runtime runs only the nodes these need (e.g. the pose model's
     *               segmentation head is skipped), and only these are readable
     */
    ModelRunner(GuardedSession session, int batch, java.util.Set<String> wanted) {
        this.session = session;
        this.batch = batch;
        Map<String, NodeInfo> in = session.inputs();
        if (in.size() != 1) {
            throw new ModelLoadException(session.name() + ": expected one input, found " + in.keySet());
        }
        Map.Entry<String, NodeInfo> e = in.entrySet().iterator().next();
        long[] shape = ((TensorInfo) e.getValue().getInfo()).getShape();
        if (shape.length != 4 || shape[3] != 3 || shape[1] <= 0 || shape[2] <= 0) {
            throw new ModelLoadException(session.name() + ": expected an NHWC [N,H,W,3] input, found "
                    + java.util.Arrays.toString(shape));
        }
        this.height = (int) shape[1];
        this.width = (int) shape[2];
        if (shape[0] > 0 && shape[0] != batch) {
            throw new ModelLoadException(session.name() + ": input batch is fixed at " + shape[0] + ", need " + batch);
        }
        try {
            this.input = direct(batch * height * width * 3);
            this.inputTensor = OnnxTensor.createTensor(session.environment(), input,
                    new long[] {batch, height, width, 3});
            this.inputs = Map.of(e.getKey(), inputTensor);
            for (Map.Entry<String, NodeInfo> o : session.outputs().entrySet()) {
                if (!wanted.contains(o.getKey())) {
                    continue;
                }
                long[] s = ((TensorInfo) o.getValue().getInfo()).getShape().clone();
                long n = 1;
                for (int i = 0; i < s.length; i++) {
                    if (s[i] < 0) {
                        s[i] = i == 0 ? batch : 1;
                    }
                    n *= s[i];
                }
                FloatBuffer b = direct((int) n);
                outputBuffers.put(o.getKey(), b);
                outputs.put(o.getKey(), OnnxTensor.createTensor(session.environment(), b, s));
            }
            if (outputs.size() != wanted.size()) {
                java.util.Set<String> missing = new java.util.TreeSet<>(wanted);
                missing.removeAll(outputs.keySet());
                throw new ModelLoadException(session.name() + " lacks output(s) " + missing
                        + " (MediaPipe's TFLite names); it has " + session.outputs().keySet());
            }
        } catch (OrtException ex) {
            close();
            throw new ModelLoadException(session.name() + ": cannot create tensors: " + ex.getMessage(), ex);
        }
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    int batch() {
        return batch;
    }

    /** The input buffer ({@code batch x height x width x 3} floats), written by the croppers. */
    FloatBuffer input() {
        return input;
    }

    /** Float index of batch item {@code i} in {@link #input()}. */
    int inputOffset(int i) {
        return i * height * width * 3;
    }

    /** The output named {@code name}, holding this runner's last results. */
    FloatBuffer output(String name) {
        FloatBuffer b = outputBuffers.get(name);
        if (b == null) {
            throw new InferenceException(session.name() + " has no output " + name + "; outputs: "
                    + outputBuffers.keySet(), null);
        }
        return b;
    }

    boolean hasOutput(String name) {
        return outputBuffers.containsKey(name);
    }

    void run() {
        session.run(inputs, outputs);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (inputTensor != null) {
            inputTensor.close();
        }
        outputs.values().forEach(OnnxTensor::close);
    }
}
