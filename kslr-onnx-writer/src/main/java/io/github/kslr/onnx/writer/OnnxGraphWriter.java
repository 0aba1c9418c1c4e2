package io.github.kslr.onnx.writer;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The project's one ONNX graph writer: tensor names, initializers (float32, int64, raw, int8 weights), nodes with
 * attributes, graph inputs and outputs, and the model around the graph with its {@code metadata_props}. The trainer's
 * export, the TFLite converter and {@link SignModelBuilder} all write through it, so an ONNX detail (an attribute's
 * encoding, int8 weights, the IR header) is decided here once.
 *
 * <p>A thin layer over the {@code ai.onnx.proto.OnnxMl} protobuf classes: tribuo's operator list lacks LSTM,
 * Transpose and Squeeze, so nodes are written here directly. Every initializer is written little-endian in
 * {@code raw_data} except {@link #floatScalar}, which uses {@code float_data} (kept so that the trainer's exported
 * models stay byte-identical to those written before this class existed).
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one writer builds one graph on one thread.
 */
public final class OnnxGraphWriter {

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();
    private int counter;

    /** A writer for an empty graph called {@code graphName}. */
    public OnnxGraphWriter(String graphName) {
        graph.setName(Checks.notNull(graphName, "graphName"));
    }

    // ---------------------------------------------------------------------------------------------- names

    /**
     * A tensor name no tensor of this graph has yet: {@code prefix_N}, N from one counter for the whole graph.
     */
    public String newName(String prefix) {
        Checks.notNull(prefix, "prefix");
        String name;
        do {
            name = prefix + "_" + counter++;
        } while (!names.add(name));
        return name;
    }

    /** {@code base} itself when no tensor has it yet, else {@code base_1}, {@code base_2}, ... (readable names). */
    public String uniqueName(String base) {
        Checks.notNull(base, "base");
        String name = base;
        for (int k = 1; !names.add(name); k++) {
            name = base + "_" + k;
        }
        return name;
    }

    /**
     * Claims {@code name} exactly (a graph input or output).
     *
     * @throws InvalidInputException when a tensor already has it
     */
    public String reserve(String name) {
        Checks.notNull(name, "name");
        if (!names.add(name)) {
            throw new InvalidInputException("tensor name '" + name + "' is used twice");
        }
        return name;
    }

    // ---------------------------------------------------------------------------------------------- initializers

    /** A float32 initializer called {@code name} with shape {@code dims}; returns the name. */
    public String initializer(String name, float[] values, long... dims) {
        Checks.notNull(values, "values");
        byte[] bytes =
                littleEndian(values.length * Float.BYTES, b -> b.asFloatBuffer().put(values));
        return raw(name, TensorProto.DataType.FLOAT, bytes, dims);
    }

    /** A float32 initializer with a fresh name starting with {@code prefix}; returns its name. */
    public String constant(String prefix, long[] dims, float[] values) {
        Checks.notNull(dims, "dims");
        Checks.notNull(values, "values");
        checkCount(prefix, dims, values.length);
        return initializer(newName(prefix), values, dims);
    }

    /** An int64 initializer called {@code name} with shape {@code dims}; returns the name. */
    public String int64Initializer(String name, long[] values, long... dims) {
        Checks.notNull(values, "values");
        byte[] bytes =
                littleEndian(values.length * Long.BYTES, b -> b.asLongBuffer().put(values));
        return raw(name, TensorProto.DataType.INT64, bytes, dims);
    }

    /** {@code size} bytes that {@code fill} puts values into in ONNX's raw_data order (little-endian). */
    private static byte[] littleEndian(int size, Consumer<ByteBuffer> fill) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(b);
        return b.array();
    }

    /** A one-dimensional int64 initializer called {@code name} (indices, axes); returns the name. */
    public String int64Vector(String name, int... values) {
        Checks.notNull(values, "values");
        return int64Initializer(name, Arrays.stream(values).asLongStream().toArray(), values.length);
    }

    /** A rank-0 float32 initializer stored in {@code float_data}; returns the name. */
    public String floatScalar(String name, float value) {
        names.add(Checks.notNull(name, "name"));
        graph.addInitializer(TensorProto.newBuilder()
                .setName(name)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addFloatData(value));
        return name;
    }

    /**
     * An initializer of a numeric element type from little-endian bytes; returns the name.
     *
     * @throws InvalidInputException when the bytes are not {@code dims}' element count of {@code type}'s values, or
     *                               {@code type} has no fixed size
     */
    public String raw(String name, TensorProto.DataType type, byte[] littleEndian, long... dims) {
        Checks.notNull(name, "name");
        Checks.notNull(type, "type");
        Checks.notNull(littleEndian, "littleEndian");
        Checks.notNull(dims, "dims");
        int size = elementBytes(type);
        if (littleEndian.length % size != 0) {
            throw new InvalidInputException("tensor '" + name + "' of " + type + " has " + littleEndian.length
                    + " bytes, not a whole number of " + size + "-byte values");
        }
        checkCount(name, dims, littleEndian.length / size);
        names.add(name);
        TensorProto.Builder t = TensorProto.newBuilder()
                .setName(name)
                .setDataType(type.getNumber())
                .setRawData(ByteString.copyFrom(littleEndian));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /**
     * A weight tensor in the chosen precision: float32 as it is, or int8 with one symmetric scale per channel along
     * {@code channelAxis} and a {@code DequantizeLinear} node (initializers {@code name_int8}, {@code name_scale},
     * {@code name_zero}). Returns the name of the float tensor the graph computes with.
     */
    public String weight(String name, float[] values, long[] dims, int channelAxis, WeightPrecision precision) {
        Checks.notNull(precision, "precision");
        if (precision == WeightPrecision.FLOAT32) {
            return initializer(name, values, dims);
        }
        checkCount(name, dims, values.length);
        if (channelAxis < 0 || channelAxis >= dims.length) {
            throw new InvalidInputException("channel axis " + channelAxis + " of weight '" + name + "' is outside its "
                    + dims.length + " dimensions");
        }
        int channels = (int) dims[channelAxis];
        long inner = 1;
        for (int i = channelAxis + 1; i < dims.length; i++) {
            inner *= dims[i];
        }
        float[] maxAbs = new float[channels];
        for (int i = 0; i < values.length; i++) {
            int ch = (int) ((i / inner) % channels);
            maxAbs[ch] = Math.max(maxAbs[ch], Math.abs(values[i]));
        }
        float[] scale = new float[channels];
        for (int ch = 0; ch < channels; ch++) {
            scale[ch] = maxAbs[ch] > 0 ? maxAbs[ch] / 127f : 1f;
        }
        byte[] q = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            int ch = (int) ((i / inner) % channels);
            q[i] = (byte) Math.max(-127, Math.min(127, Math.round(values[i] / scale[ch])));
        }
        raw(name + "_int8", TensorProto.DataType.INT8, q, dims);
        initializer(name + "_scale", scale, channels);
        raw(name + "_zero", TensorProto.DataType.INT8, new byte[channels], channels);
        return node(
                "DequantizeLinear",
                List.of(name + "_int8", name + "_scale", name + "_zero"),
                intAttr("axis", channelAxis));
    }

    // ---------------------------------------------------------------------------------------------- nodes

    /** A node with one output, named {@code optype_N}; the node has the output's name. Returns the output. */
    public String node(String opType, List<String> inputs, AttributeProto... attributes) {
        return node(opType, inputs, 1, attributes).get(0);
    }

    /** A node with {@code outputs} fresh outputs; the node has the first output's name. Returns the outputs. */
    public List<String> node(String opType, List<String> inputs, int outputs, AttributeProto... attributes) {
        Checks.notNull(opType, "opType");
        Checks.positive(outputs, "outputs");
        String[] out = new String[outputs];
        for (int i = 0; i < outputs; i++) {
            out[i] = newName(opType.toLowerCase(Locale.ROOT));
        }
        node(opType, out[0], inputs, List.of(out), attributes);
        return List.of(out);
    }

    /**
     * A node whose name and outputs the caller chose ({@code ""} for an optional output left out, so that ONNX
     * Runtime need not compute it).
     */
    public void node(
            String opType, String nodeName, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
        Checks.notNull(opType, "opType");
        Checks.notNull(nodeName, "nodeName");
        Checks.notNull(inputs, "inputs");
        Checks.notNull(outputs, "outputs");
        NodeProto.Builder n = NodeProto.newBuilder()
                .setOpType(opType)
                .setName(nodeName)
                .addAllInput(inputs)
                .addAllOutput(outputs);
        for (String o : outputs) {
            if (!o.isEmpty()) {
                names.add(o);
            }
        }
        for (AttributeProto a : attributes) {
            n.addAttribute(Checks.notNull(a, "attribute"));
        }
        graph.addNode(n);
    }

    /** An integer attribute. */
    public static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.INT)
                .setI(value)
                .build();
    }

    /** An integer-list attribute. */
    public static AttributeProto intsAttr(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    /** An integer-list attribute from ints. */
    public static AttributeProto intsAttr(String name, int... values) {
        return intsAttr(name, Arrays.stream(values).asLongStream().toArray());
    }

    /** A string attribute (UTF-8). */
    public static AttributeProto stringAttr(String name, String value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value))
                .build();
    }

    // ---------------------------------------------------------------------------------------------- graph interface

    /** A float32 graph input {@code [batchParam, dims...]} (the first dimension free, named). */
    public void input(String name, String batchParam, long... dims) {
        graph.addInput(valueInfo(name, batchParam, dims));
    }

    /** A float32 graph output {@code [batchParam, dims...]}. */
    public void output(String name, String batchParam, long... dims) {
        graph.addOutput(valueInfo(name, batchParam, dims));
    }

    /**
     * A float32 graph output whose shape is left to ONNX Runtime's inference (e.g. an intermediate tensor exposed to
     * read its values, whose shape the caller does not track).
     */
    public void outputOfInferredShape(String name) {
        Checks.notNull(name, "name");
        graph.addOutput(OnnxMl.ValueInfoProto.newBuilder()
                .setName(name)
                .setType(OnnxMl.TypeProto.newBuilder()
                        .setTensorType(
                                OnnxMl.TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
    }

    /** A float32 value description with a free first dimension named {@code batchParam} (none when null). */
    public static OnnxMl.ValueInfoProto valueInfo(String name, String batchParam, long... dims) {
        Checks.notNull(name, "name");
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        if (batchParam != null) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(batchParam));
        }
        for (long d : dims) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder()
                .setName(name)
                .setType(OnnxMl.TypeProto.newBuilder()
                        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                                .setElemType(TensorProto.DataType.FLOAT_VALUE)
                                .setShape(shape)))
                .build();
    }

    /**
     * Removes the nodes and initializers no graph output depends on (a converter that dropped outputs leaves them
     * behind; ONNX Runtime warns about unused initializers).
     */
    public void pruneUnreachable() {
        Set<String> needed = new HashSet<>();
        for (OnnxMl.ValueInfoProto o : graph.getOutputList()) {
            needed.add(o.getName());
        }
        List<NodeProto> kept = new ArrayList<>();
        for (int i = graph.getNodeCount() - 1; i >= 0; i--) {
            NodeProto n = graph.getNode(i);
            if (n.getOutputList().stream().anyMatch(needed::contains)) {
                kept.add(n);
                needed.addAll(n.getInputList());
            }
        }
        Collections.reverse(kept);
        List<TensorProto> inits = graph.getInitializerList().stream()
                .filter(t -> needed.contains(t.getName()))
                .toList();
        graph.clearNode().addAllNode(kept).clearInitializer().addAllInitializer(inits);
    }

    // ---------------------------------------------------------------------------------------------- the model

    /** The graph written so far, serialised (e.g. to hash a model's content apart from its metadata). */
    public byte[] graphBytes() {
        return graph.build().toByteArray();
    }

    /**
     * The model around the graph written so far, in the default ONNX domain at {@code opset}; callers may set more
     * header fields (e.g. {@code model_version}) on the returned builder before {@code build()}.
     *
     * @param producerVersion null to leave it out
     * @param metadata written as {@code metadata_props} in iteration order
     */
    public ModelProto.Builder model(
            long irVersion,
            int opset,
            String producerName,
            String producerVersion,
            String docString,
            Map<String, String> metadata) {
        Checks.notNull(producerName, "producerName");
        Checks.notNull(docString, "docString");
        Checks.notNull(metadata, "metadata");
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(irVersion).setProducerName(producerName);
        if (producerVersion != null) {
            m.setProducerVersion(producerVersion);
        }
        m.setDocString(docString)
                .addOpsetImport(
                        OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph);
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            m.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder()
                    .setKey(e.getKey())
                    .setValue(e.getValue()));
        }
        return m;
    }

    /** Bytes a value of {@code type} takes in {@code raw_data}. */
    private static int elementBytes(TensorProto.DataType type) {
        return switch (type) {
            case INT8, UINT8, BOOL -> 1;
            case FLOAT16, BFLOAT16, INT16, UINT16 -> 2;
            case FLOAT, INT32, UINT32 -> 4;
            case DOUBLE, INT64, UINT64 -> 8;
            default -> throw new InvalidInputException("raw data of " + type + " is not supported");
        };
    }

    private static void checkCount(String name, long[] dims, int count) {
        Checks.notNull(dims, "dims");
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != count) {
            throw new InvalidInputException("tensor '" + name + "' of shape " + Arrays.toString(dims) + " needs " + n
                    + " values, got " + count);
        }
    }
}
