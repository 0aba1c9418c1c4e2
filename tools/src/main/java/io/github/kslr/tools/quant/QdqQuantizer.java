package io.github.kslr.tools.quant;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.github.kslr.onnx.writer.OnnxGraphWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Static int8 quantisation of a converted float ONNX graph in ONNX's QDQ form ({@code QuantizeLinear} /
 * {@code DequantizeLinear} pairs), laid out the way ONNX Runtime's QDQ selectors fuse them into integer kernels
 * ({@code QLinearConv}, {@code QLinearAdd}): convolution weights int8 with one symmetric scale per output channel,
 * biases int32 at the product of input and weight scales, activations uint8 with one scale and zero point per tensor
 * from calibrated ranges (ONNX Runtime's x86 kernels run uint8 activations against int8 weights, U8S8, on VNNI).
 *
 * <p>What is quantised: every {@code Conv} and every {@code Add} of two computed tensors, unless the caller keeps the
 * node float. A {@code Relu} or {@code Clip} right after one is folded by ONNX Runtime into the following
 * {@code QuantizeLinear} (its range starts at 0 here, so the clamp is redundant). {@code MaxPool}, {@code Pad},
 * {@code Resize} and {@code DepthToSpace} of a quantised tensor keep its scale (they only move or average values), so
 * ONNX Runtime runs them on the uint8 data. Everything else stays float between a {@code DequantizeLinear} and a
 * {@code QuantizeLinear}.
 *
 * <p>The float graph is read and a new graph is written through {@link OnnxGraphWriter}; the input model is not
 * changed. Weights the float graph stores as FLOAT16 initializers behind a {@code Cast} are read back exactly.
 *
 * <p>Stateless static methods; thread-safe.
 */
public final class QdqQuantizer {
    /** A calibrated activation range. */
    public record Range(float min, float max) {}

    /** Operators quantised with their own output range (Mul only with one constant operand). */
    private static final Set<String> COMPUTE = Set.of("Conv", "Add", "Mul");
    /** Operators that keep their input's quantisation (outputs are inputs moved, maxed or interpolated). */
    private static final Set<String> SAME_SCALE = Set.of("MaxPool", "Pad", "Resize", "DepthToSpace");
    /** Activations ONNX Runtime folds into the following QuantizeLinear when the range makes them redundant. */
    private static final Set<String> CLAMPS = Set.of("Relu", "Clip");

    private QdqQuantizer() {}

    /**
     * The computed float tensors whose ranges {@link #quantize} may need: every output of a node that is not a
     * constant's {@code Cast}, in graph order.
     */
    public static List<String> activations(ModelProto model) {
        Graph g = new Graph(model);
        List<String> out = new ArrayList<>();
        for (NodeProto n : g.nodes) {
            if (g.isConstant(n)) {
                continue;
            }
            for (String o : n.getOutputList()) {
                if (!o.isEmpty()) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    /** {@code model} with {@code tensors} as extra graph outputs (to read their values during calibration). */
    public static ModelProto withOutputs(ModelProto model, List<String> tensors) {
        Graph g = new Graph(model);
        OnnxGraphWriter w = g.copyHeader();
        for (NodeProto n : g.nodes) {
            g.copyNode(w, n, n.getInputList());
        }
        g.copyOutputs(w);
        Set<String> declared = new HashSet<>();
        model.getGraph().getOutputList().forEach(o -> declared.add(o.getName()));
        for (String t : tensors) {
            if (declared.add(t)) {
                w.outputOfInferredShape(t);
            }
        }
        return g.build(w, Map.of());
    }

    /**
     * The QDQ graph of {@code model}.
     *
     * @param ranges calibrated range of each tensor {@link #activations} lists that a quantised node reads or writes
     * @param keepFloat names of nodes to leave in float (e.g. the first convolution or a head)
     * @param metadata added to the model's metadata (after the float model's own)
     * @throws IllegalArgumentException when a tensor that must be quantised has no range
     */
    public static ModelProto quantize(
            ModelProto model, Map<String, Range> ranges, Set<String> keepFloat, Map<String, String> metadata) {
        Graph g = new Graph(model);
        // 1. Which nodes run in integers.
        Set<String> quantNodes = new HashSet<>();
        for (NodeProto n : g.nodes) {
            if (keepFloat.contains(n.getName()) || !COMPUTE.contains(n.getOpType())) {
                continue;
            }
            if (n.getOpType().equals("Conv")) {
                if (g.floatConstant(n.getInput(1)) == null
                        || (n.getInputCount() > 2 && g.floatConstant(n.getInput(2)) == null)
                        || g.floatConstant(n.getInput(0)) != null) {
                    continue;
                }
            } else if (n.getOpType().equals("Mul")) {
                if (g.floatConstant(n.getInput(0)) != null || g.floatConstant(n.getInput(1)) == null) {
                    continue;
                }
            } else if (g.floatConstant(n.getInput(0)) != null || g.floatConstant(n.getInput(1)) != null) {
                continue;
            }
            quantNodes.add(n.getName());
        }
        // 2. Which tensors get a QuantizeLinear/DequantizeLinear pair, and with which range.
        Map<String, Range> params = new LinkedHashMap<>();
        for (NodeProto n : g.nodes) {
            if (!quantNodes.contains(n.getName())) {
                continue;
            }
            int activationInputs = n.getOpType().equals("Add") ? n.getInputCount() : 1;
            for (int i = 0; i < activationInputs; i++) {
                String t = n.getInput(i);
                params.put(t, adjusted(g, t, ranges));
            }
            String out = n.getOutput(0);
            List<NodeProto> users = g.consumers.getOrDefault(out, List.of());
            boolean onlyClamps = !users.isEmpty()
                    && users.stream().allMatch(u -> CLAMPS.contains(u.getOpType()))
                    && !g.graphOutputs.contains(out);
            if (onlyClamps) {
                for (NodeProto u : users) {
                    params.put(u.getOutput(0), adjusted(g, u.getOutput(0), ranges));
                }
            } else {
                params.put(out, adjusted(g, out, ranges));
            }
        }
        Map<String, String> sameAs = new HashMap<>();
        for (NodeProto n : g.nodes) {
            if (SAME_SCALE.contains(n.getOpType()) && params.containsKey(n.getInput(0))) {
                sameAs.put(n.getOutput(0), n.getInput(0));
                params.putIfAbsent(n.getOutput(0), null);
            }
        }
        // 3. Write the graph.
        OnnxGraphWriter w = g.copyHeader();
        Map<String, String> dq = new HashMap<>();
        Map<String, String[]> qp = new HashMap<>();
        for (NodeProto n : g.nodes) {
            List<String> inputs = new ArrayList<>();
            for (String in : n.getInputList()) {
                inputs.add(dq.getOrDefault(in, in));
            }
            if (quantNodes.contains(n.getName()) && n.getOpType().equals("Conv")) {
                String x = n.getInput(0);
                Range rx = params.get(x);
                float sx = scaleOf(rx);
                float[] wv = g.floatConstant(n.getInput(1));
                long[] wd = g.constantDims(n.getInput(1));
                int channels = (int) wd[0];
                float[] sw = new float[channels];
                inputs.set(1, int8Weight(w, n.getInput(1), wv, wd, sw));
                if (n.getInputCount() > 2) {
                    inputs.set(2, int32Bias(w, n.getInput(2), g.floatConstant(n.getInput(2)), sx, sw));
                }
            }
            if (quantNodes.contains(n.getName()) && n.getOpType().equals("Mul")) {
                inputs.set(
                        1,
                        uint8Constant(w, n.getInput(1), g.floatConstant(n.getInput(1)), g.constantDims(n.getInput(1))));
            }
            g.copyNode(w, n, inputs);
            for (String o : n.getOutputList()) {
                if (!params.containsKey(o)) {
                    continue;
                }
                String[] p;
                String root = o;
                while (sameAs.containsKey(root)) {
                    root = sameAs.get(root);
                }
                if (qp.containsKey(root)) {
                    p = qp.get(root);
                } else {
                    Range r = params.get(root);
                    if (r == null) {
                        throw new IllegalArgumentException("no range for tensor " + root);
                    }
                    float s = scaleOf(r);
                    int zp = zeroPointOf(r, s);
                    p = new String[] {
                        w.initializer(w.uniqueName(root + "/scale"), new float[] {s}),
                        w.raw(w.uniqueName(root + "/zero"), TensorProto.DataType.UINT8, new byte[] {(byte) zp})
                    };
                    qp.put(root, p);
                }
                String q = w.uniqueName(o + "/q");
                w.node("QuantizeLinear", q, List.of(o, p[0], p[1]), List.of(q));
                String d = w.uniqueName(o + "/dq");
                w.node("DequantizeLinear", d, List.of(q, p[0], p[1]), List.of(d));
                dq.put(o, d);
            }
        }
        g.copyOutputs(w);
        w.pruneUnreachable();
        return g.build(w, metadata);
    }

    /** Which layers an int8 model keeps in float. */
    public enum FloatLayers {
        /** None: every Conv and Add quantised. */
        NONE,
        /** The first convolution (the one reading the image), whose input range is the image's. */
        FIRST,
        /** The heads: the last convolutions before each graph output. */
        HEADS,
        /** Both. */
        FIRST_AND_HEADS,
        /**
         * The first two convolutions (the image's and the one after it, at the highest resolution) and the heads: in
         * hand landmarks the second convolution alone caused about half of the int8 error (Int8Models --sensitivity).
         */
        STEM_AND_HEADS
    }

    /** The names of the nodes {@code policy} keeps in float in {@code model}. */
    public static Set<String> floatNodes(ModelProto model, FloatLayers policy) {
        Graph g = new Graph(model);
        Set<String> out = new HashSet<>();
        int stem = switch (policy) {
            case FIRST, FIRST_AND_HEADS -> 1;
            case STEM_AND_HEADS -> 2;
            default -> 0;
        };
        for (NodeProto n : g.nodes) {
            if (out.size() == stem) {
                break;
            }
            if (n.getOpType().equals("Conv")) {
                out.add(n.getName());
            }
        }
        if (policy == FloatLayers.HEADS
                || policy == FloatLayers.FIRST_AND_HEADS
                || policy == FloatLayers.STEM_AND_HEADS) {
            List<String> work = new ArrayList<>(g.graphOutputs);
            Set<String> seen = new HashSet<>();
            while (!work.isEmpty()) {
                String t = work.remove(work.size() - 1);
                NodeProto p = g.producer.get(t);
                if (p == null || !seen.add(t) || g.isConstant(p)) {
                    continue;
                }
                if (p.getOpType().equals("Conv")) {
                    out.add(p.getName());
                    continue;
                }
                work.addAll(p.getInputList());
            }
        }
        return out;
    }

    /** The range a tensor is quantised to: the calibrated one, widened to hold 0, clamped by a Relu/Clip producer. */
    private static Range adjusted(Graph g, String t, Map<String, Range> ranges) {
        Range r = ranges.get(t);
        if (r == null) {
            throw new IllegalArgumentException("no calibrated range for tensor " + t);
        }
        float lo = Math.min(0f, r.min());
        float hi = Math.max(0f, r.max());
        NodeProto p = g.producer.get(t);
        if (p != null && p.getOpType().equals("Relu")) {
            lo = 0f;
        } else if (p != null && p.getOpType().equals("Clip") && p.getInputCount() == 3) {
            float[] cmin = g.floatConstant(p.getInput(1));
            float[] cmax = g.floatConstant(p.getInput(2));
            if (cmin != null && cmax != null) {
                lo = Math.max(lo, cmin[0]);
                hi = Math.min(hi, cmax[0]);
            }
        }
        return new Range(lo, hi);
    }

    static float scaleOf(Range r) {
        float s = (r.max() - r.min()) / 255f;
        return s > 0 ? s : 1f;
    }

    static int zeroPointOf(Range r, float scale) {
        return Math.max(0, Math.min(255, Math.round(-r.min() / scale)));
    }

    /** Int8 weight with one symmetric scale per output channel (axis 0) and its DequantizeLinear; fills {@code sw}. */
    private static String int8Weight(OnnxGraphWriter w, String name, float[] v, long[] dims, float[] sw) {
        int channels = sw.length;
        int inner = v.length / channels;
        byte[] q = new byte[v.length];
        for (int c = 0; c < channels; c++) {
            float m = 0;
            for (int i = 0; i < inner; i++) {
                m = Math.max(m, Math.abs(v[c * inner + i]));
            }
            sw[c] = m > 0 ? m / 127f : 1f;
            for (int i = 0; i < inner; i++) {
                q[c * inner + i] = (byte) Math.max(-127, Math.min(127, Math.round(v[c * inner + i] / sw[c])));
            }
        }
        String base = w.uniqueName(name + "/int8");
        w.raw(base, TensorProto.DataType.INT8, q, dims);
        String scale = w.initializer(w.uniqueName(name + "/wscale"), sw, channels);
        String zero = w.raw(w.uniqueName(name + "/wzero"), TensorProto.DataType.INT8, new byte[channels], channels);
        String out = w.uniqueName(name + "/dq");
        w.node("DequantizeLinear", out, List.of(base, scale, zero), List.of(out), OnnxGraphWriter.intAttr("axis", 0));
        return out;
    }

    /** A constant operand as uint8 with one scale and zero point (QLinearMul takes both operands as uint8). */
    private static String uint8Constant(OnnxGraphWriter w, String name, float[] v, long[] dims) {
        float lo = 0;
        float hi = 0;
        for (float x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        Range r = new Range(lo, hi);
        float s = scaleOf(r);
        int zp = zeroPointOf(r, s);
        byte[] q = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            q[i] = (byte) Math.max(0, Math.min(255, Math.round(v[i] / s) + zp));
        }
        String base = w.raw(w.uniqueName(name + "/uint8"), TensorProto.DataType.UINT8, q, dims);
        String scale = w.initializer(w.uniqueName(name + "/cscale"), new float[] {s});
        String zero = w.raw(w.uniqueName(name + "/czero"), TensorProto.DataType.UINT8, new byte[] {(byte) zp});
        String out = w.uniqueName(name + "/dq");
        w.node("DequantizeLinear", out, List.of(base, scale, zero), List.of(out));
        return out;
    }

    /** Int32 bias at scale {@code sx * sw[c]} (what QLinearConv adds to its int32 accumulator). */
    private static String int32Bias(OnnxGraphWriter w, String name, float[] b, float sx, float[] sw) {
        int channels = b.length;
        float[] scale = new float[channels];
        ByteBuffer q = ByteBuffer.allocate(channels * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < channels; c++) {
            scale[c] = sx * sw[c];
            q.putInt((int) Math.max(Integer.MIN_VALUE + 1L, Math.min(Integer.MAX_VALUE, Math.round(b[c] / scale[c]))));
        }
        String base = w.uniqueName(name + "/int32");
        w.raw(base, TensorProto.DataType.INT32, q.array(), channels);
        String s = w.initializer(w.uniqueName(name + "/bscale"), scale, channels);
        String zero =
                w.raw(w.uniqueName(name + "/bzero"), TensorProto.DataType.INT32, new byte[channels * 4], channels);
        String out = w.uniqueName(name + "/dq");
        w.node("DequantizeLinear", out, List.of(base, s, zero), List.of(out), OnnxGraphWriter.intAttr("axis", 0));
        return out;
    }

    /** The float graph, indexed. */
    private static final class Graph {
        final ModelProto model;
        final List<NodeProto> nodes;
        final Map<String, TensorProto> initializers = new LinkedHashMap<>();
        final Map<String, NodeProto> producer = new HashMap<>();
        final Map<String, List<NodeProto>> consumers = new HashMap<>();
        final Set<String> graphOutputs = new LinkedHashSet<>();

        Graph(ModelProto model) {
            this.model = model;
            this.nodes = model.getGraph().getNodeList();
            for (TensorProto t : model.getGraph().getInitializerList()) {
                initializers.put(t.getName(), t);
            }
            for (NodeProto n : nodes) {
                for (String o : n.getOutputList()) {
                    producer.put(o, n);
                }
                for (String i : n.getInputList()) {
                    consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n);
                }
            }
            model.getGraph().getOutputList().forEach(o -> graphOutputs.add(o.getName()));
        }

        /** A Cast of an initializer: the converter's FLOAT16 weights. */
        boolean isConstant(NodeProto n) {
            return n.getOpType().equals("Cast") && initializers.containsKey(n.getInput(0));
        }

        /** The float values of a constant tensor (a FLOAT initializer or a Cast of a FLOAT16 one), else null. */
        float[] floatConstant(String name) {
            TensorProto t = initializers.get(name);
            NodeProto p = producer.get(name);
            if (t == null && p != null && isConstant(p)) {
                t = initializers.get(p.getInput(0));
            }
            if (t == null) {
                return null;
            }
            if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                if (t.getFloatDataCount() > 0) {
                    float[] v = new float[t.getFloatDataCount()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = t.getFloatData(i);
                    }
                    return v;
                }
                float[] v = new float[t.getRawData().size() / 4];
                t.getRawData()
                        .asReadOnlyByteBuffer()
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer()
                        .get(v);
                return v;
            }
            if (t.getDataType() == TensorProto.DataType.FLOAT16_VALUE) {
                ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                float[] v = new float[b.remaining() / 2];
                for (int i = 0; i < v.length; i++) {
                    v[i] = Half.toFloat(b.getShort());
                }
                return v;
            }
            return null;
        }

        long[] constantDims(String name) {
            TensorProto t = initializers.get(name);
            if (t == null) {
                t = initializers.get(producer.get(name).getInput(0));
            }
            return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        }

        OnnxGraphWriter copyHeader() {
            OnnxGraphWriter w = new OnnxGraphWriter(model.getGraph().getName());
            for (TensorProto t : model.getGraph().getInitializerList()) {
                long[] dims =
                        t.getDimsList().stream().mapToLong(Long::longValue).toArray();
                if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE && t.getFloatDataCount() > 0) {
                    w.initializer(t.getName(), floatConstant(t.getName()), dims);
                } else {
                    w.raw(
                            t.getName(),
                            TensorProto.DataType.forNumber(t.getDataType()),
                            t.getRawData().toByteArray(),
                            dims);
                }
            }
            for (OnnxMl.ValueInfoProto in : model.getGraph().getInputList()) {
                Shape s = Shape.of(in);
                w.input(in.getName(), s.batch, s.dims);
            }
            return w;
        }

        void copyNode(OnnxGraphWriter w, NodeProto n, List<String> inputs) {
            w.node(
                    n.getOpType(),
                    n.getName(),
                    inputs,
                    n.getOutputList(),
                    n.getAttributeList().toArray(new OnnxMl.AttributeProto[0]));
        }

        void copyOutputs(OnnxGraphWriter w) {
            for (OnnxMl.ValueInfoProto o : model.getGraph().getOutputList()) {
                Shape s = Shape.of(o);
                w.output(o.getName(), s.batch, s.dims);
            }
        }

        ModelProto build(OnnxGraphWriter w, Map<String, String> extraMetadata) {
            Map<String, String> meta = new LinkedHashMap<>();
            for (OnnxMl.StringStringEntryProto e : model.getMetadataPropsList()) {
                meta.put(e.getKey(), e.getValue());
            }
            meta.putAll(extraMetadata);
            return w.model(
                            model.getIrVersion(),
                            (int) model.getOpsetImport(0).getVersion(),
                            model.getProducerName(),
                            model.hasProducerVersion() ? model.getProducerVersion() : null,
                            model.getDocString(),
                            meta)
                    .build();
        }
    }

    /** A value's shape as the writer takes it: a named first dimension (or none) and the fixed rest. */
    private record Shape(String batch, long[] dims) {
        static Shape of(OnnxMl.ValueInfoProto v) {
            List<OnnxMl.TensorShapeProto.Dimension> d =
                    v.getType().getTensorType().getShape().getDimList();
            if (d.isEmpty()) {
                return new Shape(null, new long[0]);
            }
            boolean named = d.get(0).hasDimParam();
            long[] rest = d.stream()
                    .skip(named ? 1 : 0)
                    .mapToLong(x -> x.getDimValue())
                    .toArray();
            return new Shape(named ? d.get(0).getDimParam() : null, rest);
        }
    }
}
