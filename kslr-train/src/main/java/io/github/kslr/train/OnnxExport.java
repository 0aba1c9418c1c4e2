package io.github.kslr.train;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import io.github.kslr.api.Checks;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * Writes a {@link TrainedModel} as an ONNX model (opset 13) whose input is the raw layout and whose graph does the
 * whole {@link FeatureTransform} normalisation and standardisation, then the network, then softmax. The
 * {@link io.github.kslr.api.SignModelMetadata} goes into {@code metadata_props}.
 *
 * <p>Input {@value #INPUT} float32 {@code [batch, T, F]}; output {@value #OUTPUT} float32 {@code [batch, classes]}.
 * {@link Precision#INT8} stores the three weight matrices as int8 with one scale per output channel (symmetric) and
 * dequantises them in the graph - a quarter of the size, same arithmetic otherwise.
 *
 * <p><b>Thread-safety.</b> Stateless; safe from any thread.
 */
public final class OnnxExport {

    public static final String INPUT = "landmarks";
    public static final String OUTPUT = "probabilities";
    static final int OPSET = 13;

    /** How weights are stored. */
    public enum Precision {
        FLOAT32,
        /** Weight-only int8, per-output-channel scales. */
        INT8
    }

    private OnnxExport() {
    }

    /** The model as ONNX bytes. */
    public static byte[] toBytes(TrainedModel model, Precision precision) {
        return toProto(model, precision).toByteArray();
    }

    static ModelProto toProto(TrainedModel model, Precision precision) {
        Checks.notNull(model, "model");
        Checks.notNull(precision, "precision");
        G g = new G();
        FeatureTransform tf = model.transform();
        SequenceNetwork network = model.network();
        SignNetwork.Shape s = network.shape();
        int t = s.frames();
        int d = s.inputSize();
        int c = s.classes();

        int[] sh = tf.shoulderColumns();
        String xs = g.gather(INPUT, g.ints("x_columns", tf.xColumns()), 2);
        String ys = g.gather(INPUT, g.ints("y_columns", tf.yColumns()), 2);
        String ax = g.gather(INPUT, g.ints("left_shoulder_x", new int[] {sh[0]}), 2);
        String ay = g.gather(INPUT, g.ints("left_shoulder_y", new int[] {sh[1]}), 2);
        String bx = g.gather(INPUT, g.ints("right_shoulder_x", new int[] {sh[2]}), 2);
        String by = g.gather(INPUT, g.ints("right_shoulder_y", new int[] {sh[3]}), 2);
        String dx = g.op("Sub", ax, bx);
        String dy = g.op("Sub", ay, by);
        String w = g.op("Sqrt", g.op("Add", g.op("Mul", dx, dx), g.op("Mul", dy, dy)));
        String valid = g.cast(g.op("Greater", w, g.scalar("min_width", FeatureTransform.MIN_WIDTH)));
        String invalid = g.op("Sub", g.scalar("one", 1f), valid);
        String half = g.scalar("half", 0.5f);
        String mx = g.op("Add", g.op("Mul", g.op("Mul", g.op("Add", ax, bx), half), valid), g.op("Mul", half, invalid));
        String my = g.op("Add", g.op("Mul", g.op("Mul", g.op("Add", ay, by), half), valid), g.op("Mul", half, invalid));
        String wf = g.op("Add", g.op("Mul", w, valid),
                g.op("Mul", g.scalar("fallback_width", FeatureTransform.FALLBACK_WIDTH), invalid));
        String present = g.cast(g.op("Greater", g.op("Add", g.op("Abs", xs), g.op("Abs", ys)), g.scalar("zero", 0f)));
        String nx = g.op("Mul", g.op("Div", g.op("Sub", xs, mx), wf), present);
        String ny = g.op("Mul", g.op("Div", g.op("Sub", ys, my), wf), present);
        String hp = g.ints("hand_points", tf.handPoints());
        String hw = g.ints("hand_wrists", tf.handWrists());
        String handPresent = g.gather(present, hp, 2);
        String rx = g.op("Mul", g.op("Sub", g.gather(nx, hp, 2), g.gather(nx, hw, 2)), handPresent);
        String ry = g.op("Mul", g.op("Sub", g.gather(ny, hp, 2), g.gather(ny, hw, 2)), handPresent);
        String feat = g.node(NodeProto.newBuilder().setOpType("Concat").addInput(nx).addInput(ny).addInput(rx)
                .addInput(ry).addAttribute(intAttr("axis", 2)));
        String std = g.op("Mul", g.op("Sub", feat, g.floats("feature_mean", model.mean(), d)),
                g.floats("feature_inv_std", model.invStd(), d));

        String logits = network instanceof LstmNetwork lstm ? lstmLogits(g, lstm, std, precision)
                : tcnLogits(g, (SignNetwork) network, std, precision);
        g.graph.addNode(NodeProto.newBuilder().setOpType("Softmax").addInput(logits).addOutput(OUTPUT)
                .setName("softmax").addAttribute(intAttr("axis", 1)));

        g.graph.setName("kslr_sign_model");
        g.graph.addInput(valueInfo(INPUT, "batch", t, model.metadata().layout().size()));
        g.graph.addOutput(valueInfo(OUTPUT, "batch", c));
        ModelProto.Builder mb = ModelProto.newBuilder().setIrVersion(7).setProducerName("kslr-train")
                .setProducerVersion("1").setDocString("KSLR sign model: "
                        + (network.architecture() == SequenceNetwork.Architecture.LSTM ? "stacked LSTM, "
                                : "temporal convolution network, ")
                        + (precision == Precision.INT8 ? "int8 weights" : "float32 weights"))
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(g.graph);
        for (Map.Entry<String, String> e : model.metadata().toProperties().entrySet()) {
            mb.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return mb.build();
    }

    /** The temporal convolution network on standardised features {@code std} [B, T, D]; returns the logits. */
    private static String tcnLogits(G g, SignNetwork net, String std, Precision precision) {
        SignNetwork.Shape s = net.shape();
        int d = s.inputSize();
        int h1 = s.hidden1();
        int h2 = s.hidden2();
        int c = s.classes();
        float[] p = net.parameters();
        // Frame layer: [B, T, D] x [D, H1].
        String w1 = g.weight("w1", slice(p, net.oW1, d * h1), new long[] {d, h1}, 1, precision);
        String a1 = g.op("Add", g.op("MatMul", std, w1), g.floats("b1", slice(p, net.oB1, h1), h1));
        String r1 = g.op("Relu", a1);
        // Temporal convolution on [B, H1, T]; our W2[k][i][j] becomes ONNX's [out j][in i][k].
        String tr = g.node(NodeProto.newBuilder().setOpType("Transpose").addInput(r1)
                .addAttribute(intsAttr("perm", 0, 2, 1)));
        float[] conv = new float[h2 * h1 * SignNetwork.KERNEL];
        for (int k = 0; k < SignNetwork.KERNEL; k++) {
            for (int i = 0; i < h1; i++) {
                for (int j = 0; j < h2; j++) {
                    conv[(j * h1 + i) * SignNetwork.KERNEL + k] = p[net.oW2 + (k * h1 + i) * h2 + j];
                }
            }
        }
        String w2 = g.weight("w2", conv, new long[] {h2, h1, SignNetwork.KERNEL}, 0, precision);
        String a2 = g.node(NodeProto.newBuilder().setOpType("Conv").addInput(tr).addInput(w2)
                .addInput(g.floats("b2", slice(p, net.oB2, h2), h2))
                .addAttribute(intsAttr("kernel_shape", SignNetwork.KERNEL)).addAttribute(intsAttr("pads", 1, 1)));
        String r2 = g.op("Relu", a2);
        String mean = g.node(NodeProto.newBuilder().setOpType("ReduceMean").addInput(r2)
                .addAttribute(intsAttr("axes", 2)).addAttribute(intAttr("keepdims", 0)));
        String max = g.node(NodeProto.newBuilder().setOpType("ReduceMax").addInput(r2)
                .addAttribute(intsAttr("axes", 2)).addAttribute(intAttr("keepdims", 0)));
        String z = g.node(NodeProto.newBuilder().setOpType("Concat").addInput(mean).addInput(max)
                .addAttribute(intAttr("axis", 1)));
        String w3 = g.weight("w3", slice(p, net.oW3, 2 * h2 * c), new long[] {2 * h2, c}, 1, precision);
        return g.op("Add", g.op("MatMul", z, w3), g.floats("b3", slice(p, net.oB3, c), c));
    }

    /**
     * The reports' stacked LSTM on {@code std} [B, T, D]: ONNX LSTM operators (time-major, gates i, o, f, c),
     * the second LSTM's last hidden state, two dense layers; returns the logits.
     */
    private static String lstmLogits(G g, LstmNetwork net, String std, Precision precision) {
        SignNetwork.Shape s = net.shape();
        int d = s.inputSize();
        int h1 = s.hidden1();
        int h2 = s.hidden2();
        int c = s.classes();
        float[] p = net.parameters();
        String x = g.node(NodeProto.newBuilder().setOpType("Transpose").addInput(std)
                .addAttribute(intsAttr("perm", 1, 0, 2)));
        String y1 = lstm(g, "lstm1", x, p, net.oWx1, net.oWh1, net.oB1, d, h1, precision, true);
        String y1s = g.op("Squeeze", y1, g.ints("squeeze_dir", new int[] {1}));
        String yh2 = lstm(g, "lstm2", y1s, p, net.oWx2, net.oWh2, net.oB2, h1, h2, precision, false);
        String last = g.op("Squeeze", yh2, g.ints("squeeze_first", new int[] {0}));
        String w3 = g.weight("w3", slice(p, net.oW3, h2 * h1), new long[] {h2, h1}, 1, precision);
        String r3 = g.op("Relu", g.op("Add", g.op("MatMul", last, w3), g.floats("b3", slice(p, net.oB3, h1), h1)));
        String w4 = g.weight("w4", slice(p, net.oW4, h1 * c), new long[] {h1, c}, 1, precision);
        return g.op("Add", g.op("MatMul", r3, w4), g.floats("b4", slice(p, net.oB4, c), c));
    }

    /** One LSTM operator; returns Y [T, 1, B, H] when {@code sequence}, else Y_h [1, B, H]. */
    private static String lstm(G g, String name, String x, float[] p, int oWx, int oWh, int oB, int din, int h,
            Precision precision, boolean sequence) {
        // Our gate blocks are i, f, g, o; ONNX wants i, o, f, c.
        int[] fromBlock = {0, 3, 1, 2};
        float[] w = new float[4 * h * din];
        float[] r = new float[4 * h * h];
        float[] b = new float[8 * h];
        for (int gb = 0; gb < 4; gb++) {
            int mine = fromBlock[gb];
            for (int j = 0; j < h; j++) {
                int row = gb * h + j;
                int col = mine * h + j;
                for (int k = 0; k < din; k++) {
                    w[row * din + k] = p[oWx + k * 4 * h + col];
                }
                for (int k = 0; k < h; k++) {
                    r[row * h + k] = p[oWh + k * 4 * h + col];
                }
                b[row] = p[oB + col];
            }
        }
        String wn = g.weight(name + "_w", w, new long[] {1, 4 * h, din}, 1, precision);
        String rn = g.weight(name + "_r", r, new long[] {1, 4 * h, h}, 1, precision);
        String bn = g.floats(name + "_b", b, 1, 8 * h);
        String y = name + "_y";
        String yh = name + "_yh";
        g.graph.addNode(NodeProto.newBuilder().setOpType("LSTM").setName(name).addInput(x).addInput(wn)
                .addInput(rn).addInput(bn).addOutput(sequence ? y : "").addOutput(sequence ? "" : yh)
                .addAttribute(intAttr("hidden_size", h)));
        return sequence ? y : yh;
    }

    private static float[] slice(float[] a, int off, int n) {
        float[] r = new float[n];
        System.arraycopy(a, off, r, 0, n);
        return r;
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, String batch, long... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
        for (long dim : dims) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape))).build();
    }

    private static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static AttributeProto intsAttr(String name, long... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        return b.build();
    }

    /** Graph under construction: fresh names for each node's output. */
    private static final class G {
        final GraphProto.Builder graph = GraphProto.newBuilder();
        int counter;

        String fresh(String op) {
            return op.toLowerCase(java.util.Locale.ROOT) + "_" + (counter++);
        }

        String node(NodeProto.Builder n) {
            String out = fresh(n.getOpType());
            graph.addNode(n.addOutput(out).setName(out));
            return out;
        }

        String op(String type, String... inputs) {
            NodeProto.Builder n = NodeProto.newBuilder().setOpType(type);
            for (String in : inputs) {
                n.addInput(in);
            }
            return node(n);
        }

        String gather(String data, String indices, int axis) {
            return node(NodeProto.newBuilder().setOpType("Gather").addInput(data).addInput(indices)
                    .addAttribute(intAttr("axis", axis)));
        }

        String cast(String in) {
            return node(NodeProto.newBuilder().setOpType("Cast").addInput(in)
                    .addAttribute(intAttr("to", TensorProto.DataType.FLOAT_VALUE)));
        }

        String ints(String name, int[] values) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (int v : values) {
                b.putLong(v);
            }
            b.flip();
            graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                    .addDims(values.length).setRawData(ByteString.copyFrom(b)));
            return name;
        }

        String scalar(String name, float v) {
            graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                    .addFloatData(v));
            return name;
        }

        String floats(String name, float[] values, long... dims) {
            graph.addInitializer(tensor(name, values, dims));
            return name;
        }

        static TensorProto tensor(String name, float[] values, long... dims) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                b.putFloat(v);
            }
            b.flip();
            TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                    .setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(b));
            for (long dim : dims) {
                t.addDims(dim);
            }
            return t.build();
        }

        /** A weight tensor, as float or as int8 + DequantizeLinear along {@code axis} (the output channels). */
        String weight(String name, float[] values, long[] dims, int axis, Precision precision) {
            if (precision == Precision.FLOAT32) {
                graph.addInitializer(tensor(name, values, dims));
                return name;
            }
            int channels = (int) dims[axis];
            long inner = 1;
            for (int i = axis + 1; i < dims.length; i++) {
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
            TensorProto.Builder qt = TensorProto.newBuilder().setName(name + "_int8")
                    .setDataType(TensorProto.DataType.INT8_VALUE).setRawData(ByteString.copyFrom(q));
            for (long dim : dims) {
                qt.addDims(dim);
            }
            graph.addInitializer(qt);
            graph.addInitializer(tensor(name + "_scale", scale, channels));
            graph.addInitializer(TensorProto.newBuilder().setName(name + "_zero").setDataType(
                    TensorProto.DataType.INT8_VALUE).addDims(channels).setRawData(ByteString.copyFrom(new byte[channels])));
            return node(NodeProto.newBuilder().setOpType("DequantizeLinear").addInput(name + "_int8")
                    .addInput(name + "_scale").addInput(name + "_zero").addAttribute(intAttr("axis", axis)));
        }
    }
}
