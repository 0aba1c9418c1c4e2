package io.github.kslr.recognizer.model;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ONNX graph a {@link SignModelBuilder} is writing, as seen by an {@link InputStage}: add constants and nodes,
 * get unique tensor names back. A thin layer over the {@code ai.onnx.proto.OnnxMl} protobuf classes (tribuo's
 * operator list lacks LSTM, Transpose and Squeeze, so nodes are written here directly).
 *
 * <p>The graph uses the default ONNX domain at opset {@value SignModelBuilder#OPSET}.
 *
 * <p><b>Thread-safety.</b> Not thread-safe; valid only during {@link SignModelBuilder#build()}.
 */
public final class SignGraph {
    private final OnnxMl.GraphProto.Builder graph;
    private final Set<String> names = new HashSet<>();
    private int counter;

    SignGraph(OnnxMl.GraphProto.Builder graph) {
        this.graph = graph;
    }

    /** A name no tensor of this graph has yet, starting with {@code prefix}. */
    public String newName(String prefix) {
        Checks.notNull(prefix, "prefix");
        String name;
        do {
            name = prefix + "_" + counter++;
        } while (!names.add(name));
        return name;
    }

    void reserve(String name) {
        if (!names.add(name)) {
            throw new InvalidInputException("tensor name '" + name + "' is used twice");
        }
    }

    /**
     * Adds a float32 constant (an initializer).
     *
     * @param dims   its shape
     * @param values row-major values (copied); {@code product(dims)} of them
     * @return its tensor name
     */
    public String constant(String prefix, long[] dims, float[] values) {
        Checks.notNull(dims, "dims");
        Checks.notNull(values, "values");
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != values.length) {
            throw new InvalidInputException("constant '" + prefix + "' of shape " + java.util.Arrays.toString(dims)
                    + " needs " + n + " values, got " + values.length);
        }
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        String name = newName(prefix);
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(bytes));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /** Adds an int64 constant (shapes, axes); returns its tensor name. */
    public String constantInt64(String prefix, long[] dims, long[] values) {
        Checks.notNull(dims, "dims");
        Checks.notNull(values, "values");
        String name = newName(prefix);
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber());
        for (long d : dims) {
            t.addDims(d);
        }
        for (long v : values) {
            t.addInt64Data(v);
        }
        graph.addInitializer(t);
        return name;
    }

    /**
     * Adds a node with one output.
     *
     * @param opType an ONNX operator of the default domain, e.g. {@code Sub}
     * @param inputs input tensor names ("" for an omitted optional input)
     * @param attributes attribute values: Integer/Long, Float, String, long[], float[]
     * @return the output's tensor name
     */
    public String node(String opType, List<String> inputs, Map<String, Object> attributes) {
        return node(opType, inputs, 1, attributes).get(0);
    }

    /**
     * Adds a node with {@code outputs} outputs and returns their names.
     *
     * @param outputs how many outputs to name; a node's trailing optional outputs may be left out
     */
    public List<String> node(String opType, List<String> inputs, int outputs, Map<String, Object> attributes) {
        Checks.notNull(opType, "opType");
        Checks.notNull(inputs, "inputs");
        Checks.positive(outputs, "outputs");
        Checks.notNull(attributes, "attributes");
        String[] out = new String[outputs];
        for (int i = 0; i < outputs; i++) {
            out[i] = newName(opType.toLowerCase(java.util.Locale.ROOT));
        }
        addNode(opType, inputs, List.of(out), attributes);
        return List.of(out);
    }

    /** Adds a node whose output names the caller chose (e.g. "" for an unused optional output). */
    void addNode(String opType, List<String> inputs, List<String> outputs, Map<String, Object> attributes) {
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(opType).setName(newName(opType + "_node"))
                .addAllInput(inputs).addAllOutput(outputs);
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            n.addAttribute(attribute(e.getKey(), e.getValue()));
        }
        graph.addNode(n);
    }

    private static OnnxMl.AttributeProto attribute(String name, Object value) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name);
        if (value instanceof Integer || value instanceof Long) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(((Number) value).longValue());
        } else if (value instanceof Float || value instanceof Double) {
            a.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(((Number) value).floatValue());
        } else if (value instanceof String) {
            a.setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8((String) value));
        } else if (value instanceof long[]) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
            for (long v : (long[]) value) {
                a.addInts(v);
            }
        } else if (value instanceof float[]) {
            a.setType(OnnxMl.AttributeProto.AttributeType.FLOATS);
            for (float v : (float[]) value) {
                a.addFloats(v);
            }
        } else {
            throw new InvalidInputException("attribute '" + name + "': unsupported value type "
                    + (value == null ? "null" : value.getClass().getName())
                    + "; expected Integer, Long, Float, String, long[] or float[]");
        }
        return a.build();
    }
}
