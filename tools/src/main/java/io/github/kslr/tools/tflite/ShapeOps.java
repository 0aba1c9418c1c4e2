package io.github.kslr.tools.tflite;

import static io.github.kslr.tools.tflite.Conversion.string;

import io.github.kslr.onnx.writer.OnnxGraphWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Operators that move elements without computing new values: PAD, RESHAPE (always in TFLite's element order),
 * CONCATENATION and STRIDED_SLICE.
 */
final class ShapeOps {
    private ShapeOps() {}

    static void pad(Conversion c, int[] in, int out, FbTable options) {
        Conversion.Act x = c.requireAct(in[0]);
        int[] p = c.requireConst(in[1], "paddings").i32();
        int rank = x.shape().length;
        boolean nchw = rank == 4;
        x = nchw ? c.toNchw(x) : c.toPlain(x);
        long[] pads = new long[2 * rank];
        for (int i = 0; i < rank; i++) {
            int phys = nchw ? Layout.AXIS_TO_NCHW[i] : i;
            pads[phys] = p[2 * i];
            pads[rank + phys] = p[2 * i + 1];
        }
        String padsName = c.int64Initializer("pads", pads);
        c.emit("Pad", List.of(x.name(), padsName), out, nchw, Activation.NONE, string("mode", "constant"));
    }

    static void reshape(Conversion c, int[] in, int out, FbTable options) {
        Conversion.Act x = c.toPlain(c.requireAct(in[0]));
        int[] target = c.shape(out).clone();
        long[] shape = new long[target.length];
        for (int i = 0; i < target.length; i++) {
            shape[i] = target[i];
        }
        if (target.length > 0 && target[0] == 1 && x.shape().length > 0 && x.shape()[0] == 1) {
            shape[0] = 0; // 0 = copy the input's batch dimension, which is free in the ONNX graph
        }
        c.emit("Reshape", List.of(x.name(), c.int64Initializer("shape", shape)), out, false, Activation.NONE);
    }

    static void concatenation(Conversion c, int[] in, int out, FbTable options) {
        int[] os = c.shape(out);
        BuiltinOptions.Concatenation o = BuiltinOptions.Concatenation.read(options);
        int axis = o.axis();
        if (axis < 0) {
            axis += os.length;
        }
        if (o.fusedActivationCode() != Activation.NONE.code()) {
            // LiteRT's kernels ignore it (measured: output == plain concatenation), so no mapping is faithful.
            throw new UnsupportedOperationException("CONCATENATION with fused activation " + o.fusedActivationCode());
        }
        boolean nchw = os.length == 4;
        if (nchw) {
            boolean any = false;
            for (int i : in) {
                Conversion.Act a = c.act(i);
                any |= a != null && a.nchw();
            }
            nchw = any;
        }
        List<String> names = new ArrayList<>();
        for (int i : in) {
            names.add(c.operand(i, nchw));
        }
        int onnxAxis = nchw ? Layout.AXIS_TO_NCHW[axis] : axis;
        c.emit("Concat", names, out, nchw, Activation.NONE, OnnxGraphWriter.intAttr("axis", onnxAxis));
    }

    static void stridedSlice(Conversion c, int[] in, int out, FbTable options) {
        Conversion.Act x = c.requireAct(in[0]);
        int[] begin = c.requireConst(in[1], "begin").i32();
        int[] end = c.requireConst(in[2], "end").i32();
        int[] strides = in.length > 3 ? c.requireConst(in[3], "strides").i32() : null;
        BuiltinOptions.StridedSlice o = BuiltinOptions.StridedSlice.read(options);
        int beginMask = o.beginMask();
        int endMask = o.endMask();
        int shrinkMask = o.shrinkAxisMask();
        if (o.ellipsisMask() != 0 || o.newAxisMask() != 0 || o.offset()) {
            throw new UnsupportedOperationException("STRIDED_SLICE with ellipsis/new-axis mask or offset");
        }
        int[] xs = x.shape();
        int rank = xs.length;
        boolean nchw = x.nchw() && shrinkMask == 0;
        x = nchw ? x : c.toPlain(x);
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
            axes.add((long) (nchw ? Layout.AXIS_TO_NCHW[i] : i));
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
            List<String> inputs = List.of(
                    x.name(),
                    c.int64Initializer("starts", Layout.toArray(starts)),
                    c.int64Initializer("ends", Layout.toArray(ends)),
                    c.int64Initializer("axes", Layout.toArray(axes)),
                    c.int64Initializer("steps", Layout.toArray(steps)));
            if (squeeze.isEmpty()) {
                c.emit("Slice", inputs, out, nchw, Activation.NONE);
                return;
            }
            sliced = c.node("Slice", inputs, c.uniqueDerived(c.outName(out, false) + "/slice"));
        }
        if (squeeze.isEmpty()) {
            c.emit("Identity", List.of(sliced), out, nchw, Activation.NONE);
        } else {
            c.emit(
                    "Squeeze",
                    List.of(sliced, c.int64Initializer("axes", Layout.toArray(squeeze))),
                    out,
                    false,
                    Activation.NONE);
        }
    }
}
