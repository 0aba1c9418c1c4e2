package io.github.kslr.tools.tflite;

import static io.github.kslr.tools.tflite.Conversion.ints;

import io.github.kslr.onnx.writer.OnnxGraphWriter;
import java.util.ArrayList;
import java.util.List;

/** Operators with weights: CONV_2D, DEPTHWISE_CONV_2D (ONNX Conv, weights permuted to OIHW) and FULLY_CONNECTED. */
final class ConvolutionOps {
    private ConvolutionOps() {}

    static void conv2d(Conversion c, int[] in, int out, FbTable options) {
        conv(c, in, out, false, BuiltinOptions.Conv.readConv2D(options));
    }

    static void depthwiseConv2d(Conversion c, int[] in, int out, FbTable options) {
        conv(c, in, out, true, BuiltinOptions.Conv.readDepthwiseConv2D(options));
    }

    private static void conv(Conversion c, int[] in, int out, boolean depthwise, BuiltinOptions.Conv o) {
        Conversion.Act x = c.toNchw(c.requireAct(in[0]));
        Conversion.Const w = c.requireConst(in[1], "weights");
        int[] xs = x.shape();
        int[] os = c.shape(out);
        int kh = w.shape()[1];
        int kw = w.shape()[2];
        int cin = xs[3];
        int group;
        String weight;
        if (depthwise) {
            // [1, KH, KW, C*M] -> [C*M, 1, KH, KW], one group per input channel.
            weight = c.constInput(w, null, new int[] {3, 0, 1, 2});
            group = cin;
        } else {
            // [O, KH, KW, I] -> [O, I, KH, KW]; TFLite allows grouped convs where I divides C.
            weight = c.constInput(w, null, Layout.TO_NCHW);
            group = cin / w.shape()[3];
        }
        List<String> inputs = new ArrayList<>(List.of(x.name(), weight));
        if (in.length > 2 && in[2] >= 0) {
            inputs.add(c.constInput(c.requireConst(in[2], "bias"), null, null));
        }
        int[] ph = o.padding().pads(xs[1], kh, o.strideH(), o.dilationH(), os[1]);
        int[] pw = o.padding().pads(xs[2], kw, o.strideW(), o.dilationW(), os[2]);
        c.emit(
                "Conv",
                inputs,
                out,
                true,
                o.fusedActivation(),
                ints("kernel_shape", kh, kw),
                ints("strides", o.strideH(), o.strideW()),
                ints("dilations", o.dilationH(), o.dilationW()),
                ints("pads", ph[0], pw[0], ph[1], pw[1]),
                OnnxGraphWriter.intAttr("group", group));
    }

    static void fullyConnected(Conversion c, int[] in, int out, FbTable options) {
        Conversion.Act x = c.toPlain(c.requireAct(in[0]));
        Conversion.Const w = c.requireConst(in[1], "weights");
        BuiltinOptions.FullyConnected o = BuiltinOptions.FullyConnected.read(options);
        if (o.weightsFormat() != 0) {
            throw new UnsupportedOperationException("FULLY_CONNECTED weights_format " + o.weightsFormat());
        }
        int[] os = c.shape(out);
        if (o.keepNumDims() && os.length != 2) {
            throw new UnsupportedOperationException("FULLY_CONNECTED keep_num_dims with output rank " + os.length);
        }
        int inFeatures = w.shape()[1];
        String a = x.name();
        int[] xs = x.shape();
        if (xs.length != 2 || xs[1] != inFeatures) {
            a = c.node(
                    "Reshape",
                    List.of(a, c.int64Initializer("shape", new long[] {-1, inFeatures})),
                    c.uniqueDerived(x.name() + "/flat"));
        }
        List<String> inputs = new ArrayList<>(List.of(a, c.constInput(w, null, null)));
        if (in.length > 2 && in[2] >= 0) {
            inputs.add(c.constInput(c.requireConst(in[2], "bias"), null, null));
        }
        c.emit("Gemm", inputs, out, false, o.fusedActivation(), OnnxGraphWriter.intAttr("transB", 1));
    }
}
