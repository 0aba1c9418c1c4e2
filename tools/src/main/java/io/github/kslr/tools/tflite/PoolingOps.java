package io.github.kslr.tools.tflite;

import static io.github.kslr.tools.tflite.Conversion.ints;

import io.github.kslr.onnx.writer.OnnxGraphWriter;
import java.util.Arrays;
import java.util.List;

/** Reductions over windows or axes: MAX_POOL_2D (ONNX MaxPool) and MEAN (ONNX ReduceMean). */
final class PoolingOps {
    private PoolingOps() {}

    static void maxPool2d(Conversion c, int[] in, int out, FbTable options) {
        Conversion.Act x = c.toNchw(c.requireAct(in[0]));
        BuiltinOptions.Pool2D o = BuiltinOptions.Pool2D.read(options);
        int fw = o.filterWidth();
        int fh = o.filterHeight();
        int[] os = c.shape(out);
        int[] ph = o.padding().pads(x.shape()[1], fh, o.strideH(), 1, os[1]);
        int[] pw = o.padding().pads(x.shape()[2], fw, o.strideW(), 1, os[2]);
        // ONNX MaxPool ignores padded cells like TFLite does (they never win the max).
        c.emit(
                "MaxPool",
                List.of(x.name()),
                out,
                true,
                o.fusedActivation(),
                ints("kernel_shape", fh, fw),
                ints("strides", o.strideH(), o.strideW()),
                ints("pads", ph[0], pw[0], ph[1], pw[1]));
    }

    static void mean(Conversion c, int[] in, int out, FbTable options) {
        Conversion.Act x = c.requireAct(in[0]);
        int[] axes = c.requireConst(in[1], "axes").i32();
        boolean keep = BuiltinOptions.Reducer.read(options).keepDims();
        int rank = x.shape().length;
        boolean nchw = x.nchw();
        long[] onnxAxes = new long[axes.length];
        boolean[] reduced = new boolean[rank];
        for (int i = 0; i < axes.length; i++) {
            int a = axes[i] < 0 ? axes[i] + rank : axes[i];
            reduced[a] = true;
            onnxAxes[i] = nchw ? Layout.AXIS_TO_NCHW[a] : a;
        }
        Arrays.sort(onnxAxes);
        if (nchw && !keep) {
            // Without keep_dims the result is a plain tensor: the kept axes must stay in TFLite's order.
            int last = -1;
            for (int a = 0; a < rank; a++) {
                if (!reduced[a]) {
                    if (Layout.AXIS_TO_NCHW[a] < last) {
                        x = c.toPlain(x);
                        nchw = false;
                        for (int i = 0; i < axes.length; i++) {
                            onnxAxes[i] = axes[i] < 0 ? axes[i] + rank : axes[i];
                        }
                        Arrays.sort(onnxAxes);
                        break;
                    }
                    last = Layout.AXIS_TO_NCHW[a];
                }
            }
        }
        c.emit(
                "ReduceMean",
                List.of(x.name()),
                out,
                nchw && keep,
                Activation.NONE,
                ints("axes", onnxAxes),
                OnnxGraphWriter.intAttr("keepdims", keep ? 1 : 0));
    }
}
