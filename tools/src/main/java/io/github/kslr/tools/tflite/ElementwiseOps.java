package io.github.kslr.tools.tflite;

import io.github.kslr.onnx.writer.OnnxGraphWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Element-wise operators: ADD and MUL (with broadcasting constants), PRELU, and the activations RELU, RELU6,
 * RELU_N1_TO_1 (lowered like fused ones, by {@link Activation#lower}), TANH and LOGISTIC. They keep their input's layout.
 */
final class ElementwiseOps {
    private ElementwiseOps() {}

    static void add(Conversion c, int[] in, int out, FbTable options) {
        binary(c, "Add", in, out, BuiltinOptions.Arithmetic.read(options).fusedActivation());
    }

    static void mul(Conversion c, int[] in, int out, FbTable options) {
        binary(c, "Mul", in, out, BuiltinOptions.Arithmetic.read(options).fusedActivation());
    }

    private static void binary(Conversion c, String onnxOp, int[] in, int out, Activation act) {
        boolean aConst = c.constant(in[0]) != null;
        boolean bConst = c.constant(in[1]) != null;
        if (aConst && bConst) {
            throw new UnsupportedOperationException("both operands are constants");
        }
        int outRank = c.shape(out).length;
        boolean nchw = false;
        for (int i : in) {
            Conversion.Act a = c.act(i);
            if (a != null && a.nchw() && outRank == 4) {
                nchw = true;
            }
        }
        if (nchw) {
            // Every operand must then be 4-D NCHW; constants are reshaped to rank 4 and permuted.
            for (int i : in) {
                Conversion.Act a = c.act(i);
                if (a != null && a.shape().length != 4) {
                    nchw = false;
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (int i : in) {
            names.add(c.operand(i, nchw));
        }
        c.emit(onnxOp, names, out, nchw, act);
    }

    /**
     * PRELU. A 4-D tensor with one constant slope a channel (MediaPipe's palm detector, face mesh and hand re-crop) is
     * written as {@code Relu(x) + (-a) Relu(-x)}: the two Relu terms as 1x1 depthwise convolutions with weights 1 and
     * -1 (Relu fused), the slope as a third, and the sum as an Add. In exact arithmetic order this is PRelu to the
     * bit (each product is one rounding, and one of the two terms is zero); ONNX Runtime runs convolutions, their
     * fused Relu and Add in its blocked NCHWc layout, where a PRelu runs a generic broadcasting kernel between two
     * layout reorders, so the network runs in one layout throughout. With all graph optimisations on, ONNX Runtime then
     * also fuses residual additions into their convolutions, which rounds those sums in another order. Other slopes
     * stay an ONNX PRelu.
     */
    static void prelu(Conversion c, int[] in, int out, FbTable options) {
        Conversion.Act x = c.requireAct(in[0]);
        Conversion.Const slope = c.constant(in[1]);
        if (x.shape().length == 4 && slope != null && slope.isFloat() && oneSlopeAChannel(slope, x.shape()[3])) {
            preluAsConvolutions(c, c.toNchw(x), slope, out);
            return;
        }
        boolean nchw = x.shape().length == 4;
        String xName = nchw ? c.toNchw(x).name() : c.toPlain(x).name();
        String alpha = c.operand(in[1], nchw);
        c.emit("PRelu", List.of(xName, alpha), out, nchw, Activation.NONE);
    }

    /** Whether {@code slope}, aligned right against NHWC, varies along the channels only. */
    private static boolean oneSlopeAChannel(Conversion.Const slope, int channels) {
        int[] s = slope.shape();
        if (s.length == 0 || s.length > 4 || s[s.length - 1] != channels || slope.sparsity() != null) {
            return false;
        }
        for (int i = 0; i < s.length - 1; i++) {
            if (s[i] != 1) {
                return false;
            }
        }
        return true;
    }

    private static void preluAsConvolutions(Conversion c, Conversion.Act x, Conversion.Const slope, int out) {
        int channels = x.shape()[3];
        int[] perChannel = {channels, 1, 1, 1};
        float[] plus = new float[channels];
        Arrays.fill(plus, 1f);
        float[] minus = new float[channels];
        Arrays.fill(minus, -1f);
        String base = x.name() + "/prelu";
        String positive = channelScale(
                c, x.name(), c.floatInitializer("prelu/plus_one", perChannel, plus), channels, base + "/x");
        positive = c.node("Relu", List.of(positive), c.uniqueDerived(base + "/relu_x"));
        String negative = channelScale(
                c, x.name(), c.floatInitializer("prelu/minus_one", perChannel, minus), channels, base + "/neg_x");
        negative = c.node("Relu", List.of(negative), c.uniqueDerived(base + "/relu_neg_x"));
        String scaled = channelScale(c, negative, c.negatedConstInput(slope, perChannel), channels, base + "/slope_x");
        c.emit("Add", List.of(positive, scaled), out, true, Activation.NONE);
    }

    /** {@code x} times one weight a channel, as a 1x1 depthwise convolution. */
    private static String channelScale(Conversion c, String x, String weights, int channels, String name) {
        return c.node(
                "Conv",
                List.of(x, weights),
                c.uniqueDerived(name),
                Conversion.ints("kernel_shape", 1, 1),
                OnnxGraphWriter.intAttr("group", channels));
    }

    static void relu(Conversion c, int[] in, int out, FbTable options) {
        activation(c, in[0], out, Activation.RELU);
    }

    static void reluN1To1(Conversion c, int[] in, int out, FbTable options) {
        activation(c, in[0], out, Activation.RELU_N1_TO_1);
    }

    static void relu6(Conversion c, int[] in, int out, FbTable options) {
        activation(c, in[0], out, Activation.RELU6);
    }

    static void tanh(Conversion c, int[] in, int out, FbTable options) {
        unary(c, in[0], out, "Tanh");
    }

    static void logistic(Conversion c, int[] in, int out, FbTable options) {
        unary(c, in[0], out, "Sigmoid");
    }

    private static void activation(Conversion c, int in, int out, Activation activation) {
        Conversion.Act x = c.requireAct(in);
        String name = c.outName(out, x.nchw());
        activation.lower(c, x.name(), name);
        c.putAct(out, new Conversion.Act(name, x.nchw(), c.shape(out)));
    }

    /** A layout-preserving element-wise ONNX operator. */
    private static void unary(Conversion c, int in, int out, String onnxOp) {
        Conversion.Act x = c.requireAct(in);
        c.emit(onnxOp, List.of(x.name()), out, x.nchw(), Activation.NONE);
    }
}
