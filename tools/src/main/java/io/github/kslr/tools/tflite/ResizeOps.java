package io.github.kslr.tools.tflite;

import static io.github.kslr.tools.tflite.Conversion.string;

import io.github.kslr.onnx.writer.OnnxGraphWriter;
import java.util.List;

/** Spatial resampling: RESIZE_BILINEAR (ONNX Resize, linear) and DEPTH_TO_SPACE. */
final class ResizeOps {
    private ResizeOps() {}

    static void resizeBilinear(Conversion c, int[] in, int out, FbTable options) {
        Conversion.Act x = c.toNchw(c.requireAct(in[0]));
        BuiltinOptions.ResizeBilinear o = BuiltinOptions.ResizeBilinear.read(options);
        int[] xs = x.shape();
        int[] os = c.shape(out);
        float sh = (float) os[1] / xs[1];
        float sw = (float) os[2] / xs[2];
        if ((int) Math.floor(xs[1] * sh) != os[1] || (int) Math.floor(xs[2] * sw) != os[2]) {
            throw new UnsupportedOperationException("RESIZE_BILINEAR " + xs[1] + "x" + xs[2] + " -> " + os[1] + "x"
                    + os[2] + " is not reachable with float scales");
        }
        String mode = o.alignCorners() ? "align_corners" : o.halfPixelCenters() ? "half_pixel" : "asymmetric";
        String scales = c.floatInitializer("scales", new int[] {4}, new float[] {1f, 1f, sh, sw});
        c.emit(
                "Resize",
                List.of(x.name(), "", scales),
                out,
                true,
                Activation.NONE,
                string("mode", "linear"),
                string("coordinate_transformation_mode", mode));
    }

    static void depthToSpace(Conversion c, int[] in, int out, FbTable options) {
        Conversion.Act x = c.toNchw(c.requireAct(in[0]));
        int block = BuiltinOptions.DepthToSpace.read(options).blockSize();
        // TFLite's channel order (block row, block column, channel) is ONNX's DCR mode.
        c.emit(
                "DepthToSpace",
                List.of(x.name()),
                out,
                true,
                Activation.NONE,
                OnnxGraphWriter.intAttr("blocksize", block),
                string("mode", "DCR"));
    }
}
