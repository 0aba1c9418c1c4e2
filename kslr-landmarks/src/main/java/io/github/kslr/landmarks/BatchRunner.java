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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model handle for a variable batch: direct NHWC input and output buffers sized for the largest batch seen so far,
 * and, for every batch size {@code n} used, an input tensor and pinned output tensors over the first {@code n} items
 * of those buffers (created once per size, so a steady workload allocates nothing per call). Growing the capacity
 * reallocates the buffers and drops the tensors made over the old ones.
 *
 * <p>With a fixed batch (e.g. 1 for {@link HolisticLandmarker}) the buffers and tensors are made once, at
 * construction, and every call runs at that batch.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: owned by one landmarker. The session is shared; the
 * buffers and tensors are this runner's own and are freed by {@link #close()}.
 */
final class BatchRunner implements AutoCloseable {
    private final GuardedSession session;
    private final String inputName;
    private final int height;
    private final int width;
    private final Map<String, long[]> outputShapes = new LinkedHashMap<>();
    private final Map<String, Integer> outputItemFloats = new HashMap<>();
    private final Map<String, FloatBuffer> outputBuffers = new HashMap<>();
    private final int fixedBatch;
    /** The tensor name of each output the graph reads. */
    private final Map<HolisticModel.Output, String> names;

    private final HolisticModel model;
    /** Null unless a calibration tool watches the inputs. */
    private final CropObserver observer;

    private FloatBuffer input;
    private int capacity;
    /** Index n - 1: the tensors for batch size n, or null when not made yet. */
    private final List<Bound> bound = new ArrayList<>();

    private boolean closed;

    private record Bound(Map<String, OnnxTensor> inputs, Map<String, OnnxTensor> outputs) {
        void close() {
            inputs.values().forEach(OnnxTensor::close);
            outputs.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * @param model      the stage: the outputs it names are the ones bound (the others, e.g. pose segmentation, are
     *                   not computed)
     * @param fixedBatch 0 to run each call at its own batch size; otherwise every call runs at this batch (unused
     *                   items hold stale data and are ignored), so the model always sees one input shape (on CUDA,
     *                   ONNX Runtime's convolutions re-plan when the shape differs from the last call's)
     */
    BatchRunner(GuardedSession session, HolisticModel model, int fixedBatch, CropObserver observer) {
        this.session = session;
        this.model = model;
        this.observer = observer;
        this.names = model.outputs();
        Set<String> wanted = Set.copyOf(names.values());
        this.fixedBatch = fixedBatch;
        Map<String, NodeInfo> in = session.inputs();
        if (in.size() != 1) {
            throw new ModelLoadException(session.name() + ": expected one input, found " + in.keySet());
        }
        Map.Entry<String, NodeInfo> e = in.entrySet().iterator().next();
        long[] shape = ((TensorInfo) e.getValue().getInfo()).getShape();
        if (shape.length != 4 || shape[3] != 3 || shape[1] <= 0 || shape[2] <= 0) {
            throw new ModelLoadException(
                    session.name() + ": expected an NHWC [N,H,W,3] input, found " + java.util.Arrays.toString(shape));
        }
        if (shape[0] > 0 && shape[0] != fixedBatch) {
            throw new ModelLoadException(session.name() + ": input batch is fixed at " + shape[0] + ", need "
                    + (fixedBatch > 0 ? Integer.toString(fixedBatch) : "a free batch dimension"));
        }
        this.inputName = e.getKey();
        this.height = (int) shape[1];
        this.width = (int) shape[2];
        for (Map.Entry<String, NodeInfo> o : session.outputs().entrySet()) {
            if (!wanted.contains(o.getKey())) {
                continue;
            }
            long[] s = ((TensorInfo) o.getValue().getInfo()).getShape().clone();
            long item = 1;
            for (int i = 1; i < s.length; i++) {
                if (s[i] < 0) {
                    s[i] = 1;
                }
                item *= s[i];
            }
            outputShapes.put(o.getKey(), s);
            outputItemFloats.put(o.getKey(), (int) item);
        }
        if (outputShapes.size() != wanted.size()) {
            java.util.Set<String> missing = new java.util.TreeSet<>(wanted);
            missing.removeAll(outputShapes.keySet());
            throw new ModelLoadException(session.name() + " lacks output(s) " + missing
                    + " (MediaPipe's TFLite names); it has " + session.outputs().keySet());
        }
        if (fixedBatch > 0) {
            ensure(fixedBatch);
        }
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * 4)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** Makes room for {@code n} items; the buffers' contents are lost when they grow. */
    void ensure(int n) {
        if (fixedBatch > 0) {
            if (n > fixedBatch) {
                throw new IllegalArgumentException("batch " + n + " above the fixed batch " + fixedBatch);
            }
            n = fixedBatch;
        }
        if (n <= capacity) {
            return;
        }
        bound.forEach(b -> {
            if (b != null) {
                b.close();
            }
        });
        bound.clear();
        input = direct(n * height * width * 3);
        for (Map.Entry<String, Integer> o : outputItemFloats.entrySet()) {
            outputBuffers.put(o.getKey(), direct(n * o.getValue()));
        }
        capacity = n;
    }

    /** The input buffer (capacity x height x width x 3 floats), written by the croppers. */
    FloatBuffer input() {
        return input;
    }

    /** Float index of batch item {@code i} in {@link #input()}. */
    int inputOffset(int i) {
        return i * height * width * 3;
    }

    /** The output holding {@code output}: item {@code i} starts at {@link #outputOffset}. */
    FloatBuffer output(HolisticModel.Output output) {
        String name = names.get(output);
        FloatBuffer b = name == null ? null : outputBuffers.get(name);
        if (b == null) {
            throw new InferenceException(
                    session.name() + " has no output " + output + " (" + name + "); outputs: "
                            + outputItemFloats.keySet(),
                    null);
        }
        return b;
    }

    /** Float index of batch item {@code i} in {@link #output}. */
    int outputOffset(HolisticModel.Output output, int i) {
        return i * outputItemFloats.get(names.get(output));
    }

    /** Runs the model on the first {@code n} items of the input (n at most the capacity). */
    void run(int n) {
        if (n < 1 || n > capacity) {
            throw new IllegalArgumentException("batch " + n + " outside 1.." + capacity);
        }
        if (observer != null) {
            observer.crops(
                    model,
                    input.asReadOnlyBuffer()
                            .position(0)
                            .limit(n * height * width * 3)
                            .slice(),
                    n,
                    height,
                    width);
        }
        if (fixedBatch > 0) {
            n = fixedBatch;
        }
        while (bound.size() < n) {
            bound.add(null);
        }
        Bound b = bound.get(n - 1);
        if (b == null) {
            b = bind(n);
            bound.set(n - 1, b);
        }
        session.run(b.inputs(), b.outputs());
    }

    private Bound bind(int n) {
        Map<String, OnnxTensor> ins = new HashMap<>();
        Map<String, OnnxTensor> outs = new LinkedHashMap<>();
        try {
            // Views over the first n items: a direct native-order buffer is wrapped, not copied, by ONNX Runtime.
            FloatBuffer inView =
                    input.duplicate().position(0).limit(n * height * width * 3).slice();
            ins.put(inputName, OnnxTensor.createTensor(session.environment(), inView, new long[] {n, height, width, 3
            }));
            for (Map.Entry<String, long[]> o : outputShapes.entrySet()) {
                long[] s = o.getValue().clone();
                s[0] = n;
                FloatBuffer view = outputBuffers
                        .get(o.getKey())
                        .duplicate()
                        .position(0)
                        .limit(n * outputItemFloats.get(o.getKey()))
                        .slice();
                outs.put(o.getKey(), OnnxTensor.createTensor(session.environment(), view, s));
            }
            return new Bound(ins, outs);
        } catch (OrtException ex) {
            new Bound(ins, outs).close();
            throw new InferenceException(
                    session.name() + ": cannot create batch-" + n + " tensors: " + ex.getMessage(), ex);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        bound.forEach(b -> {
            if (b != null) {
                b.close();
            }
        });
        bound.clear();
    }
}
