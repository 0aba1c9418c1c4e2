package io.github.kslr.tools.tflite;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.github.kslr.onnx.writer.OnnxGraphWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One conversion's state: the ONNX graph being written, what each TFLite tensor has become (a computed {@link Act} or
 * a {@link Const}), and the helpers the operator families ({@link OperatorConverters}) write through: layout changes
 * (NHWC/NCHW), initializers, unique names, and {@link #emit} (an operator followed by its fused activation).
 *
 * <p>Not thread-safe: one instance per {@link TfliteToOnnx#convert} call.
 */
final class Conversion {
    /** An activation: its ONNX value name, whether it is stored NCHW (4-D only), and TFLite's (NHWC) shape. */
    record Act(String name, boolean nchw, int[] shape) {}

    /**
     * A constant: TFLite shape and data, one of f32 / f16 bits / i32. {@code sparsity} is set until DENSIFY runs.
     */
    record Const(int tensor, int[] shape, float[] f32, short[] f16, int[] i32, TfliteModel.Sparsity sparsity) {
        boolean isFloat() {
            return f32 != null || f16 != null;
        }
    }

    private final TfliteModel model;
    private OnnxGraphWriter graph;
    private final Map<Integer, Act> acts = new HashMap<>();
    private final Map<Integer, Const> consts = new HashMap<>();
    private final Map<String, String> initializerCache = new HashMap<>();
    private final Map<String, String> transposeCache = new HashMap<>();
    private final Set<Integer> graphOutputs = new HashSet<>();
    private final Map<Integer, String> tensorNames = new HashMap<>();
    private int nodeCount;

    Conversion(TfliteModel model) {
        this.model = model;
    }

    ModelProto convert(TfliteToOnnx.Options options) {
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
                throw new UnsupportedOperationException(
                        "input " + t.name() + " has TFLite type " + t.type() + "; only float32 inputs are supported");
            }
            String name = unique(t.name());
            graph.input(name, t.shape().length == 0 ? null : TfliteToOnnx.BATCH_DIM, Layout.tail(t.shape()));
            acts.put(in, new Act(name, false, t.shape()));
        }
        for (TfliteModel.Operator op : model.operators()) {
            try {
                convertOp(op);
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                throw new UnsupportedOperationException(
                        "operator " + op.index() + " " + describe(op) + ": " + e.getMessage(), e);
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
                node("Transpose", List.of(a.name()), finalName, ints("perm", Layout.TO_NHWC));
            } else if (!a.name().equals(finalName)) {
                node("Identity", List.of(a.name()), finalName);
            }
            graph.output(finalName, t.shape().length == 0 ? null : TfliteToOnnx.BATCH_DIM, Layout.tail(t.shape()));
        }
        graph.pruneUnreachable();
        return graph.model(
                        TfliteToOnnx.IR_VERSION,
                        TfliteToOnnx.OPSET,
                        "kslr-tools tflite2onnx",
                        "1",
                        options.docString(),
                        options.metadata())
                .build();
    }

    private String describe(TfliteModel.Operator op) {
        String n = op.builtinCode() == BuiltinOperator.CUSTOM.code() && op.customCode() != null
                ? "CUSTOM(" + op.customCode() + ")"
                : BuiltinOperator.nameOf(op.builtinCode());
        String out = op.outputs().length > 0 && op.outputs()[0] >= 0
                ? model.tensor(op.outputs()[0]).name()
                : "?";
        return n + " -> " + out;
    }

    /** Converts one operator through its family's converter ({@link OperatorConverters}). */
    private void convertOp(TfliteModel.Operator op) {
        int[] in = op.inputs();
        int out = op.outputs()[0];
        BuiltinOperator known = BuiltinOperator.of(op.builtinCode());
        OperatorConverter converter = known == null ? null : OperatorConverters.ALL.get(known);
        if (converter == null) {
            throw new UnsupportedOperationException("unsupported TFLite operator "
                    + (op.builtinCode() == BuiltinOperator.CUSTOM.code()
                            ? "CUSTOM(" + op.customCode() + ")"
                            : BuiltinOperator.nameOf(op.builtinCode())));
        }
        converter.convert(this, in, out, op.options());
    }

    // ---------------------------------------------------------------------------------------------- state

    TfliteModel model() {
        return model;
    }

    /** TFLite's (NHWC) shape of tensor {@code t}. */
    int[] shape(int t) {
        return model.tensor(t).shape();
    }

    /** The computed tensor {@code t}, or null when it is not (yet) computed. */
    Act act(int t) {
        return acts.get(t);
    }

    /** The constant {@code t}, or null when {@code t} is not a constant. */
    Const constant(int t) {
        return consts.get(t);
    }

    /** Records that TFLite tensor {@code t} is computed as {@code act}. */
    void putAct(int t, Act act) {
        acts.put(t, act);
    }

    /** Records that TFLite tensor {@code t} is the constant {@code c} (DEQUANTIZE, DENSIFY). */
    void putConst(int t, Const c) {
        consts.put(t, c);
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** Emits {@code onnxOp} computing TFLite tensor {@code out}, then its fused activation. */
    void emit(
            String onnxOp, List<String> inputs, int out, boolean nchw, Activation activation, AttributeProto... attrs) {
        String finalName = outName(out, nchw);
        if (activation == Activation.NONE) {
            node(onnxOp, inputs, finalName, attrs);
        } else {
            String linear = node(onnxOp, inputs, uniqueDerived(finalName + "/linear"), attrs);
            activation.lower(this, linear, finalName);
        }
        acts.put(out, new Act(finalName, nchw, model.tensor(out).shape()));
    }

    /** An operand in the requested layout: NCHW (rank-4 broadcast form) or TFLite's own. */
    String operand(int tensor, boolean nchw) {
        Const c = consts.get(tensor);
        if (c != null) {
            return nchw ? constInput(c, Layout.rank4(c.shape()), Layout.TO_NCHW) : constInput(c, null, null);
        }
        Act a = requireAct(tensor);
        return nchw ? toNchw(a).name() : toPlain(a).name();
    }

    /** The ONNX name of TFLite tensor {@code t}: its own name, or name/nchw for NCHW copies of outputs. */
    String outName(int t, boolean nchw) {
        String base = model.tensor(t).name();
        if (graphOutputs.contains(t)) {
            return nchw ? uniqueDerived(base + "/nchw") : outputName(t);
        }
        return uniqueFor(t, base);
    }

    private String outputName(int t) {
        return uniqueFor(t, model.tensor(t).name());
    }

    private String uniqueFor(int t, String base) {
        return tensorNames.computeIfAbsent(t, k -> unique(base == null || base.isEmpty() ? "t" + t : base));
    }

    private String unique(String base) {
        return graph.uniqueName(base);
    }

    String uniqueDerived(String base) {
        return unique(base);
    }

    Act requireAct(int t) {
        Act a = acts.get(t);
        if (a == null) {
            if (consts.containsKey(t)) {
                throw new UnsupportedOperationException("tensor "
                        + model.tensor(t).name() + " is a constant where the converter needs a computed tensor");
            }
            throw new IllegalArgumentException("tensor " + t + " is used before it is computed");
        }
        return a;
    }

    Const requireConst(int t, String what) {
        Const c = consts.get(t);
        if (c == null) {
            throw new UnsupportedOperationException(
                    what + " (tensor " + (t < 0 ? "absent" : model.tensor(t).name()) + ") must be a constant");
        }
        return c;
    }

    Act toNchw(Act a) {
        if (a.nchw()) {
            return a;
        }
        if (a.shape().length != 4) {
            throw new UnsupportedOperationException("expected a 4-D tensor, got " + Arrays.toString(a.shape()));
        }
        String t = transposeCache.computeIfAbsent(
                a.name(), n -> node("Transpose", List.of(n), uniqueDerived(n + "/nchw"), ints("perm", Layout.TO_NCHW)));
        return new Act(t, true, a.shape());
    }

    Act toPlain(Act a) {
        if (!a.nchw()) {
            return a;
        }
        String t = transposeCache.computeIfAbsent(
                a.name(), n -> node("Transpose", List.of(n), uniqueDerived(n + "/nhwc"), ints("perm", Layout.TO_NHWC)));
        return new Act(t, false, a.shape());
    }

    String node(String op, List<String> inputs, String output, AttributeProto... attrs) {
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
            throw new IllegalArgumentException("tensor " + t.name() + " " + Arrays.toString(t.shape()) + " holds " + got
                    + " values, expected " + expected);
        }
    }

    /**
     * The ONNX value of a float constant (optionally reshaped to {@code shape}, then permuted by {@code perm}).
     * FLOAT16 data become a FLOAT16 initializer and a Cast to float.
     */
    String constInput(Const c, int[] shape, int[] perm) {
        return constInput(c, shape, perm, false);
    }

    /**
     * {@code c}'s values negated, reshaped to {@code shape}, as an initializer of its own; FLOAT16 data stay FLOAT16
     * (the sign bit flipped) and are cast, as in {@link #constInput}, so the negation is exact either way.
     */
    String negatedConstInput(Const c, int[] shape) {
        short[] f16 = null;
        float[] f32 = null;
        if (c.f16() != null) {
            f16 = new short[c.f16().length];
            for (int i = 0; i < f16.length; i++) {
                f16[i] = (short) (c.f16()[i] ^ 0x8000);
            }
        } else if (c.f32() != null) {
            f32 = new float[c.f32().length];
            for (int i = 0; i < f32.length; i++) {
                f32[i] = -c.f32()[i];
            }
        }
        return constInput(new Const(c.tensor(), c.shape(), f32, f16, c.i32(), c.sparsity()), shape, null, true);
    }

    private String constInput(Const c, int[] shape, int[] perm, boolean negated) {
        if (!c.isFloat()) {
            throw new UnsupportedOperationException(
                    "constant " + model.tensor(c.tensor()).name() + " is not float (TFLite type "
                            + model.tensor(c.tensor()).type() + ")");
        }
        if (c.sparsity() != null) {
            throw new UnsupportedOperationException(
                    "sparse constant " + model.tensor(c.tensor()).name() + " used without DENSIFY");
        }
        int[] s = shape != null ? shape : c.shape();
        if (Layout.elementCount(s) != Layout.elementCount(c.shape())) {
            throw new IllegalArgumentException(
                    "cannot reshape " + Arrays.toString(c.shape()) + " to " + Arrays.toString(s));
        }
        String key = c.tensor() + "|" + Arrays.toString(s) + "|" + Arrays.toString(perm) + "|" + (c.f16() != null)
                + (negated ? "|negated" : "");
        String cached = initializerCache.get(key);
        if (cached != null) {
            return cached;
        }
        int[] outShape = perm == null ? s : Layout.permute(s, perm);
        int[] index = perm == null ? null : Layout.permutationIndex(s, perm);
        String base = model.tensor(c.tensor()).name();
        base = (base == null || base.isEmpty() ? "const" + c.tensor() : base) + (negated ? "/negated" : "");
        String result;
        if (c.f16() != null) {
            short[] v = c.f16();
            ByteBuffer raw = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < v.length; i++) {
                raw.putShort(v[index == null ? i : index[i]]);
            }
            String f16Name = uniqueDerived(base + "/fp16");
            graph.raw(f16Name, TensorProto.DataType.FLOAT16, raw.array(), Layout.dims(outShape));
            result = node(
                    "Cast",
                    List.of(f16Name),
                    uniqueDerived(base),
                    OnnxGraphWriter.intAttr("to", TensorProto.DataType.FLOAT_VALUE));
        } else {
            float[] v = c.f32();
            ByteBuffer raw = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < v.length; i++) {
                raw.putFloat(v[index == null ? i : index[i]]);
            }
            result = uniqueDerived(base);
            graph.raw(result, TensorProto.DataType.FLOAT, raw.array(), Layout.dims(outShape));
        }
        initializerCache.put(key, result);
        return result;
    }

    String scalar(float value) {
        String key = "scalar|" + value;
        return initializerCache.computeIfAbsent(key, k -> {
            String name = uniqueDerived("const/" + value);
            ByteBuffer raw =
                    ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value);
            graph.raw(name, TensorProto.DataType.FLOAT, raw.array(), Layout.dims(new int[0]));
            return name;
        });
    }

    String floatInitializer(String base, int[] shape, float[] values) {
        String key = "f32|" + base + Arrays.toString(values);
        return initializerCache.computeIfAbsent(key, k -> {
            String name = uniqueDerived("const/" + base);
            ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : values) {
                raw.putFloat(f);
            }
            graph.raw(name, TensorProto.DataType.FLOAT, raw.array(), Layout.dims(shape));
            return name;
        });
    }

    String int64Initializer(String base, long[] values) {
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

    // ---------------------------------------------------------------------------------------------- attributes

    static AttributeProto ints(String name, int... values) {
        return OnnxGraphWriter.intsAttr(name, values);
    }

    static AttributeProto ints(String name, long... values) {
        return OnnxGraphWriter.intsAttr(name, values);
    }

    static AttributeProto string(String name, String value) {
        return OnnxGraphWriter.stringAttr(name, value);
    }
}
