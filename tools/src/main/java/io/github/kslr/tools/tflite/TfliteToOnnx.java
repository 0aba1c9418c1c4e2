package io.github.kslr.tools.tflite;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.github.kslr.onnx.writer.OnnxGraphWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts a float TFLite model (one subgraph, NHWC) to an ONNX graph that ONNX Runtime runs fast.
 *
 * <p>Layout: each 4-D graph input keeps TFLite's NHWC shape with a free batch dimension {@code N} and is transposed to
 * NCHW once at the start; every 4-D activation stays NCHW inside (weights are permuted at conversion time, so no
 * per-layer transposes), and outputs get TFLite's names and NHWC shapes (batch dimension {@code N}) back. Tensors that
 * TFLite reshapes are turned back to NHWC just before the reshape, so the element order is TFLite's.
 *
 * <p>Weights: FLOAT16 buffers (TFLite's {@code DEQUANTIZE} from fp16) stay FLOAT16 initializers followed by a
 * {@code Cast} to float (lossless; ONNX Runtime folds it when it loads the model); sparse weights ({@code DENSIFY})
 * become dense. An operator, option or tensor type the converter does not handle fails the conversion with its name.
 *
 * <p>Supported operators: CONV_2D, DEPTHWISE_CONV_2D, ADD, MUL, PAD, MAX_POOL_2D, RESHAPE, CONCATENATION, PRELU, RELU,
 * RELU6, RELU_N1_TO_1, TANH, LOGISTIC, MEAN, FULLY_CONNECTED, RESIZE_BILINEAR, DEPTH_TO_SPACE, STRIDED_SLICE,
 * DEQUANTIZE (of fp16 constants) and DENSIFY (of constants), with fused activations NONE, RELU, RELU6 and
 * RELU_N1_TO_1 (CONCATENATION: none).
 *
 * <p>Stateless: {@link #convert} may be called from several threads at once.
 */
public final class TfliteToOnnx {
    /** The ONNX opset the converted graphs use (ReduceMean still takes its axes as an attribute there). */
    public static final int OPSET = 17;
    /** ONNX IR version written (IR 8 goes with opset 17). */
    public static final int IR_VERSION = 8;
    /** The name of the free batch dimension of every input and output. */
    public static final String BATCH_DIM = "N";

    // TFLite BuiltinOperator codes.
    static final int ADD = 0;
    static final int CONCATENATION = 2;
    static final int CONV_2D = 3;
    static final int DEPTHWISE_CONV_2D = 4;
    static final int DEPTH_TO_SPACE = 5;
    static final int DEQUANTIZE = 6;
    static final int FULLY_CONNECTED = 9;
    static final int LOGISTIC = 14;
    static final int MAX_POOL_2D = 17;
    static final int MUL = 18;
    static final int RELU = 19;
    static final int RELU_N1_TO_1 = 20;
    static final int RELU6 = 21;
    static final int RESHAPE = 22;
    static final int RESIZE_BILINEAR = 23;
    static final int TANH = 28;
    static final int PAD = 34;
    static final int MEAN = 40;
    static final int STRIDED_SLICE = 45;
    static final int PRELU = 54;
    static final int DENSIFY = 124;

    private static final Map<Integer, String> OP_NAMES = Map.ofEntries(
            Map.entry(ADD, "ADD"), Map.entry(1, "AVERAGE_POOL_2D"), Map.entry(CONCATENATION, "CONCATENATION"),
            Map.entry(CONV_2D, "CONV_2D"), Map.entry(DEPTHWISE_CONV_2D, "DEPTHWISE_CONV_2D"),
            Map.entry(DEPTH_TO_SPACE, "DEPTH_TO_SPACE"), Map.entry(DEQUANTIZE, "DEQUANTIZE"),
            Map.entry(FULLY_CONNECTED, "FULLY_CONNECTED"), Map.entry(LOGISTIC, "LOGISTIC"),
            Map.entry(MAX_POOL_2D, "MAX_POOL_2D"), Map.entry(MUL, "MUL"), Map.entry(RELU, "RELU"),
            Map.entry(RELU_N1_TO_1, "RELU_N1_TO_1"), Map.entry(RELU6, "RELU6"), Map.entry(RESHAPE, "RESHAPE"),
            Map.entry(RESIZE_BILINEAR, "RESIZE_BILINEAR"), Map.entry(25, "SOFTMAX"), Map.entry(TANH, "TANH"),
            Map.entry(32, "CUSTOM"), Map.entry(PAD, "PAD"), Map.entry(39, "TRANSPOSE"), Map.entry(MEAN, "MEAN"),
            Map.entry(41, "SUB"), Map.entry(42, "DIV"), Map.entry(43, "SQUEEZE"),
            Map.entry(STRIDED_SLICE, "STRIDED_SLICE"), Map.entry(PRELU, "PRELU"), Map.entry(60, "PADV2"),
            Map.entry(97, "RESIZE_NEAREST_NEIGHBOR"), Map.entry(DENSIFY, "DENSIFY"));

    private static final int[] TO_NCHW = {0, 3, 1, 2};
    private static final int[] TO_NHWC = {0, 2, 3, 1};
    /** NHWC axis -> NCHW axis. */
    private static final int[] AXIS_TO_NCHW = {0, 2, 3, 1};

    /**
     * What to write into the model besides the graph, and which TFLite outputs to leave out ({@code dropOutputs}: the
     * nodes only they need are removed too).
     */
    public record Options(String graphName, String docString, Map<String, String> metadata, Set<String> dropOutputs) {
        public Options {
            metadata = new LinkedHashMap<>(metadata);
            dropOutputs = Set.copyOf(dropOutputs);
        }

        public Options(String graphName, String docString, Map<String, String> metadata) {
            this(graphName, docString, metadata, Set.of());
        }
    }

    private TfliteToOnnx() {
    }

    /** The name of a TFLite builtin operator code, or "BUILTIN_n" when the converter does not know it. */
    public static String opName(int code) {
        return OP_NAMES.getOrDefault(code, "BUILTIN_" + code);
    }

    /**
     * Converts {@code model}.
     *
     * @throws UnsupportedOperationException naming the operator (and its index) or option the converter cannot map
     */
    public static ModelProto convert(TfliteModel model, Options options) {
        return new Run(model).convert(options);
    }

    /** An activation: its ONNX value name, whether it is stored NCHW (4-D only), and TFLite's (NHWC) shape. */
    private record Act(String name, boolean nchw, int[] shape) {
    }

    /**
     * A constant: TFLite shape and data, one of f32 / f16 bits / i32. {@code sparsity} is set until DENSIFY runs.
     */
    private record Const(int tensor, int[] shape, float[] f32, short[] f16, int[] i32,
            TfliteModel.Sparsity sparsity) {
        boolean isFloat() {
            return f32 != null || f16 != null;
        }
    }

    /** One conversion's state. */
    private static final class Run {
        private final TfliteModel model;
        private OnnxGraphWriter graph;
        private final Map<Integer, Act> acts = new HashMap<>();
        private final Map<Integer, Const> consts = new HashMap<>();
        private final Map<String, String> initializerCache = new HashMap<>();
        private final Map<String, String> transposeCache = new HashMap<>();
        private final Set<Integer> graphOutputs = new HashSet<>();
        private int nodeCount;

        Run(TfliteModel model) {
            this.model = model;
        }

        ModelProto convert(Options options) {
            graph = new OnnxGraphWriter(options.graphName());
            for (int o : model.outputs()) {
                graphOutputs.add(o);
            }
            for (TfliteModel.Tensor t : model.tensors()) {
                if (t.isConstant()) {
                    consts.put(t.index(), readConst(t));
                }
            }
            for (int in : model.inputs()) {
                TfliteModel.Tensor t = model.tensor(in);
                if (t.type() != TfliteModel.FLOAT32) {
                    throw new UnsupportedOperationException("input " + t.name() + " has TFLite type " + t.type()
                            + "; only float32 inputs are supported");
                }
                String name = unique(t.name());
                graph.input(name, t.shape().length == 0 ? null : BATCH_DIM, tail(t.shape()));
                acts.put(in, new Act(name, false, t.shape()));
            }
            for (TfliteModel.Operator op : model.operators()) {
                try {
                    convertOp(op);
                } catch (UnsupportedOperationException | IllegalArgumentException e) {
                    throw new UnsupportedOperationException("operator " + op.index() + " " + describe(op) + ": "
                            + e.getMessage(), e);
                }
            }
            for (String d : options.dropOutputs()) {
                boolean known = false;
                for (int o : model.outputs()) {
                    known |= d.equals(model.tensor(o).name());
                }
                if (!known) {
                    throw new IllegalArgumentException("cannot drop output " + d + ": the model has no such output");
                }
            }
            for (int o : model.outputs()) {
                TfliteModel.Tensor t = model.tensor(o);
                if (options.dropOutputs().contains(t.name())) {
                    continue;
                }
                Act a = acts.get(o);
                if (a == null) {
                    throw new UnsupportedOperationException("output " + t.name() + " is not computed from the inputs");
                }
                String finalName = outputName(o);
                if (a.nchw()) {
                    node("Transpose", List.of(a.name()), finalName, ints("perm", TO_NHWC));
                } else if (!a.name().equals(finalName)) {
                    node("Identity", List.of(a.name()), finalName);
                }
                graph.output(finalName, t.shape().length == 0 ? null : BATCH_DIM, tail(t.shape()));
            }
            graph.pruneUnreachable();
            return graph.model(IR_VERSION, OPSET, "kslr-tools tflite2onnx", "1", options.docString(),
                    options.metadata()).build();
        }

        private String describe(TfliteModel.Operator op) {
            String n = op.builtinCode() == 32 && op.customCode() != null ? "CUSTOM(" + op.customCode() + ")"
                    : opName(op.builtinCode());
            String out = op.outputs().length > 0 && op.outputs()[0] >= 0 ? model.tensor(op.outputs()[0]).name() : "?";
            return n + " -> " + out;
        }

        // ------------------------------------------------------------------------------------------ operators

        private void convertOp(TfliteModel.Operator op) {
            int[] in = op.inputs();
            int out = op.outputs()[0];
            FbTable opt = op.options();
            switch (op.builtinCode()) {
                case DEQUANTIZE -> dequantize(in[0], out);
                case DENSIFY -> densify(in[0], out);
                case CONV_2D -> conv(in, out, opt, false);
                case DEPTHWISE_CONV_2D -> conv(in, out, opt, true);
                case MAX_POOL_2D -> maxPool(in[0], out, opt);
                case ADD -> binary("Add", in, out, opt == null ? 0 : opt.getByte(0, 0));
                case MUL -> binary("Mul", in, out, opt == null ? 0 : opt.getByte(0, 0));
                case PAD -> pad(in, out);
                case RESHAPE -> reshape(in[0], out);
                case CONCATENATION -> concat(in, out, opt);
                case PRELU -> prelu(in, out);
                case RELU -> unary(in[0], out, 1);
                case RELU_N1_TO_1 -> unary(in[0], out, 2);
                case RELU6 -> unary(in[0], out, 3);
                case TANH -> node(in[0], out, "Tanh");
                case LOGISTIC -> logistic(in[0], out);
                case MEAN -> mean(in, out, opt);
                case FULLY_CONNECTED -> fullyConnected(in, out, opt);
                case RESIZE_BILINEAR -> resizeBilinear(in, out, opt);
                case DEPTH_TO_SPACE -> depthToSpace(in[0], out, opt);
                case STRIDED_SLICE -> stridedSlice(in, out, opt);
                default -> throw new UnsupportedOperationException("unsupported TFLite operator "
                        + (op.builtinCode() == 32 ? "CUSTOM(" + op.customCode() + ")" : opName(op.builtinCode())));
            }
        }

        private void dequantize(int in, int out) {
            Const c = requireConst(in, "DEQUANTIZE input");
            if (c.sparsity() != null) {
                throw new UnsupportedOperationException("DEQUANTIZE of a sparse tensor (DENSIFY it first)");
            }
            if (c.f16() == null && c.f32() == null) {
                throw new UnsupportedOperationException("DEQUANTIZE of a non-float16 constant (TFLite type "
                        + model.tensor(in).type() + "): quantized integer weights are not supported");
            }
            // fp16 -> fp32 is exact; the data stay fp16 and become a FLOAT16 initializer + Cast when used.
            consts.put(out, new Const(out, c.shape(), c.f32(), c.f16(), null, null));
        }

        private void densify(int in, int out) {
            Const c = requireConst(in, "DENSIFY input");
            if (c.sparsity() == null) {
                consts.put(out, new Const(out, c.shape(), c.f32(), c.f16(), c.i32(), null));
                return;
            }
            int[] map = denseIndexMap(c.shape(), c.sparsity());
            int n = elementCount(c.shape());
            if (c.f16() != null) {
                short[] dense = new short[n];
                for (int k = 0; k < map.length; k++) {
                    dense[map[k]] = c.f16()[k];
                }
                consts.put(out, new Const(out, c.shape(), null, dense, null, null));
            } else if (c.f32() != null) {
                float[] dense = new float[n];
                for (int k = 0; k < map.length; k++) {
                    dense[map[k]] = c.f32()[k];
                }
                consts.put(out, new Const(out, c.shape(), dense, null, null, null));
            } else {
                throw new UnsupportedOperationException("DENSIFY of a non-float tensor");
            }
        }

        private void conv(int[] in, int out, FbTable opt, boolean depthwise) {
            Act x = toNchw(requireAct(in[0]));
            Const w = requireConst(in[1], "weights");
            int padding = opt.getByte(0, 0);
            int strideW = opt.getInt(1, 0);
            int strideH = opt.getInt(2, 0);
            int act = depthwise ? opt.getByte(4, 0) : opt.getByte(3, 0);
            int dilW = depthwise ? opt.getInt(5, 1) : opt.getInt(4, 1);
            int dilH = depthwise ? opt.getInt(6, 1) : opt.getInt(5, 1);
            int[] xs = x.shape();
            int[] os = model.tensor(out).shape();
            int kh = w.shape()[1];
            int kw = w.shape()[2];
            int cin = xs[3];
            int group;
            String weight;
            if (depthwise) {
                // [1, KH, KW, C*M] -> [C*M, 1, KH, KW], one group per input channel.
                weight = constInput(w, null, new int[] {3, 0, 1, 2});
                group = cin;
            } else {
                // [O, KH, KW, I] -> [O, I, KH, KW]; TFLite allows grouped convs where I divides C.
                weight = constInput(w, null, TO_NCHW);
                group = cin / w.shape()[3];
            }
            List<String> inputs = new ArrayList<>(List.of(x.name(), weight));
            if (in.length > 2 && in[2] >= 0) {
                inputs.add(constInput(requireConst(in[2], "bias"), null, null));
            }
            int[] ph = pads(xs[1], kh, strideH, dilH, os[1], padding);
            int[] pw = pads(xs[2], kw, strideW, dilW, os[2], padding);
            emit("Conv", inputs, out, true, act,
                    ints("kernel_shape", kh, kw), ints("strides", strideH, strideW),
                    ints("dilations", dilH, dilW), ints("pads", ph[0], pw[0], ph[1], pw[1]),
                    OnnxGraphWriter.intAttr("group", group));
        }

        private void maxPool(int in, int out, FbTable opt) {
            Act x = toNchw(requireAct(in));
            int padding = opt.getByte(0, 0);
            int strideW = opt.getInt(1, 0);
            int strideH = opt.getInt(2, 0);
            int fw = opt.getInt(3, 0);
            int fh = opt.getInt(4, 0);
            int act = opt.getByte(5, 0);
            int[] os = model.tensor(out).shape();
            int[] ph = pads(x.shape()[1], fh, strideH, 1, os[1], padding);
            int[] pw = pads(x.shape()[2], fw, strideW, 1, os[2], padding);
            // ONNX MaxPool ignores padded cells like TFLite does (they never win the max).
            emit("MaxPool", List.of(x.name()), out, true, act, ints("kernel_shape", fh, fw),
                    ints("strides", strideH, strideW), ints("pads", ph[0], pw[0], ph[1], pw[1]));
        }

        private void binary(String onnxOp, int[] in, int out, int act) {
            boolean aConst = consts.containsKey(in[0]);
            boolean bConst = consts.containsKey(in[1]);
            if (aConst && bConst) {
                throw new UnsupportedOperationException("both operands are constants");
            }
            int outRank = model.tensor(out).shape().length;
            boolean nchw = false;
            for (int i : in) {
                Act a = acts.get(i);
                if (a != null && a.nchw() && outRank == 4) {
                    nchw = true;
                }
            }
            if (nchw) {
                // Every operand must then be 4-D NCHW; constants are reshaped to rank 4 and permuted.
                for (int i : in) {
                    Act a = acts.get(i);
                    if (a != null && a.shape().length != 4) {
                        nchw = false;
                    }
                }
            }
            List<String> names = new ArrayList<>();
            for (int i : in) {
                names.add(operand(i, nchw));
            }
            emit(onnxOp, names, out, nchw, act);
        }

        /** An operand in the requested layout: NCHW (rank-4 broadcast form) or TFLite's own. */
        private String operand(int tensor, boolean nchw) {
            Const c = consts.get(tensor);
            if (c != null) {
                return nchw ? constInput(c, rank4(c.shape()), TO_NCHW) : constInput(c, null, null);
            }
            Act a = requireAct(tensor);
            return nchw ? toNchw(a).name() : toPlain(a).name();
        }

        private void pad(int[] in, int out) {
            Act x = requireAct(in[0]);
            int[] p = requireConst(in[1], "paddings").i32();
            int rank = x.shape().length;
            boolean nchw = rank == 4;
            x = nchw ? toNchw(x) : toPlain(x);
            long[] pads = new long[2 * rank];
            for (int i = 0; i < rank; i++) {
                int phys = nchw ? AXIS_TO_NCHW[i] : i;
                pads[phys] = p[2 * i];
                pads[rank + phys] = p[2 * i + 1];
            }
            String padsName = int64Initializer("pads", pads);
            emit("Pad", List.of(x.name(), padsName), out, nchw, 0, string("mode", "constant"));
        }

        private void reshape(int in, int out) {
            Act x = toPlain(requireAct(in));
            int[] target = model.tensor(out).shape().clone();
            long[] shape = new long[target.length];
            for (int i = 0; i < target.length; i++) {
                shape[i] = target[i];
            }
            if (target.length > 0 && target[0] == 1 && x.shape().length > 0 && x.shape()[0] == 1) {
                shape[0] = 0; // 0 = copy the input's batch dimension, which is free in the ONNX graph
            }
            emit("Reshape", List.of(x.name(), int64Initializer("shape", shape)), out, false, 0);
        }

        private void concat(int[] in, int out, FbTable opt) {
            int[] os = model.tensor(out).shape();
            int axis = opt.getInt(0, 0);
            if (axis < 0) {
                axis += os.length;
            }
            int act = opt.getByte(1, 0);
            if (act != 0) {
                // LiteRT's kernels ignore it (measured: output == plain concatenation), so no mapping is faithful.
                throw new UnsupportedOperationException("CONCATENATION with fused activation " + act);
            }
            boolean nchw = os.length == 4;
            if (nchw) {
                boolean any = false;
                for (int i : in) {
                    Act a = acts.get(i);
                    any |= a != null && a.nchw();
                }
                nchw = any;
            }
            List<String> names = new ArrayList<>();
            for (int i : in) {
                names.add(operand(i, nchw));
            }
            int onnxAxis = nchw ? AXIS_TO_NCHW[axis] : axis;
            emit("Concat", names, out, nchw, act, OnnxGraphWriter.intAttr("axis", onnxAxis));
        }

        private void prelu(int[] in, int out) {
            Act x = requireAct(in[0]);
            boolean nchw = x.shape().length == 4;
            String xName = nchw ? toNchw(x).name() : toPlain(x).name();
            String alpha = operand(in[1], nchw);
            emit("PRelu", List.of(xName, alpha), out, nchw, 0);
        }

        private void unary(int in, int out, int activation) {
            Act x = requireAct(in);
            String name = outName(out, x.nchw());
            emitActivation(x.name(), name, activation);
            acts.put(out, new Act(name, x.nchw(), model.tensor(out).shape()));
        }

        private void logistic(int in, int out) {
            node(in, out, "Sigmoid");
        }

        /** A layout-preserving element-wise operator. */
        private void node(int in, int out, String onnxOp) {
            Act x = requireAct(in);
            emit(onnxOp, List.of(x.name()), out, x.nchw(), 0);
        }

        private void mean(int[] in, int out, FbTable opt) {
            Act x = requireAct(in[0]);
            int[] axes = requireConst(in[1], "axes").i32();
            boolean keep = opt != null && opt.getBool(0, false);
            int rank = x.shape().length;
            boolean nchw = x.nchw();
            long[] onnxAxes = new long[axes.length];
            boolean[] reduced = new boolean[rank];
            for (int i = 0; i < axes.length; i++) {
                int a = axes[i] < 0 ? axes[i] + rank : axes[i];
                reduced[a] = true;
                onnxAxes[i] = nchw ? AXIS_TO_NCHW[a] : a;
            }
            Arrays.sort(onnxAxes);
            if (nchw && !keep) {
                // Without keep_dims the result is a plain tensor: the kept axes must stay in TFLite's order.
                int last = -1;
                for (int a = 0; a < rank; a++) {
                    if (!reduced[a]) {
                        if (AXIS_TO_NCHW[a] < last) {
                            x = toPlain(x);
                            nchw = false;
                            for (int i = 0; i < axes.length; i++) {
                                onnxAxes[i] = axes[i] < 0 ? axes[i] + rank : axes[i];
                            }
                            Arrays.sort(onnxAxes);
                            break;
                        }
                        last = AXIS_TO_NCHW[a];
                    }
                }
            }
            emit("ReduceMean", List.of(x.name()), out, nchw && keep, 0, ints("axes", onnxAxes),
                    OnnxGraphWriter.intAttr("keepdims", keep ? 1 : 0));
        }

        private void fullyConnected(int[] in, int out, FbTable opt) {
            Act x = toPlain(requireAct(in[0]));
            Const w = requireConst(in[1], "weights");
            int act = opt == null ? 0 : opt.getByte(0, 0);
            int format = opt == null ? 0 : opt.getByte(1, 0);
            boolean keepNumDims = opt != null && opt.getBool(2, false);
            if (format != 0) {
                throw new UnsupportedOperationException("FULLY_CONNECTED weights_format " + format);
            }
            int[] os = model.tensor(out).shape();
            if (keepNumDims && os.length != 2) {
                throw new UnsupportedOperationException("FULLY_CONNECTED keep_num_dims with output rank " + os.length);
            }
            int inFeatures = w.shape()[1];
            String a = x.name();
            int[] xs = x.shape();
            if (xs.length != 2 || xs[1] != inFeatures) {
                a = node("Reshape", List.of(a, int64Initializer("shape", new long[] {-1, inFeatures})),
                        uniqueDerived(x.name() + "/flat"));
            }
            List<String> inputs = new ArrayList<>(List.of(a, constInput(w, null, null)));
            if (in.length > 2 && in[2] >= 0) {
                inputs.add(constInput(requireConst(in[2], "bias"), null, null));
            }
            emit("Gemm", inputs, out, false, act, OnnxGraphWriter.intAttr("transB", 1));
        }

        private void resizeBilinear(int[] in, int out, FbTable opt) {
            Act x = toNchw(requireAct(in[0]));
            boolean alignCorners = opt != null && opt.getBool(2, false);
            boolean halfPixel = opt != null && opt.getBool(3, false);
            int[] xs = x.shape();
            int[] os = model.tensor(out).shape();
            float sh = (float) os[1] / xs[1];
            float sw = (float) os[2] / xs[2];
            if ((int) Math.floor(xs[1] * sh) != os[1] || (int) Math.floor(xs[2] * sw) != os[2]) {
                throw new UnsupportedOperationException("RESIZE_BILINEAR " + xs[1] + "x" + xs[2] + " -> " + os[1] + "x"
                        + os[2] + " is not reachable with float scales");
            }
            String mode = alignCorners ? "align_corners" : halfPixel ? "half_pixel" : "asymmetric";
            String scales = floatInitializer("scales", new int[] {4}, new float[] {1f, 1f, sh, sw});
            emit("Resize", List.of(x.name(), "", scales), out, true, 0, string("mode", "linear"),
                    string("coordinate_transformation_mode", mode));
        }

        private void depthToSpace(int in, int out, FbTable opt) {
            Act x = toNchw(requireAct(in));
            int block = opt.getInt(0, 0);
            // TFLite's channel order (block row, block column, channel) is ONNX's DCR mode.
            emit("DepthToSpace", List.of(x.name()), out, true, 0, OnnxGraphWriter.intAttr("blocksize", block), string("mode", "DCR"));
        }

        private void stridedSlice(int[] in, int out, FbTable opt) {
            Act x = requireAct(in[0]);
            int[] begin = requireConst(in[1], "begin").i32();
            int[] end = requireConst(in[2], "end").i32();
            int[] strides = in.length > 3 ? requireConst(in[3], "strides").i32() : null;
            int beginMask = opt.getInt(0, 0);
            int endMask = opt.getInt(1, 0);
            int ellipsisMask = opt.getInt(2, 0);
            int newAxisMask = opt.getInt(3, 0);
            int shrinkMask = opt.getInt(4, 0);
            boolean offset = opt.getBool(5, false);
            if (ellipsisMask != 0 || newAxisMask != 0 || offset) {
                throw new UnsupportedOperationException("STRIDED_SLICE with ellipsis/new-axis mask or offset");
            }
            int[] xs = x.shape();
            int rank = xs.length;
            boolean nchw = x.nchw() && shrinkMask == 0;
            x = nchw ? x : toPlain(x);
            List<Long> starts = new ArrayList<>();
            List<Long> ends = new ArrayList<>();
            List<Long> axes = new ArrayList<>();
            List<Long> steps = new ArrayList<>();
            for (int i = 0; i < rank; i++) {
                long s = strides == null ? 1 : strides[i];
                long b = (beginMask >> i & 1) != 0 ? (s > 0 ? 0 : Long.MAX_VALUE) : begin[i];
                long e = (endMask >> i & 1) != 0 ? (s > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : end[i];
                if ((shrinkMask >> i & 1) != 0) {
                    e = b + 1; // TFLite ignores end for shrunk axes
                    s = 1;
                }
                long bn = b < 0 ? b + xs[i] : b;
                boolean full = s == 1 && bn == 0 && (e == Long.MAX_VALUE || e >= xs[i]);
                if (full) {
                    continue;
                }
                if (i == 0) {
                    throw new UnsupportedOperationException("STRIDED_SLICE over the batch dimension");
                }
                starts.add(b);
                ends.add(e);
                axes.add((long) (nchw ? AXIS_TO_NCHW[i] : i));
                steps.add(s);
            }
            List<Long> squeeze = new ArrayList<>();
            for (int i = 0; i < rank; i++) {
                if ((shrinkMask >> i & 1) != 0) {
                    squeeze.add((long) i);
                }
            }
            String sliced = x.name();
            if (!axes.isEmpty()) {
                List<String> inputs = List.of(x.name(), int64Initializer("starts", toArray(starts)),
                        int64Initializer("ends", toArray(ends)), int64Initializer("axes", toArray(axes)),
                        int64Initializer("steps", toArray(steps)));
                if (squeeze.isEmpty()) {
                    emit("Slice", inputs, out, nchw, 0);
                    return;
                }
                sliced = node("Slice", inputs, uniqueDerived(outName(out, false) + "/slice"));
            }
            if (squeeze.isEmpty()) {
                emit("Identity", List.of(sliced), out, nchw, 0);
            } else {
                emit("Squeeze", List.of(sliced, int64Initializer("axes", toArray(squeeze))), out, false, 0);
            }
        }

        // ------------------------------------------------------------------------------------------ helpers

        /** Emits {@code onnxOp} computing TFLite tensor {@code out}, then its fused activation. */
        private void emit(String onnxOp, List<String> inputs, int out, boolean nchw, int activation,
                AttributeProto... attrs) {
            String finalName = outName(out, nchw);
            if (activation == 0) {
                node(onnxOp, inputs, finalName, attrs);
            } else {
                String linear = node(onnxOp, inputs, uniqueDerived(finalName + "/linear"), attrs);
                emitActivation(linear, finalName, activation);
            }
            acts.put(out, new Act(finalName, nchw, model.tensor(out).shape()));
        }

        private void emitActivation(String in, String out, int activation) {
            switch (activation) {
                case 1 -> node("Relu", List.of(in), out);
                case 2 -> node("Clip", List.of(in, scalar(-1f), scalar(1f)), out);
                case 3 -> node("Clip", List.of(in, scalar(0f), scalar(6f)), out);
                // Fused TANH / SIGN_BIT: TFLite's conv/pool/arithmetic kernels do not apply them (measured: LiteRT's
                // CONV_2D output with fused TANH is the linear output), so they are rejected rather than guessed.
                default -> throw new UnsupportedOperationException("fused activation " + activation
                        + " (only NONE, RELU, RELU_N1_TO_1, RELU6 are supported)");
            }
        }

        /** The ONNX name of TFLite tensor {@code t}: its own name, or name/nchw for NCHW copies of outputs. */
        private String outName(int t, boolean nchw) {
            String base = model.tensor(t).name();
            if (graphOutputs.contains(t)) {
                return nchw ? uniqueDerived(base + "/nchw") : outputName(t);
            }
            return uniqueFor(t, base);
        }

        private final Map<Integer, String> tensorNames = new HashMap<>();

        private String outputName(int t) {
            return uniqueFor(t, model.tensor(t).name());
        }

        private String uniqueFor(int t, String base) {
            return tensorNames.computeIfAbsent(t, k -> unique(base == null || base.isEmpty() ? "t" + t : base));
        }

        private String unique(String base) {
            return graph.uniqueName(base);
        }

        private String uniqueDerived(String base) {
            return unique(base);
        }

        private Act requireAct(int t) {
            Act a = acts.get(t);
            if (a == null) {
                if (consts.containsKey(t)) {
                    throw new UnsupportedOperationException("tensor " + model.tensor(t).name()
                            + " is a constant where the converter needs a computed tensor");
                }
                throw new IllegalArgumentException("tensor " + t + " is used before it is computed");
            }
            return a;
        }

        private Const requireConst(int t, String what) {
            Const c = consts.get(t);
            if (c == null) {
                throw new UnsupportedOperationException(what + " (tensor " + (t < 0 ? "absent" : model.tensor(t).name())
                        + ") must be a constant");
            }
            return c;
        }

        private Act toNchw(Act a) {
            if (a.nchw()) {
                return a;
            }
            if (a.shape().length != 4) {
                throw new UnsupportedOperationException("expected a 4-D tensor, got " + Arrays.toString(a.shape()));
            }
            String t = transposeCache.computeIfAbsent(a.name(), n ->
                    node("Transpose", List.of(n), uniqueDerived(n + "/nchw"), ints("perm", TO_NCHW)));
            return new Act(t, true, a.shape());
        }

        private Act toPlain(Act a) {
            if (!a.nchw()) {
                return a;
            }
            String t = transposeCache.computeIfAbsent(a.name(), n ->
                    node("Transpose", List.of(n), uniqueDerived(n + "/nhwc"), ints("perm", TO_NHWC)));
            return new Act(t, false, a.shape());
        }

        private String node(String op, List<String> inputs, String output, AttributeProto... attrs) {
            graph.node(op, op + "_" + nodeCount++, inputs, List.of(output), attrs);
            return output;
        }

        // ------------------------------------------------------------------------------------------ constants

        private Const readConst(TfliteModel.Tensor t) {
            ByteBuffer d = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
            int n = t.sparsity() != null ? -1 : t.elementCount();
            switch (t.type()) {
                case TfliteModel.FLOAT32 -> {
                    float[] v = new float[d.remaining() / 4];
                    d.asFloatBuffer().get(v);
                    checkCount(t, v.length, n);
                    return new Const(t.index(), t.shape(), v, null, null, t.sparsity());
                }
                case TfliteModel.FLOAT16 -> {
                    short[] v = new short[d.remaining() / 2];
                    d.asShortBuffer().get(v);
                    checkCount(t, v.length, n);
                    return new Const(t.index(), t.shape(), null, v, null, t.sparsity());
                }
                case TfliteModel.INT32 -> {
                    int[] v = new int[d.remaining() / 4];
                    d.asIntBuffer().get(v);
                    checkCount(t, v.length, n);
                    return new Const(t.index(), t.shape(), null, null, v, t.sparsity());
                }
                case TfliteModel.INT64 -> {
                    long[] l = new long[d.remaining() / 8];
                    d.asLongBuffer().get(l);
                    int[] v = new int[l.length];
                    for (int i = 0; i < l.length; i++) {
                        v[i] = Math.toIntExact(l[i]);
                    }
                    return new Const(t.index(), t.shape(), null, null, v, t.sparsity());
                }
                default -> {
                    // Only fails if an operator actually uses it (quantized models are out of scope).
                    return new Const(t.index(), t.shape(), null, null, null, t.sparsity());
                }
            }
        }

        private static void checkCount(TfliteModel.Tensor t, int got, int expected) {
            if (expected >= 0 && got != expected) {
                throw new IllegalArgumentException("tensor " + t.name() + " " + Arrays.toString(t.shape()) + " holds "
                        + got + " values, expected " + expected);
            }
        }

        /**
         * The ONNX value of a float constant (optionally reshaped to {@code shape}, then permuted by {@code perm}).
         * FLOAT16 data become a FLOAT16 initializer and a Cast to float.
         */
        private String constInput(Const c, int[] shape, int[] perm) {
            if (!c.isFloat()) {
                throw new UnsupportedOperationException("constant " + model.tensor(c.tensor()).name()
                        + " is not float (TFLite type " + model.tensor(c.tensor()).type() + ")");
            }
            if (c.sparsity() != null) {
                throw new UnsupportedOperationException("sparse constant " + model.tensor(c.tensor()).name()
                        + " used without DENSIFY");
            }
            int[] s = shape != null ? shape : c.shape();
            if (elementCount(s) != elementCount(c.shape())) {
                throw new IllegalArgumentException("cannot reshape " + Arrays.toString(c.shape()) + " to "
                        + Arrays.toString(s));
            }
            String key = c.tensor() + "|" + Arrays.toString(s) + "|" + Arrays.toString(perm) + "|" + (c.f16() != null);
            String cached = initializerCache.get(key);
            if (cached != null) {
                return cached;
            }
            int[] outShape = perm == null ? s : permute(s, perm);
            int[] index = perm == null ? null : permutationIndex(s, perm);
            String base = model.tensor(c.tensor()).name();
            base = base == null || base.isEmpty() ? "const" + c.tensor() : base;
            String result;
            if (c.f16() != null) {
                short[] v = c.f16();
                ByteBuffer raw = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < v.length; i++) {
                    raw.putShort(v[index == null ? i : index[i]]);
                }
                String f16Name = uniqueDerived(base + "/fp16");
                graph.raw(f16Name, TensorProto.DataType.FLOAT16, raw.array(), dims(outShape));
                result = node("Cast", List.of(f16Name), uniqueDerived(base), OnnxGraphWriter.intAttr("to", TensorProto.DataType.FLOAT_VALUE));
            } else {
                float[] v = c.f32();
                ByteBuffer raw = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < v.length; i++) {
                    raw.putFloat(v[index == null ? i : index[i]]);
                }
                result = uniqueDerived(base);
                graph.raw(result, TensorProto.DataType.FLOAT, raw.array(), dims(outShape));
            }
            initializerCache.put(key, result);
            return result;
        }

        private String scalar(float value) {
            String key = "scalar|" + value;
            return initializerCache.computeIfAbsent(key, k -> {
                String name = uniqueDerived("const/" + value);
                ByteBuffer raw = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value);
                graph.raw(name, TensorProto.DataType.FLOAT, raw.array(), dims(new int[0]));
                return name;
            });
        }

        private String floatInitializer(String base, int[] shape, float[] values) {
            String key = "f32|" + base + Arrays.toString(values);
            return initializerCache.computeIfAbsent(key, k -> {
                String name = uniqueDerived("const/" + base);
                ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : values) {
                    raw.putFloat(f);
                }
                graph.raw(name, TensorProto.DataType.FLOAT, raw.array(), dims(shape));
                return name;
            });
        }

        private String int64Initializer(String base, long[] values) {
            String key = "i64|" + base + Arrays.toString(values);
            return initializerCache.computeIfAbsent(key, k -> {
                String name = uniqueDerived("const/" + base);
                ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                for (long l : values) {
                    raw.putLong(l);
                }
                graph.raw(name, TensorProto.DataType.INT64, raw.array(), values.length);
                return name;
            });
        }
    }

    // ---------------------------------------------------------------------------------------------- static helpers

    /** TFLite's padding: SAME pads (total) split with the extra cell at the end; VALID pads nothing. */
    static int[] pads(int in, int kernel, int stride, int dilation, int out, int padding) {
        int effective = (kernel - 1) * dilation + 1;
        if (stride <= 0) {
            throw new IllegalArgumentException("stride " + stride);
        }
        if (padding == 1) { // VALID
            int expected = (in - effective + stride) / stride;
            if (expected != out) {
                throw new IllegalArgumentException("VALID output " + out + " != expected " + expected);
            }
            return new int[] {0, 0};
        }
        int expected = (in + stride - 1) / stride;
        if (expected != out) {
            throw new IllegalArgumentException("SAME output " + out + " != expected " + expected);
        }
        int total = Math.max((out - 1) * stride + effective - in, 0);
        return new int[] {total / 2, total - total / 2};
    }

    static int elementCount(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    static int[] rank4(int[] shape) {
        if (shape.length > 4) {
            throw new UnsupportedOperationException("constant of rank " + shape.length);
        }
        int[] s = {1, 1, 1, 1};
        System.arraycopy(shape, 0, s, 4 - shape.length, shape.length);
        return s;
    }

    static int[] permute(int[] shape, int[] perm) {
        int[] out = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            out[i] = shape[perm[i]];
        }
        return out;
    }

    /** For each element of the permuted array (row-major), the index of its source element. */
    static int[] permutationIndex(int[] shape, int[] perm) {
        int rank = shape.length;
        int[] srcStrides = new int[rank];
        int stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            srcStrides[i] = stride;
            stride *= shape[i];
        }
        int[] outShape = permute(shape, perm);
        int n = stride;
        int[] index = new int[n];
        int[] coord = new int[rank];
        for (int k = 0; k < n; k++) {
            int src = 0;
            for (int i = 0; i < rank; i++) {
                src += coord[i] * srcStrides[perm[i]];
            }
            index[k] = src;
            for (int i = rank - 1; i >= 0; i--) {
                if (++coord[i] < outShape[i]) {
                    break;
                }
                coord[i] = 0;
            }
        }
        return index;
    }

    /**
     * For the k-th stored value of a sparse tensor, its row-major index in the dense tensor (TFLite's sparse format:
     * dimensions visited in traversal order, DENSE ones by their size, SPARSE_CSR ones through segments + indices).
     */
    static int[] denseIndexMap(int[] shape, TfliteModel.Sparsity sp) {
        if (sp.blockMap().length > 0) {
            throw new UnsupportedOperationException("block-sparse tensors");
        }
        int rank = shape.length;
        int[] order = sp.traversalOrder().length == rank ? sp.traversalOrder() : identity(rank);
        int[] strides = new int[rank];
        int stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= shape[i];
        }
        List<Integer> out = new ArrayList<>();
        walk(sp.dimensions(), order, strides, 0, 0, 0, out);
        int[] map = new int[out.size()];
        for (int i = 0; i < map.length; i++) {
            map[i] = out.get(i);
        }
        return map;
    }

    private static void walk(List<TfliteModel.DimensionMetadata> dims, int[] order, int[] strides, int level,
            int prev, int denseOffset, List<Integer> out) {
        if (level == dims.size()) {
            out.add(denseOffset);
            return;
        }
        TfliteModel.DimensionMetadata d = dims.get(level);
        int axis = order[level];
        if (d.format() == 0) {
            for (int i = 0; i < d.denseSize(); i++) {
                walk(dims, order, strides, level + 1, prev * d.denseSize() + i, denseOffset + i * strides[axis], out);
            }
        } else {
            for (int k = d.segments()[prev]; k < d.segments()[prev + 1]; k++) {
                walk(dims, order, strides, level + 1, k, denseOffset + d.indices()[k] * strides[axis], out);
            }
        }
    }

    private static int[] identity(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static long[] toArray(List<Long> l) {
        long[] r = new long[l.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = l.get(i);
        }
        return r;
    }

    static AttributeProto ints(String name, int... values) {
        return OnnxGraphWriter.intsAttr(name, values);
    }

    static AttributeProto ints(String name, long... values) {
        return OnnxGraphWriter.intsAttr(name, values);
    }

    static AttributeProto string(String name, String value) {
        return OnnxGraphWriter.stringAttr(name, value);
    }

    /** A TFLite shape as ONNX dimensions. */
    private static long[] dims(int[] shape) {
        return Arrays.stream(shape).asLongStream().toArray();
    }

    /** TFLite's shape without its first (batch) dimension, which the graph leaves free. */
    private static long[] tail(int[] shape) {
        return shape.length == 0 ? new long[0] : Arrays.stream(shape, 1, shape.length).asLongStream().toArray();
    }
}
