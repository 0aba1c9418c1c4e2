package io.github.kslr.tools.tflite;

import java.util.ArrayList;
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

    static void prelu(Conversion c, int[] in, int out, FbTable options) {
        Conversion.Act x = c.requireAct(in[0]);
        boolean nchw = x.shape().length == 4;
        String xName = nchw ? c.toNchw(x).name() : c.toPlain(x).name();
        String alpha = c.operand(in[1], nchw);
        c.emit("PRelu", List.of(xName, alpha), out, nchw, Activation.NONE);
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
